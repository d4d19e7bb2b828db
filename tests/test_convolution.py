"""Tests of imagerec.convolution: the fast filter equals the lesson's loop, OpenCV, SciPy and Keras."""

import cv2
import keras
import numpy as np
import pytest
import scipy.ndimage

from imagerec.convolution import EDGES, GAUSSIAN_BLUR, KERNELS, SHARPEN, convolve, convolve_naive, zero_pad

RNG = np.random.default_rng(12345)
BOTH = [convolve, convolve_naive]


def random_image(rng, height, width, channels, integer):
    shape = (height, width) if channels is None else (height, width, channels)
    if integer:
        return rng.integers(0, 256, size=shape).astype(np.uint8)
    return rng.random(shape)


def random_kernel(rng, size, kind):
    if kind == "normal":
        return rng.normal(size=(size, size))
    if kind == "sparse":
        kernel = rng.normal(size=(size, size))
        kernel[rng.random((size, size)) < 0.6] = 0.0
        return kernel
    if kind == "rank1":
        return np.outer(rng.normal(size=size), rng.normal(size=size))
    if kind == "integers":  # many equal weights, +1 and -1 among them
        return rng.integers(-2, 3, size=(size, size)).astype(float)
    if kind == "box":
        return np.ones((size, size)) / size**2
    raise ValueError(kind)


def cases(count, seed):
    """Seeded random (image, kernel) pairs of many shapes and kinds."""
    rng = np.random.default_rng(seed)
    for _ in range(count):
        size = int(rng.choice([1, 3, 5, 7]))
        height, width = (int(n) for n in rng.integers(1, 13, size=2))
        channels = [None, 1, 2, 3][rng.integers(0, 4)]
        image = random_image(rng, height, width, channels, integer=bool(rng.integers(0, 2)))
        kind = ["normal", "sparse", "rank1", "integers", "box"][rng.integers(0, 5)]
        yield image, random_kernel(rng, size, kind)


# --- the kernels ---------------------------------------------------------------------------


def test_kernels_of_the_lesson():
    assert set(KERNELS) == {"sharpen", "edges", "blur"}
    assert SHARPEN.shape == EDGES.shape == (3, 3) and GAUSSIAN_BLUR.shape == (5, 5)
    assert all(kernel.dtype == np.float64 for kernel in KERNELS.values())
    assert SHARPEN.sum() == 1.0 and EDGES.sum() == 0.0 and GAUSSIAN_BLUR.sum() == 1.0
    assert GAUSSIAN_BLUR[2, 2] == 36 / 256
    with pytest.raises(ValueError):
        SHARPEN[0, 0] = 3.0  # shared constants are read-only


# --- the lesson's worked example -----------------------------------------------------------


def lesson_image():
    """4x4 image whose pixel (1, 1) is 65 with neighbours 18 (up), 76 (left), 3 (right), 89 (down)."""
    return np.array(
        [
            [10, 18, 20, 30],
            [76, 65, 3, 40],
            [50, 89, 60, 70],
            [80, 90, 100, 110],
        ],
        dtype=np.uint8,
    )


@pytest.mark.parametrize("function", BOTH)
def test_lesson_example_sharpens_65_to_139(function):
    raw = lesson_image().astype(float)  # float: used as is, no division by 255
    result = function(raw, SHARPEN, clip=False)
    assert result[1, 1] == 5 * 65 - (18 + 76 + 3 + 89) == 139
    valid = function(raw, SHARPEN, padding="valid", clip=False)
    assert valid.shape == (2, 2) and valid[0, 0] == 139


@pytest.mark.parametrize("function", BOTH)
def test_integer_images_are_scaled_by_255(function):
    image = lesson_image()
    result = function(image, SHARPEN, clip=False)
    assert result[1, 1] == pytest.approx(139 / 255, abs=1e-15)
    np.testing.assert_allclose(result, function(image / 255.0, SHARPEN, clip=False), atol=1e-15)


