"""The student edition: the teacher's book without a word of any solution.

The student edition is written from the doctrees the quick build executed (copied, so that
this build cannot disturb the other tests that read them), as ``IMAGEREC_EDITION=student
make book`` writes it from ``make book``'s: no chapter is executed again. Its HTML pages, its
search index, its notebooks and its LaTeX source (what the PDF is made from) are compared
with the teacher's edition of the same build.
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

import editions  # the book's local Sphinx extension (_ext/)

ROOT = Path(__file__).resolve().parents[1]
SPHINX_BUILD = Path(sys.executable).with_name("sphinx-build")
LESSONS = ("lesson1", "lesson2", "inspect")


def _build(source, doctrees, out, builder, env):
    result = subprocess.run(
        [str(SPHINX_BUILD), "-W", "--keep-going", "-b", builder, "-d", str(doctrees),
         str(source), str(out)],
        env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def student(quick_book_sources, tmp_path_factory):
    """The student edition of the quick build: (HTML folder, LaTeX folder, build log)."""
    source, doctrees, env = quick_book_sources
    folder = tmp_path_factory.mktemp("student")
    shutil.copytree(doctrees, folder / "doctrees")
    env = dict(env, IMAGEREC_EDITION="student", IMAGEREC_GALLERY="keep")
    log = [_build(source, folder / "doctrees", folder / builder, builder, env)
           for builder in ("html", "latex")]
    return folder / "html", folder / "latex", "\n".join(log)


def _solutions(page: Path) -> list[str]:
    """The text of each solution on a teacher's page, one string per solution."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [" ".join(div.get_text(" ").replace("\u2019", "'").split()) for div in soup.select("div.solution")]


def _sentences(quick_book) -> list[str]:
    """A long sentence from every solution of the lessons, as the teacher's edition has it."""
    found = []
    for stem in LESSONS:
        for text in _solutions(quick_book / "book" / f"{stem}.html"):
            sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 8
                         and "$" not in s and "\\" not in s]
            if sentences:
                found.append(max(sentences, key=len)[:80])
    return found


def _plain(path: Path) -> str:
    text = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text(" ")
    return " ".join(text.replace("\u2019", "'").split())


def test_nothing_was_executed_again(student):
    """No chapter, and no gallery script (IMAGEREC_GALLERY=keep), runs again."""
    assert "executing" not in student[2]
    scripts = len(list((ROOT / "gallery").glob("plot_*.py")))
    assert re.findall(r"after excluding (\d+) files", student[2]) == [str(scripts)] * 2


def test_pages_hold_no_solution_and_say_where_they_are(quick_book, student):
    html = student[0]
    sentences = _sentences(quick_book)
    assert len(sentences) >= 10  # the lessons have solutions worth looking for
    for stem in LESSONS:
        teacher = _plain(quick_book / "book" / f"{stem}.html")
        pupil = _plain(html / "book" / f"{stem}.html")
        mine = [s for s in sentences if s in teacher]
        assert mine and not [s for s in mine if s in pupil]
        assert pupil.count(editions.NOTE) == len(_solutions(quick_book / "book" / f"{stem}.html"))
        assert not list((html / "_sources").rglob("*")), "the student edition copies no sources"


def test_search_index_and_notebooks_hold_no_solution(quick_book, student):
    from sphinx.search.en import SearchEnglish

    html = student[0]
    stem = SearchEnglish({}).stem

    def index(folder):
        text = (folder / "searchindex.js").read_text(encoding="utf-8")
        return json.loads(text[text.index("(") + 1:text.rindex(")")])

    def pages_of(index_, term):
        found = index_["terms"].get(term, [])
        return {found} if isinstance(found, int) else set(found)

    def stems(text):
        return {stem(word.lower()) for word in re.findall(r"[A-Za-z]{4,}", text)}

    teacher, pupil = index(quick_book), index(html)
    for name in LESSONS:
        doc = f"book/{name}"
        number = teacher["docnames"].index(doc)
        assert pupil["docnames"].index(doc) == number
        # stems of the solutions' words that the student's page has nowhere else
        peculiar = stems(" ".join(_solutions(quick_book / f"{doc}.html"))) - stems(_plain(html / f"{doc}.html"))
        indexed = {t for t in peculiar if number in pages_of(teacher, t)}
        assert indexed, f"{doc}: no solution word is in the teacher's index: the test proves nothing"
        assert not {t for t in peculiar if number in pages_of(pupil, t)}

    for name in LESSONS:
        text = "\n".join(c.source for c in nbformat.read(html / "_notebooks" / f"{name}.ipynb", 4).cells)
        teacher_text = "\n".join(
            c.source for c in nbformat.read(quick_book / "_notebooks" / f"{name}.ipynb", 4).cells)
        assert "#### Solution" in teacher_text and "#### Solution" not in text
        assert "teacher's edition" in text


def test_latex_source_of_the_pdf_holds_no_solution(quick_book, student):
    """Every solution of the teacher's pages is a note in the PDF's source, and none of
    their sentences is left (the transform is the HTML's, at doctree-resolved)."""
    tex = " ".join((student[1] / "imagerec.tex").read_text(encoding="utf-8").split())
    solutions = sum(len(_solutions(quick_book / "book" / f"{stem}.html")) for stem in LESSONS)
    assert tex.count("edition of the book.") == solutions > 0
    starts = [" ".join(s.split()[:4]) for s in _sentences(quick_book)]
    assert not [s for s in starts if s in tex]


@pytest.mark.parametrize("value", ["pupil", "Teachers"])
def test_an_unknown_edition_is_a_clear_error(value):
    from sphinx.errors import ConfigError

    class Config:
        imagerec_edition = value

    with pytest.raises(ConfigError, match="IMAGEREC_EDITION"):
        editions._check(None, Config())
