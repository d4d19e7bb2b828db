"""Settings, datasets, runs and the training cache (real MNIST, tiny subsets)."""

import dataclasses
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from imagerec.book import cache as training_cache
from imagerec import data, models, registry, training
from imagerec.book import experiments, settings
from imagerec.book.settings import Settings

ROOT = Path(__file__).resolve().parents[1]

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
    assert settings.settings() == expected


@pytest.mark.parametrize("value", ["2", "true", "yes", "quick", "01"])
def test_settings_refuse_other_values(monkeypatch, value):
    monkeypatch.setenv("IMAGEREC_QUICK", value)
    with pytest.raises(ValueError, match="IMAGEREC_QUICK must be '1'"):
        settings.settings()


def test_book_configuration(tmp_path):
    """conf.py reads the mode from imagerec.book.settings (" 1 " is a quick build), does no work when
    imported, and lets nitpicky builds check every reference to imagerec's own classes."""
    shutil.copy(ROOT / "conf.py", tmp_path / "conf.py")
    (tmp_path / "imagerec").symlink_to(ROOT / "imagerec")
    (tmp_path / "_ext").symlink_to(ROOT / "_ext")
    env = dict(os.environ, IMAGEREC_QUICK=" 1 ", PYTHONPATH=str(ROOT))
    code = """if True:
        import re, runpy, types
        conf = runpy.run_path("conf.py")
        config = types.SimpleNamespace()
        conf["_check_own_references"](None, config)
        [(kinds, targets)] = config.nitpick_ignore_regex
        names = ["numpy.ndarray", "array_like", "Result", "Settings", "imagerec.book.settings.Nope"]
        print(conf["MODE"], [bool(re.fullmatch(kinds, "py:class") and re.fullmatch(targets, n)) for n in names])
    """
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "quick [True, True, False, False, False]", result.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_ext", "conf.py", "imagerec"]  # no gallery folder


def test_book_configuration_makes_data_and_cache_folders_absolute(tmp_path):
    """Relative IMAGEREC_DATA_DIR and IMAGEREC_CACHE_DIR count from the checkout, for every
    process of the build (the gallery runs in gallery/, the chapters in book/)."""
    shutil.copy(ROOT / "conf.py", tmp_path / "conf.py")
    (tmp_path / "imagerec").symlink_to(ROOT / "imagerec")
    (tmp_path / "_ext").symlink_to(ROOT / "_ext")
    env = dict(os.environ, IMAGEREC_DATA_DIR="../data", IMAGEREC_CACHE_DIR=" cache ", PYTHONPATH=str(ROOT))
    code = """if True:
        import os, runpy
        runpy.run_path("conf.py")
        print(os.environ["IMAGEREC_DATA_DIR"], os.environ["IMAGEREC_CACHE_DIR"])
    """
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.stdout.split() == [str(tmp_path.parent.resolve() / "data"), str(tmp_path.resolve() / "cache")], (
        result.stderr[-2000:]
    )


def test_training_order_trains_every_network_once_longest_first():
    order = settings.training_order(settings.FULL)
    assert sorted(order) == sorted(registry.NETWORKS)
    assert order[0] == "D" and order.index("B") < order.index("A") < order.index("dense+")  # benchmarks/README.md


def test_quick_and_full_settings():
    assert experiments.settings is settings.settings  # the chapters' names still work
    assert experiments.QUICK == Settings(quick=True, train_size=3000, test_size=1000, epochs=3)
    assert experiments.FULL == Settings(quick=False, train_size=None, test_size=None, epochs=50)
    assert (experiments.FULL.batch_size, experiments.FULL.validation_split) == (32, 0.2)


@pytest.mark.parametrize("changes, error", [({"quick": 1}, TypeError), ({"train_size": 0}, ValueError),
                                            ({"test_size": 2.5}, TypeError), ({"epochs": None}, TypeError),
                                            ({"batch_size": -1}, ValueError), ({"validation_split": 1.0}, ValueError),
                                            ({"validation_split": "0.2"}, TypeError), ({"seed": -3}, ValueError)])
def test_settings_are_checked(changes, error):
    fields = dict(quick=True, train_size=10, test_size=10, epochs=1) | changes
    with pytest.raises(error, match="Settings"):
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