@pytest.mark.parametrize("function", BOTH)
def test_clipping(function):
    image = lesson_image() / 255.0
    raw = function(image, EDGES, clip=False)
    clipped = function(image, EDGES)
    assert raw.min() < 0 and raw.max() > 1  # so clipping has something to do
    np.testing.assert_array_equal(clipped, np.clip(raw, 0, 1))
    with pytest.raises(TypeError, match="clip"):
        function(image, EDGES, clip=1)


# --- fast == naive -------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_convolve_equals_naive_on_random_cases(seed):
    for image, kernel in cases(40, seed):
        for padding in ("same", "valid"):
            size = kernel.shape[0]
            if padding == "valid" and size > min(image.shape[:2]):
                continue
            for clip in (True, False):
                fast = convolve(image, kernel, padding=padding, clip=clip)
                slow = convolve_naive(image, kernel, padding=padding, clip=clip)
                assert fast.shape == slow.shape
                assert fast.dtype == np.float64
                np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-12)


@pytest.mark.parametrize("name", sorted(KERNELS))
@pytest.mark.parametrize("shape", [(9, 14), (12, 7, 3), (5, 5, 1), (2, 3, 3)])
def test_convolve_equals_naive_for_the_lesson_kernels(name, shape):
    image = random_image(RNG, *shape[:2], shape[2] if len(shape) == 3 else None, integer=True)
    for padding in ("same", "valid"):
        if padding == "valid" and KERNELS[name].shape[0] > min(shape[:2]):
            continue
        for clip in (True, False):
            np.testing.assert_allclose(
                convolve(image, KERNELS[name], padding=padding, clip=clip),
                convolve_naive(image, KERNELS[name], padding=padding, clip=clip),
                rtol=0,
                atol=1e-12,
            )


def test_kernels_larger_than_the_image_with_zero_padding():
    image = RNG.random((2, 3, 2))
    for kernel in (RNG.normal(size=(7, 7)), np.ones((9, 9)), np.outer([1, 2, 3, 2, 1], [1, 0, 2, 0, 1])):
        np.testing.assert_allclose(
            convolve(image, kernel, clip=False), convolve_naive(image, kernel, clip=False), rtol=0, atol=1e-12
        )


def test_special_kernels():
    image = RNG.random((6, 7, 3))
    np.testing.assert_array_equal(convolve(image, np.zeros((3, 3)), clip=False), np.zeros_like(image))
    np.testing.assert_array_equal(convolve(image, [[1.0]], clip=False), image)
    shift = np.zeros((3, 3))
    shift[1, 2] = 1.0  # output pixel (y, x) takes input (y, x + 1): correlation, not flipped
    shifted = convolve(image, shift, clip=False)
    np.testing.assert_array_equal(shifted[:, :-1], image[:, 1:])
    np.testing.assert_array_equal(shifted[:, -1], 0.0)


def test_inputs_are_not_modified():
    image = RNG.random((6, 6, 3))
    kernel = RNG.normal(size=(3, 3))
    image_copy, kernel_copy = image.copy(), kernel.copy()
    convolve(image, kernel)
    convolve_naive(image, kernel)
    np.testing.assert_array_equal(image, image_copy)
    np.testing.assert_array_equal(kernel, kernel_copy)


def test_non_contiguous_and_other_dtypes():
    base = RNG.random((10, 12, 3))
    view = base[::2, ::-1]  # strided and reversed
    np.testing.assert_allclose(convolve(view, SHARPEN), convolve(view.copy(), SHARPEN), atol=1e-15)
    small = RNG.integers(0, 256, size=(5, 6)).astype(np.int64)
    np.testing.assert_allclose(convolve(small, EDGES), convolve(small.astype(np.uint8), EDGES), atol=1e-15)
    as_float32 = base.astype(np.float32)
    blurred = convolve(as_float32, GAUSSIAN_BLUR)
    np.testing.assert_allclose(blurred, convolve(as_float32.astype(float), GAUSSIAN_BLUR))
    assert convolve(base, SHARPEN).flags.c_contiguous


# --- the same operation in other libraries -------------------------------------------------


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_equals_opencv_and_scipy(name):
    image = RNG.random((31, 45, 3))
    kernel = KERNELS[name]
    ours = convolve(image, kernel, clip=False)
    opencv = cv2.filter2D(image, -1, kernel, borderType=cv2.BORDER_CONSTANT)
    scipy_result = scipy.ndimage.correlate(image, kernel[:, :, None], mode="constant", cval=0.0)
    np.testing.assert_allclose(ours, opencv, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours, scipy_result, rtol=0, atol=1e-12)


