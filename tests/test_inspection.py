"""Tests of imagerec.inspection on small synthetic data and tiny Keras models."""

import itertools

import keras
import numpy as np
import pytest
import tensorflow as tf

from imagerec import activations, convolution, inspection

RNG = np.random.default_rng(0)


# --- confusion_matrix --------------------------------------------------------------------


def _confusion_loop(y_true, y_pred, k):
    """The definition, one sample at a time."""
    matrix = np.zeros((k, k), dtype=int)
    for t, p in zip(y_true, y_pred):
        matrix[t, p] += 1
    return matrix


@pytest.mark.parametrize("k, n", [(2, 1), (3, 50), (10, 1000)])
def test_confusion_matrix_matches_loop_and_tensorflow(k, n):
    y_true = RNG.integers(0, k, n)
    y_pred = np.where(RNG.random(n) < 0.7, y_true, RNG.integers(0, k, n))
    matrix = inspection.confusion_matrix(y_true, y_pred, num_classes=k)
    assert matrix.shape == (k, k)
    assert np.issubdtype(matrix.dtype, np.integer)
    np.testing.assert_array_equal(matrix, _confusion_loop(y_true, y_pred, k))
    np.testing.assert_array_equal(matrix, tf.math.confusion_matrix(y_true, y_pred, num_classes=k).numpy())
    assert matrix.sum() == n
    assert np.trace(matrix) == np.sum(y_true == y_pred)
    np.testing.assert_array_equal(matrix.sum(axis=1), np.bincount(y_true, minlength=k))
    np.testing.assert_array_equal(matrix.sum(axis=0), np.bincount(y_pred, minlength=k))


def test_confusion_matrix_rows_are_true_columns_predicted():
    matrix = inspection.confusion_matrix([4, 4, 4], [9, 9, 4])
    assert matrix.shape == (10, 10)
    assert matrix[4, 9] == 2 and matrix[9, 4] == 0 and matrix[4, 4] == 1


def test_confusion_matrix_accepts_columns_and_whole_floats():
    expected = inspection.confusion_matrix([0, 1, 2], [0, 2, 2])
    np.testing.assert_array_equal(
        inspection.confusion_matrix(np.array([[0], [1], [2]]), np.array([0.0, 2.0, 2.0])), expected
    )


def test_confusion_matrix_empty_needs_num_classes():
    np.testing.assert_array_equal(inspection.confusion_matrix([], [], num_classes=3), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="num_classes"):
        inspection.confusion_matrix([], [])


@pytest.mark.parametrize(
    "y_true, y_pred, kwargs, error, name",
    [
        ([0, 1], [0], {}, ValueError, "y_true and y_pred"),
        ([0, -1], [0, 1], {}, ValueError, "y_true"),
        ([0, 3], [0, 1], {"num_classes": 3}, ValueError, "y_true and y_pred"),
        ([0, 1], [0, 1], {"num_classes": 0}, ValueError, "num_classes"),
        ([0, 1], [0, 1], {"num_classes": 2.0}, TypeError, "num_classes"),
        ([0, 1.5], [0, 1], {}, ValueError, "y_true"),
        (["a", "b"], [0, 1], {}, TypeError, "y_true"),
        ([[0, 1], [1, 0]], [[0, 1], [1, 0]], {}, ValueError, "y_true"),
    ],
)
def test_confusion_matrix_rejects_bad_input(y_true, y_pred, kwargs, error, name):
    with pytest.raises(error, match=f"^{name} "):
        inspection.confusion_matrix(y_true, y_pred, **kwargs)


# --- most_confused -------------------------------------------------------------------------


def test_most_confused_matches_brute_force():
    matrix = RNG.integers(0, 20, (6, 6))
    ordered = inspection.most_confused(matrix, n=100)
    cells = sorted(
        ((int(matrix[i, j]), i, j) for i, j in itertools.product(range(6), repeat=2) if i != j and matrix[i, j]),
        key=lambda cell: (-cell[0], cell[1], cell[2]),
    )
    assert ordered == [(i, j, count) for count, i, j in cells]
    pairs = inspection.most_confused(matrix, n=3, symmetric=True)
    sums = sorted(
        ((int(matrix[a, b] + matrix[b, a]), a, b) for a, b in itertools.combinations(range(6), 2)),
        key=lambda cell: (-cell[0], cell[1], cell[2]),
    )
    assert pairs == [(a, b, count) for count, a, b in sums[:3]]
    assert all(a < b for a, b, _ in pairs)


