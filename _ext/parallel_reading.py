"""Execute the chapters side by side when Sphinx reads with ``-j N`` (``make book`` does).

Executing the chapters is most of a build after training: myst-nb runs each chapter in a
Jupyter kernel while Sphinx reads the page. With ``-j N`` Sphinx reads in N processes,
each taking a contiguous *chunk* of the list of pages to read
(``sphinx.util.parallel.make_chunks``). That list is sorted by name, so the four
executed chapters (``book/inspect``, ``lesson1``, ``lesson2``, ``speed``) would share
one chunk and run one after another. This extension

* reorders the list (Sphinx's ``env-before-read-docs`` event allows it) so that the
  executed chapters are balanced over the chunks: largest first, each into the chunk with
  the least work so far, the size of a chapter standing in for its run time;
* declares ``sphinx-mathjax-offline`` safe for parallel reading. That extension keeps
  nothing in Sphinx's environment (it sets ``mathjax_path`` and copies MathJax's files
  when the build ends) but does not say so, and Sphinx then reads serially with a
  warning, which ``-W`` turns into an error.

Without ``-j`` (or with ``-j 1``) nothing changes.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.util.parallel import make_chunks

#: Extensions known to keep no state in the environment, which do not declare it.
SAFE_UNDECLARED = ("sphinx-mathjax-offline",)


#: A page's front matter may weigh its lines (``imagerec_execution_weight: 7.5``): a page
#: whose few cells run benchmarks executes far longer than its length suggests.
WEIGHT = re.compile(r"^imagerec_execution_weight:\s*([0-9.]+)\s*$", re.MULTILINE)


def executed_size(app, docname: str) -> float:
    """Lines of page ``docname`` (times its weight) if it holds code cells that myst-nb
    executes, else 0."""
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".md":
        return 0
    text = path.read_text(encoding="utf-8")
    if "```{code-cell}" not in text:
        return 0
    front = text.split("\n---", 1)[0] if text.startswith("---") else ""
    weight = WEIGHT.search(front)
    return text.count("\n") * (float(weight.group(1)) if weight else 1.0)


def balance(docnames: list[str], sizes: dict[str, int], nproc: int) -> list[str]:
    """``docnames`` reordered so that Sphinx's chunks share the work ``sizes`` evenly.

    Examples
    --------
    >>> balance(["a", "b", "c", "d"], {"a": 5, "b": 4}, 2)
    ['a', 'c', 'b', 'd']
    """
    chunks = make_chunks(docnames, nproc)
    heavy = sorted((d for d in docnames if sizes.get(d, 0) > 0), key=lambda d: -sizes[d])
    light = [d for d in docnames if sizes.get(d, 0) <= 0]
    places = [[] for _ in chunks]
    work = [0] * len(chunks)
    for doc in heavy:
        free = [i for i in range(len(chunks)) if len(places[i]) < len(chunks[i])]
        i = min(free, key=lambda i: work[i])
        places[i].append(doc)
        work[i] += sizes[doc]
    for i, chunk in enumerate(chunks):
        while len(places[i]) < len(chunk):
            places[i].append(light.pop(0))
    return [doc for place in places for doc in place]


def reorder(app, env, docnames: list[str]) -> None:
    """``env-before-read-docs``: balance the executed chapters over the reading processes."""
    if app.parallel > 1 and len(docnames) > 1:
        sizes = {doc: executed_size(app, doc) for doc in docnames}
        docnames[:] = balance(list(docnames), sizes, app.parallel)


def setup(app):
    for name in SAFE_UNDECLARED:
        app.setup_extension(name)
        extension = app.extensions[name]
        extension.parallel_read_safe = extension.parallel_write_safe = True
    app.connect("env-before-read-docs", reorder)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
