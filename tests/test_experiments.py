"""Settings, datasets and the training cache (real MNIST, tiny subsets)."""

import inspect
import json
import logging

import numpy as np
import pytest

from imagerec import data, experiments, models, training
from imagerec.experiments import Settings

TINY = Settings(quick=True, train_size=500, test_size=200, epochs=1)


@pytest.fixture
def cache(tmp_path, monkeypatch, data_dir):
    """An empty training cache in a temporary folder; MNIST must be available."""
    monkeypatch.setenv("IMAGEREC_CACHE_DIR", str(tmp_path))
    return tmp_path / "training"


def entries(cache):
    return sorted(p for p in cache.iterdir()) if cache.is_dir() else []


# --- settings ---------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [(None, experiments.FULL), ("", experiments.FULL),
                                             ("0", experiments.FULL), ("1", experiments.QUICK),
                                             (" 1 ", experiments.QUICK)])
def test_settings_from_environment(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("IMAGEREC_QUICK", raising=False)
    else:
        monkeypatch.setenv("IMAGEREC_QUICK", value)
    assert experiments.settings() == expected


@pytest.mark.parametrize("value", ["2", "true", "yes", "quick", "01"])
def test_settings_refuse_other_values(monkeypatch, value):
    monkeypatch.setenv("IMAGEREC_QUICK", value)
    with pytest.raises(ValueError, match="IMAGEREC_QUICK must be '1'"):
        experiments.settings()


def test_quick_and_full_settings():
    assert experiments.QUICK == Settings(quick=True, train_size=3000, test_size=1000, epochs=3)
    assert experiments.FULL == Settings(quick=False, train_size=None, test_size=None, epochs=50)
    assert (experiments.FULL.batch_size, experiments.FULL.validation_split) == (32, 0.2)


@pytest.mark.parametrize("changes", [{"quick": 1}, {"train_size": 0}, {"test_size": 2.5},
                                     {"epochs": None}, {"batch_size": -1},
                                     {"validation_split": 1.0}, {"seed": -3}])
def test_settings_are_checked(changes):
    fields = dict(quick=True, train_size=10, test_size=10, epochs=1) | changes
    with pytest.raises((TypeError, ValueError), match="Settings"):
        Settings(**fields)


# --- datasets ----------------------------------------------------------------------

def test_dataset_subsets_and_filters(data_dir):
    (x_all, y_all), (xt_all, yt_all) = data.load_mnist()
    (x, y), (xt, yt) = experiments.dataset("A", TINY)
    assert x.shape == (500, 28, 28) and xt.shape == (200, 28, 28) and x.dtype == np.uint8
    np.testing.assert_array_equal(x, x_all[:500])
    np.testing.assert_array_equal(yt, yt_all[:200])
    (x, y), (xt, yt) = experiments.dataset("mnist01", TINY)
    assert set(y) == {0, 1} and set(yt) == {0, 1} and len(y) == 500
    x01, y01 = data.filter_classes(x_all, y_all, (0, 1))
    np.testing.assert_array_equal(x, x01[:500])
    full = experiments.dataset("mnist01", experiments.FULL)
    assert len(full[0][1]) == 12665 and len(full[1][1]) == 2115


# --- the cache ---------------------------------------------------------------------

def test_second_run_loads_the_first(cache):
    first = experiments.run("A", TINY)
    assert not first.from_cache
    assert first.device == experiments.device_name()
    assert len(first.history["loss"]) == 1 and first.seconds > 0
    [entry] = entries(cache)
    assert sorted(p.name for p in entry.iterdir()) == ["history.json", "meta.json", "model.weights.h5"]
    second = experiments.run("A", TINY)
    assert second.from_cache
    assert second.test == first.test and second.history == first.history
    assert second.seconds == first.seconds and second.device == first.device
    for a, b in zip(first.model.get_weights(), second.model.get_weights()):
        np.testing.assert_array_equal(a, b)
    # the optimizer's state comes back too: training can go on where it stopped
    assert int(second.model.optimizer.iterations) == int(first.model.optimizer.iterations) > 0
    for a, b in zip(first.model.optimizer.variables, second.model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    (_, _), (x_test, y_test) = experiments.dataset("A", TINY)
    assert training.evaluate(second.model, x_test, training.targets("A", y_test)) == pytest.approx(
        first.test, rel=1e-6
    )
    [listed] = experiments.cache_entries()
    assert listed["name"] == "A" and listed["epochs"] == 1 and listed["train_size"] == 500
    assert listed["accuracy"] == first.test["accuracy"] and listed["path"] == str(entry)


def test_meta_records_what_the_brief_asks(cache):
    result = experiments.run("mnist01", TINY)
    [entry] = entries(cache)
    meta = json.loads((entry / "meta.json").read_text())
    assert meta["name"] == "mnist01" and entry.name == f"mnist01-{meta['key']}"
    assert len(meta["key"]) == 64
    assert meta["settings"]["epochs"] == 1 and meta["test"] == result.test
    assert set(meta["files"]) == {"model.weights.h5", "history.json"}
    assert meta["created"] and meta["seconds"] == result.seconds and meta["device"]
    assert 0 <= result.test["accuracy"] <= 1 and result.test["loss"] > 0


def test_changed_setting_is_a_new_entry(cache):
    experiments.run("A", TINY)
    other = experiments.run("A", Settings(quick=True, train_size=500, test_size=200, epochs=2))
    assert not other.from_cache and len(other.history["loss"]) == 2
    assert len(entries(cache)) == 2
    seeded = experiments.run("A", Settings(quick=True, train_size=500, test_size=200, epochs=1, seed=1))
    assert not seeded.from_cache and len(entries(cache)) == 3


def test_key_covers_model_settings_and_data(data_dir):
    (x, y), (xt, yt) = experiments.dataset("A", TINY)
    key = experiments._cache_key("A", models.build("A"), TINY, (x, y, xt, yt))
    assert key == experiments._cache_key("A", models.build("A"), TINY, (x, y, xt, yt))
    changed = x.copy()
    changed[0, 0, 0] ^= 1
    assert key != experiments._cache_key("A", models.build("A"), TINY, (changed, y, xt, yt))
    assert key != experiments._cache_key("A", models.build("B"), TINY, (x, y, xt, yt))
    assert key != experiments._cache_key("A", models.build("A", fast=False), TINY, (x, y, xt, yt))


def test_key_covers_the_training_code(data_dir, monkeypatch):
    """Rewording imagerec.training keeps the key; changing what it does changes it."""
    source = inspect.getsource(training)
    reworded = source.replace('"""Train ``model`` as the course does', '"""Train ``model`` like the course', 1)
    reworded = reworded.replace("    x, y = _check_data(model, x, y)\n", "    x, y = _check_data(model, x, y)  # checked\n", 1)
    changed = source.replace("validation_split: float = 0.2", "validation_split: float = 0.25", 1)
    assert len({source, reworded, changed}) == 3
    fingerprint = experiments._code_fingerprint
    assert fingerprint(reworded) == fingerprint(source) != fingerprint(changed)

    (x, y), (xt, yt) = experiments.dataset("A", TINY)
    key = experiments._cache_key("A", models.build("A"), TINY, (x, y, xt, yt))
    monkeypatch.setattr(experiments, "_code_fingerprint", lambda source: fingerprint(changed))
    assert experiments._cache_key("A", models.build("A"), TINY, (x, y, xt, yt)) != key


def _damage_weights(entry):
    path = entry / "model.weights.h5"
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))