def test_most_confused_skips_zeros_and_diagonal():
    assert inspection.most_confused(np.diag([5, 6, 7]), n=3) == []
    assert inspection.most_confused([[9, 1], [0, 9]], n=5) == [(0, 1, 1)]


@pytest.mark.parametrize("matrix", [np.zeros((2, 3)), np.zeros(4), [[1, -1], [0, 1]], [[1]]])
def test_most_confused_rejects_non_matrices(matrix):
    with pytest.raises(ValueError):
        inspection.most_confused(matrix)


# --- confident_errors ----------------------------------------------------------------------


def test_confident_errors_matches_brute_force():
    logits = RNG.normal(scale=3.0, size=(200, 10))
    y_true = RNG.integers(0, 10, 200)
    everything = inspection.confident_errors(logits, y_true, n=None)
    probabilities = activations.softmax(logits)
    wrong = [i for i in range(200) if np.argmax(logits[i]) != y_true[i]]
    assert sorted(everything.indices.tolist()) == wrong
    assert len(everything) == len(wrong)
    np.testing.assert_array_equal(everything.true, y_true[everything.indices])
    np.testing.assert_array_equal(everything.predicted, np.argmax(logits[everything.indices], axis=1))
    assert np.all(everything.predicted != everything.true)
    np.testing.assert_allclose(
        everything.probability, probabilities[everything.indices, everything.predicted]
    )
    assert np.all(np.diff(everything.probability) <= 0)
    top = inspection.confident_errors(logits, y_true, n=5)
    np.testing.assert_array_equal(top.indices, everything.indices[:5])
    best = max(wrong, key=lambda i: probabilities[i].max())
    assert top.indices[0] == best


def test_confident_errors_with_one_logit_uses_the_sigmoid():
    logits = np.array([[3.0], [-2.0], [0.5], [-4.0]])
    mistakes = inspection.confident_errors(logits, [0, 1, 1, 1])
    assert mistakes.indices.tolist() == [3, 0, 1]
    assert mistakes.predicted.tolist() == [0, 1, 0]
    np.testing.assert_allclose(
        mistakes.probability, [1 - activations.sigmoid(-4.0), activations.sigmoid(3.0), 1 - activations.sigmoid(-2.0)]
    )


def test_confident_errors_titles_and_fewer_than_n():
    mistakes = inspection.confident_errors([[0.0, 10.0], [5.0, 0.0]], [0, 0], n=10)
    assert len(mistakes) == 1
    assert mistakes.titles() == ["0 → 1 (p=1.00)"]
    assert mistakes.titles(digits=5) == [f"0 → 1 (p={activations.softmax([0.0, 10.0])[1]:.5f})"]


@pytest.mark.parametrize(
    "logits, labels, n, name",
    [
        (np.zeros((3, 4)), [0, 1], 2, "y_true"),
        (np.zeros((2, 4)), [0, 4], 2, "y_true"),
        (np.zeros((2, 4)), [0, 1], 0, "n"),
        (np.zeros((2, 2, 2)), [0, 1], 1, "logits"),
    ],
)
def test_confident_errors_rejects_bad_input(logits, labels, n, name):
    with pytest.raises(ValueError, match=f"^{name} "):
        inspection.confident_errors(logits, labels, n=n)


# --- convolutional layers ----------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_cnn():
    """Like model D, small: uint8 images -> rescale -> reshape -> Conv2D(3, 3x3, relu) -> pool -> dense."""
    keras.utils.set_random_seed(1)
    model = keras.Sequential([
        keras.Input((8, 8)),
        keras.layers.Rescaling(1 / 255),
        keras.layers.Reshape((8, 8, 1)),
        keras.layers.Conv2D(3, 3, padding="same", activation="relu", name="conv"),
        keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(2, 3, padding="same", name="conv2"),
        keras.layers.Flatten(),
        keras.layers.Dense(4, name="out"),
    ])
    bias = np.array([0.1, -0.2, 0.0], dtype="float32")
    model.get_layer("conv").set_weights([model.get_layer("conv").get_weights()[0], bias])
    return model


def test_conv_kernels_are_the_first_conv_layers_weights(tiny_cnn):
    kernels = inspection.conv_kernels(tiny_cnn)
    assert kernels.shape == (3, 3, 1, 3)
    np.testing.assert_array_equal(kernels, tiny_cnn.get_layer("conv").get_weights()[0])
    assert inspection.conv_kernels(tiny_cnn, "conv2").shape == (3, 3, 3, 2)


