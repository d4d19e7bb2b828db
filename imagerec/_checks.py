"""Checks of integer arguments, shared by the modules: one mistake, one message everywhere.

>>> positive_int(3, "epochs")
3
>>> positive_int(0, "epochs")
Traceback (most recent call last):
...
ValueError: epochs must be a positive integer, got 0
"""

from __future__ import annotations

import numbers


def is_integer(value) -> bool:
    """True for Python and NumPy integers; False for bools, which Python also counts as integers.

    >>> is_integer(3), is_integer(3.0), is_integer(True)
    (True, False, False)
    """
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def positive_int(value, name: str) -> int:
    """Return ``value`` as an ``int`` if it is an integer >= 1.

    Raises
    ------
    TypeError
        If ``value`` is not an integer (a float, a string, a bool...).
    ValueError
        If it is an integer below 1.  Both messages name the argument ``name``.
    """
    if not is_integer(value):
        raise TypeError(f"{name} must be a positive integer, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


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
