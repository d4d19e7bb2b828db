"""Several seeds in one model: each copy trains exactly like its network alone."""

import numpy as np
import pytest

from imagerec import models, training
from imagerec.book import seeds
from test_training import synthetic  # the same small synthetic digits


@pytest.mark.parametrize("name", ["mnist01", "C"])
def test_each_copy_trains_exactly_like_the_network_alone(name):
    """Same initial weights, dropout masks, batches: the same history and weights, bit for bit.

    The copy of seed 5 in a stack trained with seed 0 is build(seed=5) trained alone with
    train(seed=0): the batch order belongs to the stack, everything else to the copy.
    """
    x, labels = synthetic(160)
    y = training.targets(name, labels % 2 if name == "mnist01" else labels)
    stacked = seeds.stack(name, (0, 5))
    assert [copy.name for copy in seeds.copies(stacked)] == ["seed_0", "seed_5"]
    # validation batches of 24 and 8: a smaller last batch must not change val_loss
    fit = {"epochs": 2, "seed": 0, "validation_batch_size": 24}
    histories = seeds.split_history(training.train(stacked, x, y, **fit), (0, 5))
    for seed, copy in zip((0, 5), seeds.copies(stacked)):
        alone = models.build(name, seed=seed)
        assert histories[seed] == training.train(alone, x, y, **fit)
        for a, b in zip(copy.get_weights(), alone.get_weights()):
            np.testing.assert_array_equal(a, b)
    assert histories[0] != histories[5]  # other initial weights: another run
    # a copy is a compiled network of its own
    assert training.evaluate(copy, x, y) == training.evaluate(alone, x, y)


@pytest.mark.parametrize("bad, error", [((), ValueError), ((1, 1), ValueError), ((-1,), ValueError),
                                        ((0.5,), TypeError), (None, TypeError), ("012", TypeError)])
def test_seeds_are_checked(bad, error):
    with pytest.raises(error, match="^seeds "):
        seeds.stack("B", bad)


def test_split_history_refuses_a_missing_seed():
    with pytest.raises(ValueError, match="^history "):
        seeds.split_history({"loss": [1.0], "seed_1_loss": [1.0], "seed_1_accuracy": [0.5]}, (1, 2))


def test_spread():
    result = seeds.spread([95.0, 95.5, 96.5])
    assert result["mean"] == pytest.approx(95.6666666667)
    assert result["std"] == pytest.approx(np.std([95.0, 95.5, 96.5], ddof=1))
    assert (result["min"], result["max"], result["n"]) == (95.0, 96.5, 3)
    assert seeds.spread([0.9])["std"] == 0.0
    with pytest.raises(ValueError, match="^values "):
        seeds.spread([])
