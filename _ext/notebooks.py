"""Each chapter as a Jupyter notebook that runs anywhere: Colab, a plain Jupyter, Binder.

A *chapter* is a MyST Markdown notebook ``book/*.md`` whose front matter has a
``kernelspec``. While Sphinx writes a chapter's HTML page, this extension makes the
chapter's notebook from the notebook myst-nb has just executed (``jupyter_execute/``):

- its outputs, text and figures, are the build's, so a reader sees the expected results
  before running anything;
- its text is plain Markdown (:mod:`plain_markdown`): glued values are this build's numbers,
  listings are the code they show, exercises and solutions are headed cells;
- the hidden cells that only feed the text (``glue``) are left out; those that check the
  text's claims stay, with their source collapsed, with the cells they need;
- it starts with a note (which build made it, and that a rerun gives other numbers), a cell
  that installs ``imagerec`` where it is missing, and a cell that chooses quick or full
  settings and says what each costs.

The package comes from the wheel this build writes beside the notebooks
(``_notebooks/imagerec-<version>+g<commit>-py3-none-any.whl``, :mod:`wheel`), from the
published book's copy of it (``html_baseurl``), or from the repository at the build's commit
(``IMAGEREC_REPOSITORY_URL``). Its dependencies are installed only where missing, so
Colab's own TensorFlow and NumPy stay. Running a notebook needs neither Sphinx nor myst-nb.

The page's download menu offers the notebook, and its Binder and Colab links open the same
notebook in the repository's ``notebooks`` branch (config value ``notebooks_branch``),
which the publishing workflow fills. A build without ``IMAGEREC_REPOSITORY_URL`` has no
launch links: a default repository would send readers to code nobody here controls.
"""

from __future__ import annotations

import ast
import builtins
import copy
import importlib.util
import json
import os
import posixpath
import re
from datetime import date
from pathlib import Path

import nbformat
import yaml
from sphinx.errors import ExtensionError
from sphinx.util import logging

import editions
import plain_markdown
import wheel
from imagerec.book.settings import FULL, QUICK, settings  # imports no TensorFlow

LOGGER = logging.getLogger(__name__)

CHAPTER_FOLDER = "book"  # chapters are the notebooks among the .md files of this folder
OUTPUT_FOLDER = "_notebooks"  # inside the HTML output folder
PROJECT = Path(__file__).resolve().parents[1]  # the checkout: pyproject.toml and imagerec/

NOTE = """\
*This notebook is the chapter "{title}" of the book* Image recognition with neural networks,\
 *made when the book was built ({mode} settings, package version `{version}`, {day}). The\
 outputs below and the numbers in the text are that build's: when you run the cells yourself,\
 numbers that depend on training will differ a little. Run the first two cells first: the\
 first installs the book's package `imagerec` where it is missing, the second chooses quick or\
 full settings.*"""

INSTALL = '''\
# Set-up added by the book's build: install the book's package `imagerec` where it is
# missing. Packages already installed stay as they are (Colab keeps its TensorFlow).
import importlib.metadata
import importlib.util
import pathlib
import subprocess
import sys

BUILT = {version!r}  # the version of imagerec that made this notebook
SOURCES = {sources!r}
try:
    installed = importlib.metadata.version("imagerec")
except importlib.metadata.PackageNotFoundError:
    installed = None
if installed is None:
    found = [s for s in SOURCES if "://" in s or pathlib.Path(s).is_file()]
    if not found:
        raise RuntimeError(
            "imagerec is not installed and there is nothing to install it from here. Put "
            f"{{SOURCES[0]}} (published beside this notebook) in this folder and run this cell "
            "again, or install it from a checkout of the book: pip install '/path/to/book[cpu]'"
        )
    source = found[0] if "://" in found[0] else pathlib.Path(found[0]).resolve().as_uri()
    extra = "" if importlib.util.find_spec("tensorflow") else "[cpu]"  # Colab has TensorFlow
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet",
                           f"imagerec{{extra}} @ {{source}}"])
    importlib.invalidate_caches()
elif installed != BUILT:
    print(f"Using the installed imagerec {{installed}}; this notebook was made with {{BUILT}}.")'''

