"""The PDF edition: Sphinx's LaTeX builder on the executed quick build, then XeLaTeX.

``make pdf`` runs the same commands on ``make book``'s build. Here the LaTeX builder reuses
the doctrees of the session's quick build (no chapter is executed again, no network
trained), latexmk makes the PDF, and poppler's ``pdftotext`` and ``pdfimages`` read it
back: every page's title is in it, the glued numbers of the lessons equal the HTML's, it
holds as many figures as the HTML pages, and no reference is left unresolved ("??"). It
reads as a book (``_ext/pdf_book.py``): its chapters are the documents of the front page's
first toctree and its appendices those of the later ones, in the HTML's order, every page is
headed by its chapter, and the package's reference is a short list of modules.
"""

import html as html_lib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPHINX_BUILD = Path(sys.executable).with_name("sphinx-build")
PDF_NAME = "imagerec.pdf"
TOOLS = ("latexmk", "xelatex", "pdftotext", "pdfimages")


def _text(fragment):
    """Plain text of an HTML fragment, whitespace collapsed."""
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _content(page):
    """The article of a built HTML page (what the PDF also holds), without the theme."""
    text = page.read_text(encoding="utf-8")
    match = re.search(r'<article class="bd-article">(.*?)</article>', text, re.S)
    return match[1] if match else ""


def _title(page):
    match = re.search(r"<h1>(.*?)<a class=\"headerlink\"", _content(page), re.S)
    return _text(match[1]) if match else None


def _toctrees(index):
    """The front page's toctrees: for each, the titles of its documents, in order."""
    chunks = _content(index).split('<div class="toctree-wrapper compound">')[1:]
    return [
        [_text(title) for title in re.findall(
            r'<li class="toctree-l1"><a class="reference internal" href="[^"]+">(.*?)</a>', chunk, re.S
        )]
        for chunk in chunks
    ]


HEAD = re.compile(r"(?:Chapter \d+|Appendix [A-Z])\. .+")
FOOT = re.compile(r"\s*\d+\s{3,}\S.*|.*\S\s{3,}\d+\s*")  # page number, then or after a title


def _heads(text):
    """The running head of each page of the PDF's text (None where a page has none)."""
    heads = []
    for page in text.split("\f"):
        first = next((" ".join(line.split()) for line in page.splitlines() if line.strip()), "")
        heads.append(first if HEAD.fullmatch(first) else None)
    return heads


def _body(text):
    """The PDF's text (``pdftotext -layout``) without its running heads and feet, as one
    line: a sentence that runs over a page break reads as it does on the page. A page's foot
    is one line: its number and a title (the book's, or the section's), far apart."""
    pages = []
    for page in text.split("\f"):
        lines = [line for line in page.splitlines() if line.strip()]
        if lines and HEAD.fullmatch(" ".join(lines[0].split())):
            lines = lines[1:]
        if lines and FOOT.fullmatch(lines[-1]):
            lines = lines[:-1]
        pages.append(" ".join(lines))
    return " ".join(" ".join(pages).split())


def _figures(page):
    """Images in a page's article: chapter and gallery figures (no thumbnails, no icons)."""
    return [
        src for src in re.findall(r'<img[^>]+src="([^"]+)"', _content(page))
        if "/thumb/" not in src
    ]


