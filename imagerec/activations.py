"""Activation functions, and class predictions from a network's raw outputs.

A neuron's raw output (its *logit*) can be any real number.  The sigmoid
squeezes it into a probability between 0 and 1; ReLU keeps positive values
and replaces negative ones by zero; softmax turns a vector of logits into
probabilities that sum to one.  All of them are written here so that huge
logits (say ±1000) give no overflow warnings and no NaN.

>>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
array([0. , 0.5, 1. ])
>>> softmax([1000.0, 1000.0])
array([0.5, 0.5])
"""

from __future__ import annotations

import numpy as np

from imagerec._checks import fail, integer, real_array, reals, validate_params

__all__ = ["sigmoid", "relu", "softmax", "predict_labels"]


@validate_params(x=real_array)
def sigmoid(x):
    """The logistic function ``1 / (1 + exp(-x))``, computed without overflow.

    For negative ``x`` the equal form ``exp(x) / (1 + exp(x))`` is used, so
    that ``exp`` only ever sees numbers <= 0.

    Parameters
    ----------
    x : array_like
        Real numbers (logits), any shape.

    Returns
    -------
    numpy.ndarray
        float64 values in ``[0, 1]``, same shape as ``x``.

    Examples
    --------
    >>> sigmoid([0.0, 2.0, -2.0])
    array([0.5       , 0.88079708, 0.11920292])
    """
    small = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    return np.where(x >= 0, 1.0 / (1.0 + small), small / (1.0 + small))


@validate_params(x=real_array)
def relu(x):
    """Rectified linear unit: ``max(0, x)`` element by element.

    Parameters
    ----------
    x : array_like
        Real numbers, any shape.

    Returns
    -------
    numpy.ndarray
        float64 array of the same shape: negative values replaced by zero.

    Examples
    --------
    >>> relu([-2.0, -0.5, 0.0, 1.5])
    array([0. , 0. , 0. , 1.5])
    """
    return np.maximum(x, 0.0)


def _vectors(values, name: str) -> np.ndarray:
    """Check: real numbers with at least one axis, as a float64 array."""
    values = real_array(values, name)
    if values.ndim == 0:
        raise fail(ValueError, name, "real numbers along an axis of classes", "a single number")
    return values


def _logits(values, name: str) -> np.ndarray:
    """Check: logits of shape (n,), (n, 1) or (n, k), without NaN."""
    values = reals(values, name)
    if values.ndim not in (1, 2):
        raise fail(ValueError, name, "logits of shape (n,), (n, 1) or (n, k)", f"shape {values.shape}")
    return values


@validate_params(logits=_vectors, axis=integer())
def softmax(logits, axis: int = -1):
    """Probabilities ``exp(y_k) / sum_i exp(y_i)`` along ``axis``.

    The largest logit is subtracted first (which does not change the result),
    so that ``exp`` never overflows.  The largest logit gets the largest
    probability, and the probabilities along ``axis`` sum to one.

    Parameters
    ----------
    logits : array_like
        Real numbers, at least 1-D.
    axis : int
        The axis of the classes (default: the last one).

    Returns
    -------
    numpy.ndarray
        float64 array of the same shape, values in ``[0, 1]``.

    Examples
    --------
    >>> softmax([1.0, 2.0, 3.0]).round(4)
    array([0.09  , 0.2447, 0.6652])
    >>> softmax([[0.0, 1000.0], [-1000.0, -1000.0]])
    array([[0. , 1. ],
           [0.5, 0.5]])
    """
    shifted = logits - np.max(logits, axis=axis, keepdims=True)
    exponentials = np.exp(shifted)
    return exponentials / np.sum(exponentials, axis=axis, keepdims=True)


@validate_params(logits=_logits)
def predict_labels(logits) -> np.ndarray:
    """Predicted class labels from a network's raw outputs (logits).

    * One output per sample, shape ``(n,)`` or ``(n, 1)``: binary
      classification; the label is 1 when the logit is positive (sigmoid
      above one half), else 0.
    * Several outputs, shape ``(n, k)`` with ``k > 1``: the label is the index
      of the largest logit (argmax), as softmax would also rank them.

    Parameters
    ----------
    logits : array_like
        Real numbers of shape ``(n,)``, ``(n, 1)`` or ``(n, k)``.

    Returns
    -------
    numpy.ndarray
        Integer labels of shape ``(n,)``.

    Raises
    ------
    ValueError
        Other shapes, or NaN among the logits.

    Examples
    --------
    >>> predict_labels([[-3.2], [0.7], [12.0]])
    array([0, 1, 1])
    >>> predict_labels([[0.1, 2.0, -1.0], [5.0, 0.0, 4.9]])
    array([1, 0])
    """
    if logits.ndim == 1 or logits.shape[1] == 1:
        return (logits.reshape(len(logits)) > 0).astype(np.int64)
    return np.argmax(logits, axis=1).astype(np.int64)
