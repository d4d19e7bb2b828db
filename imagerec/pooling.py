"""Pooling: shrinking every channel of an image by summarising windows of pixels.

Max pooling keeps the largest value of each ``size x size`` window, average
pooling their mean.  The windows do not overlap (the stride equals the
size), and rows or columns left over at the bottom and right are dropped:
exactly what ``keras.layers.MaxPooling2D`` and ``AveragePooling2D`` do with
their defaults.  Global pooling summarises each whole channel by one number.

>>> image = np.arange(16).reshape(4, 4)
>>> max_pool(image)
array([[ 5,  7],
       [13, 15]])
>>> global_average_pool(image)
array([7.5])
"""

from __future__ import annotations

import numpy as np

from imagerec._checks import fail, integer, validate_params
from imagerec.images import check_image

__all__ = ["max_pool", "average_pool", "global_max_pool", "global_average_pool"]


def _window_fits(arguments) -> None:
    """Relation: a window of ``size`` fits in the image."""
    height, width = arguments["image"].shape[:2]
    if arguments["size"] > min(height, width):
        raise fail(ValueError, "size", f"at most the image's height and width ({height}x{width})",
                   arguments["size"])


_POOLING = dict(image=check_image, size=integer(low=1))


def _windows(image, size) -> np.ndarray:
    """The image cut into non-overlapping size x size windows: shape (H//size, size, W//size, size, ...).

    Rows and columns that do not fill a whole window are dropped.
    """
    height, width = image.shape[:2]
    rows, cols = height // size, width // size
    cropped = image[: rows * size, : cols * size]
    return cropped.reshape((rows, size, cols, size) + image.shape[2:])


@validate_params(_window_fits, **_POOLING)
def max_pool(image, size: int = 2) -> np.ndarray:
    """Max pooling: the largest value of every ``size x size`` window, channel by channel.

    Parameters
    ----------
    image : array_like
        2-D (height, width) or 3-D (height, width, channels) image.
    size : int
        Window size and stride (default 2), at most the image's height and width.

    Returns
    -------
    numpy.ndarray
        Shape ``(height // size, width // size[, channels])``, same dtype as
        the image.  Equal to ``keras.layers.MaxPooling2D(size)`` on the image.

    Examples
    --------
    >>> max_pool([[1, 5, 2, 0, 9],
    ...           [3, 4, 8, 1, 9],
    ...           [0, 2, 6, 7, 9]])
    array([[5, 8]])
    """
    return _windows(image, size).max(axis=(1, 3))


@validate_params(_window_fits, **_POOLING)
def average_pool(image, size: int = 2) -> np.ndarray:
    """Average pooling: the mean of every ``size x size`` window, channel by channel.

    Parameters
    ----------
    image : array_like
        2-D (height, width) or 3-D (height, width, channels) image.
    size : int
        Window size and stride (default 2), at most the image's height and width.

    Returns
    -------
    numpy.ndarray
        float64 array of shape ``(height // size, width // size[, channels])``.
        Equal to ``keras.layers.AveragePooling2D(size)`` on the image.

    Examples
    --------
    >>> average_pool([[1, 5, 2, 0, 9],
    ...               [3, 4, 8, 1, 9],
    ...               [0, 2, 6, 7, 9]])
    array([[3.25, 2.75]])
    """
    return _windows(image, size).mean(axis=(1, 3), dtype=np.float64)


@validate_params(image=check_image)
def global_max_pool(image) -> np.ndarray:
    """Global max pooling: the largest value of each channel.

    Parameters
    ----------
    image : array_like
        3-D (height, width, channels) image, or 2-D for a single channel.

    Returns
    -------
    numpy.ndarray
        Shape ``(channels,)`` (``(1,)`` for a 2-D image), same dtype as the
        image.  Equal to ``keras.layers.GlobalMaxPooling2D()`` on the image.

    Examples
    --------
    >>> image = np.zeros((5, 7, 3))
    >>> image[4, 6] = [0.5, 0.25, 1.0]
    >>> global_max_pool(image)
    array([0.5 , 0.25, 1.  ])
    """
    channels = image.shape[2] if image.ndim == 3 else 1
    return image.reshape(-1, channels).max(axis=0)  # a row per pixel, a column per channel


@validate_params(image=check_image)
def global_average_pool(image) -> np.ndarray:
    """Global average pooling: the mean of each channel.

    Parameters
    ----------
    image : array_like
        3-D (height, width, channels) image, or 2-D for a single channel.

    Returns
    -------
    numpy.ndarray
        float64 array of shape ``(channels,)`` (``(1,)`` for a 2-D image).
        Equal to ``keras.layers.GlobalAveragePooling2D()`` on the image.

    Examples
    --------
    >>> from imagerec.images import rgb_gradient
    >>> global_average_pool(rgb_gradient(16))
    array([127.5, 127.5, 127.5])
    """
    channels = image.shape[2] if image.ndim == 3 else 1
    return image.reshape(-1, channels).mean(axis=0, dtype=np.float64)
