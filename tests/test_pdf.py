"""The PDF edition: Sphinx's LaTeX builder on the executed quick build, then XeLaTeX.

``make pdf`` runs the same commands on ``make book``'s build. Here the LaTeX builder reuses
the doctrees of the session's quick build (no chapter is executed again, no network
trained), latexmk makes the PDF, and poppler's ``pdftotext`` and ``pdfimages`` read it
back: every page's title is in it, the glued numbers of the lessons equal the HTML's, it
holds as many figures as the HTML pages, and no reference is left unresolved ("??").
"""

import html as html_lib
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
    flat = " ".join(text.split())
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
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT / '_ext')!r})\n"
        'extensions = ["myst_parser", "pdf_edition"]\n'
        'html_theme = "sphinx_book_theme"\n'
        f"templates_path = [{str(ROOT / '_templates')!r}]\n"
        'html_sidebars = {"**": ["sbt-sidebar-nav.html", "pdf-edition.html"]}\n'
    )
    html = tmp_path / "html"
    command = [str(SPHINX_BUILD), "-q", "-b", "html", str(source), str(html)]
    subprocess.run(command, check=True, capture_output=True)
    assert PDF_NAME not in (html / "index.html").read_text("utf-8")
    (tmp_path / "latex").mkdir()
    (tmp_path / "latex" / PDF_NAME).write_bytes(b"%PDF-1.5 stand-in")
    subprocess.run(command, check=True, capture_output=True)  # rewrites every page
    assert f'href="{PDF_NAME}"' in (html / "index.html").read_text("utf-8")
    assert (html / PDF_NAME).read_bytes() == b"%PDF-1.5 stand-in"
