"""Sphinx configuration of the imagerec book.

Two build modes share this file. The full build (default) runs the lessons' settings;
``IMAGEREC_QUICK=1`` builds from a small subset in a few minutes and says so on every
page. Results of one mode never leak into the other: trained networks are cached under
a key that includes the settings (see :mod:`imagerec.book.cache`), the gallery output is
wiped when the mode changes, and Sphinx re-reads every page when ``imagerec_mode`` does.
The mode comes from :func:`imagerec.book.settings.settings`, the one reader of ``IMAGEREC_QUICK``.
"""

import ast
import os
import shutil
import sys
from pathlib import Path

from sphinx.util import logging as sphinx_logging

logger = sphinx_logging.getLogger("imagerec")

ROOT = Path(__file__).parent.resolve()
# The book runs the package and the local extensions of this checkout, wherever it is: the
# tests and benchmarks/bench_build.py build a copy of it in a temporary folder, and an
# installed imagerec (editable or not) may come from another checkout. Sphinx has no setting
# of its own for where local extensions and documented modules live: its documentation says
# to add their folders to sys.path in conf.py (the `extensions` setting; the tutorial
# "Extending syntax with roles and directives": ``sys.path.append(os.path.abspath("./_ext"))``),
# which is what these two lines do, and the only sys.path edit left in the project. The
# kernels that execute the chapters inherit PYTHONPATH, set here.
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "_ext"))
os.environ["PYTHONPATH"] = os.pathsep.join(
    filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
)
# Relative data and cache folders count from the checkout (the folder of this file, where
# make runs): sphinx-gallery runs its scripts from gallery/, the chapters' kernels run in
# book/, and each would otherwise look for the folders somewhere else.
for _name in ("IMAGEREC_DATA_DIR", "IMAGEREC_CACHE_DIR"):
    if os.environ.get(_name, "").strip():
        os.environ[_name] = str((ROOT / Path(os.environ[_name].strip()).expanduser()).resolve())
# TensorFlow's C++ log lines (start-up notices, tf.data's E-level notes) go to the kernels'
# stderr, which ipykernel copies onto the pages: silence them for every page and script here,
# not page by page (the chapters' own set-up cells do it again for readers of the notebooks).
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"

from imagerec.book.settings import settings, training_order, use_onednn  # noqa: E402 (needs the path; no TensorFlow)

# TensorFlow's oneDNN kernels, unless the user chose: for the gallery and the chapters' kernels
# (they inherit the variable), and each training worker chooses for its network.
use_onednn()

_SETTINGS = settings()  # read once: IMAGEREC_QUICK and IMAGEREC_SEED
QUICK = _SETTINGS.quick
SEED = _SETTINGS.seed  # the base seed of every network (0: the lessons' runs)
MODE = ("quick" if QUICK else "full") + (f"-seed-{SEED}" if SEED else "")

project = "Image recognition with neural networks"
author = "The imagerec authors"
copyright = "2026, the imagerec authors. Course material after P. Kuptsov (MIT licence)"
root_doc = "index"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "myst_nb",
    "sphinx_gallery.gen_gallery",
    "sphinx_exercise",
    "sphinx_togglebutton",
    # MathJax 3 served from the book itself: formulas typeset with no network.
    "sphinx-mathjax-offline",
    "parallel_reading",  # with -j N, the chapters execute side by side (_ext/parallel_reading.py)
    "heartbeat",  # a console line every 15 s while a chapter executes (_ext/heartbeat.py)
    "checked_claims",  # the appendix of checked claims; failed claims on the console
    "sphinxcontrib.bibtex",
    "notebooks",
    "package_code",
    "panels",  # in-page panels: draw a digit, convolve the photo (_ext/panels.py)
    "accessibility",  # names and roles for screen readers (_ext/accessibility.py)
    "gallery_alt",  # the gallery's figures' alt text (_ext/gallery_alt.py)
    "pdf_edition",  # the HTML links the PDF of `make pdf` (_ext/pdf_edition.py)
    "editions",  # the teacher's edition, or the student's without solutions (_ext/editions.py)
    "pdf_book",  # the PDF's chapters, appendices and short reference (_ext/pdf_book.py)
]
# IMAGEREC_EDITION=student: the student edition, every solution left out (_ext/editions.py).
imagerec_edition = os.environ.get("IMAGEREC_EDITION", "").strip() or "teacher"

