"""Filtering an image with a kernel: by hand, pixel by pixel, and fast.

Lesson 2 slides a small square *kernel* over an image: every output pixel is
the weighted sum of the input pixel and its neighbours, with the kernel's
numbers as weights.  Outside the image the pixels count as zeros (*zero
padding*, ``padding="same"``), or the kernel never leaves the image and the
result shrinks by ``k - 1`` pixels (``padding="valid"``).  A colour image is
filtered channel by channel with the same 2-D kernel.

Strictly speaking this is *cross-correlation*: the kernel is used as it is,
not flipped as in the mathematical convolution.  Keras's ``Conv2D``, OpenCV's
``filter2D`` and ``scipy.ndimage.correlate`` compute the same, while
``scipy.ndimage.convolve`` (like MATLAB's ``conv2``) flips the kernel first; the
two agree for a kernel equal to its 180-degree rotation, ``K[::-1, ::-1]``.

:func:`convolve_naive` is the per-pixel loop of the lesson; :func:`convolve`
computes the same sums with one call of ``scipy.ndimage.correlate``, compiled code
instead of a Python loop, and adds the lesson's scaling and clipping (how much faster it is
on the machine that built the book, the speed appendix measures, with
``benchmarks/bench_convolution.py``, which also compares OpenCV and NumPy).

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
from scipy import ndimage

from imagerec._checks import (
    array, boolean, choice, fail, integer, int_tuple, number, optional, same_shape, validate_params,
)
from imagerec.images import check_image

__all__ = [
    "SHARPEN",
    "EDGES",
    "GAUSSIAN_BLUR",
    "KERNELS",
    "zero_pad",
    "convolve_naive",
    "convolve",
    "convolution_matrix",
    "fit_kernel",
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

# ---------------------------------------------------------------------------
# The checks of the arguments
# ---------------------------------------------------------------------------

_KERNEL = "a square 2-D kernel of odd size (3x3, 5x5, ...) of finite real numbers"


def _kernel(kernel, name: str) -> np.ndarray:
    """Check: a finite, square, odd-sized 2-D array of numbers, as float64."""
    kernel = array(kinds="biuf", ndim=2, what=_KERNEL)(kernel, name).astype(np.float64)
    rows, cols = kernel.shape
    if rows != cols or rows % 2 == 0:
        raise fail(ValueError, name, _KERNEL, f"shape {kernel.shape}")
    return kernel


def _kernel_fits(arguments) -> None:
    """Relation: with padding="valid" the kernel lies inside the image."""
    height, width = arguments["image"].shape[:2] if "image" in arguments else arguments["shape"]
    size = arguments["kernel"].shape[0]
    if arguments["padding"] == "valid" and size > min(height, width):
        raise fail(ValueError, "kernel", f"inside the image ({height}x{width}) with padding='valid'",
                   f"{size}x{size}; use padding='same' or a smaller kernel")


def _multiple_of_50(steps, name: str) -> int:
    """Check: a positive multiple of 50."""
    steps = integer(low=50, what="a positive multiple of 50")(steps, name)
    if steps % 50:
        raise fail(ValueError, name, "a positive multiple of 50", steps)
    return steps


_FILTER = dict(image=check_image, kernel=_kernel, padding=choice("same", "valid"), clip=boolean,
               scale=optional(number(low=0, include_low=False)))


# ---------------------------------------------------------------------------
# The lesson's algorithm
# ---------------------------------------------------------------------------


@validate_params(image=array(kinds="biuf", ndim=(2, 3), finite=False), width=integer(low=0))
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
    spatial = ((width, width), (width, width))
    channels = ((0, 0),) * (image.ndim - 2)
    return np.pad(image.astype(np.float64), spatial + channels, mode="constant", constant_values=0.0)


@validate_params(_kernel_fits, **_FILTER)
def convolve_naive(image, kernel, *, padding: str = "same", clip: bool = True,
                   scale: float | None = None) -> np.ndarray:
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
        2-D (height, width) or 3-D (height, width, channels) image, non-empty
        and finite.  Its values are multiplied by ``scale`` first.
    kernel : array_like
        Square 2-D kernel of odd size (3x3, 5x5, ...), finite.
    padding : {"same", "valid"}
        ``"same"``: zero padding, the output has the image's size.
        ``"valid"``: the kernel stays inside the image, the output is
        ``k - 1`` pixels smaller in height and width.
    clip : bool
        Clip every output value to ``[0, 1]``, as needed to show the result
        as an image.  ``False`` keeps the raw sums (negative or above one).
    scale : float or None
        Factor applied to the pixel values before filtering.  ``None`` (the
        default) divides integer images by 255 and leaves float images as
        they are, so that pixels lie in [0, 1]; ``scale=1`` keeps the values
        of an 8-bit image, 0..255, to compute sums by hand.

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
    sharpened in pixel values (``scale=1``) and without clipping:

    >>> image = np.array([[0, 18, 0], [76, 65, 3], [0, 89, 0]], dtype=np.uint8)
    >>> convolve_naive(image, SHARPEN, padding="valid", clip=False, scale=1)
    array([[139.]])
    >>> convolve_naive(image, SHARPEN, padding="valid", clip=False) * 255
    array([[139.]])

    With zero padding the output keeps the image's size:

    >>> convolve_naive(np.full((2, 3), 255, np.uint8), np.ones((3, 3)) / 9)
    array([[0.4444..., 0.6666..., 0.4444...],
           [0.4444..., 0.6666..., 0.4444...]])
    """
    if scale is None:  # bytes 0..255 become 0..1; floats stay as they are
        scale = 1 / 255 if image.dtype.kind in "iu" else 1.0
    pixels = np.atleast_3d(image * scale)  # a grey image becomes one channel
    size = kernel.shape[0]
    padded = zero_pad(pixels, size // 2 if padding == "same" else 0)
    height = padded.shape[0] - size + 1
    width = padded.shape[1] - size + 1
    result = np.zeros((height, width, pixels.shape[2]))
    for y in range(height):
        for x in range(width):
            for c in range(pixels.shape[2]):
                # the pixels under the kernel when its centre is at (y, x)
                block = padded[y : y + size, x : x + size, c]
                result[y, x, c] = np.sum(block * kernel)
    if clip:
        result = np.clip(result, 0.0, 1.0)
    return result[:, :, 0] if image.ndim == 2 else result


# ---------------------------------------------------------------------------
# The fast version: a library call
# ---------------------------------------------------------------------------


@validate_params(_kernel_fits, **_FILTER)
def convolve(image, kernel, *, padding: str = "same", clip: bool = True,
             scale: float | None = None) -> np.ndarray:
    """Filter an image with a kernel, fast: the result of :func:`convolve_naive`, from SciPy.

    The weighted sums are computed by ``scipy.ndimage.correlate`` with a
    constant zero border (``mode="constant", cval=0``), which is the lesson's
    zero padding; a colour image is filtered with the kernel as a
    ``(k, k, 1)`` array, so that every channel is filtered on its own.  This
    function adds only what the lesson adds around the sums: the checks, the
    scaling of the pixels, ``padding="valid"`` (the frame the zero border did
    not reach) and the clipping.

    Strictly this is cross-correlation: the kernel is not flipped, just as
    in Keras's ``Conv2D`` and OpenCV's ``filter2D``.

    Parameters
    ----------
    image : array_like
        2-D (height, width) or 3-D (height, width, channels) image, non-empty
        and finite.  Its values are multiplied by ``scale`` first.
    kernel : array_like
        Square 2-D kernel of odd size (3x3, 5x5, ...), finite.
    padding : {"same", "valid"}
        ``"same"``: zero padding, the output has the image's size.
        ``"valid"``: only positions where the kernel lies inside the image,
        ``k - 1`` pixels fewer in height and width.
    clip : bool
        Clip the output to ``[0, 1]`` (``False`` keeps the raw sums).
    scale : float or None
        Factor applied to the pixel values before filtering.  ``None`` (the
        default) divides integer images by 255 and leaves float images as
        they are, so that pixels lie in [0, 1]; ``scale=1`` keeps the values
        of an 8-bit image, 0..255, to compute sums by hand.

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

    ``scale=1`` keeps an 8-bit image's pixel values:

    >>> pixels = image.astype(np.uint8)
    >>> float(convolve(pixels, SHARPEN, clip=False, scale=1)[1, 1])
    139.0

    By default a uint8 photo is scaled to [0, 1]; the blur keeps a flat area flat:

    >>> flat_grey = np.full((6, 7, 3), 51, dtype=np.uint8)
    >>> convolve(flat_grey, GAUSSIAN_BLUR, padding="valid")
    array([[[0.2, 0.2, 0.2],
            [0.2, 0.2, 0.2],
            [0.2, 0.2, 0.2]],
           [[0.2, 0.2, 0.2],
            [0.2, 0.2, 0.2],
            [0.2, 0.2, 0.2]]])
    """
    if scale is None:  # bytes 0..255 become 0..1; floats stay as they are
        scale = 1 / 255 if image.dtype.kind in "iu" else 1.0
    pixels = np.atleast_3d(image * scale)  # a grey image becomes one channel
    # the kernel spans one channel, so each channel is filtered on its own
    result = ndimage.correlate(pixels, kernel[:, :, np.newaxis], mode="constant", cval=0.0)
    if padding == "valid":  # inside this frame the zero padding played no part
        r = kernel.shape[0] // 2
        result = np.ascontiguousarray(result[r : result.shape[0] - r, r : result.shape[1] - r])
    if clip:
        np.clip(result, 0.0, 1.0, out=result)
    return result[:, :, 0] if image.ndim == 2 else result


# ---------------------------------------------------------------------------
# Convolution as a matrix, and a kernel learnt from examples
# ---------------------------------------------------------------------------


def _image_shape(shape, name: str) -> tuple[int, int]:
    """Check: (height, width), two positive ints."""
    return int_tuple(shape, 2, name, "(height, width) of grey images")


@validate_params(_kernel_fits, kernel=_kernel, shape=_image_shape, padding=choice("same", "valid"))
def convolution_matrix(kernel, shape, *, padding: str = "same") -> np.ndarray:
    """The matrix ``M`` with ``M @ image.ravel() == convolve(image, kernel).ravel()``.

    A convolution is a dense layer whose weight matrix is mostly zeros and
    repeats the kernel's weights: row ``i`` holds the kernel's weights at the
    columns of the pixels under the kernel when it sits on output pixel
    ``i``, and zeros elsewhere.

    Parameters
    ----------
    kernel : array_like
        Square 2-D kernel of odd size, finite.
    shape : (int, int)
        Height and width of the (gray) images the matrix applies to.
    padding : {"same", "valid"}
        As in :func:`convolve`.

    Returns
    -------
    numpy.ndarray
        float64 array of shape ``(outputs, height * width)``; ``outputs`` is
        ``height * width`` for ``"same"`` and ``(height - k + 1) * (width - k + 1)``
        for ``"valid"``.  Images and outputs are flattened row by row.

    Examples
    --------
    >>> M = convolution_matrix(SHARPEN, (3, 3))
    >>> M.shape, int(np.count_nonzero(M))
    ((9, 9), 33)
    >>> M[4].reshape(3, 3)  # the centre pixel's row: the whole kernel
    array([[ 0., -1.,  0.],
           [-1.,  5., -1.],
           [ 0., -1.,  0.]])
    >>> image = np.arange(9.0).reshape(3, 3)
    >>> bool(np.allclose(M @ image.ravel(), convolve(image, SHARPEN, clip=False).ravel()))
    True
    """
    height, width = shape
    size = kernel.shape[0]
    r = size // 2
    if padding == "valid":
        rows, cols, offset = height - size + 1, width - size + 1, 0
    else:
        rows, cols, offset = height, width, -r
    matrix = np.zeros((rows * cols, height * width))
    for i in range(rows):
        for j in range(cols):
            for m in range(size):
                for n in range(size):
                    y, x = i + m + offset, j + n + offset
                    if 0 <= y < height and 0 <= x < width:  # else: a zero of the padding
                        matrix[i * cols + j, y * width + x] = kernel[m, n]
    return matrix


@validate_params(same_shape("image", "target"), image=array(ndim=2), target=array(ndim=2),
                 size=integer(low=1), steps=_multiple_of_50,
                 learning_rate=number(low=0, include_low=False), seed=integer(low=0))
def fit_kernel(image, target, size: int = 3, *, steps: int = 400,
               learning_rate: float = 0.1, seed: int = 0):
    """Learn the kernel that turns ``image`` into ``target``: a one-kernel ``Conv2D``, trained.

    A ``keras.layers.Conv2D(1, (size, size), padding="same", use_bias=False)``
    starts from random weights and is trained by gradient descent with
    momentum (``keras.optimizers.SGD(learning_rate, momentum=0.9)``) to
    minimise the mean squared difference between its output and ``target``.
    Every step sees the whole image.

    Parameters
    ----------
    image, target : array_like
        Gray images (2-D, same shape), float.  Gradient descent converges
        fastest on a standardised image (mean 0, standard deviation 1).
    size : int
        Kernel size (odd).
    steps : int
        Training steps, a multiple of 50 (they run 50 at a time).
    learning_rate : float
        Step size of gradient descent.
    seed : int
        Seed of the random initial weights.

    Returns
    -------
    kernel : numpy.ndarray
        The learnt ``(size, size)`` kernel, float64.
    losses : list of float
        The mean squared error after every 50 steps.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> noise = rng.normal(size=(40, 40))
    >>> target = convolve(noise, SHARPEN, clip=False)
    >>> kernel, losses = fit_kernel(noise, target, steps=200)
    >>> bool(np.abs(kernel - SHARPEN).max() < 1e-3), losses[-1] < 1e-6
    (True, True)
    """
    import keras

    keras.utils.set_random_seed(seed)
    layer = keras.layers.Conv2D(1, (size, size), padding="same", use_bias=False)
    model = keras.Sequential([keras.Input((*image.shape, 1)), layer])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate, momentum=0.9), loss="mse")
    # the pair 50 times in batches of one: an epoch is 50 steps, each on the whole image
    x = np.repeat(image[None, :, :, None], 50, axis=0)
    y = np.repeat(target[None, :, :, None], 50, axis=0)
    history = model.fit(x, y, batch_size=1, epochs=steps // 50, verbose=0)
    kernel = keras.ops.convert_to_numpy(layer.kernel)[:, :, 0, 0]
    return kernel.astype(np.float64), history.history["loss"]