SETTINGS = '''\
# Quick or full settings: "1" is quick, "0" full. The package reads this variable.
#   quick: {quick_size} training images, {quick_epochs} epochs per network: a rough preview.
#   full:  the lessons' settings, {full_size} training images, {full_epochs} epochs per network:
#          about {ratio:,} times the training work of quick.
{measured}
# Networks trained once are kept in ~/.cache/imagerec; a second run loads them.
import os

os.environ["IMAGEREC_QUICK"] = "1"'''


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


# --- which cells the notebook keeps ----------------------------------------------------------
def _names(source: str) -> tuple[set, set]:
    """The names a cell defines and the names it reads from outside itself."""
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    tree = ast.parse(code)
    defined, used = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (defined if isinstance(node.ctx, ast.Store) else used).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            defined.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.arg):
            defined.add(node.arg)
    return defined, used - defined - set(dir(builtins))


def _hidden(cell) -> bool:
    return "remove-cell" in cell.metadata.get("tags", [])


def _shown(cell) -> bool:
    """Whether the page shows the cell's code (a reader may copy it)."""
    return not {"remove-cell", "remove-input"} & set(cell.metadata.get("tags", []))


def _definer(code: list[int], names: dict, cell: int, name: str) -> int | None:
    """The last code cell before ``cell`` that defines ``name`` (None: no cell does)."""
    return next((j for j in reversed(code) if j < cell and name in names[j][0]), None)


def select_cells(cells) -> tuple[list[int], list[str]]:
    """Which code cells a notebook keeps, and the visible cells that need a hidden one.

    A visible cell is kept, and so is a hidden cell that checks a claim (it calls
    ``claim``), with every hidden cell whose names a kept cell reads. The other hidden cells
    only feed the text and are left out. The second list names each cell whose code the page
    shows and that reads a name last defined by a cell whose code it does not show: a reader
    who copies the page's code could not run it.
    """
    code = [i for i, cell in enumerate(cells) if cell.cell_type == "code"]
    names = {i: _names(cells[i].source) for i in code}
    keep = {i for i in code if not _hidden(cells[i]) or "claim(" in cells[i].source}
    problems = []
    for i in code:
        if _shown(cells[i]):
            for name in sorted(names[i][1]):
                source = _definer(code, names, i, name)
                if source is not None and not _shown(cells[source]):
                    problems.append(f"cell {i} reads {name!r}, defined by hidden cell {source}")
    changed = True
    while changed:
        changed = False
        for i in sorted(keep):
            for name in names[i][1]:
                source = _definer(code, names, i, name)
                if source is not None and source not in keep:
                    keep.add(source)
                    changed = True
    return sorted(keep), problems


def _clean_code_cell(cell):
    """A kept code cell as the notebook shows it: tags of the book's pages turned into
    Jupyter's own metadata, the outputs the page does not show removed."""
    cell = copy.deepcopy(cell)
    tags = cell.metadata.pop("tags", [])
    cell.metadata.pop("mystnb", None)
    if {"remove-cell", "remove-input", "hide-input", "hide-cell"} & set(tags):
        cell.metadata["jupyter"] = {"source_hidden": True}
    if "remove-output" in tags:
        cell.outputs = []
    if "remove-stderr" in tags:
        cell.outputs = [o for o in cell.outputs if o.get("name") != "stderr"]
    return cell


def _split_solutions(text: str) -> list[tuple[str, str]]:
    """The parts of a Markdown cell: ("text", ...), ("start", ...) and ("end", ...)."""
    parts, position = [], 0
    pattern = re.compile(r"^(`{3,})\{(solution-start|solution-end)\}[^\n]*\n.*?^\1[ \t]*$\n?", re.M | re.S)
    for match in pattern.finditer(text):
        parts.append(("text", text[position:match.start()]))
        parts.append(("start" if match[2] == "solution-start" else "end", match[0]))
        position = match.end()
    parts.append(("text", text[position:]))
    return [(kind, value) for kind, value in parts if kind != "text" or value.strip()]