@pytest.mark.parametrize("padding", ["same", "valid"])
def test_equals_keras_depthwise_convolution(padding):
    """Keras's convolution layers also use the kernel unflipped (cross-correlation)."""
    image = RNG.random((9, 11, 3)).astype(np.float32)
    kernel = RNG.normal(size=(3, 3))
    weights = np.repeat(kernel[:, :, None, None], 3, axis=2).astype(np.float32)  # (k, k, C, 1)
    expected = np.asarray(keras.ops.depthwise_conv(image[None], weights, padding=padding))[0]
    ours = convolve(image, kernel, padding=padding, clip=False)
    np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-5)


# --- zero padding --------------------------------------------------------------------------


def test_zero_pad():
    image = np.arange(1, 7).reshape(2, 3)
    padded = zero_pad(image, 2)
    assert padded.shape == (6, 7) and padded.dtype == np.float64
    np.testing.assert_array_equal(padded[2:4, 2:5], image)
    assert padded.sum() == image.sum()
    color = zero_pad(np.ones((2, 2, 3)), 1)
    assert color.shape == (4, 4, 3)  # channels are not padded
    np.testing.assert_array_equal(zero_pad(image, 0), image)


@pytest.mark.parametrize(
    "image, width, error, name",
    [
        (np.ones((2, 2)), -1, ValueError, "width"),
        (np.ones((2, 2)), 1.5, TypeError, "width"),
        (np.ones((2, 2)), True, TypeError, "width"),
        (np.ones(3), 1, ValueError, "image"),
    ],
)
def test_zero_pad_checks_its_input(image, width, error, name):
    with pytest.raises(error, match=f"^{name} "):
        zero_pad(image, width)


# --- validation ----------------------------------------------------------------------------

INVALID = [
    (np.ones(5), SHARPEN, "same", ValueError, "image"),
    (np.ones((2, 3, 4, 5)), SHARPEN, "same", ValueError, "image"),
    (np.ones((0, 5)), SHARPEN, "same", ValueError, "image"),
    (np.ones((4, 0, 3)), SHARPEN, "same", ValueError, "image"),
    (np.ones((5, 5)), np.ones((2, 2)), "same", ValueError, "kernel"),
    (np.ones((5, 5)), np.ones((4, 4)), "valid", ValueError, "kernel"),
    (np.ones((5, 5)), np.ones((3, 5)), "same", ValueError, "kernel"),
    (np.ones((5, 5)), np.ones(3), "same", ValueError, "kernel"),
    (np.ones((5, 5)), np.ones((3, 3, 3)), "same", ValueError, "kernel"),
    (np.ones((4, 9)), np.ones((5, 5)), "valid", ValueError, "kernel"),
    (np.ones((9, 4, 3)), np.ones((5, 5)), "valid", ValueError, "kernel"),
    (np.array([[0.5, np.nan], [0.1, 0.2]]), SHARPEN, "same", ValueError, "image"),
    (np.array([[0.5, np.inf], [0.1, 0.2]]), SHARPEN, "same", ValueError, "image"),
    (np.full((3, 3, 3), -np.inf), SHARPEN, "same", ValueError, "image"),
    (np.ones((5, 5)), [[0, 1, 0], [1, np.nan, 1], [0, 1, 0]], "same", ValueError, "kernel"),
    (np.ones((5, 5)), [[0, 1, 0], [1, np.inf, 1], [0, 1, 0]], "same", ValueError, "kernel"),
    (np.ones((5, 5)), SHARPEN, "full", ValueError, "padding"),
    (np.ones((5, 5)), SHARPEN, "SAME", ValueError, "padding"),
    (np.ones((5, 5), dtype=bool), SHARPEN, "same", TypeError, "image"),
    (np.array([["a", "b"], ["c", "d"]]), SHARPEN, "same", TypeError, "image"),
    (np.ones((5, 5)), [["a", "b", "c"]] * 3, "same", TypeError, "kernel"),
    (np.ones((5, 5)), np.full((3, 3), 1j), "same", TypeError, "kernel"),
    (np.ones((5, 5)), [[1, 2, 3], [4, 5]], "same", ValueError, "kernel"),
]


