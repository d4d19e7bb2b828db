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
gives the same numbers more than a thousand times faster by adding whole
shifted copies of the image at once (``benchmarks/bench_convolution.py``
compares both with OpenCV and SciPy).

>>> from imagerec.images import cross
>>> sorted(KERNELS)
['blur', 'edges', 'sharpen']
>>> convolve(cross(), SHARPEN)
array([[0., 1., 0.],
       [1., 1., 1.],
       [0., 1., 0.]])
"""

from __future__ import annotations

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
#
# An output pixel is sum_t w_t * image[y + dy_t, x + dx_t] over the kernel's
# nonzero taps t.  Instead of looping over the pixels, loop over the few taps
# and add a whole shifted copy of the image per tap.  On the flattened image a
# shift by (dy, dx) is a shift by dy*W*C + dx*C elements, so every copy is a
# contiguous 1-D slice, the fastest thing NumPy can add.  Cutting the slices at
# the ends of the array leaves out the rows above and below the image, which is
# exactly zero padding.  At the left and right border, though, a flat shift
# wraps into the neighbouring row; those few wrong values are taken back at the
# end (_unwrap).
#
# Each pass over the image costs about as much as one addition, and every large
# temporary array costs even more, so the taps are grouped by weight and
# combined Horner-style in the output array itself, with one multiplication per
# distinct weight:  w1*S1 + w2*S2 + w3*S3 = ((S1 * w1/w2 + S2) * w2/w3 + S3) * w3,
# where S is the sum of the shifted copies sharing a weight (smallest |w| first,
# so the ratios stay below one).  Weights +1 and -1 need no multiplication and
# are added last.
#
# A kernel that is an outer product of two vectors (the Gaussian blur) is
# applied as a horizontal and then a vertical 1-D filter: 5 + 5 taps instead of
# 25.  The intermediate image is made band by band in a small reused buffer, so
# that no second full-size array is needed.
#
# The helpers work on rows [dst_row, ...) of the output, given the image rows
# [src_row, ...) they need; a flat shift becomes local: s + (dst_row - src_row)*W*C.


def _span(n_dst: int, n_src: int, shift: int, start: int = 0, stop: int | None = None):
    """Positions o in [start, stop) of the output whose source o + shift lies in [0, n_src)."""
    stop = n_dst if stop is None else min(stop, n_dst)
    lo, hi = min(max(start, -shift), stop), min(stop, n_src - shift)
    return lo, max(lo, hi)


def _add_shifted(dst, src, shift, *, subtract=False, start=0, stop=None) -> None:
    """dst[o] += src[o + shift] (or -=) for o in [start, stop) wherever o + shift is inside src."""
    lo, hi = _span(dst.size, src.size, shift, start, stop)
    if lo < hi:
        op = np.subtract if subtract else np.add
        op(dst[lo:hi], src[lo + shift : hi + shift], out=dst[lo:hi])


def _begin(dst, src, shifts: list[int], weight: float = 1.0) -> None:
    """Fill dst with the sum of the shifted copies of src (zeros where no copy reaches).

    A single copy is multiplied by ``weight`` on the way, which saves a pass.
    """
    n_dst, n_src = dst.size, src.size
    if len(shifts) == 1:
        (lo, hi), s1 = _span(n_dst, n_src, shifts[0]), shifts[0]
        np.multiply(src[lo + s1 : hi + s1], weight, out=dst[lo:hi])
    else:
        # add the first two copies in one pass where both exist, then their loose ends
        (a1, b1), (a2, b2) = _span(n_dst, n_src, shifts[0]), _span(n_dst, n_src, shifts[1])
        lo = max(a1, a2)
        hi = max(lo, min(b1, b2))
        s1, s2 = shifts[0], shifts[1]
        np.add(src[lo + s1 : hi + s1], src[lo + s2 : hi + s2], out=dst[lo:hi])
    if lo > 0:
        dst[:lo] = 0.0
    if hi < n_dst:
        dst[hi:] = 0.0
    if len(shifts) > 1:
        for shift in shifts[:2]:
            _add_shifted(dst, src, shift, stop=lo)
            _add_shifted(dst, src, shift, start=hi)
    for shift in shifts[2:]:
        _add_shifted(dst, src, shift)


def _unwrap(dst3, src3, dy: int, dx: int, weight: float, dst_row: int, src_row: int) -> None:
    """Take back what a flat shift by (dy, dx) wrongly added at the left or right border.

    For dx < 0 the output columns x < -dx read pixel (y + dy - 1, x + dx + W) at the end
    of the previous row instead of a zero; for dx > 0 the columns x >= W - dx read pixel
    (y + dy + 1, x + dx - W) at the start of the next row.  Only output rows y whose
    source row was available (inside src) were added.
    """
    width = dst3.shape[1]
    src_dy = dy - 1 if dx < 0 else dy + 1
    y0 = max(dst_row, src_row - src_dy)
    y1 = min(dst_row + dst3.shape[0], src_row + src3.shape[0] - src_dy)
    if y0 >= y1:
        return
    if dx < 0:
        dst_cols, src_cols = slice(0, -dx), slice(width + dx, width)
    else:
        dst_cols, src_cols = slice(width - dx, width), slice(0, dx)
    target = dst3[y0 - dst_row : y1 - dst_row, dst_cols]
    wrong = src3[y0 + src_dy - src_row : y1 + src_dy - src_row, src_cols]
    if weight == -1.0:
        np.add(target, wrong, out=target)
    elif weight == 1.0:
        np.subtract(target, wrong, out=target)
    else:
        target -= weight * wrong


def _correlate_taps(src3, dst3, taps, *, src_row: int = 0, dst_row: int = 0) -> None:
    """Rows of the zero-padded 'same' correlation of an image with taps (dy, dx, weight).

    ``src3`` holds the image rows [src_row, src_row + len(src3)): every row the
    output rows need, or the whole image; ``dst3`` receives the output rows
    [dst_row, dst_row + len(dst3)).  Both are C-contiguous float64 (rows, W, C).
    """
    width, channels = src3.shape[1:]
    src, dst = src3.reshape(-1), dst3.reshape(-1)
    row_shift = (dst_row - src_row) * width * channels
    # weight 0, or a column shift that only ever sees the zero padding: nothing to add
    taps = [(dy, dx, w) for dy, dx, w in taps if w != 0.0 and abs(dx) < width]
    if not taps:
        dst.fill(0.0)
        return

    groups: dict[float, list[int]] = {}
    for dy, dx, w in taps:
        groups.setdefault(float(w), []).append((dy * width + dx) * channels + row_shift)
    scaled = sorted((w for w in groups if abs(w) != 1.0), key=abs)
    units = sorted((w for w in groups if abs(w) == 1.0), reverse=True)
    if not scaled:
        scaled.append(units.pop(0))

    first = groups[scaled[0]]
    if len(scaled) == 1 and len(first) == 1:  # e.g. sharpen: 5 * centre, minus the rest
        _begin(dst, src, first, weight=scaled[0])
        scale = 1.0
    else:
        _begin(dst, src, first)
        scale = scaled[0]
    for weight in scaled[1:]:
        np.multiply(dst, scale / weight, out=dst)
        for shift in groups[weight]:
            _add_shifted(dst, src, shift)
        scale = weight
    if scale != 1.0:
        np.multiply(dst, scale, out=dst)
    for weight in units:
        for shift in groups[weight]:
            _add_shifted(dst, src, shift, subtract=weight < 0)

    for dy, dx, w in taps:
        if dx:
            _unwrap(dst3, src3, dy, dx, w, dst_row, src_row)


#: Size of the band buffer of the separable filter, in values (1 MiB): large enough that
#: the per-call overhead of a band is small, small next to a photo so that the buffer and
#: the output together do not make the memory allocator return and re-fetch pages.
_BAND_VALUES = 2**17


def _correlate_separable(pixels, column, row) -> np.ndarray:
    """Zero-padded 'same' correlation with the kernel outer(column, row), one band of rows at a time."""
    height, width, channels = pixels.shape
    pad = len(row) // 2
    offsets = range(-pad, pad + 1)
    horizontal = [(0, dx, w) for dx, w in zip(offsets, row.tolist())]
    vertical = [(dy, 0, w) for dy, w in zip(offsets, column.tolist())]

    out = np.empty_like(pixels)
    band = max(1, _BAND_VALUES // (width * channels))
    buffer = np.empty((min(height, band + 2 * pad), width, channels))
    for top in range(0, height, band):
        bottom = min(height, top + band)
        # the rows this band of output needs, filtered horizontally
        first, last = max(0, top - pad), min(height, bottom + pad)
        rows = buffer[: last - first]
        _correlate_taps(pixels, rows, horizontal, dst_row=first)
        _correlate_taps(rows, out[top:bottom], vertical, src_row=first, dst_row=top)
    return out


def _separate(kernel: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Column and row vectors (u, v) with outer(u, v) == kernel, or None if the kernel is not rank 1."""
    i, j = np.unravel_index(np.argmax(np.abs(kernel)), kernel.shape)
    pivot = kernel[i, j]
    if pivot == 0.0:
        return None
    column, row = kernel[:, j].copy(), kernel[i, :] / pivot
    tolerance = 8 * np.finfo(np.float64).eps * abs(pivot)
    if np.max(np.abs(np.outer(column, row) - kernel)) > tolerance:
        return None
    return column, row


