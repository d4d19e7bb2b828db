"""The networks of both lessons, written as plain Keras and compiled as the course does.

Each network is one small function that returns a ``keras.Sequential`` of its layers, so
the code a chapter shows is the Keras a reader would write. The book knows them by name, in
the table of :mod:`imagerec.registry`; :func:`build` and :func:`describe` take the name:
``"mnist01"``, ``"A"``, ``"B"``, ``"C"`` and ``"D"`` are the course's (:data:`MODEL_NAMES`);
``"A-relu"`` is not in the course: Lesson 1 trains it beside A to measure what the
activation alone changes; ``"dense+"`` (:func:`network_dense_plus`) and ``"conv+"``
(:func:`network_conv_plus`) are the exercise solutions' larger networks.
:func:`build_cifar10` builds a small network for the colour photos of CIFAR-10.

Every network outputs *logits* (no activation on the last layer); the loss applies the
sigmoid or softmax itself (``from_logits=True``, :func:`compile_network`). Two departures
from the course's code, both on purpose:

* pixels are scaled by ``keras.layers.Rescaling(1/255)`` instead of a ``Lambda``
  layer dividing by 256: ``Rescaling`` survives saving and loading;
* the accuracy of the one-logit network ``mnist01`` thresholds the logit at 0.
  Keras turns ``metrics=["accuracy"]`` into ``BinaryAccuracy(threshold=0.5)`` when the
  output has a single unit, and compares the *raw logit* with 0.5, i.e. a sigmoid
  output with 0.62: samples whose logit lies in (0, 0.5] count as class 0 although the
  network predicts class 1. The course's ``mnist01`` accuracy is therefore slightly
  wrong; here it uses ``BinaryAccuracy(threshold=0.0)``.

Examples
--------
The course's networks and their trainable parameters, counted in the built networks
(each ``network_*`` function shows the layers, :func:`describe` lists them; the table of
all the book's networks is in :mod:`imagerec.registry`):

>>> {name: count_trainable(build(name)) for name in MODEL_NAMES}
{'mnist01': 1573, 'A': 7960, 'B': 11570, 'C': 11570, 'D': 15950}
"""

from __future__ import annotations

import keras

from imagerec import registry
from imagerec._checks import int_tuple

__all__ = [
    "MODEL_NAMES",
    "STEPS_PER_EXECUTION",
    "build",
    "build_cifar10",
    "compile_network",
    "count_trainable",
    "describe",
    "network_cifar10",
    "one_step_per_call",
    *(network.function for network in registry.NETWORKS.values()),  # network_a, network_b...
]

MODEL_NAMES = registry.names("course")
"""The networks of the course, in the order the lessons introduce them (from :mod:`imagerec.registry`)."""

STEPS_PER_EXECUTION = 500
"""Training steps run per call into TensorFlow when ``build(..., fast=True)``.

Keras runs each batch of 32 images as one call from Python into a compiled
TensorFlow function; for these small networks the call costs more than the
arithmetic. With 500 steps per call the same steps, in the same order and on the
same batches, run in a loop inside TensorFlow: the training history is identical
and an epoch takes a fraction of the time. ``jit_compile`` (XLA) is left off: on
the CPUs measured it made training *slower*, most of all for the convolutional
network D (the speed appendix says more), it changes the random numbers of the
dropout layers, and with TensorFlow's op determinism on (see
:func:`imagerec.training.seed_everything`) it cannot compile the gradient of max
pooling at all.
"""


