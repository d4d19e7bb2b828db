"""The networks of both lessons, built and compiled exactly as the course does.

========  =================================================================  ==========
name      layers after ``Rescaling(1/255)``                                  parameters
========  =================================================================  ==========
mnist01   Flatten, Dense(2, sigmoid), Dense(1)                                    1,573
A         Flatten, Dense(10, sigmoid), Dense(10)                                  7,960
B         Flatten, Dense 10, 30, 50, 30 (ReLU), Dense(10)                        11,570
C         B with Dropout(0.015) after each hidden Dense                          11,570
D         Reshape, Conv2D(4, 3x3, same, ReLU), MaxPool(2), Flatten,              15,950
          Dense(20, ReLU), Dropout(0.2), Dense(10)
========  =================================================================  ==========

The exercise solutions add two larger networks, :data:`EXERCISE_NAMES`:
``"dense+"`` (Flatten, Dense(128, ReLU), Dropout(0.2), Dense(64, ReLU), Dropout(0.2),
Dense(10); 109,386 parameters) and ``"conv+"`` (two blocks of a 3x3 convolution and 2x2
max pooling with 8 and 16 kernels, Flatten, Dense(32, ReLU), Dropout(0.2), Dense(10); 26,698
parameters). :func:`build`, :func:`describe` and :mod:`imagerec.experiments` accept them
like the lessons' networks. :func:`build_cifar10` builds a small network for the colour
photos of CIFAR-10.

Every network outputs *logits* (no activation on the last layer); the loss
applies the sigmoid or softmax itself (``from_logits=True``). Two departures from
the course's code, both on purpose:

* pixels are scaled by ``keras.layers.Rescaling(1/255)`` instead of a ``Lambda``
  layer dividing by 256: ``Rescaling`` survives saving and loading;
* the accuracy of the one-logit network ``mnist01`` thresholds the logit at 0.
  Keras turns ``metrics=["accuracy"]`` into ``BinaryAccuracy(threshold=0.5)`` for a
  binary cross-entropy loss, which compares the *raw logit* with 0.5, i.e. a
  sigmoid output with 0.62: samples whose logit lies in (0, 0.5] count as class 0
  although the network predicts class 1. The course's ``mnist01`` accuracy is
  therefore slightly wrong; here it uses ``BinaryAccuracy(threshold=0.0)``.

Examples
--------
>>> MODEL_NAMES
('mnist01', 'A', 'B', 'C', 'D')
>>> TRAINABLE_PARAMS["D"]
15950
>>> EXERCISE_NAMES
('dense+', 'conv+')
"""

from __future__ import annotations

import keras

__all__ = [
    "EXERCISE_NAMES",
    "MODEL_NAMES",
    "STEPS_PER_EXECUTION",
    "TRAINABLE_PARAMS",
    "build",
    "build_cifar10",
    "count_trainable",
    "describe",
    "is_binary",
]

MODEL_NAMES = ("mnist01", "A", "B", "C", "D")
"""The networks of the course, in the order the lessons introduce them."""

EXERCISE_NAMES = ("dense+", "conv+")
"""The better networks of the exercise solutions: a wider dense one, a deeper convolutional one."""

TRAINABLE_PARAMS = {
    "mnist01": 1_573,
    "A": 7_960,
    "B": 11_570,
    "C": 11_570,
    "D": 15_950,
    "dense+": 109_386,
    "conv+": 26_698,
}
"""Trainable parameters of each network for 28x28 images (as ``model.summary()`` shows)."""

STEPS_PER_EXECUTION = 500
"""Training steps run per call into TensorFlow when ``build(..., fast=True)``.

Keras runs each batch of 32 images as one call from Python into a compiled
TensorFlow function; for these small networks the call costs more than the
arithmetic. With 500 steps per call the same steps, in the same order and on the
same batches, run in a loop inside TensorFlow: the training history is identical
and an epoch takes a fraction of the time. ``jit_compile`` (XLA) is left off: on
the CPUs measured it made training *slower* (up to 2.5x for the convolutional
network D), it changes the random numbers of the dropout layers, and with
TensorFlow's op determinism on (see :func:`imagerec.training.seed_everything`) it
cannot compile the gradient of max pooling at all.
"""

_DROPOUT_C = 0.015
_DROPOUT_D = 0.2