@pytest.mark.parametrize("image, kernel, padding, error, name", INVALID)
@pytest.mark.parametrize("function", BOTH)
def test_invalid_input_is_explained(function, image, kernel, padding, error, name):
    with pytest.raises(error, match=f"^{name} "):
        function(image, kernel, padding=padding)


@pytest.mark.parametrize("function", BOTH)
def test_valid_padding_accepts_a_kernel_as_large_as_the_image(function):
    image = RNG.random((5, 5))
    result = function(image, np.ones((5, 5)), padding="valid", clip=False)
    assert result.shape == (1, 1)
    assert result[0, 0] == pytest.approx(image.sum())


# --- the scale argument --------------------------------------------------------------------


@pytest.mark.parametrize("function", BOTH)
def test_scale_one_keeps_pixel_values(function):
    image = lesson_image()
    raw = function(image, SHARPEN, clip=False, scale=1)
    assert raw[1, 1] == 139.0
    np.testing.assert_allclose(raw, function(image.astype(float), SHARPEN, clip=False), atol=1e-12)
    # the default divides integer images by 255 and leaves float images alone
    np.testing.assert_allclose(function(image, SHARPEN, clip=False) * 255, raw, atol=1e-12)
    halves = function(image.astype(float), SHARPEN, clip=False, scale=0.5)
    np.testing.assert_allclose(halves, raw / 2, atol=1e-12)


@pytest.mark.parametrize("scale, error", [(0, ValueError), (-1.0, ValueError), (np.inf, ValueError),
                                          (True, TypeError), ("255", TypeError)])
def test_scale_is_checked(scale, error):
    with pytest.raises(error, match="scale"):
        convolve(lesson_image(), SHARPEN, scale=scale)


# --- convolution as a matrix -----------------------------------------------------------------


@pytest.mark.parametrize("padding", ["same", "valid"])
@pytest.mark.parametrize("shape, size", [((6, 6), 3), ((5, 8), 3), ((7, 4), 1), ((9, 7), 5)])
def test_convolution_matrix_times_image_equals_convolve(shape, size, padding):
    from imagerec.convolution import convolution_matrix

    kernel = RNG.normal(size=(size, size))
    image = RNG.random(shape)
    matrix = convolution_matrix(kernel, shape, padding=padding)
    expected = convolve(image, kernel, padding=padding, clip=False)
    assert matrix.shape == (expected.size, image.size)
    np.testing.assert_allclose(matrix @ image.ravel(), expected.ravel(), atol=1e-12)
    # shared weights: the non-zero entries are the kernel's weights and nothing else
    assert set(np.unique(matrix[matrix != 0])) <= set(kernel.ravel())


def test_convolution_matrix_counts():
    from imagerec.convolution import convolution_matrix

    matrix = convolution_matrix(np.arange(1.0, 10.0).reshape(3, 3), (6, 6))
    assert np.count_nonzero(matrix) == 16 * 16  # 5 + 6 + 5 positions per axis and offset
    assert np.unique(matrix[matrix != 0]).size == 9
    with pytest.raises(ValueError, match="kernel"):
        convolution_matrix(np.ones((5, 5)), (3, 6), padding="valid")
    with pytest.raises(ValueError, match="shape"):
        convolution_matrix(SHARPEN, (3,))
    with pytest.raises(TypeError, match="shape"):
        convolution_matrix(SHARPEN, (3.0, 3))


# --- a kernel learnt by gradient descent -----------------------------------------------------


def test_fit_kernel_checks_its_input():
    """(Its doctest checks that it recovers the sharpen kernel.)"""
    from imagerec.convolution import fit_kernel

    image = np.random.default_rng(3).normal(size=(24, 24))
    target = convolve(image, EDGES, clip=False)
    with pytest.raises(ValueError, match="image and target"):
        fit_kernel(image, target[:-1])
    with pytest.raises(ValueError, match="steps"):
        fit_kernel(image, target, steps=120)
