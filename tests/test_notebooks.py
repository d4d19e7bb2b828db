"""The book's extension ``_ext/notebooks.py`` turns each chapter into a valid notebook.

The conversion is tested directly on the chapters' sources; that the built pages offer
the notebooks (download menu, Colab and Binder links) is checked in ``test_book.py``.
"""

import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

import notebooks  # noqa: E402  (the book's local Sphinx extension)

CHAPTERS = sorted(p for p in (ROOT / "book").glob("*.md") if notebooks.is_chapter(p))
REQUIREMENT = "git+https://github.com/imagerec/imagerec@main"


def _code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def _code_blocks(path):
    """The sources of the ```{code-cell} blocks of a chapter, without their options."""
    text = path.read_text(encoding="utf-8")
    blocks = re.findall(r"^```\{code-cell\}[^\n]*\n(.*?)^```[ \t]*$", text, re.M | re.S)
    options = r"\A(?:---\n.*?^---[ \t]*\n|(?::[\w-]+:[^\n]*\n)*)\n?"  # a YAML block or :key: lines
    return [re.sub(options, "", block, flags=re.M | re.S).strip() for block in blocks]


def test_the_lessons_are_chapters_and_the_other_pages_are_not():
    names = {p.name for p in CHAPTERS}
    assert {"lesson1.md", "lesson2.md"} <= names
    assert not notebooks.is_chapter(ROOT / "book" / "glossary.md")
    assert not notebooks.is_chapter(ROOT / "index.md")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_chapter_becomes_a_valid_notebook_with_its_code_cells(chapter):
    notebook = notebooks.chapter_to_notebook(chapter)
    nbformat.validate(notebook)
    assert notebook.nbformat == 4
    assert notebook.metadata.kernelspec.name == "python3"
    text = chapter.read_text(encoding="utf-8")
    assert len(_code_cells(notebook)) == text.count("```{code-cell}") > 0
    # The cells hold the blocks' code, in order, with the options (:tags:) moved to metadata.
    assert [cell.source.strip() for cell in _code_cells(notebook)] == _code_blocks(chapter)
    assert not any(cell.outputs for cell in _code_cells(notebook))


def test_lesson1_keeps_tags_and_text():
    notebook = notebooks.chapter_to_notebook(ROOT / "book" / "lesson1.md")
    first = _code_cells(notebook)[0]
    assert "remove-cell" in first.metadata.get("tags", [])
    assert notebook.cells[0].cell_type == "markdown"
    assert notebook.cells[0].source.startswith("# Lesson 1")


def test_setup_cell_installs_the_package_where_missing():
    chapter = ROOT / "book" / "lesson1.md"
    plain = notebooks.chapter_to_notebook(chapter)
    notebook = notebooks.chapter_to_notebook(chapter, requirement=REQUIREMENT)
    nbformat.validate(notebook)
    note, setup = notebook.cells[:2]
    assert note.cell_type == "markdown" and "lesson1.md" in note.source
    assert setup.cell_type == "code" and setup.metadata.tags == ["imagerec-setup"]
    assert f"@ {REQUIREMENT}" in setup.source
    compile(setup.source, "setup", "exec")  # plain Python, runs in any kernel
    assert len(_code_cells(notebook)) == len(_code_cells(plain)) + 1
    assert [c.source for c in notebook.cells[2:]] == [c.source for c in plain.cells]


def test_notebook_file_is_the_same_from_build_to_build(tmp_path):
    chapter = ROOT / "book" / "lesson2.md"
    first, second = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    nbformat.write(notebooks.chapter_to_notebook(chapter, requirement=REQUIREMENT), str(first))
    nbformat.write(notebooks.chapter_to_notebook(chapter, requirement=REQUIREMENT), str(second))
    assert first.read_bytes() == second.read_bytes()
    nbformat.validate(nbformat.read(str(first), as_version=4))
