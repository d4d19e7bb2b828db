"""Several seeds in one model: each copy trains exactly like its network alone."""

import numpy as np
import pytest

from imagerec import models, training
from imagerec.book import seeds
from test_training import synthetic  # the same small synthetic digits


@pytest.mark.parametrize("networks", [{"mnist01": (0, 5)}, {"C": (0, 5)}, {"A": (5,), "C": (0,), "A-relu": (0,)}],
                         ids=["mnist01", "C", "A+C+A-relu"])
def test_each_copy_trains_exactly_like_the_network_alone(networks):
    """Same initial weights, dropout masks, batches: the same history and weights, bit for bit.

    The copy of seed 5 in a stack trained with seed 0 is build(seed=5) trained alone with
    train(seed=0): the batch order belongs to the stack, everything else to the copy, and
    the other networks in the stack change nothing.
    """
    x, labels = synthetic(160)
    binary = "mnist01" in networks
    y = training.targets("mnist01" if binary else "C", labels % 2 if binary else labels)
    stacked = seeds.stack(networks)
    pairs = [(name, seed) for name, seeds_ in networks.items() for seed in seeds_]
    outputs = [seeds.output_name(name, seed) for name, seed in pairs]
    assert [copy.name for copy in seeds.copies(stacked)] == outputs
    # validation batches of 24 and 8: a smaller last batch must not change val_loss
    fit = {"epochs": 2, "seed": 0, "validation_batch_size": 24}
    histories = seeds.split_history(training.train(stacked, x, y, **fit), outputs)
    for (name, seed), output, copy in zip(pairs, outputs, seeds.copies(stacked)):
        alone = models.build(name, seed=seed)
        assert histories[output] == training.train(alone, x, y, **fit)
        for a, b in zip(copy.get_weights(), alone.get_weights()):
            np.testing.assert_array_equal(a, b)
    assert len({str(history) for history in histories.values()}) == len(outputs)  # each its own run
    # a copy is a compiled network of its own
    assert training.evaluate(copy, x, y) == training.evaluate(alone, x, y)


@pytest.mark.parametrize("bad, error", [((), ValueError), ((1, 1), ValueError), ((-1,), ValueError),
                                        ((0.5,), TypeError), (None, TypeError), ("012", TypeError)])
def test_seeds_are_checked(bad, error):
    with pytest.raises(error, match=r"^networks\['B'\] "):
        seeds.stack({"B": bad})


@pytest.mark.parametrize("bad, error", [({}, TypeError), ("B", TypeError), ({"mnist01": (0,), "B": (0,)}, ValueError),
                                        ({"E": (0,)}, ValueError)])
def test_networks_are_checked(bad, error):
    with pytest.raises(error, match="networks|model"):
        seeds.stack(bad)


def test_split_history_refuses_a_missing_output():
    with pytest.raises(ValueError, match="^history "):
        seeds.split_history({"loss": [1.0], "B_seed_1_loss": [1.0], "B_seed_1_accuracy": [0.5]},
                            ["B_seed_1", "B_seed_2"])


def test_spread():
    result = seeds.spread([95.0, 95.5, 96.5])
    assert result["mean"] == pytest.approx(95.6666666667)
    assert result["std"] == pytest.approx(np.std([95.0, 95.5, 96.5], ddof=1))
    assert (result["min"], result["max"], result["n"]) == (95.0, 96.5, 3)
    assert seeds.spread([0.9])["std"] == 0.0
    with pytest.raises(ValueError, match="^values "):
        seeds.spread([])