@pytest.fixture(scope="module")
def pdf(quick_book_sources, tmp_path_factory):
    """Build the PDF from the quick build; return (PDF path, its text, its image rows)."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    assert not missing, (
        f"{missing} not found: install Debian's texlive-xetex, latexmk, "
        "texlive-latex-extra, texlive-fonts-recommended and poppler-utils (see README)"
    )
    source, doctrees, env = quick_book_sources
    env = dict(env, IMAGEREC_GALLERY="keep")  # the gallery's figures are the quick build's
    latex = tmp_path_factory.mktemp("pdf") / "latex"
    result = subprocess.run(
        [str(SPHINX_BUILD), "-W", "--keep-going", "-n", "-b", "latex",
         "-d", str(doctrees), str(source), str(latex)],
        env=env, capture_output=True, text=True,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"LaTeX builder failed:\n{log[-6000:]}"
    assert "executing" not in log.lower(), "the LaTeX build executed chapters again"
    result = subprocess.run(
        ["make", "-C", str(latex), "all-pdf", "LATEXMKOPTS=-xelatex -silent",
         "LATEXOPTS=-halt-on-error -interaction=nonstopmode"],
        env=env, capture_output=True, text=True,
    )
    path = latex / PDF_NAME
    assert result.returncode == 0 and path.is_file(), (
        f"latexmk failed (log: {latex / 'imagerec.log'}):\n"
        + (result.stdout + result.stderr)[-4000:]
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    rows = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    images = [row.split() for row in rows if row.split()[2:3] == ["image"]]
    return path, text, images


def test_pdf_holds_every_page_title_and_no_unresolved_reference(pdf, quick_book):
    _, text, _ = pdf
    flat = " ".join(text.split())
    pages = sorted((quick_book / "book").glob("*.html")) + sorted(
        (quick_book / "auto_examples").glob("plot_*.html")
    )
    titles = {page.name: _title(page) for page in pages}
    assert all(titles.values()), f"pages without a title: {titles}"
    missing = [title for title in titles.values() if title not in flat]
    assert not missing, f"titles not in the PDF: {missing}"
    assert "??" not in text, "unresolved references in the PDF"


def test_pdf_glued_numbers_equal_the_html(pdf, quick_book):
    _, text, _ = pdf
    flat = _body(text)
    glued = []
    for chapter in ("lesson1", "lesson2", "inspect"):
        page = quick_book / "book" / f"{chapter}.html"
        spans = re.findall(r'<span class="pasted-text">(.*?)</span>', page.read_text("utf-8"))
        glued += [_text(s) for s in spans if re.search(r"\d", s)]
    assert len(glued) >= 5, f"too few glued numbers in the HTML: {glued}"
    missing = [value for value in glued if value not in flat]
    assert not missing, f"glued values of the HTML not in the PDF: {missing}"


def test_pdf_has_as_many_figures_as_the_html(pdf, quick_book):
    _, _, images = pdf
    pages = [quick_book / "index.html"] + sorted((quick_book / "book").glob("*.html")) + sorted(
        (quick_book / "auto_examples").glob("plot_*.html")
    )
    in_html = {page.name: len(_figures(page)) for page in pages}
    assert sum(in_html.values()) > 0
    assert len(images) == sum(in_html.values()), (
        f"{len(images)} images in the PDF, {sum(in_html.values())} in the HTML: {in_html}"
    )


def test_html_links_the_pdf_once_it_is_built(tmp_path):
    """A one-page book with the PDF extension: no link without the PDF, a link with it."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "index.md").write_text("# Book\n\nText.\n")
    (source / "conf.py").write_text(
        'extensions = ["myst_parser", "pdf_edition"]\n'
        'html_theme = "sphinx_book_theme"\n'
        f"templates_path = [{str(ROOT / '_templates')!r}]\n"
        'html_sidebars = {"**": ["sbt-sidebar-nav.html", "pdf-edition.html"]}\n'
    )
    html = tmp_path / "html"
    command = [str(SPHINX_BUILD), "-q", "-b", "html", str(source), str(html)]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "_ext"))  # where Sphinx finds pdf_edition
    subprocess.run(command, check=True, capture_output=True, env=env)
    assert PDF_NAME not in (html / "index.html").read_text("utf-8")
    (tmp_path / "latex").mkdir()
    (tmp_path / "latex" / PDF_NAME).write_bytes(b"%PDF-1.5 stand-in")
    subprocess.run(command, check=True, capture_output=True, env=env)  # rewrites every page
    assert f'href="{PDF_NAME}"' in (html / "index.html").read_text("utf-8")
    assert (html / PDF_NAME).read_bytes() == b"%PDF-1.5 stand-in"


def test_pdf_chapters_are_the_lessons_then_the_appendices(pdf, quick_book):
    """Chapters, then appendices, in the front page's order; each page headed by its own."""
    _, text, _ = pdf
    chapters, *appendix_lists = _toctrees(quick_book / "index.html")
    assert chapters[0].startswith("Lesson 1") and chapters[1].startswith("Lesson 2"), chapters
    appendices = [title for titles in appendix_lists for title in titles] + ["Licence and credits"]
    expected = [f"Chapter {number}. {title}" for number, title in enumerate(chapters, 1)] + [
        f"Appendix {chr(ord('A') + number)}. {title}" for number, title in enumerate(appendices)
    ]
    heads = _heads(text)
    runs = [head for i, head in enumerate(heads) if head and head != heads[i - 1]]
    assert len(runs) == len(set(runs)), f"a chapter's pages are not together: {runs}"
    assert set(runs) <= set(expected), f"unexpected running heads: {set(runs) - set(expected)}"
    assert runs == [head for head in expected if head in runs], f"out of order: {runs}"
    # Chapters and appendices of more than one page have a head; the lessons are long.
    assert expected[:3] == runs[:3], runs
    assert len(runs) >= len(expected) - 3, f"heads {runs}, expected {expected}"
    assert "Licence and credits" in " ".join(text.split())


def test_pdf_pages_inside_lesson_1_are_headed_lesson_1(pdf, quick_book):
    """The page of a section of Lesson 1 names Lesson 1 at its head, not the front page."""
    _, text, _ = pdf
    lesson1 = quick_book / "book" / "lesson1.html"
    sections = [_text(h) for h in re.findall(r"<h2>(.*?)<a class=\"headerlink\"", _content(lesson1), re.S)]
    assert len(sections) >= 3, sections
    heads = _heads(text)
    pages = text.split("\f")
    head = f"Chapter 1. {_title(lesson1)}"
    for section in [title for title in sections[1:] if len(title) > 20][:3]:  # [0]: opening page
        found = [
            heads[i] for i, page in enumerate(pages)
            if heads[i] and any(" ".join(line.split()).endswith(section) for line in page.splitlines())
        ]
        assert found and set(found) == {head}, f"{section!r}: heads {found}"
    assert not any(h and "How to use this book" in h for h in heads)


def test_pdf_reference_is_a_short_list_of_modules(pdf, quick_book):
    """The HTML documents every function; the PDF lists the modules, in a page or two."""
    _, text, _ = pdf
    flat = " ".join(text.split())
    api = (quick_book / "book" / "api.html").read_text("utf-8")
    modules = re.findall(r'id="module-(imagerec\.[a-z_]+)"', api)
    assert len(modules) >= 10, modules
    missing = [module for module in modules if module not in flat]
    assert not missing, f"modules not listed in the PDF: {missing}"
    title = _title(quick_book / "book" / "api.html")
    reference_pages = [h for h in _heads(text) if h and h.endswith(f". {title}")]
    assert len(reference_pages) <= 2, f"the reference fills {len(reference_pages) + 1} pages"
    assert "Python Module Index" not in text