def make_notebook(executed, keep, converter, head, *, references=None):
    """The notebook of an executed chapter.

    Parameters
    ----------
    executed : nbformat.NotebookNode
        The chapter as myst-nb executed it: MyST text cells, code cells with outputs.
    keep : list of int
        The code cells to keep (:func:`select_cells`).
    converter : plain_markdown.Converter
        Turns the MyST text into plain Markdown. With ``converter.student`` (the student
        edition) the solutions are left out, and each says where it is instead.
    head : list of nbformat.NotebookNode
        The cells that open the notebook (note, install cell, settings cell).
    references : callable, optional
        Called at the end; returns the Markdown of the references cited, or "".
    """
    cells = executed.cells
    student = converter.student
    out = list(head)
    in_solution = False
    for index, cell in enumerate(cells):
        if cell.cell_type == "markdown":
            for kind, text in _split_solutions(cell.source):
                if kind == "start":
                    if student:
                        out.append(nbformat.v4.new_markdown_cell(plain_markdown.SOLUTION_NOTE))
                    else:
                        out.append(nbformat.v4.new_markdown_cell(converter.convert(text)))
                    in_solution = True
                elif kind == "end":
                    in_solution = False
                elif not (student and in_solution):
                    converted = converter.convert(text)
                    if converted.strip():
                        out.append(nbformat.v4.new_markdown_cell(converted))
        elif cell.cell_type == "code" and index in keep and not (student and in_solution):
            out.append(_clean_code_cell(cell))
    tail = references() if references else ""
    if tail:
        out.append(nbformat.v4.new_markdown_cell(tail))
    notebook = nbformat.v4.new_notebook(cells=out, metadata=copy.deepcopy(executed.metadata))
    for number, cell in enumerate(notebook.cells):
        cell.id = f"cell-{number}"
    nbformat.validate(notebook)
    return notebook


# --- the build's side -----------------------------------------------------------------------
def _chapter_source(app, pagename):
    """The source file of page ``pagename`` when it is a chapter, else None."""
    if pagename not in app.env.all_docs:
        return None
    source = Path(app.env.doc2path(pagename))
    if source.parent != Path(app.srcdir) / CHAPTER_FOLDER or pagename in app.config.notebooks_exclude:
        return None
    return source if is_chapter(source) else None


def _page_url(app, docname: str, anchor: str = "") -> str | None:
    base = (app.config.html_baseurl or "").strip().rstrip("/")
    if not base:
        return None
    return f"{base}/{docname}.html" + (f"#{anchor}" if anchor else "")


class _Citations:
    """In-text citations "(LeCun et al., 1998)" and the list of the works cited."""

    def __init__(self, app):
        from pybtex.database import parse_file

        self.entries = {}
        for name in getattr(app.config, "bibtex_bibfiles", None) or []:
            self.entries.update(parse_file(str(Path(app.srcdir) / name)).entries)
        self.cited = []

    def _author_year(self, key):
        entry = self.entries[key]
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        last = [" ".join(person.last_names) for person in people]
        if not last:
            names = entry.fields.get("organization") or entry.fields.get("title", key)
        elif len(last) == 1:
            names = last[0]
        elif len(last) == 2:
            names = f"{last[0]} and {last[1]}"
        else:
            names = f"{last[0]} et al."
        return names.replace("{", "").replace("}", ""), entry.fields.get("year", "n.d.")

    def cite(self, keys, textual):
        for key in keys:
            if key not in self.entries:
                raise plain_markdown.UnknownMarkup(f"citation {key!r} is not in the bibliography")
            if key not in self.cited:
                self.cited.append(key)
        pairs = [self._author_year(key) for key in keys]
        if textual:
            return "; ".join(f"{names} ({year})" for names, year in pairs)
        return "(" + "; ".join(f"{names}, {year}" for names, year in pairs) + ")"

    def references(self):
        if not self.cited:
            return ""
        from pybtex.plugin import find_plugin

        style = find_plugin("pybtex.style.formatting", "plain")()
        formatted = {e.key: e for e in style.format_entries([self.entries[k] for k in self.cited])}
        lines = ["## References", ""]
        for key in self.cited:
            text = formatted[key].text.render_as("text").replace("\\url ", "")
            lines.append(f"- {' '.join(text.split())}")
        return "\n".join(lines)


