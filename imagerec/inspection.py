"""Looking inside trained networks: which mistakes they make and what their kernels see.

An accuracy is one number; it says how often a classifier errs, not how. This module
gives the tools of the chapter "Looking inside the networks":

* :func:`confusion_matrix` counts, for every true class, how often each class was
  predicted; :func:`most_confused` lists its largest off-diagonal cells.
* :func:`confident_errors` finds the samples a network gets wrong *and* is sure about.
* :func:`conv_kernels`, :func:`kernel_responses` and :func:`feature_maps` show what a
  convolutional layer has learnt: its kernels, and its output for given images.

The first three work on plain NumPy arrays; only the functions that take a Keras
model import Keras (when they are called).

>>> confusion_matrix([0, 1, 1], [0, 1, 0])
array([[1, 0],
       [1, 1]])
"""

from __future__ import annotations

import dataclasses

import numpy as np

from imagerec._checks import (
    array, boolean, class_labels, fail, integer, is_integer, optional, same_shape, validate_params,
)
from imagerec.activations import _logits, predict_labels, sigmoid, softmax

__all__ = [
    "Mistakes",
    "confident_errors",
    "confusion_matrix",
    "conv_kernels",
    "conv_layer",
    "feature_maps",
    "kernel_responses",
    "most_confused",
]


# --- labels and confusion matrices -----------------------------------------------------


def _labels_fit(arguments) -> None:
    """Relation: every label is below num_classes, which empty labels must give."""
    y_true, y_pred, num_classes = arguments["y_true"], arguments["y_pred"], arguments["num_classes"]
    if num_classes is None and y_true.size == 0:
        raise fail(ValueError, "num_classes", "given for empty y_true and y_pred", "None")
    largest = max(y_true.max(), y_pred.max()) if y_true.size else -1
    if num_classes is not None and largest >= num_classes:
        raise fail(ValueError, "y_true and y_pred", f"labels below num_classes={num_classes} "
                   "(or pass a larger num_classes)", f"label {largest}")


@validate_params(same_shape("y_true", "y_pred"), _labels_fit, y_true=class_labels,
                 y_pred=class_labels, num_classes=optional(integer(low=1)))
def confusion_matrix(y_true, y_pred, num_classes: int | None = None) -> np.ndarray:
    """Count how often each true class was predicted as each class.

    Cell ``[i, j]`` of the matrix is the number of samples of true class ``i`` that were
    predicted as class ``j``. The diagonal holds the correct predictions, each row sums
    to the number of samples of its class, and everything off the diagonal is a mistake.

    Parameters
    ----------
    y_true, y_pred : array_like of int, shape (n,)
        True and predicted class labels, ``0, 1, ..., num_classes - 1`` (shape ``(n, 1)``
        and floats holding whole numbers are accepted too).
    num_classes : int, optional
        Number of classes, the size of the matrix. By default the largest label seen
        plus one (pass it when a class may be missing from both arrays).

    Returns
    -------
    numpy.ndarray
        ``int64`` array of shape ``(num_classes, num_classes)``: rows are the true
        classes, columns the predicted ones.

    Raises
    ------
    ValueError
        Arrays of different lengths or not 1-D, negative labels, labels not below
        ``num_classes``, or empty arrays without ``num_classes``.
    TypeError
        Labels that are not numbers.

    Examples
    --------
    >>> y_true = [0, 0, 1, 2, 2, 2]
    >>> y_pred = [0, 1, 1, 2, 0, 2]
    >>> confusion_matrix(y_true, y_pred)
    array([[1, 1, 0],
           [0, 1, 0],
           [1, 0, 2]])
    >>> confusion_matrix([1], [1], num_classes=3).sum(axis=1)   # rows: samples per class
    array([0, 1, 0])
    >>> confusion_matrix([0, 5], [0, 1], num_classes=3)
    Traceback (most recent call last):
    ...
    ValueError: y_true and y_pred must be labels below num_classes=3 (or pass a larger num_classes), got label 5
    """
    if num_classes is None:
        num_classes = int(max(y_true.max(), y_pred.max())) + 1
    # Cell (i, j) gets the flat index i * k + j: one bincount counts all of them at once.
    counts = np.bincount(y_true * num_classes + y_pred, minlength=num_classes * num_classes)
    return counts.reshape(num_classes, num_classes)