def one_step_per_call(model):
    """Set a network compiled with the speed options back to one step per call.

    ``fit`` and ``evaluate`` run :data:`STEPS_PER_EXECUTION` steps in a loop inside
    TensorFlow. ``predict`` does not loop: Keras 3's TensorFlow backend writes one copy
    of the step into the traced graph for every batch of a call, so a network compiled
    with 500 steps per call spends seconds tracing before it predicts 10,000 images,
    where a network set back needs none of that. The book's trained networks (:func:`imagerec.book.experiments.run`)
    are set back before they are handed out: they predict as quickly as a network
    compiled as the course does, and still train and evaluate correctly, only more
    slowly.

    Parameters
    ----------
    model : keras.Model
        A compiled network.

    Returns
    -------
    keras.Model
        ``model``, which Keras will trace again for its next ``fit``, ``evaluate`` or
        ``predict``.

    Examples
    --------
    >>> model = build("A")
    >>> model.steps_per_execution, one_step_per_call(model).steps_per_execution
    (500, 1)
    """
    model.steps_per_execution = 1
    # Keras keeps its traced functions; drop them so that the next call traces anew.
    model.train_function = model.test_function = model.predict_function = None
    return model


# --- the networks, as plain Keras ------------------------------------------------------


def network_mnist01(shape=(28, 28)):
    """The 0-versus-1 network: two sigmoid neurons, then one logit.

    Parameters
    ----------
    shape : (int, int), default (28, 28)
        Height and width of the grey ``uint8`` images.

    Returns
    -------
    keras.Sequential
        Not compiled (see :func:`compile_network`); :func:`build` names its layers and
        compiles it.

    Examples
    --------
    >>> network_mnist01().output_shape
    (None, 1)
    """
    return keras.Sequential([
        keras.Input(shape),
        keras.layers.Rescaling(1 / 255),
        keras.layers.Flatten(),
        keras.layers.Dense(2, activation="sigmoid"),
        keras.layers.Dense(1),
    ])


def network_a(shape=(28, 28)):
    """Model A: one hidden layer of 10 sigmoid neurons, then ten logits.

    Parameters and returns as for :func:`network_mnist01`.

    Examples
    --------
    >>> [layer.__class__.__name__ for layer in network_a().layers]
    ['Rescaling', 'Flatten', 'Dense', 'Dense']
    """
    return keras.Sequential([
        keras.Input(shape),
        keras.layers.Rescaling(1 / 255),
        keras.layers.Flatten(),
        keras.layers.Dense(10, activation="sigmoid"),
        keras.layers.Dense(10),
    ])


def network_a_relu(shape=(28, 28)):
    """Model A with ReLU instead of the sigmoid: the same shape, another activation.

    Not in the course: Lesson 1 trains it beside A, so that the two differ in the
    activation only (B differs from A in depth and width too).

    Examples
    --------
    >>> network_a_relu().layers[2].activation.__name__
    'relu'
    """
    return keras.Sequential([
        keras.Input(shape),
        keras.layers.Rescaling(1 / 255),
        keras.layers.Flatten(),
        keras.layers.Dense(10, activation="relu"),
        keras.layers.Dense(10),
    ])


def network_b(shape=(28, 28)):
    """Model B: four hidden ReLU layers of 10, 30, 50 and 30 neurons.

    Examples
    --------
    >>> [layer.units for layer in network_b().layers[2:]]
    [10, 30, 50, 30, 10]
    """
    return keras.Sequential([
        keras.Input(shape),
        keras.layers.Rescaling(1 / 255),
        keras.layers.Flatten(),
        keras.layers.Dense(10, activation="relu"),
        keras.layers.Dense(30, activation="relu"),
        keras.layers.Dense(50, activation="relu"),
        keras.layers.Dense(30, activation="relu"),
        keras.layers.Dense(10),
    ])


def network_c(shape=(28, 28)):
    """Model C: model B with ``Dropout(0.015)`` after each hidden layer.

    Examples
    --------
    >>> [layer.rate for layer in network_c().layers if hasattr(layer, "rate")]
    [0.015, 0.015, 0.015, 0.015]
    """
    return keras.Sequential([
        keras.Input(shape),
        keras.layers.Rescaling(1 / 255),
        keras.layers.Flatten(),
        keras.layers.Dense(10, activation="relu"),
        keras.layers.Dropout(0.015),
        keras.layers.Dense(30, activation="relu"),
        keras.layers.Dropout(0.015),
        keras.layers.Dense(50, activation="relu"),
        keras.layers.Dropout(0.015),
        keras.layers.Dense(30, activation="relu"),
        keras.layers.Dropout(0.015),
        keras.layers.Dense(10),
    ])


