"""Filtering an image with a kernel: by hand, pixel by pixel, and fast.

Lesson 2 slides a small square *kernel* over an image: every output pixel is
the weighted sum of the input pixel and its neighbours, with the kernel's
numbers as weights.  Outside the image the pixels count as zeros (*zero
padding*, ``padding="same"``), or the kernel never leaves the image and the
result shrinks by ``k - 1`` pixels (``padding="valid"``).  A colour image is
filtered channel by channel with the same 2-D kernel.

Strictly speaking this is *cross-correlation*: the kernel is used as it is,
not flipped as in the mathematical convolution.  Keras's ``Conv2D``, OpenCV's
``filter2D`` and the lesson all do the same and call it convolution.

:func:`convolve_naive` is the per-pixel loop of the lesson; :func:`convolve`
computes the same sums more than a thousand times faster, with the loops
reordered to run along rows of memory and compiled by Numba
(``benchmarks/bench_convolution.py`` compares both with OpenCV and SciPy).

>>> from imagerec.images import cross
>>> sorted(KERNELS)
['blur', 'edges', 'sharpen']
>>> convolve(cross(), SHARPEN)
array([[0., 1., 0.],
       [1., 1., 1.],
       [0., 1., 0.]])
"""

from __future__ import annotations

import numba
import numpy as np

from imagerec.images import check_image

__all__ = [
    "SHARPEN",
    "EDGES",
    "GAUSSIAN_BLUR",
    "KERNELS",
    "zero_pad",
    "convolve_naive",
    "convolve",
]


def _constant(rows) -> np.ndarray:
    """A read-only float64 kernel, so that nobody edits the shared copy by accident."""
    kernel = np.array(rows, dtype=np.float64)
    kernel.setflags(write=False)
    return kernel


#: Sharpening: the pixel counts five times, its four direct neighbours minus once.
SHARPEN = _constant([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])

#: Edge detection: zero on flat areas, large where the pixel differs from its eight neighbours.
EDGES = _constant([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]])

#: Gaussian blur: binomial weights 1, 4, 6, 4, 1 in both directions, summing to one.
GAUSSIAN_BLUR = _constant(np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]) / 256.0)

#: The lesson's three kernels by name.
KERNELS = {"sharpen": SHARPEN, "edges": EDGES, "blur": GAUSSIAN_BLUR}

_PADDINGS = ("same", "valid")


# ---------------------------------------------------------------------------
# Input checks shared by both implementations
# ---------------------------------------------------------------------------


def _as_pixels(image) -> tuple[np.ndarray, bool]:
    """Check an image; return it as a C-contiguous float64 (H, W, C) array and whether it was 2-D.

    Integer images are divided by 255; float images are used as they are.
    """
    image = check_image(image)
    if image.dtype.kind in "iu":
        pixels = np.divide(image, 255.0, dtype=np.float64)
    else:
        pixels = np.ascontiguousarray(image, dtype=np.float64)
    was_2d = pixels.ndim == 2
    if was_2d:
        pixels = pixels[:, :, np.newaxis]
    return np.ascontiguousarray(pixels), was_2d


def _as_kernel(kernel) -> np.ndarray:
    """Check a kernel: a finite, square, odd-sized 2-D array of numbers; return it as float64."""
    try:
        kernel = np.asarray(kernel)
    except ValueError as error:  # ragged nested lists
        raise ValueError(f"expected a 2-D kernel (a square table of numbers): {error}") from None
    if kernel.dtype.kind not in "biuf":
        raise TypeError(f"expected a kernel of real numbers, got dtype {kernel.dtype}")
    kernel = kernel.astype(np.float64)
    if kernel.ndim != 2:
        raise ValueError(f"expected a 2-D kernel, got an array of shape {kernel.shape}")
    rows, cols = kernel.shape
    if rows != cols:
        raise ValueError(f"expected a square kernel, got shape {kernel.shape}")
    if rows % 2 == 0:
        raise ValueError(
            f"expected an odd-sized kernel (3x3, 5x5, ...) so that it has a centre, got {rows}x{cols}"
        )
    if not np.isfinite(kernel).all():
        raise ValueError("the kernel contains NaN or infinite values; expected finite numbers")
    return kernel


def _checked(image, kernel, padding) -> tuple[np.ndarray, np.ndarray, bool]:
    """Validate the arguments of both convolution functions."""
    if padding not in _PADDINGS:
        raise ValueError(f"padding must be 'same' or 'valid', got {padding!r}")
    kernel = _as_kernel(kernel)
    pixels, was_2d = _as_pixels(image)
    size = kernel.shape[0]
    height, width = pixels.shape[:2]
    if padding == "valid" and (size > height or size > width):
        raise ValueError(
            f"with padding='valid' the kernel ({size}x{size}) must fit inside the image "
            f"({height}x{width}); use padding='same' or a smaller kernel"
        )
    return pixels, kernel, was_2d


