"""The PDF edition as a book: the lessons are its chapters, the figures and appendices its
appendices, and the package's reference is a short list of modules.

Sphinx's LaTeX builder puts each document of a toctree where the toctree stands. The front
page's toctrees stand in its section "How to use this book", so without this extension the
lessons were sections 3.1 to 3.3 of a chapter "How to use this book" (which named every
page of them), and the reference page, with every function of the package, filled a third
of the PDF. For the LaTeX builder only (the HTML is not touched), this extension
rearranges the document the builder assembles from the root document (``latex_documents``):

* the front page's own text (before and around its toctrees, up to the section that holds
  the last of them) becomes one unnumbered chapter named after the front page, its
  sections unnumbered sections;
* the documents of the front page's first toctree become the numbered chapters, in the
  toctree's order ("Lesson 1", "Lesson 2", "Looking inside the networks");
* the documents of its later toctrees, then the front page's sections after its toctrees
  ("Licence and credits"), become the appendices (``\\appendix``: A, B, ...);
* each page of ``pdf_short_reference`` (``book/api``) keeps its title and introduction and
  lists its modules with the first paragraph of each module's docstring, instead of every
  function. Links to the functions elsewhere in the book become plain text in the PDF, as
  for any page the PDF does not hold; the HTML keeps the full reference.

The page style (``conf.py``'s LaTeX preamble) names the chapter at the head of every page.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

NOTE = (
    "The PDF lists the package's modules, each with the first paragraph of its docstring; "
    "the HTML edition of this page documents every function, class and constant."
)


def _own_toctrees(node: nodes.Element):
    """The toctree wrappers of the root document itself, not those of the documents inlined."""
    for child in node.children:
        if isinstance(child, addnodes.start_of_file) or not isinstance(child, nodes.Element):
            continue
        if isinstance(child, nodes.compound) and "toctree-wrapper" in child["classes"]:
            yield child
        else:
            yield from _own_toctrees(child)


def _holder(root: nodes.Element, node: nodes.Element) -> nodes.Element:
    """The child of ``root`` that contains ``node``."""
    while node.parent is not root:
        node = node.parent
    return node


def _unnumbered(on: bool) -> nodes.raw:
    """LaTeX that stops (or resumes) numbering chapters and sections."""
    text = (
        r"\edef\ImagerecSecnumdepth{\arabic{secnumdepth}}\setcounter{secnumdepth}{-1}"
        if on else r"\setcounter{secnumdepth}{\ImagerecSecnumdepth}"
    )
    return nodes.raw("", text, format="latex")


def _short_reference(page: addnodes.start_of_file) -> None:
    """Keep the title and the introduction of a reference page (up to its first module or
    subsection); list its modules."""
    section = next(child for child in page.children if isinstance(child, nodes.section))
    modules = [
        paragraph for paragraph in section.findall(nodes.paragraph)
        if any(ident.startswith("module-") for ident in paragraph["ids"])
    ]
    first = next(
        (child for child in section.children
         if isinstance(child, (addnodes.index, nodes.target, nodes.section)) or child in modules),
        None,
    )
    if first is not None:
        del section.children[section.index(first):]
    section += nodes.paragraph("", NOTE)
    items = nodes.bullet_list()
    for paragraph in modules:
        name = next(i for i in paragraph["ids"] if i.startswith("module-"))[len("module-"):]
        text = paragraph.deepcopy()
        text["ids"] = []
        text.insert(0, nodes.Text(": "))
        text.insert(0, nodes.literal(name, name))
        items += nodes.list_item("", text)
    section += items


class BookStructure(SphinxPostTransform):
    """Rearrange the document the LaTeX builder assembled from the root document."""

    default_priority = 5  # before ReferencesResolver (10): links into omitted parts become text
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        if self.document.get("docname") not in {entry[0] for entry in self.config.latex_documents}:
            return
        root = next((child for child in self.document.children
                     if isinstance(child, nodes.section)), None)
        toctrees = list(_own_toctrees(root)) if root is not None else []
        if not toctrees:
            return
        holders = [_holder(root, toctree) for toctree in toctrees]
        for toctree in toctrees:
            toctree.parent.remove(toctree)
        for toctree in toctrees:
            for page in toctree.findall(addnodes.start_of_file):
                if page["docname"] in self.config.pdf_short_reference:
                    _short_reference(page)
                    # Links to the omitted objects: plain text (the builder's NoUri).
                    self.app.builder.docnames.discard(page["docname"])
        title, *rest = root.children
        last = rest.index(holders[-1]) + 1
        front, back = rest[:last], rest[last:]
        preface = nodes.section("", title.deepcopy(), *front)
        root.children = []
        root += [
            title,
            _unnumbered(True), preface, _unnumbered(False),
            toctrees[0],
            nodes.raw("", r"\appendix", format="latex"),
            *toctrees[1:],
            *back,
        ]


def setup(app):
    app.add_config_value("pdf_short_reference", (), "", types=(tuple, list))
    app.add_post_transform(BookStructure)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