# The architectures as data: (kind, argument...) after Input and Rescaling.
_SPECS = {
    "mnist01": (("flatten",), ("dense", 2, "sigmoid"), ("dense", 1, None)),
    "A": (("flatten",), ("dense", 10, "sigmoid"), ("dense", 10, None)),
    "B": (
        ("flatten",),
        ("dense", 10, "relu"),
        ("dense", 30, "relu"),
        ("dense", 50, "relu"),
        ("dense", 30, "relu"),
        ("dense", 10, None),
    ),
    "C": (
        ("flatten",),
        ("dense", 10, "relu"),
        ("dropout", _DROPOUT_C),
        ("dense", 30, "relu"),
        ("dropout", _DROPOUT_C),
        ("dense", 50, "relu"),
        ("dropout", _DROPOUT_C),
        ("dense", 30, "relu"),
        ("dropout", _DROPOUT_C),
        ("dense", 10, None),
    ),
    "D": (
        ("reshape",),
        ("conv", 4, 3),
        ("maxpool", 2),
        ("flatten",),
        ("dense", 20, "relu"),
        ("dropout", _DROPOUT_D),
        ("dense", 10, None),
    ),
}


def _check_name(name) -> str:
    """Return ``name`` if it is one of :data:`MODEL_NAMES` or :data:`EXERCISE_NAMES`, else raise ValueError."""
    if not isinstance(name, str) or name not in _SPECS:
        known = ", ".join(repr(n) for n in (*MODEL_NAMES, *EXERCISE_NAMES))
        raise ValueError(f"unknown model {name!r}: choose one of {known}")
    return name


# The better networks of the exercise solutions, in the same notation.
_EXERCISE_SPECS = {
    "dense+": (
        ("flatten",),
        ("dense", 128, "relu"),
        ("dropout", 0.2),
        ("dense", 64, "relu"),
        ("dropout", 0.2),
        ("dense", 10, None),
    ),
    "conv+": (
        ("reshape",),
        ("conv", 8, 3),
        ("maxpool", 2),
        ("conv", 16, 3),
        ("maxpool", 2),
        ("flatten",),
        ("dense", 32, "relu"),
        ("dropout", 0.2),
        ("dense", 10, None),
    ),
}
_SPECS.update(_EXERCISE_SPECS)  # build, describe and experiments.run accept them too


_SHAPE_NAMES = {2: "(height, width) of a grey image, two", 3: "(height, width, channels) of colour images, three"}


def _check_input_shape(input_shape, ndim: int = 2) -> tuple[int, ...]:
    """Return ``input_shape`` as a tuple of ``ndim`` (2: grey, 3: colour) positive ints, else raise ValueError."""
    try:
        shape = tuple(input_shape)
    except TypeError:
        shape = ()
    if len(shape) != ndim or not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in shape):
        raise ValueError(f"input_shape must be {_SHAPE_NAMES[ndim]} positive ints, got {input_shape!r}")
    return shape


def _layer(spec, index: int, input_shape: tuple[int, int]) -> keras.layers.Layer:
    """One Keras layer from its spec; explicit names keep ``get_config()`` reproducible
    (Keras would number them by how many layers the process has made)."""
    kind, *args = spec
    name = f"{kind}_{index}"
    if kind == "flatten":
        return keras.layers.Flatten(name=name)
    if kind == "reshape":
        return keras.layers.Reshape((*input_shape, 1), name=name)
    if kind == "dense":
        units, activation = args
        return keras.layers.Dense(units, activation=activation, name=name)
    if kind == "dropout":
        return keras.layers.Dropout(rate=args[0], name=name)
    if kind == "conv":
        filters, size = args
        return keras.layers.Conv2D(
            filters, (size, size), padding="same", activation="relu", name=name
        )
    if kind == "maxpool":
        return keras.layers.MaxPool2D(pool_size=(args[0], args[0]), name=name)
    raise AssertionError(f"unknown layer kind {kind!r}")  # pragma: no cover


def is_binary(name: str) -> bool:
    """Whether network ``name`` separates two classes with one logit.

    Parameters
    ----------
    name : str
        One of :data:`MODEL_NAMES` or :data:`EXERCISE_NAMES`.

    Returns
    -------
    bool
        True for ``"mnist01"`` (one output, binary cross-entropy), False for the
        ten-digit networks (ten outputs, categorical cross-entropy).

    Examples
    --------
    >>> is_binary("mnist01"), is_binary("D")
    (True, False)
    """
    return _SPECS[_check_name(name)][-1][1] == 1