_COUNTS = "a square confusion matrix of at least 2 classes, counts >= 0"


def _square_counts(matrix, name: str) -> np.ndarray:
    """Check: a square matrix of non-negative counts, at least 2 x 2."""
    matrix = array(what=_COUNTS)(matrix, name)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] < 2:
        raise fail(ValueError, name, _COUNTS, f"shape {matrix.shape}")
    if np.any(matrix < 0):
        raise fail(ValueError, name, _COUNTS, f"a count of {matrix.min()}")
    return matrix


@validate_params(matrix=_square_counts, n=integer(low=1), symmetric=boolean)


def most_confused(matrix, n: int = 3, *, symmetric: bool = False) -> list[tuple[int, int, int]]:
    """The largest off-diagonal cells of a confusion matrix: the most frequent mistakes.

    Parameters
    ----------
    matrix : array_like, shape (k, k)
        A confusion matrix (rows true class, columns predicted class).
    n : int, default 3
        How many to return (fewer if fewer cells are non-zero).
    symmetric : bool, default False
        False: ordered mistakes ``(true, predicted, count)``, "a 4 taken for a 9".
        True: unordered pairs ``(a, b, count)`` with ``a < b``, counting both
        directions, "4 and 9 mixed up".

    Returns
    -------
    list of (int, int, int)
        Largest count first; equal counts in the order of the matrix's rows. Cells
        with count 0 are left out.

    Examples
    --------
    >>> m = [[5, 2, 0],
    ...      [3, 4, 1],
    ...      [0, 0, 6]]
    >>> most_confused(m)
    [(1, 0, 3), (0, 1, 2), (1, 2, 1)]
    >>> most_confused(m, n=1, symmetric=True)
    [(0, 1, 5)]
    """
    if symmetric:
        matrix = np.triu(matrix + matrix.T, k=1)
    else:
        matrix = matrix * (1 - np.eye(len(matrix), dtype=matrix.dtype))
    flat = matrix.ravel()
    order = np.argsort(-flat, kind="stable")[:n]
    rows, cols = np.unravel_index(order, matrix.shape)
    return [(int(i), int(j), int(matrix[i, j])) for i, j in zip(rows, cols) if matrix[i, j] > 0]


# --- confident mistakes ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Mistakes:
    """Misclassified samples, the most confident first.

    Attributes
    ----------
    indices : numpy.ndarray of int
        Positions of the samples in the arrays that were passed.
    true, predicted : numpy.ndarray of int
        Their true and their (wrong) predicted labels.
    probability : numpy.ndarray of float
        The probability the network gave to the predicted class (softmax of the
        logits; sigmoid for one logit), decreasing.
    """

    indices: np.ndarray
    true: np.ndarray
    predicted: np.ndarray
    probability: np.ndarray

    def __len__(self) -> int:
        return len(self.indices)

    def titles(self, digits: int = 2) -> list[str]:
        """Short captions ``"true → predicted (p=...)"``, one per mistake.

        Examples
        --------
        >>> Mistakes(np.array([7]), np.array([4]), np.array([9]), np.array([0.987])).titles()
        ['4 → 9 (p=0.99)']
        """
        return [
            f"{t} → {p} (p={q:.{digits}f})"
            for t, p, q in zip(self.true, self.predicted, self.probability)
        ]


def _class_probabilities(logits: np.ndarray) -> np.ndarray:
    """Class probabilities (n, k) from logits (n, k>1), or (n, 2) from one logit per sample."""
    if logits.ndim == 1 or logits.shape[1] == 1:
        one = sigmoid(logits.reshape(len(logits)))
        return np.stack([1.0 - one, one], axis=1)
    return softmax(logits, axis=1)


