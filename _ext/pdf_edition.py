"""The PDF edition in the HTML book: a download link once ``make pdf`` has made the PDF.

``make pdf`` builds the LaTeX edition beside the HTML, into ``<build>/latex`` next to
``<build>/html`` (``_build`` for the full book, ``_build/quick`` for the quick one), and
then builds the HTML again. When an HTML build finds ``<build>/latex/imagerec.pdf``, this
extension copies it into the HTML output and every page's sidebar links it
(``_templates/pdf-edition.html``). A book built without the PDF has no link, rather than
a link to nothing.

Whether the PDF exists is put into ``html_context`` before the builder starts, so that
the HTML builder rewrites every page when it appears or goes (its config hash changes);
the chapters are not executed again for that.
"""

from __future__ import annotations

import shutil
from pathlib import Path

PDF_NAME = "imagerec.pdf"


def latex_pdf(outdir) -> Path:
    """Where ``make pdf`` leaves the PDF for the HTML built into ``outdir``."""
    return Path(outdir).parent / "latex" / PDF_NAME


def _note_pdf(app, config):
    """``config-inited``: offer the PDF in the HTML pages when it has been built."""
    if latex_pdf(app.outdir).is_file():
        config.html_context = {**config.html_context, "pdf_edition": PDF_NAME}


def _copy_pdf(app):
    """``builder-inited``: put the PDF into the HTML output, beside index.html."""
    source = latex_pdf(app.outdir)
    if app.builder.format == "html" and source.is_file():
        Path(app.outdir).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, Path(app.outdir) / PDF_NAME)


def _reuse_gallery(app):
    """``builder-inited``, before sphinx-gallery: the LaTeX builder takes the gallery's
    pages from the HTML build and runs only the examples whose scripts have changed since
    (``conf.py`` has the HTML build run every example; ``make pdf`` comes right after it)."""
    if app.builder.format == "latex" and "sphinx_gallery_conf" in app.config:
        app.config.sphinx_gallery_conf["run_stale_examples"] = False


def setup(app):
    app.connect("config-inited", _note_pdf)
    app.connect("builder-inited", _copy_pdf)
    app.connect("builder-inited", _reuse_gallery, priority=400)  # sphinx-gallery's: 500
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
