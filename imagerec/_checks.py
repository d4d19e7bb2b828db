"""The package's argument checks: declared once, at the public entry points.

A *check* is a function ``check(value, name)`` that returns the value (converted where
that helps, for instance to an array) or raises: :class:`TypeError` for a value of the
wrong type, :class:`ValueError` for a value of the right type that is out of range. Every
message has one form, which names the argument and says what to pass:
``"{name} must be {what}, got {got}"``.

:func:`validate_params` declares the checks of a function's arguments in a decorator, in the
spirit of scikit-learn's ``validate_params``, so that the function's body holds only its idea
(the chapters show those bodies, without the decorator). The checks are small factories, in
the spirit of scikit-learn's ``check_scalar`` and scikit-image's ``check_nD``:
:func:`integer`, :func:`number`, :func:`boolean`, :func:`choice`, :func:`function`,
:func:`array`, :func:`optional`; and for relations between arguments, :func:`same_shape`.

>>> @validate_params(steps=integer(low=1), rate=number(low=0, include_low=False))
... def walk(steps, rate=0.5):
...     return steps * rate
>>> walk(4)
2.0
>>> walk(0)
Traceback (most recent call last):
...
ValueError: steps must be an integer >= 1, got 0
>>> walk(4, rate=True)
Traceback (most recent call last):
...
TypeError: rate must be a number > 0, got True

The functions the other modules call directly keep their names and messages:

>>> positive_int(0, "epochs")
Traceback (most recent call last):
...
ValueError: epochs must be a positive integer (>= 1), got 0
>>> class_labels([[2], [0]], "y").tolist()
[2, 0]
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers

import numpy as np

#: The name of the decorator; ``_ext/package_code.py`` leaves it out of the code a chapter shows.
DECORATOR = "validate_params"


def fail(error: type[Exception], name: str, what: str, got) -> Exception:
    """The one message form: ``error(f"{name} must be {what}, got {got}")``, to raise.

    >>> raise fail(ValueError, "size", "at most the image's height and width (4)", 5)
    Traceback (most recent call last):
    ...
    ValueError: size must be at most the image's height and width (4), got 5
    """
    return error(f"{name} must be {what}, got {got}")


def validate_params(*relations, **checks):
    """Decorator: check a function's arguments before it runs.

    Parameters
    ----------
    *relations : callable
        Checks of several arguments together, called as ``relation(arguments)`` with the
        dict of all arguments (defaults included) after the checks of single arguments;
        see :func:`same_shape`.
    **checks : callable
        For each checked argument, a check ``check(value, name)``; the function receives the
        value it returns.

    Examples
    --------
    >>> @validate_params(same_shape("p", "q"), p=array(), q=array())
    ... def difference(p, q):
    ...     return p - q
    >>> difference([3, 4], [1, 1])
    array([2, 3])
    >>> difference([3, 4], [1])
    Traceback (most recent call last):
    ...
    ValueError: p and q must be of the same shape, got (2,) and (1,)
    """

    def decorate(func):
        signature = inspect.signature(func)
        unknown = set(checks) - set(signature.parameters)
        if unknown:
            raise TypeError(f"{func.__qualname__} has no argument {', '.join(sorted(unknown))} to check")

        @functools.wraps(func)
        def checked(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            arguments = bound.arguments
            for name, check in checks.items():
                arguments[name] = check(arguments[name], name)
            for relation in relations:
                relation(arguments)
            return func(*bound.args, **bound.kwargs)

        return checked

    return decorate


# ---------------------------------------------------------------------------
# Scalars
# ---------------------------------------------------------------------------


def is_integer(value) -> bool:
    """True for Python and NumPy integers; False for bools, which Python also counts as integers.

    >>> is_integer(3), is_integer(3.0), is_integer(True)
    (True, False, False)
    """
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def is_number(value) -> bool:
    """True for Python and NumPy real numbers, bools excluded.

    >>> is_number(0.5), is_number(2), is_number(True), is_number("1")
    (True, True, False, False)
    """
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _bounds(low, high, include_low: bool, include_high: bool) -> str:
    """The words for a range: '>= 1', '> 0', 'in [0, 1)', 'in 0..255' (integers)."""
    if low is None and high is None:
        return ""
    if high is None:
        return f" {'>=' if include_low else '>'} {low}"
    if low is None:
        return f" {'<=' if include_high else '<'} {high}"
    return f" in {'[' if include_low else '('}{low}, {high}{']' if include_high else ')'}"


def _in_range(value, low, high, include_low: bool, include_high: bool) -> bool:
    above = low is None or (value >= low if include_low else value > low)
    below = high is None or (value <= high if include_high else value < high)
    return above and below


def integer(low: int | None = None, high: int | None = None, *, what: str | None = None):
    """Check: an integer (not a bool) from ``low`` to ``high``; returns it as an ``int``.

    >>> integer(0, 255)(256, "center")
    Traceback (most recent call last):
    ...
    ValueError: center must be an integer in 0..255, got 256
    >>> integer(low=1)(2.0, "size")
    Traceback (most recent call last):
    ...
    TypeError: size must be an integer >= 1, got 2.0
    """
    if what is None:
        what = f"an integer in {low}..{high}" if None not in (low, high) else (
            "an integer" + _bounds(low, high, True, True))

    def check(value, name: str) -> int:
        if not is_integer(value):
            raise fail(TypeError, name, what, repr(value))
        if not _in_range(value, low, high, True, True):
            raise fail(ValueError, name, what, repr(value))
        return int(value)

    return check


def number(low: float | None = None, high: float | None = None, *, include_low: bool = True,
           include_high: bool = True, what: str | None = None):
    """Check: a finite real number (not a bool) in a range; returns it as a ``float``.

    >>> number(0, 1, include_high=False)(1.0, "validation_split")
    Traceback (most recent call last):
    ...
    ValueError: validation_split must be a number in [0, 1), got 1.0
    >>> number(low=0, include_low=False)(True, "learning_rate")
    Traceback (most recent call last):
    ...
    TypeError: learning_rate must be a number > 0, got True
    """
    if what is None:
        what = "a number" + _bounds(low, high, include_low, include_high)

    def check(value, name: str) -> float:
        if not is_number(value):
            raise fail(TypeError, name, what, repr(value))
        if not (math.isfinite(value) and _in_range(value, low, high, include_low, include_high)):
            raise fail(ValueError, name, what, repr(value))
        return float(value)

    return check


def boolean(value, name: str) -> bool:
    """Check: ``True`` or ``False`` (NumPy's bools too).

    >>> boolean(1, "clip")
    Traceback (most recent call last):
    ...
    TypeError: clip must be True or False, got 1
    """
    if not isinstance(value, (bool, np.bool_)):
        raise fail(TypeError, name, "True or False", repr(value))
    return bool(value)


def choice(*options: str):
    """Check: one of the strings ``options``.

    >>> choice("same", "valid")("full", "padding")
    Traceback (most recent call last):
    ...
    ValueError: padding must be one of 'same', 'valid', got 'full'
    """
    what = "one of " + ", ".join(map(repr, options))

    def check(value, name: str) -> str:
        if not isinstance(value, str):
            raise fail(TypeError, name, what, repr(value))
        if value not in options:
            raise fail(ValueError, name, what, repr(value))
        return value

    return check


def function(value, name: str):
    """Check: something to call, such as a loss of one number.

    >>> function(3, "loss")
    Traceback (most recent call last):
    ...
    TypeError: loss must be a function, got int
    """
    if not callable(value):
        raise fail(TypeError, name, "a function", type(value).__name__)
    return value


def optional(check):
    """Check: ``None``, or a value that passes ``check``.

    >>> optional(integer(low=1))(None, "n") is None
    True
    """

    def checked(value, name: str):
        return None if value is None else check(value, name)

    return checked


# ---------------------------------------------------------------------------
# Arrays
# ---------------------------------------------------------------------------

_KINDS = {"b": "bools", "i": "integers", "u": "integers", "f": "floats"}


def _kind_words(kinds: str) -> str:
    words = list(dict.fromkeys(_KINDS[kind] for kind in kinds))
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def array(*, kinds: str = "iuf", ndim=None, finite: bool = True, nonempty: bool = False,
          what: str | None = None):
    """Check: an array of numbers, as in scikit-image's ``check_nD``; returns it as an ndarray.

    Parameters
    ----------
    kinds : str
        The accepted NumPy dtype kinds: ``"b"`` bools, ``"i"`` and ``"u"`` integers,
        ``"f"`` floats. Anything else (strings, objects, complex numbers) is a TypeError.
    ndim : int or tuple of int, optional
        The accepted numbers of dimensions.
    finite : bool
        Refuse NaN and infinity (ValueError).
    nonempty : bool
        Refuse an array without elements (ValueError).
    what : str, optional
        What the array must be, for the message; by default the dimensions and kinds.

    Examples
    --------
    >>> array(ndim=2)([1, 2], "kernel")
    Traceback (most recent call last):
    ...
    ValueError: kernel must be a 2-D array of finite integers or floats, got shape (2,)
    >>> array()(["a"], "x")
    Traceback (most recent call last):
    ...
    TypeError: x must be an array of finite integers or floats, got dtype <U1
    """
    ndims = (ndim,) if isinstance(ndim, int) else ndim
    if what is None:
        dims = "" if ndims is None else " or ".join(f"{n}-D" for n in ndims) + " "
        what = f"{'a non-empty ' if nonempty else 'a ' if dims else 'an '}{dims}array of "
        what += ("finite " if finite and "f" in kinds else "") + _kind_words(kinds)

    def check(value, name: str) -> np.ndarray:
        try:
            values = np.asarray(value)
        except ValueError:  # ragged nested lists
            raise fail(ValueError, name, what, "rows of different lengths") from None
        if values.dtype.kind not in kinds:
            raise fail(TypeError, name, what, f"dtype {values.dtype}")
        if ndims is not None and values.ndim not in ndims:
            raise fail(ValueError, name, what, f"shape {values.shape}")
        if nonempty and values.size == 0:
            raise fail(ValueError, name, what, f"an empty array of shape {values.shape}")
        if finite and values.dtype.kind == "f" and not np.isfinite(values).all():
            raise fail(ValueError, name, what, "NaN or infinite values")
        return values

    return check


def same_shape(*names: str, nonempty: bool = False):
    """Relation for :func:`validate_params`: the arrays ``names`` have one shape (and elements).

    >>> same_shape("p", "q")({"p": np.zeros(2), "q": np.zeros(0)})
    Traceback (most recent call last):
    ...
    ValueError: p and q must be of the same shape, got (2,) and (0,)
    """

    def relation(arguments) -> None:
        shapes = [np.shape(arguments[name]) for name in names]
        if len(set(shapes)) > 1:
            raise fail(ValueError, " and ".join(names), "of the same shape", " and ".join(map(str, shapes)))
        if nonempty and 0 in shapes[0]:
            raise fail(ValueError, " and ".join(names), "non-empty", "no elements")

    return relation


# ---------------------------------------------------------------------------
# The checks that other modules call directly
# ---------------------------------------------------------------------------


def positive_int(value, name: str) -> int:
    """``value`` as an ``int`` if it is an integer >= 1 (TypeError, ValueError otherwise)."""
    return integer(low=1, what="a positive integer (>= 1)")(value, name)


def non_negative_int(value, name: str) -> int:
    """``value`` as an ``int`` if it is an integer >= 0, such as a seed.

    >>> non_negative_int(-1, "seed")
    Traceback (most recent call last):
    ...
    ValueError: seed must be a non-negative integer (>= 0), got -1
    """
    return integer(low=0, what="a non-negative integer (>= 0)")(value, name)


def int_between(value, name: str, low: int, high: int) -> int:
    """``value`` as an ``int`` if it is an integer from ``low`` to ``high``.

    >>> int_between(6.5, "center", 0, 255)
    Traceback (most recent call last):
    ...
    TypeError: center must be an integer in 0..255, got 6.5
    """
    return integer(low, high)(value, name)


def fraction(value, name: str) -> float:
    """``value`` as a ``float`` if it is a real number in [0, 1), such as a validation split."""
    return number(0, 1, include_high=False)(value, name)


def one_of(value, choices, what: str) -> str:
    """``value`` if it is one of the strings ``choices``, such as a network's name.

    ``what`` names the argument. The message lists the choices:

    >>> one_of("E", ("A", "B"), "model")
    Traceback (most recent call last):
    ...
    ValueError: unknown model 'E': choose one of 'A', 'B'
    """
    if not isinstance(value, str):
        raise fail(TypeError, f"the {what}", f"a str, one of {list(choices)}", type(value).__name__)
    if value not in choices:
        raise ValueError(f"unknown {what} {value!r}: choose one of {', '.join(map(repr, choices))}")
    return value


def real_array(values, name: str, *, allow_nan: bool = True) -> np.ndarray:
    """``values`` as a ``float64`` array: TypeError when they are not real numbers, ValueError for NaN.

    >>> real_array([1, True], "x")
    array([1., 1.])
    >>> real_array([0.5, np.nan], "p", allow_nan=False)
    Traceback (most recent call last):
    ...
    ValueError: p must be real numbers, not NaN, got NaN
    """
    values = np.asarray(values)
    if values.dtype.kind not in "biuf":
        raise fail(TypeError, name, "real numbers", f"dtype {values.dtype}")
    values = values.astype(np.float64, copy=False)
    if not allow_nan and np.isnan(values).any():
        raise fail(ValueError, name, "real numbers, not NaN", "NaN")
    return values


def reals(values, name: str) -> np.ndarray:
    """Check: real numbers without NaN, as a ``float64`` array (infinity allowed)."""
    return real_array(values, name, allow_nan=False)


def class_labels(values, name: str, *, any_shape: bool = False) -> np.ndarray:
    """Class labels 0, 1, 2, ... as an ``int64`` array.

    A last axis of length 1 is dropped (Keras's columns of labels, shape (n, 1)), and
    floats that are whole numbers are accepted. Unless ``any_shape``, the labels must
    then form a 1-D array.

    Raises
    ------
    TypeError
        The values are not numbers.
    ValueError
        Fractions, NaN, negative labels, or not 1-D.
    """
    what = "class labels 0, 1, 2, ..." if any_shape else "a 1-D array of class labels 0, 1, 2, ..."
    array_ = np.asarray(values)
    if array_.ndim > 1 and array_.shape[-1] == 1:
        array_ = array_[..., 0]
    if not any_shape and array_.ndim != 1:
        raise fail(ValueError, name, what, f"shape {array_.shape}")
    if array_.dtype.kind not in "iuf":
        raise fail(TypeError, name, what, f"dtype {array_.dtype}")
    if array_.dtype.kind == "f" and not np.all(np.isfinite(array_) & (array_ == np.round(array_))):
        raise fail(ValueError, name, what + " (whole numbers)", f"e.g. {array_.ravel()[:3]}")
    array_ = array_.astype(np.int64)
    if array_.size and array_.min() < 0:
        raise fail(ValueError, name, what + " (>= 0)", f"a negative label {array_.min()}")
    return array_


def int_tuple(value, length: int, name: str, meaning: str) -> tuple[int, ...]:
    """Return ``value`` as a tuple of ``length`` positive ints, such as an image shape.

    ``meaning`` says what the numbers are. Not a sequence of integers: TypeError; the
    wrong length or a number below 1: ValueError.

    >>> int_tuple([28, 28], 2, "input_shape", "(height, width) of a grey image")
    (28, 28)
    >>> int_tuple((28, 28, 1), 2, "input_shape", "(height, width) of a grey image")
    Traceback (most recent call last):
    ...
    ValueError: input_shape must be (height, width) of a grey image, two positive ints, got (28, 28, 1)
    """
    words = {1: "one", 2: "two", 3: "three", 4: "four"}
    what = f"{meaning}, {words.get(length, length)} positive ints"
    if isinstance(value, str) or not isinstance(value, (tuple, list)) and not hasattr(value, "__iter__"):
        raise fail(TypeError, name, what, repr(value))
    items = tuple(value)
    if not all(is_integer(s) for s in items):
        raise fail(TypeError, name, what, repr(value))
    if len(items) != length or min(items, default=0) < 1:
        raise fail(ValueError, name, what, repr(value))
    return tuple(int(s) for s in items)