def _labels_have_logits(arguments) -> None:
    """Relation: one label per row of logits, each label with a logit."""
    logits, y_true = arguments["logits"], arguments["y_true"]
    if len(y_true) != len(logits):
        raise fail(ValueError, "y_true", f"one label per row of logits ({len(logits)})", f"{len(y_true)} labels")
    classes = 2 if logits.ndim == 1 or logits.shape[1] == 1 else logits.shape[1]
    if y_true.size and y_true.max() >= classes:
        raise fail(ValueError, "y_true", f"labels below the logits' {classes} classes", f"label {y_true.max()}")


@validate_params(_labels_have_logits, logits=_logits, y_true=class_labels, n=optional(integer(low=1)))
def confident_errors(logits, y_true, n: int | None = 10) -> Mistakes:
    """The misclassified samples on which the network was most sure of its wrong answer.

    The predicted label is :func:`~imagerec.activations.predict_labels` of the logits,
    and the confidence is the probability the network gives to that (wrong) class:
    the :func:`~imagerec.activations.softmax` of the logits, or the sigmoid for a
    network with one output.

    Parameters
    ----------
    logits : array_like, shape (n_samples, k) or (n_samples,) / (n_samples, 1)
        The network's raw outputs (``model.predict(x)``).
    y_true : array_like of int, shape (n_samples,)
        The true labels.
    n : int or None, default 10
        How many mistakes to return; ``None`` returns all of them. Fewer are returned
        if the network makes fewer mistakes.

    Returns
    -------
    Mistakes
        Indices, true labels, predicted labels and probabilities of the mistakes,
        ordered by decreasing probability (equal ones by index).

    Raises
    ------
    ValueError
        Logits and labels of different lengths, a label with no logit (``>= k``).

    Examples
    --------
    >>> logits = [[4.0, 0.0, 0.0],   # predicts 0, true 0: right
    ...           [0.0, 3.0, 0.0],   # predicts 1, true 2: wrong, p = 0.91
    ...           [1.0, 0.0, 0.0],   # predicts 0, true 1: wrong, p = 0.58
    ...           [0.0, 0.0, 5.0]]   # predicts 2, true 0: wrong, p = 0.99
    >>> mistakes = confident_errors(logits, [0, 2, 1, 0], n=2)
    >>> mistakes.indices, mistakes.true, mistakes.predicted
    (array([3, 1]), array([0, 2]), array([2, 1]))
    >>> mistakes.probability.round(3)
    array([0.987, 0.909])
    >>> len(confident_errors(logits, [0, 1, 0, 2], n=None))   # all correct
    0
    """
    predicted = predict_labels(logits)
    probabilities = _class_probabilities(logits)
    wrong = np.flatnonzero(predicted != y_true)
    confidence = probabilities[wrong, predicted[wrong]]
    order = np.argsort(-confidence, kind="stable")[:n]
    chosen = wrong[order]
    return Mistakes(chosen, y_true[chosen], predicted[chosen], confidence[order])


# --- convolutional layers ----------------------------------------------------------------