# ---------------------------------------------------------------------------
# The lesson's algorithm
# ---------------------------------------------------------------------------


def zero_pad(image, width: int) -> np.ndarray:
    """Surround an image with ``width`` rows and columns of zeros.

    Parameters
    ----------
    image : array_like
        A 2-D (height, width) or 3-D (height, width, channels) image.  Its
        values are kept as they are (not rescaled), only converted to float.
    width : int
        How many zero pixels to add on each of the four sides (``>= 0``).

    Returns
    -------
    numpy.ndarray
        float64 array of shape ``(height + 2*width, width_ + 2*width[, channels])``;
        channels are not padded.

    Examples
    --------
    >>> zero_pad([[1, 2], [3, 4]], 1)
    array([[0., 0., 0., 0.],
           [0., 1., 2., 0.],
           [0., 3., 4., 0.],
           [0., 0., 0., 0.]])
    >>> zero_pad(np.ones((4, 5, 3)), 2).shape
    (8, 9, 3)
    """
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)):
        raise TypeError(f"width must be an integer, got {width!r}")
    if width < 0:
        raise ValueError(f"width must be >= 0, got {width}")
    image = np.asarray(image, dtype=np.float64)
    if image.ndim not in (2, 3):
        raise ValueError(
            "expected a 2-D (height, width) or 3-D (height, width, channels) image, "
            f"got an array of shape {image.shape}"
        )
    spatial = ((width, width), (width, width))
    channels = ((0, 0),) * (image.ndim - 2)
    return np.pad(image, spatial + channels, mode="constant", constant_values=0.0)


def convolve_naive(image, kernel, *, padding: str = "same", clip: bool = True) -> np.ndarray:
    """Filter an image with a kernel, one output pixel at a time (the lesson's loop).

    For every pixel the kernel is laid over the pixel and its neighbours; the
    new value is the sum of the products.  The image is padded with zeros
    first (``padding="same"``) so that the kernel may hang over the border.
    A colour image is filtered channel by channel with the same 2-D kernel.

    Strictly this is cross-correlation: the kernel is not flipped, just as
    in Keras's ``Conv2D`` and OpenCV's ``filter2D``.

    Parameters
    ----------
    image : array_like
        2-D (height, width) or 3-D (height, width, channels) image.  Integer
        pixels (0..255) are divided by 255 first; float pixels are used as
        they are.  Must be non-empty and finite.
    kernel : array_like
        Square 2-D kernel of odd size (3x3, 5x5, ...), finite.
    padding : {"same", "valid"}
        ``"same"``: zero padding, the output has the image's size.
        ``"valid"``: the kernel stays inside the image, the output is
        ``k - 1`` pixels smaller in height and width.
    clip : bool
        Clip every output value to ``[0, 1]``, as needed to show the result
        as an image.  ``False`` keeps the raw sums (negative or above one).

    Returns
    -------
    numpy.ndarray
        float64 array, 2-D or 3-D like the image.

    Raises
    ------
    ValueError
        Image not 2-D/3-D, empty, or not finite; kernel not square, not odd,
        larger than the image with ``padding="valid"``, or not finite;
        unknown padding.
    TypeError
        Image or kernel not made of numbers.

    See Also
    --------
    convolve : the same result, computed fast.

    Examples
    --------
    The lesson's example: the pixel 65 with neighbours 18, 76, 3 and 89,
    sharpened (raw float values, so no scaling, and no clipping):

    >>> image = np.array([[0, 18, 0], [76, 65, 3], [0, 89, 0]], dtype=float)
    >>> convolve_naive(image, SHARPEN, padding="valid", clip=False)
    array([[139.]])

    With zero padding the output keeps the image's size:

    >>> convolve_naive(np.full((2, 3), 255, np.uint8), np.ones((3, 3)) / 9)
    array([[0.4444..., 0.6666..., 0.4444...],
           [0.4444..., 0.6666..., 0.4444...]])
    """
    pixels, kernel, was_2d = _checked(image, kernel, padding)
    size = kernel.shape[0]
    pad = size // 2 if padding == "same" else 0
    padded = zero_pad(pixels, pad)

    height = padded.shape[0] - (size - 1)
    width = padded.shape[1] - (size - 1)
    channels = padded.shape[2]
    result = np.zeros((height, width, channels))
    for y in range(height):
        for x in range(width):
            for c in range(channels):
                # the block of pixels under the kernel when its centre is at (y, x)
                block = padded[y : y + size, x : x + size, c]
                value = np.sum(block * kernel)
                if clip:
                    value = min(max(value, 0.0), 1.0)
                result[y, x, c] = value
    return result[:, :, 0] if was_2d else result


# ---------------------------------------------------------------------------
# The fast version
# ---------------------------------------------------------------------------