bibtex_bibfiles = ["book/references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

exclude_patterns = [
    "_build",
    ".venv",
    ".ci",
    ".pytest_cache",
    "README.md",
    "CONTRIBUTING.md",
    "imagerec",
    "tests",
    "benchmarks",
    "gallery",
    "jupyter_execute",
    "*.bib",
    "test-artifacts",
    # sphinx-gallery writes a notebook beside each page; myst-nb must not read it as a page.
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.md5",
    "auto_examples/*.zip",
    "**/.ipynb_checkpoints",
]

# --- the package's reference pages (book/api*.md) ------------------------------------------
napoleon_google_docstring = False
autodoc_member_order = "bysource"
# nitpick_ignore_regex is set by _check_own_references (below), once the build starts.

# --- MyST and notebook execution -------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
nb_execution_mode = "force"  # a page is executed whenever Sphinx reads it (see setup)
nb_execution_timeout = 3600
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True

# --- sphinx-gallery ----------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "gallery",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    # Re-run every script each build: they read trained networks from the cache, so this
    # costs seconds and keeps figures in step with the package. A build that only writes
    # another output of the build just made (make pdf's LaTeX and second HTML pass, the tests'
    # PDF and student edition) says IMAGEREC_GALLERY=keep: scripts run only where their
    # figures are missing or their code changed.
    "run_stale_examples": os.environ.get("IMAGEREC_GALLERY", "").strip() != "keep",
    "download_all_examples": False,
    "write_computation_times": False,
    "remove_config_comments": True,
    # Matplotlib's scraper, taking each figure's alt text from its label (fig.set_label).
    "image_scrapers": ("gallery_alt.matplotlib_scraper",),
    "only_warn_on_example_error": False,
    "abort_on_example_error": True,
}

# --- HTML ---------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "Image recognition with neural networks"
html_context = {"default_mode": "light"}
html_static_path = ["_static"]
templates_path = ["_templates"]
# The theme's sidebar, then the PDF edition's link where `make pdf` has built it.
html_sidebars = {
    "**": [
        "navbar-logo.html", "icon-links.html", "search-button-field.html",
        "sbt-sidebar-nav.html", "pdf-edition.html",
    ]
}
html_favicon = "_static/favicon.svg"
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": True,
}
# Colab/Binder links and the notebooks' install cell name the repository that publishes
# the book, given by IMAGEREC_REPOSITORY_URL only; a build without it has neither.
from notebooks import repository_options  # noqa: E402  (_ext/notebooks.py)

html_theme_options.update(repository_options(os.environ.get("IMAGEREC_REPOSITORY_URL")))
# The published book's address (the workflow sets it): the notebooks link its pages and
# install the package from the wheel published beside them.
html_baseurl = os.environ.get("IMAGEREC_BOOK_URL", "").strip()
# The speed appendix times the build on its machine with the repository's benchmark
# scripts: a page, not a notebook for readers.
notebooks_exclude = ["book/speed"]
if QUICK:
    html_theme_options["announcement"] = (
        "Quick build: these pages were computed from a small subset of MNIST and a few "
        "epochs. Numbers and curves are not those of the lessons; run <code>make book</code> "
        "for the full book."
    )
elif SEED:
    html_theme_options["announcement"] = (
        f"This build trained every network from base seed {SEED} (<code>IMAGEREC_SEED</code>) "
        "instead of the lessons' 0: another draw of the same experiments, whose numbers the "
        "text quotes and checks."
    )

