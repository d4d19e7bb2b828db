"""The ``package-code`` directive's source reader: code shown without docstrings."""

import ast
import inspect

from package_code import code_without_docstring

from imagerec import convolution, pooling
from imagerec._checks import integer, validate_params


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
    function = ast.parse(source).body[0]
    doc = ast.get_docstring(function, clean=False)
    checks = sum(d.end_lineno - d.lineno + 1 for d in function.decorator_list)  # all are checks
    assert len(shown.splitlines()) == len(source.splitlines()) - len(doc.splitlines()) - checks
    assert "@" not in shown
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


def _logged(func):
    func.logged = True
    return func


@_logged
@validate_params(width=integer(low=1),
                 height=integer(low=1))
def _area(width, height):
    """The area of a rectangle."""
    return width * height  # the idea


def test_argument_checks_cut_other_decorators_kept():
    """The page shows the idea: the check decorator goes, any other decorator stays."""
    assert code_without_docstring(_area) == (
        "@_logged\n"
        "def _area(width, height):\n"
        "    return width * height  # the idea\n"
    )