def network_d(shape=(28, 28)):
    """Model D: one convolutional layer of four 3x3 kernels, max pooling, a dense layer.

    The ``Reshape`` layer gives the grey images the channel axis that ``Conv2D`` expects.

    Examples
    --------
    >>> network_d().layers[1].output.shape   # after Reshape
    (None, 28, 28, 1)
    """
    return keras.Sequential([
        keras.Input(shape),
        keras.layers.Rescaling(1 / 255),
        keras.layers.Reshape((*shape, 1)),
        keras.layers.Conv2D(4, (3, 3), padding="same", activation="relu"),
        keras.layers.MaxPooling2D((2, 2)),
        keras.layers.Flatten(),
        keras.layers.Dense(20, activation="relu"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(10),
    ])


def network_dense_plus(shape=(28, 28)):
    """The wider dense network of Lesson 1's exercise: 128 and 64 ReLU neurons, dropout 0.2.

    Examples
    --------
    >>> count_trainable(network_dense_plus())
    109386
    """
    return keras.Sequential([
        keras.Input(shape),
        keras.layers.Rescaling(1 / 255),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(10),
    ])


def network_conv_plus(shape=(28, 28)):
    """The deeper convolutional network of Lesson 2's exercise: two blocks of 8 and 16 kernels.

    Examples
    --------
    >>> count_trainable(network_conv_plus())
    26698
    """
    return keras.Sequential([
        keras.Input(shape),
        keras.layers.Rescaling(1 / 255),
        keras.layers.Reshape((*shape, 1)),
        keras.layers.Conv2D(8, (3, 3), padding="same", activation="relu"),
        keras.layers.MaxPooling2D((2, 2)),
        keras.layers.Conv2D(16, (3, 3), padding="same", activation="relu"),
        keras.layers.MaxPooling2D((2, 2)),
        keras.layers.Flatten(),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(10),
    ])


def network_cifar10(shape=(32, 32, 3)):
    """The small convolutional network for the CIFAR-10 photos (Lesson 2's exercise).

    Colour images already have a channel axis, so no ``Reshape`` is needed.

    Examples
    --------
    >>> count_trainable(network_cifar10())
    282250
    """
    return keras.Sequential([
        keras.Input(shape),
        keras.layers.Rescaling(1 / 255),
        keras.layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
        keras.layers.MaxPooling2D((2, 2)),
        keras.layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
        keras.layers.MaxPooling2D((2, 2)),
        keras.layers.Flatten(),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(10),
    ])


def compile_network(model, *, binary: bool = False, **speed):
    """Compile ``model`` as the course does: Adam, cross-entropy from logits, accuracy.

    Parameters
    ----------
    model : keras.Model
        A network from one of the ``network_*`` functions.
    binary : bool, default False
        True for a network with one logit (``mnist01``): binary cross-entropy, and an
        accuracy that thresholds the logit at 0 (see the module notes). Otherwise
        categorical cross-entropy on one-hot targets.
    **speed
        Further arguments of ``model.compile``; :func:`build` passes the speed options
        (:data:`STEPS_PER_EXECUTION`), which change how fast it trains, not what.

    Returns
    -------
    keras.Model
        ``model``, compiled.

    Examples
    --------
    >>> model = compile_network(network_a())
    >>> type(model.optimizer).__name__, type(model.loss).__name__
    ('Adam', 'CategoricalCrossentropy')
    >>> model.get_compile_config()["metrics"]
    ['accuracy']
    """
    if binary:
        loss = keras.losses.BinaryCrossentropy(from_logits=True)
        accuracy = keras.metrics.BinaryAccuracy(name="accuracy", threshold=0.0)
    else:
        loss = keras.losses.CategoricalCrossentropy(from_logits=True)
        accuracy = "accuracy"
    model.compile(optimizer="adam", loss=loss, metrics=[accuracy], **speed)
    return model


# --- the networks by name -----------------------------------------------------------------

# Layer names by position: Keras would number them by how many layers the process has
# made, and the names go into the configuration (part of the training cache's key) and
# into the saved weights.
_LAYER_KINDS = {"Conv2D": "conv", "MaxPooling2D": "maxpool"}


def _with_layer_names(model, name: str):
    """A fresh copy of ``model`` named ``name``, its layers named by position.

    The input is ``images``, then ``rescaling``, then ``<kind>_<position>`` (``dense_2``).
    The copy draws new initial weights, from the random state at the time of the call.
    """
    config = model.get_config()
    config["name"] = name
    for index, layer in enumerate(config["layers"]):
        kind = layer["class_name"]
        fixed = {"InputLayer": "images", "Rescaling": "rescaling"}.get(kind)
        layer["config"]["name"] = fixed or f"{_LAYER_KINDS.get(kind, kind.lower())}_{index - 1}"
    return keras.Sequential.from_config(config)


def _compiled(model, *, binary: bool, fast: bool):
    """:func:`compile_network` with the speed options when ``fast``, and a fixed optimizer name."""
    speed = {"steps_per_execution": STEPS_PER_EXECUTION, "jit_compile": False} if fast else {}
    compile_network(model, binary=binary, **speed)
    # Keras numbers optimizers as it makes them (adam, adam_1, ...); the name is part of
    # the compile configuration, and so of the training cache's key.
    model.optimizer.name = "adam"
    return model


def build(name: str, *, input_shape=(28, 28), fast: bool = True, seed: int | None = None):
    """Build and compile one of the book's networks by name.

    Parameters
    ----------
    name : str
        A network of :data:`imagerec.registry.NETWORKS`: ``"mnist01"`` (zeros and ones),
        ``"A"``, ``"B"``, ``"C"``, ``"D"`` (all ten digits), ``"A-relu"``, ``"dense+"`` or
        ``"conv+"``.
    input_shape : (int, int), default (28, 28)
        Height and width of the grey ``uint8`` images the network will read.
    fast : bool, default True
        Compile with :data:`STEPS_PER_EXECUTION` steps per call into TensorFlow.
        This changes the speed, not the results: training gives the same history
        as ``fast=False``, which compiles exactly as the course does.
    seed : int, optional
        Seed all random generators (``keras.utils.set_random_seed``) before the
        layers are made, so that the same seed gives the same initial weights and the
        same dropout masks. By default the generators are left as they are.

    Returns
    -------
    keras.Sequential
        The network of its function in the registry (``network_b`` for ``"B"``), its
        layers named by position, compiled by :func:`compile_network`; named
        ``mnist_<name>`` (``mnist_dense_plus`` for ``"dense+"``).

    Raises
    ------
    ValueError
        Unknown ``name`` (the message lists the known ones) or a bad ``input_shape``.

    Examples
    --------
    >>> model = build("A")
    >>> [layer.name for layer in model.layers]
    ['rescaling', 'flatten_1', 'dense_2', 'dense_3']
    >>> model.output_shape
    (None, 10)
    >>> build("mnist01").get_compile_config()["metrics"][0]["config"]   # logit > 0
    {'name': 'accuracy', 'dtype': 'float32', 'threshold': 0.0}
    >>> build("E")
    Traceback (most recent call last):
    ...
    ValueError: unknown model 'E': choose one of 'mnist01', 'A', 'B', ...
    >>> build("conv+").output_shape
    (None, 10)
    """
    entry = registry.network(name)
    shape = int_tuple(input_shape, 2, "input_shape", "(height, width) of a grey image")
    model = globals()[entry.function](shape)
    if seed is not None:
        keras.utils.set_random_seed(seed)
    model = _with_layer_names(model, "mnist_" + name.replace("+", "_plus").replace("-", "_"))
    return _compiled(model, binary=entry.binary, fast=fast)


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
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"expected a keras.Model, got {type(model).__name__}")
    return int(sum(int(w.numpy().size) for w in model.trainable_weights))


