"""Tests of imagerec.geometry: output sizes and receptive fields agree with Keras's layers."""

import keras
import numpy as np
import pytest

from imagerec import geometry

# (n, kernel, padding, stride): odd and even sizes, strides that leave a remainder
CASES = [(28, 3, 1, 1), (28, 3, 0, 1), (28, 5, 2, 2), (7, 2, 0, 2), (10, 3, 1, 2),
         (32, 4, 1, 3), (9, 9, 0, 1), (5, 1, 0, 4), (13, 6, 3, 5)]


@pytest.mark.parametrize("n, kernel, padding, stride", CASES)
def test_output_size_equals_keras_conv_and_pooling(n, kernel, padding, stride):
    expected = geometry.output_size(n, kernel, padding=padding, stride=stride)
    padded_shape = (None, n + 2 * padding, n + 2 * padding, 1)  # what ZeroPadding2D(p) gives
    conv = keras.layers.Conv2D(1, kernel, strides=stride)
    pool = keras.layers.MaxPooling2D(pool_size=kernel, strides=stride)
    for layer in (conv, pool):
        assert layer.compute_output_shape(padded_shape)[1:3] == (expected, expected)


@pytest.mark.parametrize("kernel", [1, 3, 5, 7])
def test_same_padding_keeps_the_size(kernel):
    layer = keras.layers.Conv2D(1, kernel, padding="same")
    assert layer.compute_output_shape((None, 11, 11, 1))[1] == 11
    assert geometry.output_size(11, kernel, padding=(kernel - 1) // 2) == 11


@pytest.mark.parametrize(
    "args, kwargs, error, name",
    [
        ((3, 5), {}, ValueError, "kernel"),
        ((0, 3), {}, ValueError, "n"),
        ((5, 3), {"stride": 0}, ValueError, "stride"),
        ((5, 3), {"padding": -1}, ValueError, "padding"),
        ((5.0, 3), {}, TypeError, "n"),
        ((5, True), {}, TypeError, "kernel"),
    ],
)
def test_output_size_checks_its_arguments(args, kwargs, error, name):
    with pytest.raises(error, match=f"^{name} "):
        geometry.output_size(*args, **kwargs)


def _impulse_response(model, row, col):
    """Which output units of ``model`` change when input pixel (row, col) changes."""
    size = model.input_shape[1]
    image = np.zeros((1, size, size, 1), dtype="float32")
    image[0, row, col, 0] = 1.0
    return np.asarray(model(image))[0, :, :, 0] != 0


def _all_ones_network(layers):
    """Convolutions with weights 1 and average pooling: every unit sums its whole field."""
    model = [keras.Input((20, 20, 1))]
    for kind, kernel, padding in layers:
        if kind == "conv":
            model.append(keras.layers.Conv2D(1, kernel, padding=padding, use_bias=False,
                                             kernel_initializer="ones"))
        else:
            model.append(keras.layers.AveragePooling2D(kernel))
    return keras.Sequential(model)


@pytest.mark.parametrize(
    "layers",
    [
        [("conv", 3, "same"), ("pool", 2, "valid")],  # model D
        [("conv", 3, "same"), ("pool", 2, "valid"), ("conv", 3, "same"), ("pool", 2, "valid")],
        [("conv", 5, "valid"), ("pool", 2, "valid"), ("conv", 3, "valid")],
    ],
)
def test_receptive_fields_match_which_units_an_input_pixel_reaches(layers):
    """Unit i sees pixels start + i*jump ... + size - 1: exactly those units respond to a pixel."""
    model = _all_ones_network(layers)
    rows = geometry.window_layers(model)
    field = geometry.receptive_fields([row[1:] for row in rows])[-1]
    outputs = model.output_shape[1]
    for pixel in (0, 7, 10, 19):
        reached = _impulse_response(model, pixel, pixel).diagonal()
        units = np.arange(outputs)
        first = field.start + units * field.jump
        expected = (first <= pixel) & (pixel < first + field.size)
        np.testing.assert_array_equal(reached, expected)


def test_window_layers_reads_the_models_of_the_book():
    from imagerec import models

    d = geometry.window_layers(models.build("D"))
    assert [row[1:] for row in d] == [(3, 1, 1), (2, 2, 0)]
    fields = geometry.receptive_fields([row[1:] for row in geometry.window_layers(models.build("conv+"))])
    assert [f.size for f in fields] == [3, 4, 8, 10] and fields[-1].jump == 4


def test_window_layers_rejects_what_it_cannot_describe():
    strided_same = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(1, 3, strides=2, padding="same")])
    with pytest.raises(ValueError, match="model"):
        geometry.window_layers(strided_same)
    with pytest.raises(ValueError, match="layers"):
        geometry.receptive_fields([(3, 1)])
    with pytest.raises(TypeError, match="layers"):
        geometry.receptive_fields([(3, 1.0, 0)])
