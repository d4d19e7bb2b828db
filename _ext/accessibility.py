"""Accessible names and roles that the theme and docutils leave out of the book's HTML.

The book is checked with axe-core (WCAG 2.1 A and AA, ``tests/test_browser.py``). Two
of its findings come from markup that no option of the theme or of docutils changes, so
this extension fixes them while each page is written:

- **Sidebar toggles.** pydata-sphinx-theme puts a ``<details><summary>`` after every
  sidebar entry that has sub-pages (the gallery); the ``<summary>`` holds only a
  decorative chevron, so a screen reader announces an unnamed button. It is named after
  its entry: "Pages in Gallery of figures".
- **Bibliography entries.** docutils marks each citation with the ARIA role
  ``doc-biblioentry``, deprecated in DPUB-ARIA 1.1, inside a ``role="list"``; the entries
  become ``role="listitem"``, the role the list requires of its children.
- **Hidden code cells.** myst-nb's "Show code cell source" toggle (cells tagged
  ``hide-input``) names its ``<summary>`` "Toggle hidden content", which is not the text
  it shows (WCAG 2.5.3, Label in Name); here the summary is named by its visible text.

The module index's table gets column headers from ``_templates/domainindex.html``.

Colours (the rich-text output of ``model.summary()``, the quick-build banner) and the
gallery's thumbnail links are fixed by ``_static/accessibility.css``.
"""

from __future__ import annotations

from html import escape

from bs4 import BeautifulSoup
from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput

# docutils' HTML5 writer (visit_citation) writes this role on every bibliography entry.
DEPRECATED_CITATION_ROLE = 'role="doc-biblioentry"'


def name_toggles(soup: BeautifulSoup) -> BeautifulSoup:
    """Give every text-less ``<summary>`` of a sidebar toctree the name of its entry.

    Examples
    --------
    >>> html = ('<li><a href="g.html">Gallery</a><details><summary><span role="presentation">'
    ...         '</span></summary><ul></ul></details></li>')
    >>> name_toggles(BeautifulSoup(html, "html.parser")).summary["aria-label"]
    'Pages in Gallery'
    """
    for summary in soup.find_all("summary"):
        if summary.get_text(strip=True) or summary.get("aria-label"):
            continue
        details = summary.find_parent("details")
        link = details.find_previous_sibling("a") if details else None
        title = link.get_text(" ", strip=True) if link else ""
        summary["aria-label"] = f"Pages in {title}" if title else "Sub-pages"
    return soup


def _named_toctree(generate):
    """Wrap the theme's ``generate_toctree_html`` so that its toggles have names."""

    def generate_toctree_html(*args, **kwargs):
        result = generate(*args, **kwargs)
        return name_toggles(result) if isinstance(result, BeautifulSoup) else result

    return generate_toctree_html


def fix_page(app, pagename, templatename, context, doctree):
    """``html-page-context``, after the theme's handlers: names and roles (see above)."""
    generate = context.get("generate_toctree_html")
    if generate is not None and not getattr(generate, "names_toggles", False):
        wrapped = _named_toctree(generate)
        wrapped.names_toggles = True
        context["generate_toctree_html"] = wrapped
    body = context.get("body")
    if body and DEPRECATED_CITATION_ROLE in body:
        context["body"] = body.replace(DEPRECATED_CITATION_ROLE, 'role="listitem"')


def visit_hidden_cell(self, node):
    """myst-nb's ``visit_HideCellInput``, without the aria-label that hid the summary's
    visible text from its accessible name."""
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    for state, prompt in (("collapsed", "prompt_show"), ("expanded", "prompt_hide")):
        self.body.append(f'<p class="{state} admonition-title">{escape(node[prompt])}</p>\n')
    self.body.append("</summary>\n")


def setup(app):
    app.setup_extension("myst_nb")
    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_cell, depart_HideCellInput))
    app.connect("html-page-context", fix_page, priority=900)
    app.add_css_file("accessibility.css", priority=900)  # after the extensions' own CSS
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