def conv_layer(model, layer=None):
    """A ``Conv2D`` layer of a Keras model: the first one, or the one named or numbered.

    Parameters
    ----------
    model : keras.Model
        A built model (e.g. ``imagerec.book.experiments.run("D").model``).
    layer : int or str, optional
        Index in ``model.layers`` or name of the layer; by default the first ``Conv2D``.

    Returns
    -------
    keras.layers.Conv2D

    Raises
    ------
    ValueError
        The model has no ``Conv2D`` layer, no layer of that name or index (Keras's
        ``Model.get_layer`` says so), or the layer chosen is not a ``Conv2D``.
    TypeError
        ``model`` is not a Keras model, or ``layer`` neither an index, a name nor None.

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((6, 6, 1)),
    ...                           keras.layers.Conv2D(2, 3, name="conv"), keras.layers.Flatten()])
    >>> conv_layer(model).name, conv_layer(model, 0).name, conv_layer(model, "conv").name
    ('conv', 'conv', 'conv')
    >>> conv_layer(model, 1)
    Traceback (most recent call last):
    ...
    ValueError: layer 1 of the model is a Flatten layer named 'flatten...', not a Conv2D
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    if layer is None:
        found = [item for item in model.layers if isinstance(item, keras.layers.Conv2D)]
        if not found:
            kinds = ", ".join(type(item).__name__ for item in model.layers)
            raise ValueError(f"the model has no Conv2D layer (its layers: {kinds}); use a convolutional network such as D")
        return found[0]
    if isinstance(layer, str):
        chosen = model.get_layer(name=layer)
    elif is_integer(layer):
        chosen = model.get_layer(index=int(layer))
    else:
        raise TypeError(f"layer must be an index, a name or None, got {type(layer).__name__}")
    if not isinstance(chosen, keras.layers.Conv2D):
        raise ValueError(
            f"layer {layer!r} of the model is a {type(chosen).__name__} layer named "
            f"{chosen.name!r}, not a Conv2D"
        )
    return chosen


def conv_kernels(model, layer=None) -> np.ndarray:
    """The kernel weights of a model's (first) ``Conv2D`` layer.

    Parameters
    ----------
    model : keras.Model
        A built model with a convolutional layer.
    layer : int or str, optional
        Which ``Conv2D`` layer (see :func:`conv_layer`); by default the first.

    Returns
    -------
    numpy.ndarray
        ``float32`` array of shape ``(kh, kw, in_channels, filters)``, as Keras stores
        it: kernel ``j`` applied to input channel ``i`` is ``weights[:, :, i, j]``.
        (The biases are ``conv_layer(model).get_weights()[1]``.)

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((6, 6, 1)), keras.layers.Conv2D(4, 3)])
    >>> conv_kernels(model).shape
    (3, 3, 1, 4)
    """
    return np.asarray(conv_layer(model, layer).get_weights()[0])


_KERNELS = "finite kernels of shape (kh, kw), (kh, kw, filters) or (kh, kw, 1, filters), kh, kw >= 2"


def _one_channel_kernels(kernels, name: str) -> np.ndarray:
    """Check: kernels of one input channel, as float64 of shape (kh, kw, filters)."""
    weights = array(what=_KERNELS)(kernels, name).astype(np.float64)
    if weights.ndim == 4:
        if weights.shape[2] != 1:
            raise fail(ValueError, name, "kernels of one input channel (pass e.g. kernels[:, :, c])",
                       f"{weights.shape[2]} input channels")
        weights = weights[:, :, 0, :]
    elif weights.ndim == 2:
        weights = weights[:, :, None]
    if weights.ndim != 3 or min(weights.shape[:2]) < 2:
        raise fail(ValueError, name, _KERNELS, f"shape {np.shape(kernels)}")
    return weights


@validate_params(kernels=_one_channel_kernels)
def kernel_responses(kernels) -> dict[str, np.ndarray]:
    r"""How each 2-D kernel responds to a flat patch and to brightness ramps.

    Three numbers sum up what a small kernel ``w`` reacts to (``x`` and ``y`` are the
    column and row offsets from the kernel's centre, ``y`` counted downwards):

    * ``flat`` = :math:`\sum w`, the response to a patch of uniform brightness 1:
      > 0, the kernel adds up the ink under it; about 0, it ignores flat areas;
    * ``ramp_x`` = :math:`\sum x\,w`, the response to a patch whose brightness grows
      by 1 per pixel to the right: > 0 where a bright stroke begins (its left edge),
      < 0 where it ends (its right edge);
    * ``ramp_y`` = :math:`\sum y\,w`, the same downwards: > 0 on the top edges of
      strokes, < 0 on their bottom edges.

    (The responses are those of cross-correlation, as Keras's ``Conv2D`` computes it,
    before the bias and the activation.)

    Parameters
    ----------
    kernels : array_like, shape (kh, kw), (kh, kw, filters) or (kh, kw, 1, filters)
        One kernel, or the kernels of a layer with one input channel
        (what :func:`conv_kernels` returns for model D).

    Returns
    -------
    dict
        ``{"flat": ..., "ramp_x": ..., "ramp_y": ...}``, float64 arrays with one value
        per kernel (``filters`` values; one value for a single kernel).

    Examples
    --------
    The Sobel kernel ignores flat areas and responds to brightness growing to the right:

    >>> sobel_x = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    >>> {key: value.tolist() for key, value in kernel_responses(sobel_x).items()}
    {'flat': [0.0], 'ramp_x': [8.0], 'ramp_y': [0.0]}
    >>> kernel_responses(np.ones((3, 3, 1, 2)))["flat"]
    array([9., 9.])
    """
    weights = kernels  # (kh, kw, filters)
    height, width = weights.shape[:2]
    y, x = np.mgrid[:height, :width].astype(np.float64)
    return {
        "flat": weights.sum(axis=(0, 1)),
        "ramp_x": np.tensordot(x - x.mean(), weights, axes=2),
        "ramp_y": np.tensordot(y - y.mean(), weights, axes=2),
    }


@validate_params(images=array(kinds="biuf", finite=False), batch_size=integer(low=1))
def feature_maps(model, images, layer=None, *, batch_size: int = 256) -> np.ndarray:
    """What a ``Conv2D`` layer of ``model`` outputs for ``images``: its feature maps.

    A second model with the same input and the chosen layer's output as its output,
    ``keras.Model(inputs=model.inputs, outputs=layer.output)``, shares the weights of
    ``model`` and runs the images through the layers up to that one (rescaling,
    reshaping, the convolution and its activation).

    Parameters
    ----------
    model : keras.Model
        A built model (e.g. ``imagerec.book.experiments.run("D").model``).
    images : array_like
        Shape ``(n,) + input_shape``, or ``input_shape`` for a single image:
        images as the model takes them (e.g. ``uint8`` digits of shape (n, 28, 28)).
        A single image without the batch axis is accepted.
    layer : int or str, optional
        Which ``Conv2D`` layer (see :func:`conv_layer`); by default the first.
    batch_size : int, default 256
        Images per step; only the speed depends on it.

    Returns
    -------
    numpy.ndarray
        ``float32`` array of shape ``(n, height, width, filters)``: map ``j`` of image
        ``i`` is ``maps[i, :, :, j]``. Shape ``(height, width, filters)`` for a single image.

    Raises
    ------
    ValueError
        Images whose shape does not fit the model's input, or a layer that is not a
        ``Conv2D`` (see :func:`conv_layer`).

    Examples
    --------
    A kernel that copies its input and one that doubles it (no bias, ReLU):

    >>> import keras
    >>> model = keras.Sequential([keras.Input((4, 4)), keras.layers.Reshape((4, 4, 1)),
    ...     keras.layers.Conv2D(2, 3, padding="same", activation="relu", name="conv")])
    >>> kernels = np.zeros((3, 3, 1, 2), "float32"); kernels[1, 1, 0] = [1.0, 2.0]
    >>> model.get_layer("conv").set_weights([kernels, np.zeros(2, "float32")])
    >>> image = np.arange(16, dtype="float32").reshape(4, 4)
    >>> maps = feature_maps(model, image[None])
    >>> maps.shape, bool(np.all(maps[0, :, :, 1] == 2 * image))
    ((1, 4, 4, 2), True)
    >>> feature_maps(model, image, layer="conv")[:, :, 0].tolist()[0]
    [0.0, 1.0, 2.0, 3.0]
    >>> feature_maps(model, np.zeros((2, 5, 5)))
    Traceback (most recent call last):
    ...
    ValueError: images must have shape (n, 4, 4) (or (4, 4) for one image) for this model, got (2, 5, 5)
    """
    import keras

    chosen = conv_layer(model, layer)
    expected = tuple(model.inputs[0].shape[1:])
    single = images.shape == expected
    batch = images[None] if single else images
    if batch.shape[1:] != expected or len(batch) == 0:
        wanted = ", ".join(str(size) for size in expected)
        raise ValueError(
            f"images must have shape (n, {wanted}) (or ({wanted}) for one image) for this model, "
            f"got {images.shape}"
        )
    extractor = keras.Model(inputs=model.inputs, outputs=chosen.output)
    maps = extractor.predict(batch, batch_size=batch_size, verbose=0)
    maps = np.asarray(maps)
    return maps[0] if single else maps