@numba.njit(cache=True, nogil=True)
def _correlate_rows(pixels, row_length, channels, dys, dxs, weights, clip, out):
    """Zero-padded 'same' correlation, one output row at a time; compiled by Numba.

    ``pixels`` and ``out`` are flat float64 arrays of the same size holding
    rows of ``row_length = width * channels`` values.  Tap ``t`` adds
    ``weights[t]`` times the source row ``y + dys[t]``, shifted by ``dxs[t]``
    pixels, to output row ``y``; source rows outside the image and columns
    shifted past the border are skipped, which is exactly zero padding.  With
    ``clip`` each finished row is clipped to [0, 1] while it is still in the cache.
    """
    height = pixels.size // row_length
    total = np.empty(row_length)
    for y in range(height):
        total[:] = 0.0
        for t in range(weights.size):
            source_y = y + dys[t]
            if source_y < 0 or source_y >= height:
                continue  # a row of the zero padding
            shift = dxs[t] * channels
            start, stop = max(0, -shift), min(row_length, row_length - shift)
            if start >= stop:
                continue  # the shift moves the whole row past the border
            # Slices rather than computed indices: indexing from 0 lets the compiler
            # drop the check for negative indices, and a loop over two contiguous
            # runs of memory with no checks becomes vector (SIMD) instructions.
            first = source_y * row_length + start + shift
            target = total[start:stop]
            source = pixels[first : first + stop - start]
            weight = weights[t]
            for i in range(stop - start):
                target[i] += weight * source[i]
        row = out[y * row_length : (y + 1) * row_length]
        for i in range(row_length):
            row[i] = min(max(total[i], 0.0), 1.0) if clip else total[i]


def convolve(image, kernel, *, padding: str = "same", clip: bool = True) -> np.ndarray:
    """Filter an image with a kernel, fast: the result of :func:`convolve_naive`, compiled.

    The same sums as the lesson's loop, in another order: for every output
    row and every nonzero kernel weight, the matching row of the image,
    shifted and multiplied by the weight, is added to the output row.  The
    innermost loop then runs along contiguous memory, and Numba compiles it
    to machine code that handles several pixels per instruction.

    Strictly this is cross-correlation: the kernel is not flipped, just as
    in Keras's ``Conv2D`` and OpenCV's ``filter2D``.

    Parameters
    ----------
    image : array_like
        2-D (height, width) or 3-D (height, width, channels) image.  Integer
        pixels (0..255) are divided by 255 first; float pixels are used as
        they are.  Must be non-empty and finite.
    kernel : array_like
        Square 2-D kernel of odd size (3x3, 5x5, ...), finite.
    padding : {"same", "valid"}
        ``"same"``: zero padding, the output has the image's size.
        ``"valid"``: only positions where the kernel lies inside the image,
        ``k - 1`` pixels fewer in height and width.
    clip : bool
        Clip the output to ``[0, 1]`` (``False`` keeps the raw sums).

    Returns
    -------
    numpy.ndarray
        C-contiguous float64 array, 2-D or 3-D like the image; equal to
        ``convolve_naive(image, kernel, padding=padding, clip=clip)`` up to
        rounding, as the sums are formed in another order (differences of
        about 1e-15 for pixels in [0, 1]).

    Raises
    ------
    ValueError, TypeError
        As :func:`convolve_naive`.

    Notes
    -----
    The first call in a Python process compiles the loop (about a second);
    Numba keeps the machine code in a cache on disk, so later processes load
    it in a few milliseconds.

    Examples
    --------
    >>> image = np.array([[0, 18, 0, 7], [76, 65, 3, 1], [0, 89, 0, 2], [5, 5, 5, 5]], float)
    >>> float(convolve(image, SHARPEN, clip=False)[1, 1])
    139.0
    >>> convolve(image, SHARPEN, padding="valid", clip=False)
    array([[139., -51.],
           [375., -99.]])

    A uint8 photo is scaled to [0, 1]; the blur keeps a flat area flat:

    >>> flat_grey = np.full((6, 7, 3), 51, dtype=np.uint8)
    >>> convolve(flat_grey, GAUSSIAN_BLUR, padding="valid")
    array([[[0.2, 0.2, 0.2],
            [0.2, 0.2, 0.2],
            [0.2, 0.2, 0.2]],
           [[0.2, 0.2, 0.2],
            [0.2, 0.2, 0.2],
            [0.2, 0.2, 0.2]]])
    """
    pixels, kernel, was_2d = _checked(image, kernel, padding)
    height, width, channels = pixels.shape
    pad = kernel.shape[0] // 2
    rows, cols = np.nonzero(kernel)  # zero weights add nothing: skip them
    result = np.empty_like(pixels)
    _correlate_rows(
        pixels.reshape(-1),
        width * channels,
        channels,
        rows - pad,
        cols - pad,
        kernel[rows, cols],
        bool(clip),  # one compiled version for every truthy or falsy value
        result.reshape(-1),
    )
    if padding == "valid":  # inside this frame the zero padding played no part
        result = np.ascontiguousarray(result[pad : height - pad, pad : width - pad])
    return result[:, :, 0] if was_2d else result