def convolve(image, kernel, *, padding: str = "same", clip: bool = True) -> np.ndarray:
    """Filter an image with a kernel, fast: the result of :func:`convolve_naive`, vectorised.

    Instead of visiting every pixel, it visits every nonzero kernel weight and
    adds the whole image, shifted and scaled by that weight, to the result.
    Equal weights are summed before scaling, and a kernel that is an outer
    product of two vectors (such as the Gaussian blur) is applied as a
    horizontal and then a vertical one-dimensional filter.

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
    size = kernel.shape[0]
    pad = size // 2

    # two 1-D passes cost at most 2k taps: worth it when the kernel has more nonzero weights
    factors = _separate(kernel) if np.count_nonzero(kernel) > 2 * size else None
    if factors is not None:
        result = _correlate_separable(pixels, *factors)
    else:
        offsets = range(-pad, pad + 1)
        weights = kernel.tolist()
        taps = [(dy, dx, weights[dy + pad][dx + pad]) for dy in offsets for dx in offsets]
        result = np.empty_like(pixels)
        _correlate_taps(pixels, result, taps)

    if padding == "valid":  # inside this frame the zero padding played no part
        height, width = pixels.shape[:2]
        result = np.ascontiguousarray(result[pad : height - pad, pad : width - pad])
    if clip:
        np.clip(result, 0.0, 1.0, out=result)
    return result[:, :, 0] if was_2d else result
