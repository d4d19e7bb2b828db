"""Launch links and install cells name only a repository the build was told about.

``_ext/notebooks.py`` gives a chapter Colab and Binder links, and its notebook's install
cell the repository as a place to install the package from, only when
``IMAGEREC_REPOSITORY_URL`` names a repository (``conf.py`` passes it to :func:`notebooks.repository_options`). Both cases
are built here: a one-chapter book with the extension and the book's theme, not
executing its one cell (a few seconds in all). That the quick build of the real book, made without
the variable, has no launch links is checked in ``test_book.py``.
"""

import nbformat
from sphinx.application import Sphinx

import notebooks  # the book's local Sphinx extension (_ext/)

URL = "https://github.com/someone/imagerec-fork"
CHAPTER = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
  language: python
---

# A chapter

```{code-cell} ipython3
print(1 + 1)
```
"""
CONF = """\
extensions = ["myst_nb", "notebooks"]
html_theme = "sphinx_book_theme"
nb_execution_mode = "force"
"""


def _build(tmp_path, url):
    """Build the one-chapter book with the theme options ``conf.py`` makes from ``url``."""
    source = tmp_path / "src"
    (source / "book").mkdir(parents=True)
    (source / "conf.py").write_text(CONF)
    (source / "index.md").write_text("# Book\n\n```{toctree}\nbook/chapter\n```\n")
    (source / "book" / "chapter.md").write_text(CHAPTER)
    options = {"use_download_button": True, **notebooks.repository_options(url)}
    out = tmp_path / "html"
    app = Sphinx(
        str(source), str(source), str(out), str(tmp_path / "doctrees"), "html",
        confoverrides={"html_theme_options": options}, status=None, warning=None,
        freshenv=True,
    )
    app.build()
    page = (out / "book" / "chapter.html").read_text(encoding="utf-8")
    notebook = nbformat.read(out / "_notebooks" / "chapter.ipynb", as_version=4)
    return page, notebook


def test_without_a_repository_url_no_launch_links_and_no_install_from_git(tmp_path):
    assert notebooks.repository_options(None) == notebooks.repository_options(" ") == {}
    page, notebook = _build(tmp_path, None)
    assert "colab.research.google.com" not in page and "mybinder.org" not in page
    assert "github.com" not in page
    assert 'href="../_notebooks/chapter.ipynb"' in page  # the download is still offered
    text = "\n".join(cell.source for cell in notebook.cells)
    assert "git+" not in text and "pip install" in text
    note, install = notebook.cells[:2]
    assert note.cell_type == "markdown" and "A chapter" in note.source
    assert install.metadata.tags == ["imagerec-setup"] and ".whl" in install.source
    assert [c.cell_type for c in notebook.cells[3:]] == ["markdown", "code"]
    assert notebook.cells[-1].outputs[0].text == "2\n"  # the build's output


def test_with_a_repository_url_links_and_install_cell_name_it(tmp_path):
    page, notebook = _build(tmp_path, URL + "/")
    assert (
        "https://colab.research.google.com/github/someone/imagerec-fork/blob/notebooks/"
        "chapter.ipynb" in page
    )
    assert (
        "https://mybinder.org/v2/gh/someone/imagerec-fork/notebooks?urlpath=tree/"
        "chapter.ipynb" in page
    )
    assert "github.com/imagerec/" not in page
    setup = notebook.cells[1]
    assert setup.metadata.tags == ["imagerec-setup"]
    assert f"'git+{URL}@main'" in setup.source
