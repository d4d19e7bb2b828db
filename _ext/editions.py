"""Two editions of the book: the teacher's (solutions shown) and the student's (none).

``IMAGEREC_EDITION=student`` builds the student edition (``conf.py`` reads the variable into
the config value ``imagerec_edition``; ``teacher`` is the default). It leaves every
exercise's solution out of

- the pages and the PDF: each solution is replaced, where it stood, by a sentence saying that
  the solutions are in the teacher's edition (:func:`strip_solutions`, at
  ``doctree-resolved``, which both the HTML and the LaTeX builders pass through);
- the search index, which Sphinx fills from those same resolved doctrees;
- the pages' copied sources (``_sources``): the student edition copies none;
- the notebooks (``_ext/notebooks.py`` asks :func:`is_student`);
- the appendix of checked claims (``_ext/checked_claims.py`` matches claims against pages
  without their solutions).

The edition changes only what is written, never what is read or executed: the config value
asks Sphinx to rewrite the output (``"html"``), not to re-read the pages. So the student
edition can be written from the teacher's executed doctrees (``make book`` then
``IMAGEREC_EDITION=student make book``, which writes ``_build/student/html``): no chapter
runs twice.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.errors import ConfigError
from sphinx_exercise.nodes import solution_node

EDITIONS = ("teacher", "student")
NOTE = "The solution is in the teacher's edition of the book."


def is_student(app) -> bool:
    """Whether this build writes the student edition."""
    return app.config.imagerec_edition == "student"


def strip_solutions(doctree: nodes.Node) -> int:
    """Replace every solution in ``doctree`` by a short note; return how many there were."""
    found = list(doctree.findall(solution_node))
    for node in found:
        note = nodes.paragraph(classes=["solution-elsewhere"])
        note += nodes.emphasis(text=NOTE)
        node.replace_self(note)
    return len(found)


def _check(app, config):
    """``config-inited``: a clear error for an edition that does not exist."""
    edition = str(config.imagerec_edition).strip().lower()
    if edition not in EDITIONS:
        raise ConfigError(
            f"IMAGEREC_EDITION={config.imagerec_edition!r} is not an edition of the book: "
            f"use one of {', '.join(EDITIONS)} (or leave it unset for the teacher's edition)."
        )
    config.imagerec_edition = edition
    if edition == "student":
        config.html_copy_source = False  # the sources hold the solutions
        config.html_show_sourcelink = False


def _strip(app, doctree, docname):
    """``doctree-resolved``: the student edition's pages, PDF and search index lose the solutions."""
    if is_student(app):
        strip_solutions(doctree)


def setup(app):
    app.add_config_value("imagerec_edition", "teacher", "html")
    app.connect("config-inited", _check)
    app.connect("doctree-resolved", _strip)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