def _describe_layer(layer) -> str:
    kind = layer.__class__.__name__
    if isinstance(layer, keras.layers.Dense):
        activation = layer.activation.__name__
        return f"Dense({layer.units}, {activation})" if activation != "linear" else f"Dense({layer.units})"
    if isinstance(layer, keras.layers.Dropout):
        return f"Dropout({layer.rate})"
    if isinstance(layer, keras.layers.Conv2D):
        size = "x".join(map(str, layer.kernel_size))
        return f"Conv2D({layer.filters}, {size}, {layer.activation.__name__})"
    if isinstance(layer, keras.layers.MaxPooling2D):
        return f"MaxPool({layer.pool_size[0]})"
    return kind


def describe(name: str) -> str:
    """One line describing network ``name``, for tables.

    Parameters
    ----------
    name : str
        A network of :data:`imagerec.registry.NETWORKS`.

    Returns
    -------
    str
        The layers after rescaling, and the number of trainable parameters for
        28x28 images, counted in the network its function returns.

    Examples
    --------
    >>> describe("A")
    'A: Flatten, Dense(10, sigmoid), Dense(10); 7,960 trainable parameters'
    >>> describe("D")
    'D: Reshape, Conv2D(4, 3x3, relu), MaxPool(2), Flatten, Dense(20, relu), Dropout(0.2), Dense(10); 15,950 trainable parameters'
    >>> describe("dense+")
    'dense+: Flatten, Dense(128, relu), Dropout(0.2), Dense(64, relu), Dropout(0.2), Dense(10); 109,386 trainable parameters'
    """
    network = globals()[registry.network(name).function]()
    layers = ", ".join(_describe_layer(layer) for layer in network.layers[1:])  # after Rescaling
    return f"{name}: {layers}; {count_trainable(network):,} trainable parameters"


