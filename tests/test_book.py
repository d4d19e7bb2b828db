"""The whole book builds in quick mode, warnings as errors, with its pages and figures."""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p.relative_to(ROOT).with_suffix(".html") for p in (ROOT / "book").glob("*.md"))
# The chapters offered as .ipynb downloads (conf.py's notebooks_exclude leaves out the speed
# appendix, executed too); test_notebooks.py checks the notebooks themselves.
CHAPTERS = [Path("book/inspect.html"), Path("book/lesson1.html"), Path("book/lesson2.html")]
FIGURED = [Path("book/lesson1.html"), Path("book/lesson2.html"), Path("book/inspect.html")]
GALLERY = sorted(p.stem for p in (ROOT / "gallery").glob("plot_*.py"))


def _images(page):
    return re.findall(r'<img[^>]+src="([^"]+)"', page.read_text(encoding="utf-8"))


def test_front_page_links_every_page(quick_book):
    index = (quick_book / "index.html").read_text(encoding="utf-8")
    for page in PAGES:
        assert str(page) in index


@pytest.mark.parametrize("name", PAGES, ids=str)
def test_page_built_with_quick_banner(quick_book, name):
    page = quick_book / name
    assert page.is_file()
    text = page.read_text(encoding="utf-8")
    assert "Quick build" in text, "a quick build must say so on every page"
    assert "output traceback" not in text, "a cell failed"
    log_line = re.search(r"[IWEF]\d{4} \d\d:\d\d:[\d.]+ +\d+ [\w.]+:\d+\]", text)
    assert not log_line, f"TensorFlow's C++ log on the page: {log_line.group(0) if log_line else ''}"


@pytest.mark.parametrize("chapter", FIGURED, ids=str)
def test_chapter_shows_its_figures(quick_book, chapter):
    page = quick_book / chapter
    images = _images(page)
    assert images, f"{chapter} shows no figure"
    for src in images:
        if not src.startswith("data:"):
            assert (page.parent / src).is_file(), f"{chapter}: missing image {src}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=str)
def test_chapter_offers_its_notebook(quick_book, chapter):
    """The download menu offers the chapter as a notebook. The quick build names no
    repository (no IMAGEREC_REPOSITORY_URL), so it has no Colab or Binder links and its
    notebooks install nothing from git; test_launch_links.py builds both cases."""
    stem = chapter.stem
    text = (quick_book / chapter).read_text(encoding="utf-8")
    assert f'href="../_notebooks/{stem}.ipynb"' in text
    assert "colab.research.google.com" not in text and "mybinder.org" not in text
    notebook = nbformat.read(quick_book / "_notebooks" / f"{stem}.ipynb", as_version=4)
    assert not any("git+" in cell.source for cell in notebook.cells)


@pytest.mark.parametrize("script", GALLERY)
def test_gallery_page_built_with_figures(quick_book, script):
    page = quick_book / "auto_examples" / f"{script}.html"
    assert page.is_file()
    images = [s for s in _images(page) if "sphx_glr_" in s]
    assert images, f"{script} drew no figure"
    for src in images:
        assert (page.parent / src).is_file()
    for suffix in (".py", ".ipynb"):
        assert list(quick_book.glob(f"_downloads/*/{script}{suffix}")), f"no {suffix} download"


def test_claims_page_lists_the_claims_on_the_lessons_pages(quick_book):
    """Every row of the appendix of claims names a claim that its chapter's page states."""
    from bs4 import BeautifulSoup

    def soup(page):
        return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")

    rows = soup(quick_book / "book" / "claims.html").select("table.checked-claims tbody tr")
    assert rows, "the appendix lists no claim"
    for row in rows:
        chapter, statement, _numbers, outcome = row.find_all("td")
        assert outcome.get_text(strip=True) in ("\u2713 holds", "not supported by this quick build")
        page = quick_book / "book" / chapter.find("a")["href"].split("#")[0]
        assert statement.get_text(" ", strip=True) in " ".join(soup(page).get_text(" ").split())
