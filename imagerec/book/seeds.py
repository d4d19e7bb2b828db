"""Several networks, or several seeds of one, trained at once: copies side by side in one model.

One training run is one draw: another seed gives other initial weights and other dropout
masks, and a test accuracy a few tenths of a percentage point away. To tell a real
difference between two networks from that noise, the book trains each of B and C with
several seeds and compares means and spread.

These networks are small: a training step of B spends most of its time on the fixed
cost of a step (starting TensorFlow's kernels, the optimizer's bookkeeping) rather
than on arithmetic. :func:`stack` therefore puts independent copies of networks into one
Keras model: the same input goes to every copy, each copy has its own output, and the
loss is the sum of the copies' losses. A copy's weights influence only its own loss, so
the gradient of the sum with respect to them is exactly the gradient of that copy's loss,
and Adam, which updates every weight from its own gradient, moves each copy exactly as if
it were trained alone on the same batches. The fixed cost of a step is paid once for all
the copies. The book trains the dense networks of Lesson 1 that share their data and
settings (A, its ReLU control and three seeds each of B and C) in one such stack
(``stack`` in :mod:`imagerec.registry`).

Each copy is :func:`imagerec.models.build` with its own seed, so it starts from the same
initial weights and draws the same dropout masks as that network built alone with that
seed (Keras gives every ``Dropout`` layer its own random generator, seeded when the layer
is made). What the copies share is the order of the batches: they are trained on the
same shuffled batches, fixed by the seed of :func:`imagerec.training.train`. So the copy
of seed ``s`` in a stack trained with seed ``t`` trains exactly like
``build(name, seed=s)`` trained alone with ``train(..., seed=t)``; in particular the copy
of seed ``t`` is the network the book trains alone (``tests/test_seeds.py`` checks both).
The spread between copies is the spread due to initial weights and dropout; a different
batch order per seed would add its own.

Examples
--------
>>> model = stack({"B": (0, 1, 2)})
>>> model.output_names
['B_seed_0', 'B_seed_1', 'B_seed_2']
>>> [models.count_trainable(copy) for copy in copies(model)]
[11570, 11570, 11570]
"""

from __future__ import annotations

import statistics

import keras

from imagerec import models, registry
from imagerec._checks import fail, is_integer, validate_params

__all__ = ["copies", "output_name", "split_history", "spread", "stack"]


_SEEDS = "distinct non-negative integers, at least one"


def _seeds(seeds, name: str) -> tuple[int, ...]:
    """Check: distinct non-negative integers, at least one, as a tuple of ints."""
    if isinstance(seeds, str) or not hasattr(seeds, "__iter__") or not all(map(is_integer, seeds)):
        raise fail(TypeError, name, _SEEDS, repr(seeds))
    seeds = tuple(int(s) for s in seeds)
    if not seeds or min(seeds) < 0 or len(set(seeds)) != len(seeds):
        raise fail(ValueError, name, _SEEDS, repr(seeds))
    return seeds


def _networks(networks, name: str) -> dict[str, tuple[int, ...]]:
    """Check: ``{network: seeds}``, at least one network, all with one loss (binary or not)."""
    if not isinstance(networks, dict) or not networks:
        raise fail(TypeError, name, "a dict {network name: seeds}, at least one", repr(networks))
    checked = {network: _seeds(seeds, f"{name}[{network!r}]") for network, seeds in networks.items()}
    if len({registry.network(network).binary for network in checked}) > 1:
        raise fail(ValueError, name, "networks that all have one loss (all binary or all ten-class)",
                   repr(list(checked)))
    return checked


def output_name(name: str, seed: int) -> str:
    """The name of the output of network ``name``'s copy of seed ``seed`` in a :func:`stack`.

    >>> output_name("A-relu", 3)
    'A_relu_seed_3'
    """
    return f"{name.replace('+', '_plus').replace('-', '_')}_seed_{seed}"


