"""Chapters as Jupyter notebooks: a download entry and Colab/Binder links on each chapter.

A *chapter* is a MyST Markdown notebook ``book/*.md`` whose front matter has a
``kernelspec``. While Sphinx writes a chapter's HTML page, this extension

1. converts the chapter's source into a notebook with myst-nb's own reader (the one the
   build executes), prefixed with a short note and a set-up cell (see :data:`SETUP`), and
   writes it to ``<outdir>/_notebooks/<chapter>.ipynb``;
2. makes the ``.ipynb`` entry of sphinx-book-theme's download menu offer that notebook;
3. points the theme's Binder and Colab launch links at the same notebook in the
   repository's ``notebooks`` branch (config value ``notebooks_branch``), which the
   publishing workflow (``.github/workflows/book.yml``) fills with these notebooks. The
   theme alone would link the ``.md`` source, which Colab cannot open.

The repository is the one named by the environment variable ``IMAGEREC_REPOSITORY_URL``
(see :func:`repository_options`, which ``conf.py`` calls), and only that one: a build
without it has no launch links, and its notebooks install nothing from any repository but
say how to install the package instead. A default repository would send readers of a
book built from a checkout to code that nobody here controls.

The links are plain ``<a href>`` links: a page fetches nothing from Colab, Binder or
GitHub until the reader clicks one.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import yaml
from myst_nb.core.read import read_myst_markdown_notebook
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)

CHAPTER_FOLDER = "book"  # chapters are the notebooks among the .md files of this folder
OUTPUT_FOLDER = "_notebooks"  # inside the HTML output folder
NOTE = (
    "This notebook is the chapter `{source}` of the book *Image recognition with neural "
    "networks*, generated when the book was built. Run the cells from the top: the first "
    "one installs the book's package where it is missing. MyST markup (roles such as "
    "`{{glue:text}}` and `{{cite:p}}`, directives such as exercises) shows as plain text "
    "here; the book's pages show it typeset."
)
# The first cell of a notebook built without a repository URL: no cell installs anything.
INSTALL_NOTE = (
    "This notebook is the chapter `{source}` of the book *Image recognition with neural "
    "networks*, generated when the book was built. It needs the book's package `imagerec` "
    "and `myst-nb`: in a checkout of the book's repository, install them into the "
    "environment of your Jupyter kernel with `pip install \".[cpu,book]\"` (or run "
    "`make test`, which creates `.venv` with everything), then run the cells from the top. "
    "MyST markup (roles such as `{{glue:text}}` and `{{cite:p}}`, directives such as "
    "exercises) shows as plain text here; the book's pages show it typeset."
)
# The first code cell of every generated notebook. It installs what the chapter's code
# imports where that is missing (Colab, a fresh Jupyter), and does nothing where it is
# present (the repository's .venv, Binder's image of the `notebooks` branch).
SETUP = '''\
# Set-up added by the book's build, not part of the chapter: install the book's package
# `imagerec` (and myst-nb, whose `glue` the chapter calls) where they are missing.
import importlib
import importlib.util
import subprocess
import sys

_missing = []
if importlib.util.find_spec("imagerec") is None:
    # Colab ships TensorFlow; elsewhere the package brings TensorFlow's CPU build.
    _extra = "" if importlib.util.find_spec("tensorflow") else "[cpu]"
    _missing.append(f"imagerec{{_extra}} @ {requirement}")
if importlib.util.find_spec("myst_nb") is None:
    _missing.append("myst-nb")
if _missing:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", *_missing])
    importlib.invalidate_caches()'''


def front_matter(text: str) -> dict:
    """The YAML front matter of a Markdown text (``{}`` when it has none)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            data = yaml.safe_load("\n".join(lines[1:end]))
            return data if isinstance(data, dict) else {}
    return {}


def is_chapter(path: str | Path) -> bool:
    """Whether ``path`` is a MyST Markdown notebook: a ``.md`` file with a ``kernelspec``."""
    path = Path(path)
    return path.suffix == ".md" and "kernelspec" in front_matter(
        path.read_text(encoding="utf-8")
    )


def chapter_to_notebook(
    path, md_config=None, requirement=None, install_note=False
) -> nbformat.NotebookNode:
    """Convert the chapter at ``path`` into a notebook (nbformat 4, no outputs).

    The cells are those that myst-nb executes when it builds the page: every
    ``{code-cell}`` becomes a code cell (with its tags), the text between them Markdown
    cells. ``md_config`` is the MyST parser configuration (the build passes its own;
    default: myst-parser's defaults). With ``requirement`` (a pip URL of the package,
    e.g. ``git+https://example.org/owner/imagerec@main``) the notebook starts with a
    Markdown note and the set-up cell :data:`SETUP`, so that it runs on Colab. Without
    it but with ``install_note``, it starts with the note :data:`INSTALL_NOTE` only,
    which says how to install the package. Cell ids are numbered, so that the same
    chapter always gives the same file.
    """
    path = Path(path)
    notebook = read_myst_markdown_notebook(
        path.read_text(encoding="utf-8"), config=md_config, path=str(path)
    )
    if requirement:
        notebook.cells[:0] = [
            nbformat.v4.new_markdown_cell(NOTE.format(source=path.name)),
            nbformat.v4.new_code_cell(
                SETUP.format(requirement=requirement), metadata={"tags": ["imagerec-setup"]}
            ),
        ]
    elif install_note:
        notebook.cells.insert(
            0, nbformat.v4.new_markdown_cell(INSTALL_NOTE.format(source=path.name))
        )
    for number, cell in enumerate(notebook.cells):
        cell.id = f"cell-{number}"
    nbformat.validate(notebook)
    return notebook


