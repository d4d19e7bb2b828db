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

from imagerec._checks import class_labels, positive_int, real_array

__all__ = [
    "mse_penalty",
    "bce_penalty",
    "mean_squared_error",
    "binary_cross_entropy",
    "cross_entropy",
    "one_hot",
    "gradient_descent",
]


def _check_probabilities(values, name: str) -> np.ndarray:
    """Values checked to be probabilities in [0, 1]."""
    array = real_array(values, name, allow_nan=False)
    if array.size and (array.min() < 0.0 or array.max() > 1.0):
        raise ValueError(
            f"{name} must be probabilities in [0, 1]; for raw network outputs use from_logits=True"
        )
    return array


def _same_shape(p: np.ndarray, q: np.ndarray) -> None:
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same shape, got {p.shape} and {q.shape}")
    if p.size == 0:
        raise ValueError("p and q are empty; a mean over no samples is undefined")


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x * log(y), with 0 wherever x == 0 (so that 0 * log 0 counts as 0, not NaN)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0.0, 0.0, x * np.log(y))


def _softplus(z: np.ndarray) -> np.ndarray:
    """log(1 + exp(z)) without overflow: max(z, 0) + log1p(exp(-|z|))."""
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


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
    q = _check_probabilities(q, "q")
    return (1.0 - q) ** 2


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
    q = _check_probabilities(q, "q")
    with np.errstate(divide="ignore"):
        return 0.0 - np.log(q)  # not -log(q), which gives -0.0 for q = 1


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
    p, q = real_array(p, "p", allow_nan=False), real_array(q, "q", allow_nan=False)
    _same_shape(p, q)
    return float(np.mean((p - q) ** 2))


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
    p = _check_probabilities(p, "p")
    if from_logits:
        z = real_array(q, "q", allow_nan=False)
        _same_shape(p, z)
        return float(np.mean(_softplus(z) - p * z))
    q = _check_probabilities(q, "q")
    _same_shape(p, q)
    return float(np.mean(-_xlogy(p, q) - _xlogy(1.0 - p, 1.0 - q)))


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
    p = _check_probabilities(p, "p")
    if p.ndim == 0:
        raise ValueError("p must have an axis of classes, got a single number")
    if from_logits:
        y = real_array(q, "q", allow_nan=False)
        _same_shape(p, y)
        if not np.isfinite(y).all():
            raise ValueError("the logits q must be finite")
        shifted = y - np.max(y, axis=-1, keepdims=True)
        log_q = shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
        return float(np.mean(-np.sum(p * log_q, axis=-1)))
    q = _check_probabilities(q, "q")
    _same_shape(p, q)
    return float(np.mean(-np.sum(_xlogy(p, q), axis=-1)))


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
    labels = class_labels(labels, "labels", any_shape=True)
    if num_classes is None:
        if labels.size == 0:
            raise ValueError("cannot infer num_classes from empty labels; pass num_classes")
        num_classes = int(labels.max()) + 1
    num_classes = positive_int(num_classes, "num_classes")
    if labels.size and labels.max() >= num_classes:
        raise ValueError(
            f"label {labels.max()} does not fit num_classes={num_classes} (labels 0..{num_classes - 1})"
        )
    result = np.zeros(labels.shape + (num_classes,), dtype=np.float32)
    np.put_along_axis(result, labels[..., np.newaxis], 1.0, axis=-1)
    return result


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
    if not callable(loss):
        raise TypeError("loss must be a function of one number, "
                        f"got {type(loss).__name__}")
    if not (isinstance(learning_rate, (int, float)) and learning_rate > 0):
        raise ValueError("learning_rate must be a positive number, "
                         f"got {learning_rate!r}")
    steps = positive_int(steps, "steps")
    h = 1e-6
    path = [float(start)]
    for _ in range(steps):
        w = path[-1]
        slope = (loss(w + h) - loss(w - h)) / (2 * h)
        path.append(w - learning_rate * slope)
    return np.array(path)
