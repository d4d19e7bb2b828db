"""_ext/parallel_reading.py: the executed chapters are balanced over Sphinx's reading chunks."""

from types import SimpleNamespace

from sphinx.util.parallel import make_chunks

from parallel_reading import balance, executed_size  # the book's local Sphinx extension (_ext/)

# The book's pages as Sphinx lists them to read (sorted), and the chapters it executes.
PAGES = sorted(
    [f"auto_examples/plot_{n}" for n in "abcdefgh"]
    + ["auto_examples/index", "book/api", "book/errata", "book/glossary", "book/inspect",
       "book/lesson1", "book/lesson2", "book/references", "book/speed", "index"]
)
SIZES = {"book/lesson2": 2093, "book/lesson1": 1881, "book/inspect": 637, "book/speed": 254}


def test_chapters_balanced_over_the_chunks_largest_first():
    order = balance(list(PAGES), SIZES, 2)
    assert sorted(order) == PAGES  # the same pages, each once
    chunks = make_chunks(order, 2)
    heavy = [{page for page in chunk if page in SIZES} for chunk in chunks]
    assert heavy == [{"book/lesson2", "book/speed"}, {"book/lesson1", "book/inspect"}]


def test_more_processes_than_chapters_give_each_chapter_its_own_chunk():
    chunks = make_chunks(balance(list(PAGES), SIZES, 8), 8)
    assert all(sum(page in SIZES for page in chunk) <= 1 for chunk in chunks)


def _app(folder):
    return SimpleNamespace(env=SimpleNamespace(doc2path=lambda docname: folder / f"{docname}.md"))


def test_a_page_is_sized_by_its_lines_times_its_weight(tmp_path):
    cell = "```{code-cell} ipython3\nprint(1)\n```\n"
    (tmp_path / "lesson.md").write_text("# A lesson\n" + cell * 10)
    (tmp_path / "bench.md").write_text("---\nimagerec_execution_weight: 7.5\n---\n# Timings\n" + cell)
    (tmp_path / "glossary.md").write_text("# Terms\n" * 50)  # nothing executes
    app = _app(tmp_path)
    assert executed_size(app, "lesson") == 31
    assert executed_size(app, "bench") == 7 * 7.5
    assert executed_size(app, "glossary") == 0
