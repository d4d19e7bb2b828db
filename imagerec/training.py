"""Training, evaluation and prediction, with checks before the expensive part.

:func:`train` runs Keras's ``model.fit`` with the course's settings (batch 32, the
last 20% of the training data held out for validation, 50 epochs) but refuses
data that does not fit the model *before* training, seeds every random generator
and makes TensorFlow's operations deterministic, so that the same seed on the
same machine gives the same history. :func:`evaluate` returns named metrics
(``model.evaluate`` returns a bare list whose order is easy to get wrong, as the
course does), and :func:`predict` turns logits into labels.

Examples
--------
>>> import numpy as np
>>> targets("A", np.array([3, 0])).shape
(2, 10)
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from imagerec import activations, losses, models, registry  # noqa: F401 (the examples use models)
from imagerec._checks import array, class_labels, fail, integer, number, validate_params

__all__ = ["evaluate", "predict", "seed_everything", "targets", "train"]

NUM_CLASSES = 10
"""Classes of the ten-digit networks."""

VALIDATION_BATCH_SIZE = 1024
"""Samples per step when :func:`train` measures the validation loss and accuracy.

Validation only evaluates the network, so the size of its batches changes the speed,
not the training: the accuracy counts the same correct answers, and the loss is the
same mean up to float32 rounding (about 1e-7), because it is summed in groups of 1,024
instead of 32. Fewer, larger batches save 6-13% of an epoch of the course's networks on
a 2-core CPU (``benchmarks/bench_training.py``).
"""


def _labels(y, name: str) -> np.ndarray:
    """Check: a 1-D array of class labels 0, 1, 2, ..."""
    if np.ndim(y) != 1:
        raise fail(ValueError, name, "a 1-D array of class labels", f"shape {np.shape(y)}")
    return class_labels(y, name)


def _labels_fit(arguments) -> None:
    """Relation: the labels ``y`` are classes of network ``name``."""
    name, y = arguments["name"], arguments["y"]
    classes = 2 if registry.network(name).binary else NUM_CLASSES
    if y.size and y.max() >= classes:
        hint = "; keep only those classes first (imagerec.data.filter_classes)" if classes == 2 else ""
        raise fail(ValueError, "y", f"labels 0..{classes - 1} for network {name}{hint}", f"label {y.max()}")


@validate_params(_labels_fit, y=_labels)
def targets(name: str, y) -> np.ndarray:
    """The training targets network ``name`` expects for integer labels ``y``.

    Parameters
    ----------
    name : str
        One of :data:`imagerec.registry.NETWORKS`.
    y : array_like of shape (n,)
        Integer labels: 0 or 1 for ``"mnist01"``, 0..9 for the other networks.

    Returns
    -------
    numpy.ndarray
        ``mnist01``: float32 column of shape (n, 1), the one logit's target;
        otherwise float32 one-hot rows of shape (n, 10) (``losses.one_hot``).

    Raises
    ------
    ValueError
        Unknown ``name``; ``y`` not 1-D; labels outside the network's classes.

    Examples
    --------
    >>> targets("mnist01", [0, 1, 1])
    array([[0.],
           [1.],
           [1.]], dtype=float32)
    >>> targets("B", [2, 0])
    array([[0., 0., 1., 0., 0., 0., 0., 0., 0., 0.],
           [1., 0., 0., 0., 0., 0., 0., 0., 0., 0.]], dtype=float32)
    >>> targets("mnist01", [0, 2])
    Traceback (most recent call last):
    ...
    ValueError: y must be labels 0..1 for network mnist01; keep only those classes first (...), got label 2
    """
    if registry.network(name).binary:
        return y.astype(np.float32).reshape(-1, 1)  # the one logit's target
    return losses.one_hot(y, NUM_CLASSES)


def _model(model, name: str):
    """Check: a compiled Keras model."""
    if not isinstance(model, keras.Model):
        raise fail(TypeError, name, "a keras.Model (see imagerec.models.build)", type(model).__name__)
    if not model.compiled:
        raise fail(ValueError, name, "compiled (build it with imagerec.models.build)", "a model that is not")
    return model


def _x_fits(arguments) -> None:
    """Relation: the images ``x`` have shape ``(n,)`` + the model's input shape, n >= 1."""
    x, expected = arguments["x"], tuple(arguments["model"].input_shape[1:])
    if x.ndim != len(expected) + 1 or x.shape[1:] != expected:
        raise ValueError(f"x must have shape (n, {', '.join(map(str, expected))}) for this model, got {x.shape}")
    if len(x) == 0:
        raise fail(ValueError, "x", "at least one sample", "no samples")


def _y_fits(arguments) -> None:
    """Relation: the targets ``y`` fit ``x`` and the model's output, and lie in [0, 1]."""
    n, y = len(arguments["x"]), arguments["y"]
    expected = _output_shape(arguments["model"])
    if y.shape != (n, *expected):
        hint = "one-hot rows" if expected != (1,) else "a float column of 0s and 1s"
        raise ValueError(
            f"y must have shape ({n}, {', '.join(map(str, expected))}) ({hint}) to match "
            f"x and the model's output, got {y.shape}; convert labels with "
            "imagerec.training.targets(name, labels)"
        )
    if y.size and (y.min() < 0 or y.max() > 1):
        raise fail(ValueError, "y", "targets between 0 and 1 (see imagerec.training.targets)",
                   f"values from {y.min()} to {y.max()}")