# --- LaTeX: the PDF edition (make pdf) -----------------------------------------------------
# `make pdf` runs Sphinx's LaTeX builder on the doctrees of the HTML build (the chapters are
# not executed again) and latexmk; the HTML build then offers the PDF for download
# (_ext/pdf_edition.py). XeLaTeX, for the Unicode in the chapters' outputs: Keras draws its
# model summaries with box-drawing characters, which DejaVu Sans Mono has.
latex_engine = "xelatex"
latex_use_xindy = False  # makeindex, part of every TeX Live; xindy is a package of its own
latex_documents = [
    (
        root_doc,
        "imagerec.tex",
        project + (" (quick build)" if QUICK else ""),
        author,
        "manual",
    )
]
latex_show_urls = "footnote"
# The PDF reads as a book (_ext/pdf_book.py): the front page is an unnumbered chapter, the
# lessons and "Looking inside the networks" are chapters 1 to 3, the figures and the other
# pages of the front page's later toctrees are appendices, and the package's reference is a
# list of its modules (the HTML keeps the full reference; the PDF had 60 pages of it).
latex_toplevel_sectioning = "chapter"
pdf_short_reference = ("book/api", "book/api-figures", "book/api-machinery")
latex_domain_indices = False  # the Python module index would point into the omitted reference
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    "fontpkg": r"""
\setmainfont{DejaVu Serif}
\setsansfont{DejaVu Sans}
\setmonofont{DejaVu Sans Mono}[Scale=0.85]
""",
    "sphinxsetup": "verbatimwithframe=false, VerbatimColor={rgb}{0.96,0.96,0.96}",
    # Every page is headed by its chapter ("Chapter 1. Lesson 1: ..."); the footer gives the
    # page number, and the section (odd pages) or the book's title (even pages). Sphinx's
    # own style put the book's title at every head and the chapter on even pages only. The
    # table of contents is titled "Contents" (Sphinx takes the first toctree's caption).
    "preamble": r"""
\makeatletter
\fancypagestyle{normal}{%
  \fancyhf{}%
  \fancyhead[LE,RO]{{\py@HeaderFamily\nouppercase{\leftmark}}}%
  \fancyfoot[LE,RO]{{\py@HeaderFamily\thepage}}%
  \fancyfoot[LO]{{\py@HeaderFamily\nouppercase{\rightmark}}}%
  \fancyfoot[RE]{{\py@HeaderFamily\@title}}%
  \renewcommand{\headrulewidth}{0.4pt}%
  \renewcommand{\footrulewidth}{0.4pt}%
}
\makeatother
\addto\captionsenglish{\renewcommand{\contentsname}{Contents}}
""",
}

_PACKAGE_FILES = sorted(str(p) for p in (ROOT / "imagerec").rglob("*.py"))


def _depend_on_package(app, docname, source):
    """Re-execute a chapter when the package code it runs changes."""
    if docname.startswith("book/"):
        for path in _PACKAGE_FILES:
            app.env.note_dependency(path)


def _reset_gallery_on_mode_change(app, config):
    """Wipe the gallery's output when the build mode changes (every page re-runs: rebuild="env")."""
    marker = Path(app.srcdir) / "auto_examples" / ".imagerec-mode"
    if marker.parent.exists() and (not marker.exists() or marker.read_text() != MODE):
        shutil.rmtree(marker.parent)
    marker.parent.mkdir(exist_ok=True)
    marker.write_text(MODE)


def _check_own_references(app, config):
    """Nitpicky builds check every reference to imagerec's objects, and only those.

    Other libraries' objects (NumPy, Keras, Matplotlib) are not linked offline, and docstring
    types such as "array_like" or "int, optional" are prose: they are ignored, unless they
    name imagerec (``imagerec.…``) or one of its classes (``Settings``, ``Result``…).
    """
    classes = sorted({
        node.name
        for path in (ROOT / "imagerec").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
    })
    config.nitpick_ignore_regex = [(r"py:.*", rf"(?!imagerec\b)(?!(?:{'|'.join(classes)})$).*")]


def _train_networks(app):
    """Train the networks the cache lacks, two at a time (longest first), before any page runs.

    Each training reports its progress on the console (imagerec.book.experiments.Progress)."""
    from imagerec.book import experiments

    order = training_order()
    logger.info("imagerec: preparing the networks %s", ", ".join(order))
    for row in experiments.prepare(order):
        how = "cached" if row["from_cache"] else f"trained in {row['seconds']:.0f} s"
        logger.info("imagerec: network %s %s", row["name"], how)


def setup(app):
    app.add_config_value("imagerec_mode", MODE, "env")
    app.connect("config-inited", _reset_gallery_on_mode_change)
    app.connect("config-inited", _check_own_references)
    app.connect("source-read", _depend_on_package)
    app.connect("builder-inited", _train_networks, priority=100)  # before sphinx-gallery (500)
