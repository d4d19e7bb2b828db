"""Images as arrays, and the small demo images of Lesson 1.

A grey image is a 2-D array of pixels indexed ``[y, x]`` from the top-left
corner; a colour image adds a third axis of channels (red, green, blue).
Pixels are usually bytes, ``uint8`` values from 0 (black) to 255 (white);
networks prefer floats between 0 and 1.  This package maps one to the other
by dividing by 255 (the course divides by 256, which makes white 0.996
instead of 1; the difference does not matter for training).

>>> image = rgb_gradient(4)
>>> image.shape, image.dtype
((4, 4, 3), dtype('uint8'))
>>> print(to_float(image)[3, 3])
[0.05882353 0.05882353 0.05882353]
"""

from __future__ import annotations

import numpy as np

from imagerec._checks import array, fail, integer, validate_params

__all__ = ["cross", "diagonal_counter", "rgb_gradient", "check_image", "to_float"]


def cross() -> np.ndarray:
    """The first image of the course: a white plus sign on black, 3x3 pixels.

    Returns
    -------
    numpy.ndarray
        (3, 3) uint8 array: 255 in the middle row and column, 0 in the corners.

    Examples
    --------
    >>> cross()
    array([[  0, 255,   0],
           [255, 255, 255],
           [  0, 255,   0]], dtype=uint8)
    """
    image = np.zeros((3, 3), dtype=np.uint8)
    image[1, :] = 255
    image[:, 1] = 255
    return image


@validate_params(height=integer(low=1), width=integer(low=1))
def diagonal_counter(height: int = 17, width: int = 5) -> np.ndarray:
    """A tall grey image with a running counter along repeated diagonals.

    Going through the rows from the top, the pixel ``(y, x)`` with
    ``y % width == x`` gets the next value of a counter 1, 2, 3, ... (modulo
    256, so that it fits a byte); all other pixels are 0.  With the defaults
    this is the course's 17x5 example, showing that the first index is the
    row (height) and the second the column (width).

    Parameters
    ----------
    height, width : int
        Size of the image in pixels, both positive.

    Returns
    -------
    numpy.ndarray
        (height, width) uint8 array.

    Examples
    --------
    >>> diagonal_counter(7, 3)
    array([[1, 0, 0],
           [0, 2, 0],
           [0, 0, 3],
           [4, 0, 0],
           [0, 5, 0],
           [0, 0, 6],
           [7, 0, 0]], dtype=uint8)
    >>> diagonal_counter().shape
    (17, 5)
    """
    image = np.zeros((height, width), dtype=np.uint8)
    rows = np.arange(height)
    # every row holds exactly one counted pixel, in column y % width
    image[rows, rows % width] = (rows + 1) % 256
    return image


@validate_params(size=integer(low=1))
def rgb_gradient(size: int = 32) -> np.ndarray:
    """The course's colour test image: three channels filled with running counters.

    Each channel holds a counter 0, 1, 2, ... (modulo 256) that runs through
    the pixels in a different order: red row by row (so it grows down the
    image), green column by column (it grows to the right), and blue along
    the anti-diagonals ``x + y = const`` (each one from left to right).

    Parameters
    ----------
    size : int
        Height and width in pixels (positive).

    Returns
    -------
    numpy.ndarray
        (size, size, 3) uint8 array.

    Examples
    --------
    >>> image = rgb_gradient(3)
    >>> image[:, :, 0]
    array([[0, 1, 2],
           [3, 4, 5],
           [6, 7, 8]], dtype=uint8)
    >>> image[:, :, 1]
    array([[0, 3, 6],
           [1, 4, 7],
           [2, 5, 8]], dtype=uint8)
    >>> image[:, :, 2]
    array([[0, 2, 5],
           [1, 4, 7],
           [3, 6, 8]], dtype=uint8)
    """
    y, x = np.indices((size, size))
    red = y * size + x
    green = x * size + y
    # anti-diagonal s = x + y has min(s, 2*size - 2 - s) + 1 pixels;
    # count the pixels of the diagonals before it
    diagonal = x + y
    s = np.arange(2 * size - 1)
    lengths = np.minimum(s, 2 * size - 2 - s) + 1
    before = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    first_x = np.maximum(0, diagonal - (size - 1))
    blue = before[diagonal] + (x - first_x)
    return (np.stack([red, green, blue], axis=-1) % 256).astype(np.uint8)


def check_image(image, name: str = "image") -> np.ndarray:
    """Check that ``image`` is a non-empty 2-D or 3-D array of finite numbers.

    Filters, pooling and the plots accept grey images ``(height, width)`` and colour images
    ``(height, width, channels)`` of integers or floats, and refuse anything else with a
    message that names the argument and says what was expected. It is a check of
    ``imagerec._checks``: the functions that take an image declare it with
    ``@validate_params(image=check_image)``.

    Parameters
    ----------
    image : array_like
        The image to check.
    name : str
        The argument's name, for the message.

    Returns
    -------
    numpy.ndarray
        The image as an array (not copied when it already is one).

    Raises
    ------
    TypeError
        If the pixels are not integers or floats.
    ValueError
        If the image is not 2-D or 3-D, is empty, or holds NaN or infinity.

    Examples
    --------
    >>> check_image([[0, 255], [255, 0]]).shape
    (2, 2)
    >>> check_image(np.zeros((2, 2, 3, 1)))
    Traceback (most recent call last):
    ...
    ValueError: image must be a non-empty 2-D (height, width) or 3-D (height, width, channels) image of finite integers or floats, got shape (2, 2, 3, 1)
    """
    return _IMAGE(image, name)


_IMAGE = array(ndim=(2, 3), nonempty=True, what="a non-empty 2-D (height, width) or 3-D "
               "(height, width, channels) image of finite integers or floats")


def _pixels(image, name: str) -> np.ndarray:
    """Check: pixels of any shape, integers in 0..255 or floats in [0, 1]."""
    what = "pixels: integers in 0..255 or floats in [0, 1]"
    image = array(what=what, finite=False)(image, name)
    low, high = (0, 255) if image.dtype.kind in "iu" else (0.0, 1.0)
    if image.size and not (image.min() >= low and image.max() <= high):  # NaN fails too
        raise fail(ValueError, name, what, f"values from {image.min()} to {image.max()}")
    return image


@validate_params(image=_pixels)
def to_float(image) -> np.ndarray:
    """Pixels as float64 between 0 and 1.

    Integer pixels (0..255) are divided by 255.  Float pixels must already lie
    in ``[0, 1]`` and are returned as float64.

    Parameters
    ----------
    image : array_like
        Image of any shape, integers or floats.

    Returns
    -------
    numpy.ndarray
        float64 array of the same shape, values in ``[0, 1]``.

    Raises
    ------
    ValueError
        Integers outside 0..255, or floats outside ``[0, 1]`` (NaN included).
    TypeError
        Neither integers nor floats (booleans, strings...).

    Examples
    --------
    >>> to_float(np.array([0, 51, 255], dtype=np.uint8))
    array([0. , 0.2, 1. ])
    >>> to_float([0.5, 1.0])
    array([0.5, 1. ])
    >>> to_float([0, 256])
    Traceback (most recent call last):
    ...
    ValueError: image must be pixels: integers in 0..255 or floats in [0, 1], got values from 0 to 256
    """
    if image.dtype.kind == "f":  # floats are already in [0, 1]
        return image.astype(np.float64)
    return image / 255  # bytes 0..255