def build_cifar10(*, input_shape=(32, 32, 3), fast: bool = True, seed: int | None = None):
    """Build and compile a small convolutional network for the CIFAR-10 photos.

    The solution of Lesson 2's exercise, :func:`network_cifar10`: after
    ``Rescaling(1/255)``, two blocks of a 3x3 convolution (32, then 64 kernels, ``same``
    padding, ReLU) and 2x2 max pooling, then Flatten, Dense(64, ReLU), Dropout(0.3) and
    ten logits. It is compiled like the ten-digit networks: Adam, categorical
    cross-entropy from logits on one-hot targets, and an ``"accuracy"`` metric. For
    32x32x3 images it has 282,250 trainable parameters, most of them in the first dense
    layer (8*8*64 inputs).

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
    >>> [layer.__class__.__name__ for layer in model.layers][:4]
    ['Rescaling', 'Conv2D', 'MaxPooling2D', 'Conv2D']
    >>> build_cifar10(input_shape=(32, 32))
    Traceback (most recent call last):
    ...
    ValueError: input_shape must be (height, width, channels) of colour images, ...
    """
    shape = int_tuple(input_shape, 3, "input_shape", "(height, width, channels) of colour images")
    if min(shape[:2]) < 4:
        raise ValueError(f"images of {shape[0]}x{shape[1]} pixels are too small for two 2x2 poolings (need 4x4)")
    model = network_cifar10(shape)
    if seed is not None:
        keras.utils.set_random_seed(seed)
    model = _with_layer_names(model, "cifar10")
    return _compiled(model, binary=False, fast=fast)
