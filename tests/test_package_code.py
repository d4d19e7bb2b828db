"""The ``package-code`` directive's source reader: code shown without docstrings."""

import ast
import inspect

from package_code import code_without_docstring

from imagerec import convolution, pooling


def _docstrings(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node):
            yield node.name


def test_docstring_cut_code_kept():
    shown = code_without_docstring(convolution.convolve_naive)
    tree = ast.parse(shown)
    assert list(_docstrings(tree)) == []
    # everything else is the source, line for line, comments included
    source = inspect.getsource(convolution.convolve_naive)
    doc = ast.get_docstring(ast.parse(source).body[0], clean=False)
    assert len(shown.splitlines()) == len(source.splitlines()) - len(doc.splitlines())
    assert all(line in source.splitlines() for line in shown.splitlines())
    comments = [line for line in source.splitlines() if line.strip().startswith("#")]
    assert all(line in shown.splitlines() for line in comments)


def test_same_function_without_docstring():
    """The shown code defines a function that computes the same result."""
    shown = code_without_docstring(pooling.max_pool)
    namespace = dict(vars(pooling))
    exec(compile(shown, "<shown>", "exec"), namespace)
    import numpy as np

    x = np.arange(16.0).reshape(4, 4)
    np.testing.assert_array_equal(namespace["max_pool"](x), pooling.max_pool(x))
