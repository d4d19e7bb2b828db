"""Several seeds of one network, trained at once: copies side by side in one Keras model.

One training run is one draw: another seed gives other initial weights and other dropout
masks, and a test accuracy a few tenths of a percentage point away. To tell a real
difference between two networks from that noise, the book trains each of B and C with
several seeds and compares means and spread.

These networks are small: a training step of B spends most of its time on the fixed
cost of a step (starting TensorFlow's kernels, the optimizer's bookkeeping) rather
than on arithmetic. :func:`stack` therefore puts ``k`` independent copies of a network
into one Keras model: the same input goes to every copy, each copy has its own output,
and the loss is the sum of the ``k`` copies' losses. A copy's weights influence only its
own loss, so the gradient of the sum with respect to them is exactly the gradient of
that copy's loss, and Adam, which updates every weight from its own gradient, moves
each copy exactly as if it were trained alone on the same batches. The fixed cost of a
step is paid once for all ``k`` copies.

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
>>> model = stack("B", (0, 1, 2))
>>> list(model.output_names)
['seed_0', 'seed_1', 'seed_2']
>>> [models.count_trainable(copy) for copy in copies(model)]
[11570, 11570, 11570]
"""

from __future__ import annotations

import statistics

import keras

from imagerec import models
from imagerec._checks import fail, is_integer, validate_params

__all__ = ["copies", "split_history", "spread", "stack"]


_SEEDS = "distinct non-negative integers, at least one"


def _seeds(seeds, name: str) -> tuple[int, ...]:
    """Check: distinct non-negative integers, at least one, as a tuple of ints."""
    if isinstance(seeds, str) or not hasattr(seeds, "__iter__") or not all(map(is_integer, seeds)):
        raise fail(TypeError, name, _SEEDS, repr(seeds))
    seeds = tuple(int(s) for s in seeds)
    if not seeds or min(seeds) < 0 or len(set(seeds)) != len(seeds):
        raise fail(ValueError, name, _SEEDS, repr(seeds))
    return seeds


@validate_params(seeds=_seeds)
def stack(name: str, seeds, *, input_shape=(28, 28), fast: bool = True):
    """One compiled Keras model holding a copy of network ``name`` for each seed.

    Parameters
    ----------
    name : str
        A network :func:`imagerec.models.build` knows.
    seeds : sequence of int
        Distinct non-negative seeds; copy ``i`` starts as ``build(name, seed=seeds[i])``.
    input_shape : (int, int), default (28, 28)
        Height and width of the grey images.
    fast : bool, default True
        Compile with the speed options of :func:`imagerec.models.build`.

    Returns
    -------
    keras.Model
        One input, one output per seed named ``seed_<s>`` (the logits of that copy),
        compiled like the network alone, once per output: the loss is the sum of the
        copies' losses, and :func:`imagerec.training.train` trains it like a single
        network. :func:`copies` gives the copies (each a compiled network that
        :func:`imagerec.training.evaluate` accepts).

    Raises
    ------
    ValueError
        Unknown ``name``, bad ``input_shape``, or seeds that are not distinct
        non-negative integers.

    Examples
    --------
    >>> list(stack("C", [3, 4]).output_names)
    ['seed_3', 'seed_4']
    >>> stack("C", [3, 3])
    Traceback (most recent call last):
    ...
    ValueError: seeds must be distinct non-negative integers, at least one, got (3, 3)
    """
    networks = []
    for seed in seeds:
        network = models.build(name, input_shape=input_shape, fast=fast, seed=seed)
        network.name = f"seed_{seed}"  # the name of its output
        networks.append(network)
    images = keras.Input(tuple(input_shape), name="images")
    keras_name = name.replace("+", "_plus").replace("-", "_")
    model = keras.Model(images, [network(images) for network in networks], name=f"{keras_name}_seeds")
    # Compiled as each copy is (see imagerec.models.compile_network), once per output.
    model.compile(
        optimizer=keras.optimizers.Adam(name="adam"),
        loss=networks[0].loss,
        metrics=[_metrics_of(networks[0]) for _ in seeds],
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
    """The copies of a :func:`stack`, in the order of its seeds.

    Examples
    --------
    >>> [copy.name for copy in copies(stack("A", [1, 0]))]
    ['seed_1', 'seed_0']
    """
    return [model.get_layer(name) for name in model.output_names]


@validate_params(seeds=_seeds)
def split_history(history: dict, seeds) -> dict[int, dict[str, list[float]]]:
    """The history of each copy from the history of a trained :func:`stack`.

    Parameters
    ----------
    history : dict
        What :func:`imagerec.training.train` returned for the stack.
    seeds : sequence of int
        The stack's seeds.

    Returns
    -------
    dict
        ``{seed: {"loss": [...], "accuracy": [...], "val_loss": [...], "val_accuracy": [...]}}``,
        each in the form ``train`` returns for one network (no ``val_`` entries without
        validation).

    Examples
    --------
    >>> history = {"loss": [3.0], "seed_0_loss": [1.0], "seed_0_accuracy": [0.5],
    ...            "seed_1_loss": [2.0], "seed_1_accuracy": [0.25]}
    >>> split_history(history, [0, 1])
    {0: {'loss': [1.0], 'accuracy': [0.5]}, 1: {'loss': [2.0], 'accuracy': [0.25]}}
    """
    result = {}
    for seed in seeds:
        own = {}
        for prefix in ("", "val_"):
            for key in ("loss", "accuracy"):
                values = history.get(f"{prefix}seed_{seed}_{key}")
                if values is not None:
                    own[f"{prefix}{key}"] = list(values)
        if "loss" not in own or "accuracy" not in own:
            raise fail(ValueError, "history", f"a history with the loss and accuracy of seed {seed}",
                       f"keys {sorted(history)}")
        result[seed] = {k: own[k] for k in ("loss", "accuracy", "val_loss", "val_accuracy") if k in own}
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