def repository_options(url: str | None, branch: str = "main") -> dict:
    """The html_theme_options that name the book's repository, for ``url``.

    ``conf.py`` passes ``IMAGEREC_REPOSITORY_URL``. Without a URL (None or blank) there
    are none: no repository, hence no Colab or Binder links and no install-from-git cell.
    """
    url = (url or "").strip().rstrip("/")
    if not url:
        return {}
    return {
        "repository_url": url,
        "repository_branch": branch,
        "path_to_docs": "",
        "launch_buttons": {
            "binderhub_url": "https://mybinder.org",
            "colab_url": "https://colab.research.google.com",
            "notebook_interface": "classic",
        },
    }


def _theme_options(app) -> dict:
    return app.config.html_theme_options or {}


def _github_repository(app):
    """``(owner, name)`` of ``repository_url`` when it is on GitHub, else None."""
    url = _theme_options(app).get("repository_url", "").strip().rstrip("/")
    if url.endswith(".git"):
        url = url[: -len(".git")]
    prefix = "https://github.com/"
    if not url.startswith(prefix) or url[len(prefix):].count("/") != 1:
        return None
    owner, name = url[len(prefix):].split("/")
    return owner, name


def package_requirement(app) -> str | None:
    """The pip URL from which a notebook installs ``imagerec``: the commit that is being
    built when the build runs in GitHub Actions (``GITHUB_SHA``), else ``repository_branch``."""
    url = _theme_options(app).get("repository_url", "").strip().rstrip("/")
    if not url:
        return None
    ref = os.environ.get("GITHUB_SHA") or _theme_options(app).get("repository_branch") or "main"
    return f"git+{url}@{ref}"


def _chapter_source(app, pagename):
    """The source file of page ``pagename`` when it is a chapter, else None."""
    if pagename not in app.env.all_docs:
        return None
    source = Path(app.env.doc2path(pagename))
    if source.parent != Path(app.srcdir) / CHAPTER_FOLDER:
        return None
    return source if is_chapter(source) else None


def _find(buttons, label):
    for button in buttons:
        if button.get("label") == label:
            return button
    return None


def add_notebook(app, pagename, templatename, context, doctree):
    """``html-page-context``: write a chapter's notebook and link it from the page header.

    Runs after sphinx-book-theme's own handlers (priority 501), which fill
    ``context["header_buttons"]``; for a Markdown notebook the theme offers, when launch
    buttons are configured, a copy of the executed notebook under ``_sources``. On a
    chapter this handler's notebook replaces that entry, and its launch links replace the
    theme's (which name the ``.md`` file).
    """
    source = _chapter_source(app, pagename)
    if source is None:
        return
    md_config = getattr(app.env, "myst_config", None)
    notebook = chapter_to_notebook(
        source, md_config, package_requirement(app), install_note=True
    )
    filename = f"{source.stem}.ipynb"
    target = Path(app.builder.outdir) / OUTPUT_FOLDER / filename
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(target))

    buttons = context.get("header_buttons", [])
    download = _find(buttons, "download-buttons")
    if download is not None:
        entries = [b for b in download["buttons"] if b.get("label") != "download-notebook-button"]
        entries.insert(0, {
            "type": "link",
            "url": context["pathto"](f"{OUTPUT_FOLDER}/{filename}", 1),
            "text": ".ipynb",
            "icon": "fas fa-code",
            "tooltip": "Download this chapter as a Jupyter notebook",
            "label": "download-notebook-button",
        })
        download["buttons"] = entries

    launch = _find(buttons, "launch-buttons")
    if launch is not None:
        links = _launch_links(app, filename)
        kept = []
        for button in launch["buttons"]:
            if button.get("text") in ("Binder", "Colab"):
                if button["text"] in links:
                    kept.append(dict(button, url=links[button["text"]]))
            else:
                kept.append(button)
        if kept:
            launch["buttons"] = kept
        else:
            buttons.remove(launch)


def _launch_links(app, filename) -> dict:
    """Binder and Colab URLs of notebook ``filename`` in the ``notebooks`` branch."""
    repository = _github_repository(app)
    if repository is None:  # Colab opens notebooks from GitHub only; Binder: see README
        LOGGER.info("notebooks: repository_url is not a GitHub repository; no launch links")
        return {}
    owner, name = repository
    branch = app.config.notebooks_branch
    options = _theme_options(app).get("launch_buttons", {})
    links = {}
    binderhub = options.get("binderhub_url", "").strip().rstrip("/")
    if binderhub:
        interface = {"classic": "tree", "jupyterlab": "lab/tree"}[
            options.get("notebook_interface", "classic")
        ]
        links["Binder"] = f"{binderhub}/v2/gh/{owner}/{name}/{branch}?urlpath={interface}/{filename}"
    colab = options.get("colab_url", "").strip().rstrip("/")
    if colab:
        links["Colab"] = f"{colab}/github/{owner}/{name}/blob/{branch}/{filename}"
    return links


def setup(app):
    app.add_config_value("notebooks_branch", "notebooks", "html")
    app.connect("html-page-context", add_notebook, priority=502)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
