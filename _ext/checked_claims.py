"""The appendix of checked claims, and a console message when a claim fails.

The chapters check their claims about results with :func:`imagerec.book.claims.claim`, which
records each claim (the statement, whether it held, the numbers it rested on) in the folder
named by ``IMAGEREC_CLAIMS_DIR``. This extension

* names that folder before any chapter runs: ``claims`` in the doctree folder, so that
  ``make pdf``, which reuses the HTML build's doctrees, finds the same records;
* replaces the ``checked-claims`` directive (``book/claims.md``) by a table of the claims
  whose sentence is on one of this build's pages, with the chapter, the numbers and the
  outcome; the page is read again at every build, since the chapters may have run again;
* prints, when the build stops with an error, the claims that failed during this build:
  a chapter that fails under ``-j`` is otherwise reported only by its file name.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

import editions
from imagerec.book import claims

PAGE = "book/claims"


class checked_claims(nodes.General, nodes.Element):
    """Where the table of claims goes, once every chapter has been read."""


class CheckedClaims(SphinxDirective):
    def run(self):
        return [checked_claims()]


def _folder(app) -> Path:
    return Path(app.doctreedir) / "claims"


def _name_folder(app):
    """``builder-inited``: the chapters' kernels (started later) record their claims here."""
    app.imagerec_build_started = time.time()
    os.environ[claims.RECORDS_ENV] = str(_folder(app))


def _always_read(app, env, added, changed, removed):
    """``env-get-outdated``: the page of claims is made anew at every build."""
    return [PAGE] if PAGE in env.found_docs else []


_PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def _plain(text: str) -> str:
    """``text`` with straight quotes and single spaces: as a claim states it, before Sphinx's
    smart quotes and line breaks."""
    return " ".join(text.translate(_PLAIN).split())


def _page_text(app, doc) -> str:
    """The text of page ``doc`` as this edition shows it (the student's has no solutions)."""
    doctree = app.env.get_doctree(doc)
    if editions.is_student(app):
        editions.strip_solutions(doctree)
    return _plain(doctree.astext())


def _table(app, fromdocname) -> nodes.Node:
    chapters = {
        doc: _page_text(app, doc)
        for doc in sorted(app.env.found_docs)
        if doc.startswith("book/") and doc != PAGE
    }
    rows = []
    for record in claims.records(_folder(app)):
        where = [doc for doc, text in chapters.items() if _plain(record["statement"]) in text]
        if where:
            rows.append((where[0], record))
    if not rows:
        return nodes.paragraph(text="This build checked no claims.")
    table = nodes.table(classes=["checked-claims"])
    group = nodes.tgroup(cols=4)
    table += group
    for width in (12, 50, 26, 12):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += _row([nodes.Text(title) for title in ("chapter", "claim", "numbers", "outcome")])
    body = nodes.tbody()
    group += body
    for doc, record in rows:
        link = nodes.reference(internal=True, refuri=app.builder.get_relative_uri(fromdocname, doc))
        link += nodes.Text(app.env.titles[doc].astext())
        outcome = (f"{claims.MARK} holds" if record["holds"]
                   else "not supported by this quick build" if record["quick"] else "fails")
        body += _row([link, nodes.Text(record["statement"]), nodes.Text(record["numbers"] or "—"),
                      nodes.Text(outcome)])
    return table


def _row(cells) -> nodes.row:
    row = nodes.row()
    for content in cells:
        entry = nodes.entry()
        paragraph = nodes.paragraph()
        paragraph += content
        entry += paragraph
        row += entry
    return row


def _fill(app, doctree, docname):
    """``doctree-resolved``: the table, from the records and the pages of this build."""
    for node in doctree.findall(checked_claims):
        node.replace_self(_table(app, docname))


def _report_failures(app, exception):
    """``build-finished``: name the claims that failed during a build that stopped."""
    if exception is None:
        return
    started = getattr(app, "imagerec_build_started", 0)
    failed = [r for r in claims.records(_folder(app)) if not r["holds"] and not r["quick"]
              and r["time"] >= started]
    for record in failed:
        numbers = f" ({record['numbers']})" if record["numbers"] else ""
        print(f'imagerec: a claim of the book failed in this build: "{record["statement"]}"{numbers}. '
              "The chapter named in the error below states it: change the text, or the claim's check, "
              "to what the results support.", file=sys.stderr, flush=True)


def setup(app):
    app.add_node(checked_claims)
    app.add_directive("checked-claims", CheckedClaims)
    app.connect("builder-inited", _name_folder)
    app.connect("env-get-outdated", _always_read)
    app.connect("doctree-resolved", _fill)
    app.connect("build-finished", _report_failures)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
