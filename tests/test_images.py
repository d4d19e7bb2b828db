"""Tests of imagerec.images: the demo images of Lesson 1 and the pixel scales."""

import numpy as np
import pytest

from imagerec import images


def syllabus_diagonal_counter(height, width):
    """The course's loop for im3 (counter kept to a byte)."""
    image = np.zeros((height, width), dtype=np.uint8)
    counter = 0
    for y in range(height):
        for x in range(width):
            if y % width == x:
                counter += 1
                image[y, x] = counter % 256
    return image


def syllabus_rgb_gradient(size):
    """The course's three loops for im4."""
    image = np.zeros((size, size, 3), dtype=np.uint8)
    counter = 0
    for y in range(size):
        for x in range(size):
            image[y, x, 0] = counter
            counter = (counter + 1) % 256
    counter = 0
    for x in range(size):
        for y in range(size):
            image[y, x, 1] = counter
            counter = (counter + 1) % 256
    counter = 0
    for s in range(0, 2 * size - 1):
        for x in range(max(0, s - (size - 1)), min(s + 1, size)):
            image[s - x, x, 2] = counter
            counter = (counter + 1) % 256
    return image


def test_cross_is_a_plus_of_255():
    image = images.cross()
    assert image.dtype == np.uint8
    expected = np.array([[0, 255, 0], [255, 255, 255], [0, 255, 0]], dtype=np.uint8)
    np.testing.assert_array_equal(image, expected)


def test_cross_returns_a_fresh_array():
    images.cross()[1, 1] = 7
    assert images.cross()[1, 1] == 255


@pytest.mark.parametrize("height, width", [(17, 5), (1, 1), (4, 9), (300, 3)])
def test_diagonal_counter_matches_the_course_loop(height, width):
    image = images.diagonal_counter(height, width)
    assert image.dtype == np.uint8 and image.shape == (height, width)
    np.testing.assert_array_equal(image, syllabus_diagonal_counter(height, width))


def test_diagonal_counter_defaults_are_the_course_image():
    image = images.diagonal_counter()
    assert image.shape == (17, 5)
    assert image[0, 0] == 1 and image[16, 1] == 17 and image.sum() == sum(range(1, 18))


@pytest.mark.parametrize("size", [1, 2, 3, 5, 32, 40])
def test_rgb_gradient_matches_the_course_loops(size):
    image = images.rgb_gradient(size)
    assert image.dtype == np.uint8 and image.shape == (size, size, 3)
    np.testing.assert_array_equal(image, syllabus_rgb_gradient(size))


def test_rgb_gradient_directions():
    image = images.rgb_gradient(8).astype(int)
    assert (np.diff(image[:, 0, 0]) > 0).all()  # red grows down
    assert (np.diff(image[0, :, 1]) > 0).all()  # green grows to the right
    assert image[0, 0, 2] == 0 and image[-1, -1, 2] == 63  # blue ends in the far corner


@pytest.mark.parametrize(
    "call, error, name",
    [
        (lambda: images.diagonal_counter(0, 5), ValueError, "height"),
        (lambda: images.diagonal_counter(5, -1), ValueError, "width"),
        (lambda: images.diagonal_counter(2.5, 5), TypeError, "height"),
        (lambda: images.rgb_gradient(True), TypeError, "size"),
        (lambda: images.rgb_gradient(0), ValueError, "size"),
    ],
)
def test_sizes_are_checked(call, error, name):
    with pytest.raises(error, match=name):
        call()


def test_to_float_divides_integers_by_255():
    pixels = np.arange(256, dtype=np.uint8)
    result = images.to_float(pixels)
    assert result.dtype == np.float64
    np.testing.assert_array_equal(result, np.arange(256) / 255)
    np.testing.assert_array_equal(images.to_float(np.array([0, 255], dtype=np.int64)), [0.0, 1.0])


def test_to_float_keeps_floats_in_range():
    values = np.array([[0.0, 0.25], [0.5, 1.0]], dtype=np.float32)
    result = images.to_float(values)
    assert result.dtype == np.float64
    np.testing.assert_array_equal(result, values)


@pytest.mark.parametrize(
    "bad", [np.array([0.5, 1.5]), np.array([-0.1]), np.array([np.nan]), np.array([0, 256]), np.array([-1, 3])]
)
def test_to_float_rejects_values_out_of_range(bad):
    with pytest.raises(ValueError, match="image"):
        images.to_float(bad)


@pytest.mark.parametrize(
    "bad", [np.array([True, False]), np.array(["a"]), np.array([1j]), np.array([1, 2], dtype="m8[s]")]
)
def test_to_float_rejects_non_numbers(bad):
    with pytest.raises(TypeError, match="image"):
        images.to_float(bad)