def _compile_options(name: str, fast: bool) -> dict:
    """Optimizer, loss and metric of the course (plus the speed options when ``fast``)."""
    if is_binary(name):
        loss = keras.losses.BinaryCrossentropy(from_logits=True)
        # Threshold 0 on the logit = threshold 0.5 on the sigmoid probability.
        accuracy = keras.metrics.BinaryAccuracy(name="accuracy", threshold=0.0)
    else:
        loss = keras.losses.CategoricalCrossentropy(from_logits=True)
        accuracy = keras.metrics.CategoricalAccuracy(name="accuracy")
    # An explicit name: Keras would number them (adam_1, ...), which changes the config.
    options = {"optimizer": keras.optimizers.Adam(name="adam"), "loss": loss, "metrics": [accuracy]}
    if fast:
        options.update(steps_per_execution=STEPS_PER_EXECUTION, jit_compile=False)
    return options


def build(name: str, *, input_shape=(28, 28), fast: bool = True, seed: int | None = None):
    """Build and compile one of the course's networks.

    Parameters
    ----------
    name : str
        One of :data:`MODEL_NAMES`: ``"mnist01"`` (zeros and ones), ``"A"``, ``"B"``,
        ``"C"``, ``"D"`` (all ten digits); or one of :data:`EXERCISE_NAMES`.
    input_shape : (int, int), default (28, 28)
        Height and width of the grey ``uint8`` images the network will read.
    fast : bool, default True
        Compile with :data:`STEPS_PER_EXECUTION` steps per call into TensorFlow.
        This changes the speed, not the results: training gives the same history
        as ``fast=False``, which compiles exactly as the course does.
    seed : int, optional
        Seed all random generators (``keras.utils.set_random_seed``) before the
        weights are drawn, so that the same seed gives the same initial weights.
        By default the generators are left as they are.

    Returns
    -------
    keras.Sequential
        The compiled network: ``keras.Input``, ``Rescaling(1/255)``, then the
        course's layers; the last layer outputs logits. Adam with its defaults,
        cross-entropy from logits, and an ``"accuracy"`` metric (thresholding the
        logit at 0 for ``mnist01``, see the module notes).

    Raises
    ------
    ValueError
        Unknown ``name`` (the message lists the known ones) or a bad ``input_shape``.

    Examples
    --------
    >>> model = build("A")
    >>> [layer.__class__.__name__ for layer in model.layers]
    ['Rescaling', 'Flatten', 'Dense', 'Dense']
    >>> model.output_shape
    (None, 10)
    >>> build("mnist01").get_compile_config()["metrics"][0]["config"]   # logit > 0
    {'name': 'accuracy', 'dtype': 'float32', 'threshold': 0.0}
    >>> build("E")
    Traceback (most recent call last):
    ...
    ValueError: unknown model 'E': choose one of 'mnist01', 'A', 'B', 'C', 'D', 'dense+', 'conv+'
    >>> build("conv+").output_shape
    (None, 10)
    """
    _check_name(name)
    shape = _check_input_shape(input_shape)
    if seed is not None:
        keras.utils.set_random_seed(seed)
    layers = [keras.Input(shape=shape, name="images"), keras.layers.Rescaling(1 / 255, name="rescaling")]
    layers += [_layer(spec, i, shape) for i, spec in enumerate(_SPECS[name], start=1)]
    model = keras.Sequential(layers, name=f"mnist_{name.replace('+', '_plus')}")
    model.compile(**_compile_options(name, fast))
    return model


