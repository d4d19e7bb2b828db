"""Penalties and loss functions of classification, and one-hot labels.

A classifier predicts a probability ``q`` that a sample belongs to a class;
the truth ``p`` is 1 or 0.  The squared error ``(p - q)**2`` penalises a
confident wrong answer (``q`` near 0 when ``p = 1``) by at most 1, while the
cross-entropy ``-log q`` grows without bound, which is why classifiers are
trained with cross-entropy.

Networks usually output *logits* (raw numbers) and let the loss apply the
sigmoid or softmax itself (``from_logits=True``): written with ``softplus``
and ``log-sum-exp``, that form is exact even for logits of ±1000, where
computing the probabilities first would round them to 0 or 1 and give
infinite losses.

>>> float(mse_penalty(0.1)), float(bce_penalty(0.1))
(0.81, 2.302585092994046)
>>> float(binary_cross_entropy([1.0], [-1000.0], from_logits=True))
1000.0
"""

from __future__ import annotations

import numpy as np

from scipy.special import logsumexp, xlogy

from imagerec._checks import (
    boolean, class_labels, fail, function, integer, number, optional, reals, same_shape,
    validate_params,
)

__all__ = [
    "mse_penalty",
    "bce_penalty",
    "mean_squared_error",
    "binary_cross_entropy",
    "cross_entropy",
    "one_hot",
    "gradient_descent",
]

_PROBABILITIES = "probabilities in [0, 1] (for a network's raw outputs pass from_logits=True)"


def _probabilities(values, name: str) -> np.ndarray:
    """Check: probabilities in [0, 1], as a float64 array."""
    values = reals(values, name)
    if values.size and (values.min() < 0.0 or values.max() > 1.0):
        raise fail(ValueError, name, _PROBABILITIES, f"values from {values.min()} to {values.max()}")
    return values


def _distributions(values, name: str) -> np.ndarray:
    """Check: probabilities with an axis of classes."""
    values = _probabilities(values, name)
    if values.ndim == 0:
        raise fail(ValueError, name, "probabilities along an axis of classes", "a single number")
    return values


def _predictions(arguments) -> None:
    """Relation: q holds probabilities, or finite logits with ``from_logits=True``."""
    if arguments["from_logits"]:
        if not np.isfinite(arguments["q"]).all():
            raise fail(ValueError, "q", "logits: finite numbers", "infinity")
    else:
        _probabilities(arguments["q"], "q")


_LOSS = (same_shape("p", "q", nonempty=True), _predictions)
_LOSS_ARGUMENTS = dict(q=reals, from_logits=boolean)


@validate_params(q=_probabilities)
def mse_penalty(q):
    """Squared-error penalty ``(1 - q)**2`` for a sample of true class 1 predicted with probability q.

    Parameters
    ----------
    q : array_like
        Predicted probabilities in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray
        Penalties in ``[0, 1]``, same shape as ``q``.

    Examples
    --------
    >>> mse_penalty([0.0, 0.5, 1.0])
    array([1.  , 0.25, 0.  ])
    """
    return (1.0 - q) ** 2


@validate_params(q=_probabilities)
def bce_penalty(q):
    """Cross-entropy penalty ``-log q`` for a sample of true class 1 predicted with probability q.

    It is 0 for a sure right answer (``q = 1``) and grows without bound as
    ``q`` goes to 0 (``q = 0`` gives ``inf``).

    Parameters
    ----------
    q : array_like
        Predicted probabilities in ``[0, 1]``.

    Returns
    -------
    numpy.ndarray
        Penalties in ``[0, inf]``, same shape as ``q``.

    Examples
    --------
    >>> bce_penalty([1.0, 0.5, 1e-10, 0.0])
    array([ 0.        ,  0.69314718, 23.02585093,         inf])
    """
    with np.errstate(divide="ignore"):
        return 0.0 - np.log(q)  # not -log(q), which gives -0.0 for q = 1


@validate_params(same_shape("p", "q", nonempty=True), p=reals, q=reals)
def mean_squared_error(p, q) -> float:
    """Mean squared error ``mean((p - q)**2)`` over all elements.

    Parameters
    ----------
    p, q : array_like
        True and predicted values, same shape, not empty.

    Returns
    -------
    float

    Examples
    --------
    >>> mean_squared_error([1, 0, 1, 0], [0.9, 0.2, 0.6, 0.0])
    0.0525
    """
    return float(np.mean((p - q) ** 2))


@validate_params(*_LOSS, p=_probabilities, **_LOSS_ARGUMENTS)
def binary_cross_entropy(p, q, *, from_logits: bool = False) -> float:
    """Mean binary cross-entropy ``-p log q - (1 - p) log(1 - q)``.

    Parameters
    ----------
    p : array_like
        True labels: 0 or 1 (probabilities in ``[0, 1]`` are allowed too).
    q : array_like
        Predictions, same shape: probabilities in ``[0, 1]``, or logits
        (any real numbers) when ``from_logits=True``.
    from_logits : bool
        With logits ``z`` the loss is computed as
        ``softplus(z) - p*z = max(z, 0) - p*z + log(1 + exp(-|z|))``, which
        equals the formula with ``q = sigmoid(z)`` but never overflows.

    Returns
    -------
    float
        The mean over all elements.  With probabilities a sure wrong answer
        (``q = 0`` for ``p = 1``) gives ``inf``; Keras instead clips ``q`` to
        ``[1e-7, 1 - 1e-7]``.

    Examples
    --------
    >>> binary_cross_entropy([1, 0], [0.9, 0.2])
    0.164252033486018
    >>> binary_cross_entropy([1, 0], [2.0, -1.5], from_logits=True)
    0.1642...
    >>> binary_cross_entropy([1, 0, 1], [1000.0, -1000.0, -1000.0], from_logits=True)
    333.333...
    """
    if from_logits:  # q holds logits z: the loss is softplus(z) - p*z = log(1 + e^z) - p*z
        return float(np.mean(np.logaddexp(0.0, q) - p * q))
    # xlogy(p, q) is p * log(q), and 0 where p is 0 (so 0 log 0 counts as 0)
    return float(np.mean(-xlogy(p, q) - xlogy(1.0 - p, 1.0 - q)))