def _enough_samples(arguments) -> None:
    """Relation: ``validation_split`` leaves samples for training and, if above 0, validation."""
    n, split = len(arguments["x"]), arguments["validation_split"]
    n_train, n_val = _split_sizes(n, split)
    if n_train == 0 or (split > 0 and n_val == 0):
        raise fail(ValueError, "validation_split", f"small enough to leave samples of {n} for "
                   "training and validation", f"{split} (too few samples)")


_DATA = dict(model=_model, x=array(kinds="iuf", finite=False), y=array(kinds="iufb"))


def _output_shape(model) -> tuple[int, ...]:
    """Shape of one sample's output; a model with several outputs (a stack of copies of one
    network, :mod:`imagerec.book.seeds`) must give them all the same shape."""
    shapes = {tuple(output.shape[1:]) for output in model.outputs}
    if len(shapes) != 1:
        raise fail(ValueError, "model", "a model whose outputs have one shape (or give each its own targets)",
                   f"outputs of shapes {sorted(shapes)}")
    return shapes.pop()


def _for_every_output(model, y):
    """The targets ``y`` once per output of ``model``: a stack of copies learns the same labels."""
    return y if len(model.outputs) == 1 else tuple([y] * len(model.outputs))


class _ValidateEachCopy(keras.callbacks.Callback):
    """At the end of each epoch, each copy of a stack's loss and accuracy on the validation set.

    Keras would track each output's loss with a mean over *batches* when the last batch is
    smaller; evaluating each copy alone weights every sample equally, as for a network
    trained alone, so that a copy's ``val_loss`` is exactly that network's.
    """

    def __init__(self, validation):
        super().__init__()
        self.validation = validation

    def on_epoch_end(self, epoch, logs=None):
        for name in self.model.output_names:
            scores = self.model.get_layer(name).evaluate(self.validation, verbose=0, return_dict=True)
            for key, value in scores.items():
                logs[f"val_{name}_{key}"] = value


def _split_sizes(n: int, validation_split: float) -> tuple[int, int]:
    """Training and validation sizes exactly as Keras's ``validation_split`` cuts them."""
    n_train = int(np.floor(n * (1.0 - validation_split)))
    return n_train, n - n_train


@validate_params(seed=integer(low=0))
def seed_everything(seed: int) -> None:
    """Seed Python, NumPy, TensorFlow and Keras and make TensorFlow's ops deterministic.

    Parameters
    ----------
    seed : int
        Any non-negative integer.

    Examples
    --------
    >>> seed_everything(3); a = np.random.rand()
    >>> seed_everything(3); a == np.random.rand()
    True
    """
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


@validate_params(_x_fits, _y_fits, _enough_samples, **_DATA, epochs=integer(low=1),
                 batch_size=integer(low=1), validation_split=number(0, 1, include_high=False),
                 validation_batch_size=integer(low=1), seed=integer(low=0))