@validate_params(networks=_networks)
def stack(networks, *, input_shape=(28, 28), fast: bool = True):
    """One compiled Keras model holding a copy of each network for each of its seeds.

    Parameters
    ----------
    networks : dict
        ``{name: seeds}``: networks :func:`imagerec.models.build` knows, each with distinct
        non-negative seeds; the copy of seed ``s`` starts as ``build(name, seed=s)``. All
        binary or all ten-class, so that one loss fits every output.
    input_shape : (int, int), default (28, 28)
        Height and width of the grey images.
    fast : bool, default True
        Compile with the speed options of :func:`imagerec.models.build`.

    Returns
    -------
    keras.Model
        One input, one output per copy named :func:`output_name` (the logits of that
        copy), compiled like the networks alone, once per output: the loss is the sum of
        the copies' losses, and :func:`imagerec.training.train` trains it like a single
        network. :func:`copies` gives the copies (each a compiled network that
        :func:`imagerec.training.evaluate` accepts).

    Raises
    ------
    TypeError, ValueError
        Unknown names, bad ``input_shape``, seeds that are not distinct non-negative
        integers, or binary and ten-class networks together.

    Examples
    --------
    >>> stack({"A": [0], "C": [3, 4]}).output_names
    ['A_seed_0', 'C_seed_3', 'C_seed_4']
    >>> stack({"C": [3, 3]})
    Traceback (most recent call last):
    ...
    ValueError: networks['C'] must be distinct non-negative integers, at least one, got (3, 3)
    """
    copies_ = []
    for name, seeds in networks.items():
        for seed in seeds:
            copy = models.build(name, input_shape=input_shape, fast=fast, seed=seed)
            copy.name = output_name(name, seed)  # the name of its output
            copies_.append(copy)
    images = keras.Input(tuple(input_shape), name="images")
    model = keras.Model(images, [copy(images) for copy in copies_], name="stack")
    # Compiled as each copy is (see imagerec.models.compile_network), once per output.
    model.compile(
        optimizer=keras.optimizers.Adam(name="adam"),
        loss=copies_[0].loss,
        metrics=[_metrics_of(copy) for copy in copies_],
        **({"steps_per_execution": models.STEPS_PER_EXECUTION, "jit_compile": False} if fast else {}),
    )
    return model


def _metrics_of(network) -> list:
    """New metrics like those ``network`` was compiled with, for another output."""
    return [
        m if isinstance(m, str) else keras.metrics.deserialize(m)
        for m in network.get_compile_config()["metrics"]
    ]


def copies(model) -> list:
    """The copies of a :func:`stack`, in the order of its outputs.

    Examples
    --------
    >>> [copy.name for copy in copies(stack({"A": [1, 0]}))]
    ['A_seed_1', 'A_seed_0']
    """
    return [model.get_layer(name) for name in model.output_names]


def split_history(history: dict, outputs) -> dict[str, dict[str, list[float]]]:
    """The history of each copy from the history of a trained :func:`stack`.

    Parameters
    ----------
    history : dict
        What :func:`imagerec.training.train` returned for the stack.
    outputs : sequence of str
        Names of the stack's outputs (``model.output_names``, or :func:`output_name`).

    Returns
    -------
    dict
        ``{output: {"loss": [...], "accuracy": [...], "val_loss": [...], "val_accuracy": [...]}}``,
        each in the form ``train`` returns for one network (no ``val_`` entries without
        validation).

    Examples
    --------
    >>> history = {"loss": [3.0], "B_seed_0_loss": [1.0], "B_seed_0_accuracy": [0.5],
    ...            "C_seed_0_loss": [2.0], "C_seed_0_accuracy": [0.25]}
    >>> split_history(history, ["B_seed_0", "C_seed_0"])
    {'B_seed_0': {'loss': [1.0], 'accuracy': [0.5]}, 'C_seed_0': {'loss': [2.0], 'accuracy': [0.25]}}
    """
    result = {}
    for output in outputs:
        own = {}
        for prefix in ("", "val_"):
            for key in ("loss", "accuracy"):
                values = history.get(f"{prefix}{output}_{key}")
                if values is not None:
                    own[f"{prefix}{key}"] = list(values)
        if "loss" not in own or "accuracy" not in own:
            raise fail(ValueError, "history", f"a history with the loss and accuracy of {output}",
                       f"keys {sorted(history)}")
        result[output] = {k: own[k] for k in ("loss", "accuracy", "val_loss", "val_accuracy") if k in own}
    return result


def spread(values) -> dict[str, float]:
    """Mean, sample standard deviation, smallest and largest of some runs' results.

    The standard deviation divides by ``n - 1`` (``statistics.stdev``); for a single
    value it is 0.

    Examples
    --------
    >>> spread([0.95, 0.96, 0.97])
    {'mean': 0.96, 'std': 0.01, 'min': 0.95, 'max': 0.97, 'n': 3}
    """
    values = [float(v) for v in values]
    if not values:
        raise fail(ValueError, "values", "at least one value", "none")
    std = statistics.stdev(values) if len(values) > 1 else 0.0
    return {"mean": round(statistics.fmean(values), 12), "std": round(std, 12),
            "min": min(values), "max": max(values), "n": len(values)}