@validate_params(*_LOSS, p=_distributions, **_LOSS_ARGUMENTS)
def cross_entropy(p, q, *, from_logits: bool = False) -> float:
    """Mean categorical cross-entropy ``-sum_k p_k log q_k`` over the samples.

    Parameters
    ----------
    p : array_like
        True class distributions, shape ``(n, k)`` (one-hot rows, see
        :func:`one_hot`) or ``(k,)`` for a single sample.
    q : array_like
        Predictions, same shape: probabilities (rows summing to one), or
        logits when ``from_logits=True``.
    from_logits : bool
        With logits ``y`` the log-probabilities are computed as
        ``log softmax(y) = y - logsumexp(y)``, with the largest logit
        subtracted first: exact and finite even for logits of ±1000.

    Returns
    -------
    float
        The cross-entropy of each row (the sum over the last axis), averaged
        over the rows.

    Examples
    --------
    >>> p = one_hot([2, 0], 3)
    >>> cross_entropy(p, [[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]])
    0.5249...
    >>> cross_entropy(p, [[0.0, 0.0, 1000.0], [0.0, 1000.0, 0.0]], from_logits=True)
    500.0
    """
    if from_logits:  # log softmax(q) = q - log(sum(exp(q))), computed without overflow
        log_q = q - logsumexp(q, axis=-1, keepdims=True)
        return float(np.mean(-np.sum(p * log_q, axis=-1)))
    # xlogy(p, q) is p * log(q), and 0 where p is 0 (so 0 log 0 counts as 0)
    return float(np.mean(-np.sum(xlogy(p, q), axis=-1)))


def _labels_fit(arguments) -> None:
    """Relation: every label is below num_classes, which empty labels must give."""
    labels, num_classes = arguments["labels"], arguments["num_classes"]
    if num_classes is None and labels.size == 0:
        raise fail(ValueError, "num_classes", "given for empty labels", "None")
    if num_classes is not None and labels.size and labels.max() >= num_classes:
        raise fail(ValueError, "labels", f"below num_classes={num_classes}", f"label {labels.max()}")


@validate_params(_labels_fit, labels=lambda value, name: class_labels(value, name, any_shape=True),
                 num_classes=optional(integer(low=1)))
def one_hot(labels, num_classes: int | None = None) -> np.ndarray:
    """One-hot rows: label ``c`` becomes a row of zeros with a one in column ``c``.

    The values and shape are those of ``keras.utils.to_categorical``: a
    trailing axis of length one is dropped (``(n, 1)`` labels give
    ``(n, num_classes)``), and ``num_classes`` defaults to the largest label
    plus one.  The dtype is float32, what Keras models train with.

    Parameters
    ----------
    labels : array_like
        Non-negative integer class labels (integer-valued floats are accepted).
    num_classes : int, optional
        Number of classes; all labels must be smaller.

    Returns
    -------
    numpy.ndarray
        float32 array of shape ``labels.shape + (num_classes,)``.

    Raises
    ------
    ValueError
        Negative, fractional or too large labels; ``num_classes`` < 1;
        empty labels without ``num_classes``.

    Examples
    --------
    >>> one_hot([0, 2, 1])
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]], dtype=float32)
    >>> one_hot(np.array([[3], [1]]), num_classes=5).shape
    (2, 5)
    """
    if num_classes is None:
        num_classes = labels.max() + 1
    # row c of the identity matrix is the one-hot row of label c
    return np.eye(num_classes, dtype=np.float32)[labels]


@validate_params(loss=function, start=number(), learning_rate=number(low=0, include_low=False),
                 steps=integer(low=1))
def gradient_descent(loss, start: float, *, learning_rate: float,
                     steps: int) -> np.ndarray:
    """Minimise a loss of one parameter by plain gradient descent; return every position.

    Each step measures the slope of ``loss`` at the current value ``w`` by a central
    difference and moves against it: ``w <- w - learning_rate * slope``. (Keras gets the
    exact slope of every weight at once by backpropagation; for one parameter a finite
    difference shows the same idea.)

    Parameters
    ----------
    loss : callable
        A function of one float returning a float.
    start : float
        The parameter's value before training.
    learning_rate : float
        The step size factor, a positive number.
    steps : int
        Number of steps, at least 1.

    Returns
    -------
    numpy.ndarray
        ``steps + 1`` values: ``start``, then the value after each step.

    Examples
    --------
    On the parabola ``(w - 3)**2`` each step with learning rate 0.25 halves the
    distance to the minimum at 3:

    >>> gradient_descent(lambda w: (w - 3) ** 2, 0.0, learning_rate=0.25, steps=3).round(6)
    array([0.   , 1.5  , 2.25 , 2.625])
    """
    h = 1e-6
    path = [start]
    for _ in range(steps):
        w = path[-1]
        slope = (loss(w + h) - loss(w - h)) / (2 * h)
        path.append(w - learning_rate * slope)
    return np.array(path)