def train(
    model,
    x,
    y,
    *,
    epochs: int = 50,
    batch_size: int = 32,
    validation_split: float = 0.2,
    validation_batch_size: int = VALIDATION_BATCH_SIZE,
    seed: int = 0,
    verbose: int = 0,
    callbacks=None,
) -> dict[str, list[float]]:
    """Train ``model`` as the course does and return its history.

    Keras's own ``validation_split`` is used: the *last* ``validation_split`` of
    the arrays (not shuffled) is held out, the rest is shuffled every epoch.

    Parameters
    ----------
    model : keras.Model
        A compiled network from :func:`imagerec.models.build`, or several copies of
        one network side by side from :func:`imagerec.book.seeds.stack`: each copy then
        learns ``y`` and the history has one ``<output>_loss``, ``<output>_accuracy``
        (and ``val_`` ones) per copy besides the summed ``loss``.
    x : array of shape (n, height, width)
        Images (``uint8`` pixels; the model rescales them).
    y : array of shape (n, 1) or (n, 10)
        Targets from :func:`targets`.
    epochs, batch_size : int
        Passes over the training data, samples per gradient step.
    validation_split : float in [0, 1)
        Fraction of the samples, at the end of the arrays, used for validation.
    validation_batch_size : int, default :data:`VALIDATION_BATCH_SIZE`
        Samples per step of the validation at the end of each epoch; only the speed
        and the rounding of ``val_loss`` depend on it.
    seed : int
        Seeds shuffling and dropout (and everything drawn afterwards); also turns
        on TensorFlow's op determinism. Initial weights are drawn by
        :func:`~imagerec.models.build`: pass it the seed too.
    verbose : int
        Keras's verbosity: 0 silent, 1 progress bar, 2 one line per epoch.
    callbacks : list of keras.callbacks.Callback, optional
        Passed to ``model.fit`` (e.g. to time epochs). With the fast options
        batch-level callbacks run once per :data:`~imagerec.models.STEPS_PER_EXECUTION`
        steps; epoch-level ones as usual.

    Returns
    -------
    dict
        ``{"loss": [...], "accuracy": [...], "val_loss": [...], "val_accuracy": [...]}``,
        one plain float per epoch (no ``val_`` entries when ``validation_split=0``).

    Raises
    ------
    ValueError
        Shapes of ``x`` or ``y`` that do not fit the model, too few samples for
        the split, epochs or a batch size below 1. Nothing is trained then.
    TypeError
        ``model`` not a Keras model, epochs or a batch size not integers.

    Examples
    --------
    >>> model = models.build("A", input_shape=(4, 4), seed=0)
    >>> x = np.arange(10 * 16, dtype=np.uint8).reshape(10, 4, 4)
    >>> history = train(model, x, targets("A", np.arange(10)), epochs=2)
    >>> sorted(history), len(history["loss"])
    (['accuracy', 'loss', 'val_accuracy', 'val_loss'], 2)
    >>> train(model, x[:, :3], targets("A", np.arange(10)))
    Traceback (most recent call last):
    ...
    ValueError: x must have shape (n, 4, 4) for this model, got (10, 3, 4)
    """
    n_train, n_val = _split_sizes(len(x), validation_split)
    # The last n_val samples validate, as with Keras's validation_split, but batched once
    # and in large batches: validation_split would slice and convert them again at every
    # epoch, which costs a small network a quarter of its time.
    validation = (
        tf.data.Dataset.from_tensor_slices((x[n_train:], y[n_train:]))
        .batch(validation_batch_size)
        .cache()
        if n_val else None
    )
    callbacks = list(callbacks or [])
    if validation is not None and len(model.outputs) > 1:  # a stack of copies: each alone
        callbacks.append(_ValidateEachCopy(validation))
        validation = None
    seed_everything(seed)
    fitted = model.fit(
        x[:n_train],
        _for_every_output(model, y[:n_train]),
        epochs=epochs,
        batch_size=batch_size,
        validation_data=validation,
        shuffle=True,
        verbose=verbose,
        callbacks=callbacks,
    )
    order = ("loss", "accuracy", "val_loss", "val_accuracy")
    keys = [k for k in order if k in fitted.history] + sorted(set(fitted.history) - set(order))
    return {k: [float(v) for v in fitted.history[k]] for k in keys}


@validate_params(_x_fits, _y_fits, **_DATA, batch_size=integer(low=1))
def evaluate(model, x, y, *, batch_size: int = VALIDATION_BATCH_SIZE) -> dict[str, float]:
    """Loss and accuracy of ``model`` on ``x``, ``y``, by name.

    Parameters
    ----------
    model : keras.Model
        A compiled network from :func:`imagerec.models.build`.
    x, y : arrays
        Images and targets (see :func:`targets`), shapes as for :func:`train`.
    batch_size : int, default :data:`VALIDATION_BATCH_SIZE`
        Samples per step. Only the speed depends on it, and the loss's float32 rounding
        (it is summed in other groups): large batches take far fewer calls into TensorFlow.

    Returns
    -------
    dict
        ``{"loss": float, "accuracy": float}``.

    Examples
    --------
    >>> model = models.build("mnist01", input_shape=(2, 2), seed=0)
    >>> scores = evaluate(model, np.zeros((4, 2, 2), np.uint8), targets("mnist01", [0, 1, 0, 1]))
    >>> sorted(scores), 0 <= scores["accuracy"] <= 1
    (['accuracy', 'loss'], True)
    """
    scores = model.evaluate(x, y, batch_size=batch_size, verbose=0, return_dict=True)
    return {"loss": float(scores["loss"]), "accuracy": float(scores["accuracy"])}


@validate_params(_x_fits, model=_model, x=_DATA["x"], batch_size=integer(low=1))
def predict(model, x, *, batch_size: int = 256) -> np.ndarray:
    """Predicted labels of ``model`` for the images ``x``.

    The network outputs logits; :func:`imagerec.activations.predict_labels`
    turns them into labels (the sign of the one logit of ``mnist01``, the argmax
    of ten logits otherwise).

    Parameters
    ----------
    model : keras.Model
        A network from :func:`imagerec.models.build`.
    x : array of shape (n, height, width)
        Images.
    batch_size : int, default 256
        Samples per step; only the speed depends on it.

    Returns
    -------
    numpy.ndarray
        Integer labels of shape (n,).

    Examples
    --------
    A tiny one-logit network set by hand: dark images get a negative logit
    (class 0), bright ones a positive logit (class 1):

    >>> model = models.build("mnist01", input_shape=(1, 2))
    >>> model.layers[2].set_weights([np.ones((2, 2)) / 2, np.zeros(2)])
    >>> model.layers[3].set_weights([np.array([[4.0], [4.0]]), np.array([-5.0])])
    >>> predict(model, np.array([[[0, 0]], [[255, 255]]], dtype=np.uint8))
    array([0, 1])
    """
    logits = model.predict(x, batch_size=batch_size, verbose=0)
    return activations.predict_labels(logits)