def test_feature_maps_equal_relu_of_cross_correlation(tiny_cnn):
    images = RNG.integers(0, 256, (5, 8, 8), dtype=np.uint8)
    maps = inspection.feature_maps(tiny_cnn, images)
    assert maps.shape == (5, 8, 8, 3)
    kernels, biases = tiny_cnn.get_layer("conv").get_weights()
    for i, j in itertools.product(range(5), range(3)):
        expected = convolution.convolve(images[i], kernels[:, :, 0, j], clip=False) + biases[j]
        np.testing.assert_allclose(maps[i, :, :, j], activations.relu(expected), rtol=1e-5, atol=1e-5)
    single = inspection.feature_maps(tiny_cnn, images[2], layer="conv")
    np.testing.assert_allclose(single, maps[2], rtol=1e-6, atol=1e-6)


def test_feature_maps_of_a_later_layer(tiny_cnn):
    maps = inspection.feature_maps(tiny_cnn, np.zeros((2, 8, 8), np.uint8), layer="conv2")
    assert maps.shape == (2, 4, 4, 2)


@pytest.mark.parametrize(
    "layer, error, message",
    [
        ("nope", ValueError, "nope"),  # Keras's Model.get_layer names the missing layer
        ("out", ValueError, "is a Dense layer named 'out', not a Conv2D"),
        (3, ValueError, "MaxPooling2D layer named"),
        (99, ValueError, "99"),
        (1.0, TypeError, "index, a name or None"),
    ],
)
def test_feature_maps_rejects_layers_that_are_not_conv(tiny_cnn, layer, error, message):
    with pytest.raises(error, match=message):
        inspection.feature_maps(tiny_cnn, np.zeros((1, 8, 8)), layer=layer)


def test_feature_maps_rejects_wrong_image_shapes(tiny_cnn):
    for bad in (np.zeros((1, 28, 28)), np.zeros((0, 8, 8)), np.zeros(8)):
        with pytest.raises(ValueError, match=r"images must have shape \(n, 8, 8\)"):
            inspection.feature_maps(tiny_cnn, bad)


def test_dense_model_has_no_kernels():
    model = keras.Sequential([keras.Input((4, 4)), keras.layers.Flatten(), keras.layers.Dense(3)])
    with pytest.raises(ValueError, match="no Conv2D layer"):
        inspection.conv_kernels(model)
    with pytest.raises(TypeError, match="keras.Model"):
        inspection.conv_kernels(np.zeros((3, 3)))


# --- kernel_responses ---------------------------------------------------------------------


def test_kernel_responses_are_responses_to_flat_patches_and_ramps():
    kernels = RNG.normal(size=(3, 3, 1, 4))
    responses = inspection.kernel_responses(kernels)
    y, x = np.mgrid[-1:2, -1:2].astype(float)
    for j in range(4):
        kernel = kernels[:, :, 0, j]
        # the centre pixel of a 5 x 5 image: the kernel sees only the image
        for key, image in (("flat", np.ones((5, 5))), ("ramp_x", np.tile(np.arange(5.0), (5, 1)))):
            response = convolution.convolve(image, kernel, clip=False)[2, 2]
            expected = responses[key][j] + (2.0 * responses["flat"][j] if key == "ramp_x" else 0.0)
            np.testing.assert_allclose(response, expected)
        np.testing.assert_allclose(responses["ramp_y"][j], np.sum(y * kernel))


def test_positive_ramp_x_fires_on_the_left_edge_of_a_stroke():
    """The reading the docstring gives: ramp_x > 0 -> left edges, ramp_y > 0 -> top edges."""
    image = np.zeros((9, 9))
    image[2:7, 3:6] = 1.0  # a bright block, columns 3..5, rows 2..6
    y, x = np.mgrid[-1:2, -1:2].astype(float)
    assert inspection.kernel_responses(x)["ramp_x"][0] > 0
    assert inspection.kernel_responses(y)["ramp_y"][0] > 0
    along_x = convolution.convolve(image, x, clip=False)
    along_y = convolution.convolve(image, y, clip=False)
    assert np.argmax(along_x[4]) in (2, 3)  # the left edge of the block
    assert np.argmin(along_x[4]) in (5, 6)  # the right edge: negative response
    assert np.argmax(along_y[:, 4]) in (1, 2)  # the top edge


def test_kernel_responses_rejects_bad_kernels():
    with pytest.raises(ValueError, match="^kernels "):
        inspection.kernel_responses(np.zeros((3, 3, 2, 4)))
    with pytest.raises(ValueError, match="^kernels "):
        inspection.kernel_responses(np.zeros(3))
    with pytest.raises(TypeError, match="^kernels "):
        inspection.kernel_responses(np.array([["a"]]))