def _context(app, docname, citations):
    env = app.env
    glue = {}
    glue_file = _executed_path(app, docname).with_suffix(".glue.json")
    if glue_file.is_file():
        glue = json.loads(glue_file.read_text(encoding="utf-8"))

    def glued(key, mime):
        data = glue[key]["data"]
        return data.get(mime) or data["text/plain"]

    def title(kind, target):
        if kind == "doc":  # relative to the page, or to the book's root with a leading "/"
            page = posixpath.normpath(posixpath.join(posixpath.dirname(docname), target)).lstrip("/")
            text = env.titles[page].astext() if page in env.titles else target
            return text, _page_url(app, page)
        labels = env.get_domain("std").labels
        page, anchor, section = labels.get(target.lower(), (docname, target, target))
        number = exercise(target)
        if number:
            return f"Exercise {number}", _page_url(app, docname, target)
        return section, _page_url(app, page, anchor)

    def numbers(kind):
        """The numbers Sphinx gave this page's objects of ``kind`` (numbered across the book)."""
        return env.toc_fignumbers.get(docname, {}).get(kind, {})

    def exercise(label):
        number = numbers("exercise").get(label)
        return ".".join(map(str, number)) if number else None

    def equation(label):
        number = numbers("displaymath").get(f"equation-{label}")
        if number:
            return ".".join(map(str, number))
        objects = env.get_domain("math").data["objects"]
        return str(objects[label][1]) if label in objects else label

    def code(dotted):
        from package_code import code_without_docstring, _resolve

        return code_without_docstring(_resolve(dotted)[1])

    return plain_markdown.Context(
        glue=glued, title=title, equation=equation, cite=citations.cite, code=code,
        exercise=exercise, page_url=_page_url(app, docname),
    )


def _build_facts(app) -> dict:
    """What every notebook of this build states about it: computed once a build."""
    config = settings()
    sources = [app.env.imagerec_wheel]
    if _page_url(app, f"{OUTPUT_FOLDER}/x"):
        sources.append(f"{app.config.html_baseurl.rstrip('/')}/{OUTPUT_FOLDER}/{app.env.imagerec_wheel}")
    requirement = package_requirement(app)
    if requirement:
        sources.append(requirement)
    return {
        "config": config, "cpu": _machine(), "trained": _training_seconds(config),
        "version": app.env.imagerec_version, "sources": sources,
        "day": date.today().strftime("%-d %B %Y"),
    }


def _head(app, docname, title, facts):
    """The note, the install cell and the settings cell that open every notebook."""
    from imagerec.book.experiments import duration  # TensorFlow: loaded by the build by now

    config = facts["config"]
    runtime = None
    try:
        from myst_nb.sphinx_ import NbMetadataCollector

        runtime = (NbMetadataCollector.get_exec_data(app.env, docname) or {}).get("runtime")
    except (ImportError, KeyError, AttributeError):
        pass
    mode = "quick" if config.quick else "full"
    measured = (
        f"# The build that made this notebook ran its cells in {duration(runtime)} ({mode} settings,\n"
        f"# the networks already trained) on {facts['cpu']}."
        if runtime else "# The build that made this notebook did not record how long its cells ran."
    )
    if facts["trained"]:
        measured += (
            f"\n# Training all the book's networks with these settings took {duration(facts['trained'])}"
            "\n# in all when they were trained for this build; a chapter trains only its own."
        )
    mnist = 60_000
    ratio = round((FULL.train_size or mnist) * FULL.epochs / ((QUICK.train_size or mnist) * QUICK.epochs))
    note = NOTE.format(title=title, mode=mode, version=facts["version"], day=facts["day"])
    install = INSTALL.format(version=facts["version"], sources=facts["sources"])
    settings_cell = SETTINGS.format(
        quick_size=f"{QUICK.train_size:,}", quick_epochs=QUICK.epochs,
        full_size=f"{FULL.train_size or mnist:,}", full_epochs=FULL.epochs, ratio=ratio,
        measured=measured,
    )
    return [
        nbformat.v4.new_markdown_cell(note),
        nbformat.v4.new_code_cell(install, metadata={"tags": ["imagerec-setup"]}),
        nbformat.v4.new_code_cell(settings_cell, metadata={"tags": ["imagerec-settings"]}),
    ]


def _training_seconds(config) -> float:
    """The training time recorded in the cache for the book's networks with ``config``'s
    data (the latest entry of each network), in seconds; 0 when none is recorded."""
    from imagerec.book import cache  # TensorFlow: loaded by the build by now


    latest = {}
    for row in cache.entries():  # oldest first: the latest entry of a name wins
        if row["quick"] == config.quick and row["train_size"] == config.train_size:
            latest[row["name"]] = row
    return sum(float(row["seconds"] or 0) for row in latest.values())