def _truncate_history(entry):
    path = entry / "history.json"
    path.write_text(path.read_text()[:10])


def _truncate_weights_and_fix_hash(entry):
    """A damaged weights file whose hash is recorded anyway: loading must fail, not crash."""
    path = entry / "model.weights.h5"
    path.write_bytes(path.read_bytes()[:100])
    meta = json.loads((entry / "meta.json").read_text())
    meta["files"]["model.weights.h5"] = experiments._sha256_file(path)
    (entry / "meta.json").write_text(json.dumps(meta))


def _break_meta(entry):
    (entry / "meta.json").write_text('{"format": 1, "key": ')


@pytest.mark.parametrize("damage", [_damage_weights, _truncate_history, _truncate_weights_and_fix_hash,
                                    _break_meta])
def test_damaged_entry_is_retrained(cache, caplog, damage):
    first = experiments.run("A", TINY)
    [entry] = entries(cache)
    damage(entry)
    with caplog.at_level(logging.WARNING, logger="imagerec.experiments"):
        again = experiments.run("A", TINY)
    assert not again.from_cache
    assert any("Damaged training cache entry" in r.getMessage() for r in caplog.records)
    assert again.history == first.history and again.test == first.test  # deterministic retraining
    assert experiments.run("A", TINY).from_cache  # the new entry is sound
    assert entries(cache) == [entry]


