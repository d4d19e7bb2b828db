"""Show a function of the package in a chapter: its code, without its docstring.

The chapters teach with the package's own code, so that the code a reader sees is the code
the build runs. Including a whole object (``literalinclude :pyobject:``) also shows its
docstring, which is often longer than the few lines the lesson is about. The directive ::

    ```{package-code} imagerec.convolution.convolve_naive
    ```

shows the signature and the body of the function, with the docstring and the argument checks
(the ``@validate_params(...)`` decorator of :mod:`imagerec._checks`) cut out; comments and
other decorators stay. A link to its documented entry on the reference page follows. The code
is read from the package's source file at build time, and the page depends on that file, so
the shown code can never drift from the package.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective


def _check_decorators(tree: ast.AST):
    """The (first, last) line numbers of every ``@validate_params(...)`` decorator in ``tree``."""
    from imagerec._checks import DECORATOR

    for node in ast.walk(tree):
        for decorator in getattr(node, "decorator_list", ()):
            called = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", None)
            if name == DECORATOR:
                yield decorator.lineno, decorator.end_lineno


def code_without_docstring(obj) -> str:
    """Return the source of a function or class with its docstrings and argument checks removed.

    Comments, blank lines and decorators other than the argument checks are kept; every
    docstring (of the object itself and of the methods of a class) and every
    ``@validate_params(...)`` decorator is cut out line by line, so the rest reads exactly as
    in the source file. The docstrings are found by :func:`imagerec.book.cache.strip_docstrings`, the
    stripper whose output the training cache's key hashes.
    """
    # imported here, not at the top: imagerec.book.cache imports TensorFlow, which must not load
    # before conf.py has set its environment (the build imports it first in any case)
    from imagerec.book.cache import strip_docstrings

    source = textwrap.dedent(inspect.getsource(obj))
    lines = source.splitlines()
    drop = set()
    tree = ast.parse(source)
    for first, last in [*strip_docstrings(tree), *_check_decorators(tree)]:
        drop.update(range(first - 1, last))
    kept = [line for number, line in enumerate(lines) if number not in drop]
    return "\n".join(kept).rstrip() + "\n"


def _resolve(dotted: str):
    """Import ``package.module.name`` and return (module name, object)."""
    module_name, _, attribute = dotted.rpartition(".")
    if not module_name:
        raise ValueError(f"{dotted!r} is not a dotted name such as imagerec.module.function")
    module = importlib.import_module(module_name)
    try:
        obj = getattr(module, attribute)
    except AttributeError:
        raise ValueError(f"module {module_name} has no object {attribute!r}") from None
    return module, obj


class PackageCode(SphinxDirective):
    """``{package-code} dotted.name``: the object's code without docstring, and a link."""

    required_arguments = 1
    has_content = False

    def run(self):
        dotted = self.arguments[0]
        try:
            module, obj = _resolve(dotted)
            code = code_without_docstring(obj)
        except (ImportError, ValueError, TypeError, OSError) as error:
            raise self.error(f"package-code: cannot show {dotted}: {error}") from error
        self.env.note_dependency(inspect.getsourcefile(module))

        block = nodes.literal_block(code, code, language="python")
        block["classes"].append("package-code")
        self.set_source_info(block)

        # A private helper has no entry of its own on the reference page: link its module.
        module_name, _, attribute = dotted.rpartition(".")
        if attribute.startswith("_"):
            role, target = "mod", module_name
            words = ("A helper of ", f", the code of {attribute} without its docstring.")
        else:
            role, target = ("class" if inspect.isclass(obj) else "func"), dotted
            words = ("The code of ", ", without its docstring, which the reference page shows.")
        xref = addnodes.pending_xref(
            "", refdomain="py", reftype=role, reftarget=target, refexplicit=True,
            refwarn=True,
        )
        xref += nodes.literal(target, target)
        note = nodes.paragraph("", "", classes=["package-code-source"])
        note += nodes.Text(words[0])
        note += xref
        note += nodes.Text(words[1])
        return [block, note]


def setup(app):
    app.add_directive("package-code", PackageCode)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