def _machine() -> str:
    """The processor, in the words of benchmarks/machine.py (which the speed appendix uses)."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "machine.py"
    spec = importlib.util.spec_from_file_location("imagerec_machine", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.describe()


def _note_executed(app, doctree):
    """``doctree-read``: where myst-nb wrote the executed notebook of the page just read.

    It writes into ``jupyter_execute`` beside the output folder of the build that read the
    page; an edition written later from the same doctrees has another output folder."""
    folder = Path(app.outdir).parent / "jupyter_execute"
    app.env.metadata[app.env.docname]["imagerec_executed"] = str(folder / f"{app.env.docname}.ipynb")


def _executed_path(app, docname) -> Path:
    recorded = app.env.metadata.get(docname, {}).get("imagerec_executed")
    return Path(recorded) if recorded else Path(app.outdir).parent / "jupyter_execute" / f"{docname}.ipynb"


def write_wheel(app):
    """``builder-inited``: write the package's wheel beside the notebooks (HTML builds)."""
    app.env.imagerec_version = wheel.version(PROJECT)
    app.env.imagerec_wheel = wheel.filename(app.env.imagerec_version)
    if app.builder.format == "html":
        folder = Path(app.outdir) / OUTPUT_FOLDER
        for old in folder.glob("imagerec-*.whl"):  # an earlier commit's: one wheel a build
            if old.name != app.env.imagerec_wheel:
                old.unlink()
        wheel.build(PROJECT, folder, app.env.imagerec_version)


def chapter_notebook(app, docname, source, facts):
    """The notebook of chapter ``docname`` from its executed notebook (``facts``:
    :func:`_build_facts`)."""
    executed_path = _executed_path(app, docname)
    if not executed_path.is_file():
        raise ExtensionError(f"notebooks: {executed_path} is missing: was {docname} executed?")
    executed = nbformat.read(str(executed_path), as_version=4)
    keep, problems = select_cells(executed.cells)
    for problem in problems:
        LOGGER.warning("notebooks: %s: %s", docname, problem, location=docname)
    citations = _Citations(app)
    student = "editions" in app.extensions and editions.is_student(app)
    converter = plain_markdown.Converter(_context(app, docname, citations), student=student)
    title = app.env.titles[docname].astext() if docname in app.env.titles else source.stem
    try:
        return make_notebook(
            executed, keep, converter, _head(app, docname, title, facts),
            references=citations.references,
        )
    except plain_markdown.UnknownMarkup as error:
        raise ExtensionError(f"notebooks: {docname}: {error}") from error


def write_notebooks(app, exception):
    """``build-finished``: write every chapter's notebook.

    All of them, at every HTML build, not only those of the pages Sphinx rewrote: a notebook
    also depends on this extension's code and on the wheel's version (the commit), which
    Sphinx does not track. Converting the executed notebooks takes a second or two."""
    if exception is not None or app.builder.format != "html":
        return
    facts = _build_facts(app)
    for docname in sorted(app.env.found_docs):
        source = _chapter_source(app, docname)
        if source is None:
            continue
        notebook = chapter_notebook(app, docname, source, facts)
        target = Path(app.outdir) / OUTPUT_FOLDER / f"{source.stem}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        nbformat.write(notebook, str(partial))
        partial.replace(target)


def add_notebook(app, pagename, templatename, context, doctree):
    """``html-page-context``: link a chapter's notebook from the page header.

    Runs after sphinx-book-theme's own handlers (priority 501), which fill
    ``context["header_buttons"]``; on a chapter this handler's notebook (written at the end
    of the build, :func:`write_notebooks`) replaces the theme's download entry, and its
    launch links replace the theme's (which name the ``.md`` file).
    """
    source = _chapter_source(app, pagename)
    if source is None:
        return
    filename = f"{source.stem}.ipynb"

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



def _find(buttons, label):
    for button in buttons:
        if button.get("label") == label:
            return button
    return None



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
    app.add_config_value("notebooks_exclude", [], "html")  # executed pages offered as no notebook
    app.connect("builder-inited", write_wheel)
    app.connect("doctree-read", _note_executed, priority=900)
    app.connect("html-page-context", add_notebook, priority=502)
    app.connect("build-finished", write_notebooks)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