def count_trainable(model) -> int:
    """Number of trainable parameters (weights and biases) of a Keras model.

    Parameters
    ----------
    model : keras.Model
        A built model.

    Returns
    -------
    int
        The "Trainable params" of ``model.summary()``.

    Examples
    --------
    >>> count_trainable(build("mnist01"))   # 784*2 + 2 weights and biases, then 2 + 1
    1573
    >>> names = MODEL_NAMES + EXERCISE_NAMES
    >>> {name: count_trainable(build(name)) for name in names} == TRAINABLE_PARAMS
    True
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"expected a keras.Model, got {type(model).__name__}")
    return int(sum(int(w.numpy().size) for w in model.trainable_weights))


def _describe_layer(spec) -> str:
    kind, *args = spec
    if kind == "flatten":
        return "Flatten"
    if kind == "reshape":
        return "Reshape"
    if kind == "dense":
        units, activation = args
        return f"Dense({units}, {activation})" if activation else f"Dense({units})"
    if kind == "dropout":
        return f"Dropout({args[0]})"
    if kind == "conv":
        return f"Conv2D({args[0]}, {args[1]}x{args[1]}, relu)"
    return f"MaxPool({args[0]})"


def describe(name: str) -> str:
    """One line describing network ``name``, for tables.

    Parameters
    ----------
    name : str
        One of :data:`MODEL_NAMES` or :data:`EXERCISE_NAMES`.

    Returns
    -------
    str
        The layers after rescaling, and the number of trainable parameters for
        28x28 images. Building nothing, it is instant.

    Examples
    --------
    >>> describe("A")
    'A: Flatten, Dense(10, sigmoid), Dense(10); 7,960 trainable parameters'
    >>> describe("D")
    'D: Reshape, Conv2D(4, 3x3, relu), MaxPool(2), Flatten, Dense(20, relu), Dropout(0.2), Dense(10); 15,950 trainable parameters'
    >>> describe("dense+")
    'dense+: Flatten, Dense(128, relu), Dropout(0.2), Dense(64, relu), Dropout(0.2), Dense(10); 109,386 trainable parameters'
    """
    layers = ", ".join(_describe_layer(spec) for spec in _SPECS[_check_name(name)])
    return f"{name}: {layers}; {TRAINABLE_PARAMS[name]:,} trainable parameters"


# CIFAR-10 (exercise of Lesson 2): two blocks of convolution and pooling, then dense layers.
_CIFAR10_SPEC = (
    ("conv", 32, 3),
    ("maxpool", 2),
    ("conv", 64, 3),
    ("maxpool", 2),
    ("flatten",),
    ("dense", 64, "relu"),
    ("dropout", 0.3),
    ("dense", 10, None),
)


def build_cifar10(*, input_shape=(32, 32, 3), fast: bool = True, seed: int | None = None):
    """Build and compile a small convolutional network for the CIFAR-10 photos.

    The solution of Lesson 2's exercise: after ``Rescaling(1/255)``, two blocks of a
    3x3 convolution (32, then 64 kernels, ``same`` padding, ReLU) and 2x2 max pooling,
    then Flatten, Dense(64, ReLU), Dropout(0.3) and ten logits. The colour images
    already have a channel axis, so no ``Reshape`` is needed. It is compiled like the
    ten-digit networks: Adam, categorical cross-entropy from logits on one-hot
    targets, and an ``"accuracy"`` metric. For 32x32x3 images it has 282,250
    trainable parameters, most of them in the first dense layer (8*8*64 inputs).

    Parameters
    ----------
    input_shape : (int, int, int), default (32, 32, 3)
        Height, width and channels of the ``uint8`` images.
    fast : bool, default True
        Compile with :data:`STEPS_PER_EXECUTION` steps per call (same results, faster).
    seed : int, optional
        Seed all random generators before the weights are drawn.

    Returns
    -------
    keras.Sequential
        The compiled network, named ``"cifar10"``; train it with
        :func:`imagerec.training.train` and one-hot targets
        (:func:`imagerec.losses.one_hot`).

    Raises
    ------
    ValueError
        ``input_shape`` is not three positive ints, or too small for two poolings.

    Examples
    --------
    >>> model = build_cifar10()
    >>> model.input_shape, model.output_shape
    ((None, 32, 32, 3), (None, 10))
    >>> count_trainable(model)
    282250
    >>> [layer.__class__.__name__ for layer in model.layers][:4]
    ['Rescaling', 'Conv2D', 'MaxPooling2D', 'Conv2D']
    >>> build_cifar10(input_shape=(32, 32))
    Traceback (most recent call last):
    ...
    ValueError: input_shape must be (height, width, channels) of colour images, ...
    """
    shape = _check_input_shape(input_shape, ndim=3)
    if min(shape[:2]) < 4:
        raise ValueError(f"images of {shape[0]}x{shape[1]} pixels are too small for two 2x2 poolings (need 4x4)")
    if seed is not None:
        keras.utils.set_random_seed(seed)
    layers = [keras.Input(shape=shape, name="images"), keras.layers.Rescaling(1 / 255, name="rescaling")]
    layers += [_layer(spec, i, shape[:2]) for i, spec in enumerate(_CIFAR10_SPEC, start=1)]
    model = keras.Sequential(layers, name="cifar10")
    model.compile(**_compile_options("D", fast))  # the options of the ten-digit networks
    return model
