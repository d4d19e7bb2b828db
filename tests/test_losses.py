"""Tests of imagerec.losses, and of imagerec.activations (which the losses build on).

Keras is the reference for the cross-entropies, one_hot and the activations.
"""

import warnings

import keras
import numpy as np
import pytest

from imagerec import activations, losses

RNG = np.random.default_rng(20240607)


@pytest.fixture
def no_warnings():
    """Turn warnings and overflow, division by zero or invalid values into errors (underflow to 0 is fine)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            yield


# --- penalties -----------------------------------------------------------------------------


def test_penalties_follow_their_formulas():
    q = np.linspace(0.01, 1.0, 50)
    np.testing.assert_allclose(losses.mse_penalty(q), (1 - q) ** 2)
    np.testing.assert_allclose(losses.bce_penalty(q), -np.log(q))


def test_cross_entropy_penalises_confident_mistakes_more():
    q = np.array([1e-6, 0.01, 0.1, 0.3])
    assert (losses.bce_penalty(q) > losses.mse_penalty(q)).all()
    assert losses.mse_penalty(0.0) == 1.0
    assert losses.bce_penalty(0.0) == np.inf
    assert losses.bce_penalty(1.0) == 0.0 and not np.signbit(losses.bce_penalty(1.0))


@pytest.mark.parametrize("function", [losses.mse_penalty, losses.bce_penalty])
def test_penalties_need_probabilities(function):
    with pytest.raises(ValueError, match="q"):
        function([0.5, 1.2])
    with pytest.raises(ValueError, match="q"):
        function([np.nan])
    with pytest.raises(TypeError, match="q"):
        function(["0.5"])


# --- mean squared error ----------------------------------------------------------------------


def test_mean_squared_error_matches_keras():
    p = RNG.random((8, 4))
    q = RNG.random((8, 4))
    expected = float(keras.losses.MeanSquaredError()(p, q))
    assert losses.mean_squared_error(p, q) == pytest.approx(expected, rel=1e-6)


def test_mean_squared_error_checks_shapes():
    with pytest.raises(ValueError, match="p and q"):
        losses.mean_squared_error([1, 0], [1, 0, 0])
    with pytest.raises(ValueError, match="p and q"):
        losses.mean_squared_error([], [])


# --- binary cross-entropy --------------------------------------------------------------------


def test_binary_cross_entropy_matches_keras_on_probabilities():
    p = RNG.integers(0, 2, size=(20, 1)).astype(float)
    q = RNG.uniform(0.01, 0.99, size=(20, 1))
    expected = float(keras.losses.BinaryCrossentropy()(p, q))
    assert losses.binary_cross_entropy(p, q) == pytest.approx(expected, rel=1e-5)


def test_binary_cross_entropy_matches_keras_on_logits():
    p = RNG.integers(0, 2, size=(20, 1)).astype(float)
    z = RNG.normal(scale=4.0, size=(20, 1))
    expected = float(keras.losses.BinaryCrossentropy(from_logits=True)(p, z))
    assert losses.binary_cross_entropy(p, z, from_logits=True) == pytest.approx(expected, rel=1e-5)


def test_binary_cross_entropy_logits_equal_probabilities_of_the_sigmoid():
    p = RNG.random(30)  # soft labels too
    z = RNG.normal(scale=3.0, size=30)
    direct = losses.binary_cross_entropy(p, activations.sigmoid(z))
    assert losses.binary_cross_entropy(p, z, from_logits=True) == pytest.approx(direct, rel=1e-12)


def test_binary_cross_entropy_is_stable_for_huge_logits(no_warnings):
    z = np.array([1000.0, -1000.0, 1000.0, -1000.0])
    p = np.array([1.0, 0.0, 0.0, 1.0])
    # right and sure: 0; wrong and sure: 1000 each
    assert losses.binary_cross_entropy(p, z, from_logits=True) == pytest.approx(500.0)
    assert losses.binary_cross_entropy(p[:2], z[:2], from_logits=True) == 0.0


def test_binary_cross_entropy_of_sure_probabilities(no_warnings):
    assert losses.binary_cross_entropy([1, 0], [1.0, 0.0]) == 0.0  # 0 * log 0 counts as 0
    with np.errstate(divide="ignore"):
        assert losses.binary_cross_entropy([1.0], [0.0]) == np.inf


def test_binary_cross_entropy_checks_its_input():
    with pytest.raises(ValueError, match="q"):
        losses.binary_cross_entropy([1, 0], [2.0, -1.0])  # logits without from_logits
    with pytest.raises(ValueError, match="p and q"):
        losses.binary_cross_entropy([1, 0], [0.5])
    with pytest.raises(TypeError, match="from_logits"):
        losses.binary_cross_entropy([1, 0], [0.5, 0.5], from_logits="yes")
    with pytest.raises(ValueError, match="p"):
        losses.binary_cross_entropy([2, 0], [0.5, 0.5], from_logits=True)


# --- categorical cross-entropy ---------------------------------------------------------------


def test_cross_entropy_matches_keras():
    labels = RNG.integers(0, 5, size=12)
    p = losses.one_hot(labels, 5)
    logits = RNG.normal(scale=3.0, size=(12, 5))
    q = activations.softmax(logits)
    from_probs = float(keras.losses.CategoricalCrossentropy()(p, q))
    from_logits = float(keras.losses.CategoricalCrossentropy(from_logits=True)(p, logits))
    assert losses.cross_entropy(p, q) == pytest.approx(from_probs, rel=1e-5)
    assert losses.cross_entropy(p, logits, from_logits=True) == pytest.approx(from_logits, rel=1e-5)


def test_cross_entropy_is_stable_for_huge_logits(no_warnings):
    p = losses.one_hot([0, 1, 2], 3)
    logits = np.array([[1000.0, -1000.0, 0.0], [1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0]])
    # row 0 right: 0; row 1: 2000; row 2 uniform: log 3
    expected = (0.0 + 2000.0 + np.log(3.0)) / 3
    assert losses.cross_entropy(p, logits, from_logits=True) == pytest.approx(expected, rel=1e-12)


def test_cross_entropy_of_one_sample_and_checks():
    assert losses.cross_entropy([0, 1], [0.25, 0.75]) == pytest.approx(-np.log(0.75))
    with pytest.raises(ValueError, match="p and q"):
        losses.cross_entropy(np.eye(3), np.eye(2))
    with pytest.raises(ValueError, match="q"):
        losses.cross_entropy([0, 1], [0.0, np.inf], from_logits=True)
    with pytest.raises(ValueError, match="p"):
        losses.cross_entropy(1.0, 1.0)


# --- one-hot labels --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "labels, num_classes",
    [
        ([0, 1, 2, 3], None),
        ([5, 0, 4, 1, 9, 2], 10),
        (np.array([[3], [1], [0]]), None),  # (n, 1) loses its last axis
        (np.array([[1, 2], [0, 2]]), 4),
        (np.array([2.0, 0.0]), None),
        (np.array(7), 8),
        (np.arange(10, dtype=np.uint8), None),
    ],
)
def test_one_hot_equals_keras_to_categorical(labels, num_classes):
    result = losses.one_hot(labels, num_classes)
    expected = keras.utils.to_categorical(labels, num_classes)
    assert result.dtype == np.float32
    assert result.shape == expected.shape
    np.testing.assert_array_equal(result, expected)


def test_one_hot_rows_have_a_single_one():
    labels = RNG.integers(0, 10, size=1000)
    result = losses.one_hot(labels, 10)
    np.testing.assert_array_equal(result.sum(axis=1), 1.0)
    np.testing.assert_array_equal(result.argmax(axis=1), labels)


@pytest.mark.parametrize(
    "labels, num_classes, error, name",
    [
        ([0, -1], None, ValueError, "labels"),
        ([0, 3], 3, ValueError, "labels"),
        ([0.5], None, ValueError, "labels"),
        ([], None, ValueError, "num_classes"),
        ([0, 1], 0, ValueError, "num_classes"),
        ([0, 1], 2.0, TypeError, "num_classes"),
        (["a"], None, TypeError, "labels"),
    ],
)
def test_one_hot_rejects_bad_labels(labels, num_classes, error, name):
    with pytest.raises(error, match=name):
        losses.one_hot(labels, num_classes)


# --- activations -----------------------------------------------------------------------------


def test_sigmoid_matches_keras_and_is_symmetric():
    x = np.linspace(-8, 8, 33)
    expected = np.asarray(keras.activations.sigmoid(x.astype("float32")))
    np.testing.assert_allclose(activations.sigmoid(x), expected, rtol=1e-6)
    np.testing.assert_allclose(activations.sigmoid(-x), 1 - activations.sigmoid(x), atol=1e-15)


def test_sigmoid_is_stable(no_warnings):
    result = activations.sigmoid(np.array([-1000.0, -745.0, 0.0, 745.0, 1000.0]))
    assert np.isfinite(result).all()
    assert result[0] == 0.0 and result[2] == 0.5 and result[-1] == 1.0


def test_relu():
    np.testing.assert_array_equal(activations.relu([[-1, 2], [0, -3.5]]), [[0.0, 2.0], [0.0, 0.0]])


def test_softmax_matches_keras_and_sums_to_one():
    logits = RNG.normal(scale=5.0, size=(6, 4))
    expected = np.asarray(keras.activations.softmax(logits.astype("float32")))
    result = activations.softmax(logits)
    np.testing.assert_allclose(result, expected, rtol=1e-5)
    np.testing.assert_allclose(result.sum(axis=1), 1.0)
    np.testing.assert_allclose(activations.softmax(logits + 123.0), result)  # shift invariant
    np.testing.assert_allclose(activations.softmax(logits.T, axis=0), result.T)
    np.testing.assert_array_equal(result.argmax(axis=1), logits.argmax(axis=1))


def test_softmax_is_stable(no_warnings):
    result = activations.softmax(np.array([[1000.0, -1000.0, 999.0], [-1000.0, -1000.0, -1000.0]]))
    assert np.isfinite(result).all()
    np.testing.assert_allclose(result[1], 1 / 3)
    assert result[0, 0] == pytest.approx(1 / (1 + np.exp(-1.0)))


@pytest.mark.parametrize(
    "logits, expected",
    [
        (np.array([[-0.1], [0.0], [3.0]]), [0, 0, 1]),
        (np.array([-2.0, 5.0]), [0, 1]),
        (np.array([[0.1, 0.3, -5.0], [9.0, 1.0, 8.0]]), [1, 0]),
    ],
)
def test_predict_labels(logits, expected):
    result = activations.predict_labels(logits)
    assert np.issubdtype(result.dtype, np.integer)
    np.testing.assert_array_equal(result, expected)


def test_predict_labels_checks_shape_and_nan():
    with pytest.raises(ValueError, match="logits"):
        activations.predict_labels(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match="logits"):
        activations.predict_labels([[np.nan, 1.0]])


# --- gradient_descent -------------------------------------------------------------------------


def test_gradient_descent_takes_exact_steps_on_a_parabola():
    # slope of (w - 3)^2 is 2 (w - 3): each step is w - 0.1 * 2 (w - 3)
    path = losses.gradient_descent(lambda w: (w - 3.0) ** 2, 0.0, learning_rate=0.1, steps=50)
    expected = 3.0 - 3.0 * 0.8 ** np.arange(51)
    np.testing.assert_allclose(path, expected, atol=1e-6)


def test_gradient_descent_too_large_a_rate_overshoots():
    path = losses.gradient_descent(lambda w: w * w, 1.0, learning_rate=1.5, steps=3)
    np.testing.assert_allclose(np.abs(path), [1.0, 2.0, 4.0, 8.0], rtol=1e-5)


@pytest.mark.parametrize(
    "kwargs, error",
    [({"learning_rate": 0.0, "steps": 3}, ValueError),
     ({"learning_rate": 0.1, "steps": 0}, ValueError),
     ({"learning_rate": 0.1, "steps": 2.5}, TypeError)],
)
def test_gradient_descent_bad_arguments(kwargs, error):
    with pytest.raises(error):
        losses.gradient_descent(lambda w: w * w, 1.0, **kwargs)


def test_gradient_descent_needs_a_function():
    with pytest.raises(TypeError, match="loss"):
        losses.gradient_descent(3.0, 1.0, learning_rate=0.1, steps=1)


@pytest.mark.parametrize("learning_rate, error", [(True, TypeError), ("0.1", TypeError),
                                                  (0, ValueError), (-0.1, ValueError),
                                                  (np.inf, ValueError)])
def test_gradient_descent_needs_a_positive_learning_rate(learning_rate, error):
    with pytest.raises(error, match="learning_rate"):
        losses.gradient_descent(abs, 1.0, learning_rate=learning_rate, steps=1)