def test_no_temporary_folders_left(cache):
    experiments.run("A", TINY)
    assert [p.name for p in cache.iterdir() if p.name.startswith(".")] == []


def test_cache_entries_skip_damaged_meta(cache):
    experiments.run("A", TINY)
    experiments.run("mnist01", TINY)
    names = [e["name"] for e in experiments.cache_entries()]
    assert names == ["mnist01", "A"]
    _break_meta(next(e for e in entries(cache) if e.name.startswith("A-")))
    assert [e["name"] for e in experiments.cache_entries()] == ["mnist01"]


def test_unwritable_cache_still_returns_the_result(cache, caplog, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(experiments, "_store_entry", refuse)
    with caplog.at_level(logging.WARNING, logger="imagerec.experiments"):
        result = experiments.run("A", TINY)
    assert not result.from_cache and 0 <= result.test["accuracy"] <= 1
    assert any("Could not store" in r.getMessage() for r in caplog.records)
    assert entries(cache) == []


# --- training ahead of the build, two at a time ----------------------------------------

def test_settings_for_caps_only_the_exercise_networks():
    assert experiments.settings_for("B", experiments.FULL) == experiments.FULL
    assert experiments.settings_for("dense+", experiments.FULL).epochs == experiments.EXERCISE_EPOCHS["dense+"]
    assert experiments.settings_for("dense+", TINY) == TINY
    with pytest.raises(ValueError, match="unknown model 'E'"):
        experiments.settings_for("E", TINY)


def test_prepare_trains_in_workers_what_run_then_loads(cache):
    rows = experiments.prepare(["A", "mnist01", "conv+"], TINY, workers=2)
    assert [r["name"] for r in rows] == ["A", "mnist01", "conv+"]
    assert not any(r["from_cache"] for r in rows)
    assert len(entries(cache)) == 3
    for name in ("A", "mnist01", "conv+"):
        assert experiments.run(name, experiments.settings_for(name, TINY)).from_cache
    again = experiments.prepare(["A", "mnist01", "conv+"], TINY, workers=2)
    assert all(r["from_cache"] for r in again)
    assert len(entries(cache)) == 3


def test_prepare_with_one_worker_leaves_training_to_run(cache):
    assert experiments.prepare(["A"], TINY, workers=1) == []
    assert entries(cache) == []


def test_seeded_networks_train_as_one_stack_and_run_returns_its_first_seed(cache):
    runs = experiments.run_seeds("C", TINY)
    assert sorted(runs) == list(range(experiments.SEED_COUNT)) and not runs[0].from_cache
    [entry] = entries(cache)
    assert entry.name.startswith("C-seeds-")
    assert len({r.test["accuracy"] for r in runs.values()} | {r.history["loss"][0] for r in runs.values()}) > 2
    again = experiments.run("C", TINY)  # the copy of seed 0, from the same entry
    assert again.from_cache and again.history == runs[0].history and again.test == runs[0].test
    for a, b in zip(again.model.get_weights(), runs[0].model.get_weights()):
        np.testing.assert_array_equal(a, b)
    (_, _), (x_test, y_test) = experiments.dataset("C", TINY)
    assert training.evaluate(runs[2].model, x_test, training.targets("C", y_test)) == pytest.approx(
        runs[2].test, rel=1e-6
    )
    assert len(entries(cache)) == 1