def test_key_covers_model_settings_data_and_training_code(data_dir, monkeypatch):
    (x, y), (xt, yt) = experiments.dataset("A", TINY)
    arrays = (x, y, xt, yt)
    key = training_cache.key("A", models.build("A"), TINY, arrays)
    assert key == training_cache.key("A", models.build("A"), TINY, arrays)
    changed = x.copy()
    changed[0, 0, 0] ^= 1
    assert key != training_cache.key("A", models.build("A"), TINY, (changed, y, xt, yt))
    assert key != training_cache.key("A", models.build("B"), TINY, arrays)
    assert key != training_cache.key("A", models.build("A", fast=False), TINY, arrays)
    assert key != training_cache.key("A", models.build("A"), dataclasses.replace(TINY, seed=1), arrays)
    monkeypatch.setattr(training_cache, "_code_fingerprint", lambda source: "other training code")
    assert key != training_cache.key("A", models.build("A"), TINY, arrays)


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
    meta["files"]["model.weights.h5"] = training_cache._sha256(path)
    (entry / "meta.json").write_text(json.dumps(meta))


def _break_meta(entry):
    (entry / "meta.json").write_text('{"format": 1, "key": ')


@pytest.mark.parametrize("damage", [_damage_weights, _truncate_history, _truncate_weights_and_fix_hash,
                                    _break_meta])
def test_damaged_entry_is_retrained(cache, caplog, damage):
    first = experiments.run("A", TINY)
    [entry] = entries(cache)
    damage(entry)
    with caplog.at_level(logging.WARNING, logger="imagerec.book.cache"):
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


def test_unwritable_cache_still_returns_the_result(tmp_path, data_dir, caplog, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("IMAGEREC_CACHE_DIR", str(blocker))
    with caplog.at_level(logging.WARNING, logger="imagerec.book.cache"):
        result = experiments.run("A", TINY)
    assert not result.from_cache and 0 <= result.test["accuracy"] <= 1
    assert any("Could not store" in r.getMessage() for r in caplog.records)


# --- training ahead of the build, two at a time ----------------------------------------

def test_settings_for_caps_only_the_exercise_networks():
    assert experiments.settings_for("B", experiments.FULL) == experiments.FULL
    assert experiments.settings_for("dense+", experiments.FULL).epochs == registry.network("dense+").epochs < 50
    assert experiments.settings_for("dense+", TINY) == TINY
    with pytest.raises(ValueError, match="unknown model 'E'"):
        experiments.settings_for("E", TINY)


def test_prepare_trains_in_workers_what_run_then_loads(cache, monkeypatch):
    monkeypatch.delenv(settings.ONEDNN_ENV, raising=False)  # not set by the user
    rows = experiments.prepare(["A", "conv+"], TINY, workers=2)
    assert [r["name"] for r in rows] == ["A", "conv+"]
    assert not any(r["from_cache"] for r in rows)
    assert len(entries(cache)) == 2
    # each worker ran with the kernels chosen for its network (imagerec.book.settings.onednn)
    assert {e["name"]: e["onednn"] for e in training_cache.entries()} == {"A": False, "conv+": True}
    for name in ("A", "conv+"):
        assert experiments.run(name, experiments.settings_for(name, TINY)).from_cache
    again = experiments.prepare(["A", "conv+"], TINY, workers=2)
    assert all(r["from_cache"] for r in again)
    assert len(entries(cache)) == 2


def test_prepare_with_one_worker_leaves_training_to_run(cache):
    assert experiments.prepare(["A"], TINY, workers=1) == []
    assert entries(cache) == []


def test_seeded_networks_train_as_one_stack_and_run_returns_its_first_seed(cache):
    runs = experiments.run_seeds("C", TINY)
    assert sorted(runs) == list(range(registry.network("C").seeds)) and not runs[0].from_cache
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


@pytest.mark.parametrize("value, seed", [("", 0), (" 20 ", 20)])
def test_seed_setting_chooses_the_base_seed(monkeypatch, value, seed):
    monkeypatch.setenv("IMAGEREC_QUICK", "1")
    monkeypatch.setenv("IMAGEREC_SEED", value)
    assert settings.settings() == dataclasses.replace(settings.QUICK, seed=seed)


@pytest.mark.parametrize("value", ["-1", "x", "1.5"])
def test_seed_setting_must_be_a_non_negative_integer(monkeypatch, value):
    monkeypatch.setenv("IMAGEREC_SEED", value)
    with pytest.raises(ValueError, match="IMAGEREC_SEED"):
        settings.settings()
