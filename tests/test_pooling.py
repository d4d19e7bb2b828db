"""Tests of imagerec.pooling: the NumPy poolings equal Keras's pooling layers."""

import keras
import numpy as np
import pytest

from imagerec import pooling

RNG = np.random.default_rng(7)

# (height, width, channels, size): even sizes, odd sizes where Keras drops the remainder
SHAPES = [(4, 4, 1, 2), (6, 8, 3, 2), (7, 5, 2, 2), (9, 10, 4, 3), (5, 5, 3, 5), (11, 4, 1, 4), (3, 7, 2, 1)]


def keras_pool(layer, image):
    """Apply a Keras pooling layer to one (H, W, C) image."""
    return np.asarray(layer(image[np.newaxis]))[0]


@pytest.mark.parametrize("height, width, channels, size", SHAPES)
def test_max_pool_equals_keras(height, width, channels, size):
    image = RNG.normal(size=(height, width, channels)).astype(np.float32)
    result = pooling.max_pool(image, size)
    expected = keras_pool(keras.layers.MaxPooling2D(pool_size=size), image)
    assert result.shape == expected.shape == (height // size, width // size, channels)
    np.testing.assert_array_equal(result, expected)


@pytest.mark.parametrize("height, width, channels, size", SHAPES)
def test_average_pool_equals_keras(height, width, channels, size):
    image = RNG.normal(size=(height, width, channels)).astype(np.float32)
    result = pooling.average_pool(image, size)
    expected = keras_pool(keras.layers.AveragePooling2D(pool_size=size), image)
    assert result.shape == expected.shape
    np.testing.assert_allclose(result, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("height, width, channels", [(1, 1, 1), (5, 7, 3), (28, 28, 4), (3, 2, 10)])
def test_global_pools_equal_keras(height, width, channels):
    image = RNG.normal(size=(height, width, channels)).astype(np.float32)
    np.testing.assert_array_equal(
        pooling.global_max_pool(image), keras_pool(keras.layers.GlobalMaxPooling2D(), image)
    )
    np.testing.assert_allclose(
        pooling.global_average_pool(image),
        keras_pool(keras.layers.GlobalAveragePooling2D(), image),
        rtol=1e-5,
        atol=1e-6,
    )


def test_gray_images_are_one_channel():
    image = RNG.integers(0, 256, size=(7, 9)).astype(np.uint8)
    np.testing.assert_array_equal(pooling.max_pool(image, 3), pooling.max_pool(image[..., None], 3)[..., 0])
    np.testing.assert_allclose(pooling.average_pool(image), pooling.average_pool(image[..., None])[..., 0])
    assert pooling.global_max_pool(image).shape == (1,)
    assert pooling.global_max_pool(image)[0] == image.max()
    assert pooling.global_average_pool(image)[0] == pytest.approx(image.mean())


def test_dtypes():
    image = np.array([[250, 255], [0, 1]], dtype=np.uint8)
    assert pooling.max_pool(image).dtype == np.uint8
    assert pooling.max_pool(image)[0, 0] == 255
    # the mean of bytes must not overflow: (250 + 255 + 0 + 1) / 4
    assert pooling.average_pool(image)[0, 0] == 126.5
    assert pooling.global_average_pool(image).dtype == np.float64


def test_lesson_shapes():
    image = np.zeros((100, 100, 32))
    assert pooling.max_pool(image).shape == (50, 50, 32)
    assert pooling.global_max_pool(image).shape == (32,)


@pytest.mark.parametrize(
    "image, size, error, name",
    [
        (np.zeros((4, 4)), 5, ValueError, "size"),
        (np.zeros((4, 6)), 0, ValueError, "size"),
        (np.zeros((4, 4)), 2.0, TypeError, "size"),
        (np.zeros((4, 4)), True, TypeError, "size"),
        (np.zeros(4), 2, ValueError, "image"),
        (np.zeros((1, 4, 4, 1)), 2, ValueError, "image"),
        (np.zeros((0, 4)), 1, ValueError, "image"),
        (np.array([[np.nan, 0.0], [0.0, 0.0]]), 2, ValueError, "image"),
        (np.array([[np.inf, 0.0], [0.0, 0.0]]), 2, ValueError, "image"),
        (np.array([["a", "b"], ["c", "d"]]), 2, TypeError, "image"),
    ],
)
@pytest.mark.parametrize("function", [pooling.max_pool, pooling.average_pool])
def test_pooling_checks_its_input(function, image, size, error, name):
    with pytest.raises(error, match=f"^{name} "):
        function(image, size)


@pytest.mark.parametrize("function", [pooling.global_max_pool, pooling.global_average_pool])
def test_global_pooling_checks_its_input(function):
    for bad in (np.zeros((2, 2, 2, 2)), np.zeros((0, 3, 3)), np.full((2, 2, 1), np.nan)):
        with pytest.raises(ValueError, match="^image "):
            function(bad)
