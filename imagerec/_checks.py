"""The package's argument checks: one mistake, one message everywhere.

A value of the wrong type raises :class:`TypeError`, a value of the right type that is
out of range raises :class:`ValueError`; both messages name the argument.

>>> positive_int(3, "epochs")
3
>>> positive_int(0, "epochs")
Traceback (most recent call last):
...
ValueError: epochs must be a positive integer (>= 1), got 0
>>> class_labels([[2], [0]], "y").tolist()
[2, 0]
"""

from __future__ import annotations

import numbers

import numpy as np


def is_integer(value) -> bool:
    """True for Python and NumPy integers; False for bools, which Python also counts as integers.

    >>> is_integer(3), is_integer(3.0), is_integer(True)
    (True, False, False)
    """
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _integer(value, name: str, what: str, low: int, high: float = float("inf")) -> int:
    if not is_integer(value):
        raise TypeError(f"{name} must be {what}, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be {what}, got {value!r}")
    return int(value)


def positive_int(value, name: str) -> int:
    """``value`` as an ``int`` if it is an integer >= 1 (TypeError, ValueError otherwise)."""
    return _integer(value, name, "a positive integer (>= 1)", 1)


def non_negative_int(value, name: str) -> int:
    """``value`` as an ``int`` if it is an integer >= 0, such as a seed.

    >>> non_negative_int(-1, "seed")
    Traceback (most recent call last):
    ...
    ValueError: seed must be a non-negative integer (>= 0), got -1
    """
    return _integer(value, name, "a non-negative integer (>= 0)", 0)


def int_between(value, name: str, low: int, high: int) -> int:
    """``value`` as an ``int`` if it is an integer from ``low`` to ``high``.

    >>> int_between(6.5, "center", 0, 255)
    Traceback (most recent call last):
    ...
    TypeError: center must be an integer in 0..255, got 6.5
    """
    return _integer(value, name, f"an integer in {low}..{high}", low, high)


def fraction(value, name: str) -> float:
    """``value`` as a ``float`` if it is a real number in [0, 1), such as a validation split.

    >>> fraction(1.0, "validation_split")
    Traceback (most recent call last):
    ...
    ValueError: validation_split must be a number in [0, 1), got 1.0
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number in [0, 1), got {value!r}")
    if not 0 <= value < 1:
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}")
    return float(value)


def one_of(value, choices, what: str) -> str:
    """``value`` if it is one of the strings ``choices``; the message lists them.

    >>> one_of("E", ("A", "B"), "model")
    Traceback (most recent call last):
    ...
    ValueError: unknown model 'E': choose one of 'A', 'B'
    """
    if not isinstance(value, str):
        raise TypeError(f"the {what} must be a str, one of {list(choices)}, got {type(value).__name__}")
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
    ValueError: p contains NaN
    """
    array = np.asarray(values)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be real numbers, got dtype {array.dtype}")
    array = array.astype(np.float64, copy=False)
    if not allow_nan and np.isnan(array).any():
        raise ValueError(f"{name} contains NaN")
    return array


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
    array = np.asarray(values)
    if array.ndim > 1 and array.shape[-1] == 1:
        array = array[..., 0]
    if not any_shape and array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of class labels, got shape {array.shape}")
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold integer class labels (integers 0, 1, 2, ...), got dtype {array.dtype}")
    if array.dtype.kind == "f" and not np.all(np.isfinite(array) & (array == np.round(array))):
        raise ValueError(f"{name} must hold whole numbers (class labels 0, 1, 2, ...), got e.g. {array.ravel()[:3]}")
    array = array.astype(np.int64)
    if array.size and array.min() < 0:
        raise ValueError(f"{name} must be >= 0 (class labels 0, 1, 2, ...), got a negative label {array.min()}")
    return array


def int_tuple(value, length: int, name: str, meaning: str) -> tuple[int, ...]:
    """Return ``value`` as a tuple of ``length`` positive ints, such as an image shape.

    ``meaning`` says what the numbers are, for the message of the ValueError otherwise.

    >>> int_tuple([28, 28], 2, "input_shape", "(height, width) of a grey image")
    (28, 28)
    >>> int_tuple((28, 28, 1), 2, "input_shape", "(height, width) of a grey image")
    Traceback (most recent call last):
    ...
    ValueError: input_shape must be (height, width) of a grey image, two positive ints, got (28, 28, 1)
    """
    try:
        items = tuple(value)
    except TypeError:
        items = ()
    if len(items) != length or not all(is_integer(s) and s > 0 for s in items):
        words = {1: "one", 2: "two", 3: "three", 4: "four"}
        raise ValueError(
            f"{name} must be {meaning}, {words.get(length, length)} positive ints, got {value!r}"
        )
    return tuple(int(s) for s in items)
