"""CIFAR-10 (exercise of Lesson 2): the loader on fake batch files, and the training code.

The real data set is not needed: the tests write tiny batches in the format of the
"CIFAR-10 python version" (pickled dicts with b"data" and b"labels"), and train the
package's CIFAR-10 network on random images. Nothing here touches the internet.
"""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

import keras
import numpy as np
import pytest

from imagerec import data, losses, models, training

TRAIN_SIZES = (4, 3, 5, 2, 4)  # images in data_batch_1..5 (the real ones hold 10,000 each)
TEST_SIZE = 3


def fake_batch(n: int, seed: int) -> dict:
    """A batch like the real ones: bytes keys, (n, 3072) uint8 rows of R, G, B planes."""
    rng = np.random.default_rng(seed)
    return {
        b"batch_label": f"fake batch {seed}".encode(),
        b"labels": [int(v) for v in rng.integers(0, 10, n)],
        b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
        b"filenames": [f"img_{seed}_{i}.png".encode() for i in range(n)],
    }


def write_cifar(folder: Path) -> dict[str, dict]:
    """Write a fake cifar-10-batches-py folder; return the batches by file name."""
    folder.mkdir(parents=True)
    batches = {f"data_batch_{i}": fake_batch(n, i) for i, n in enumerate(TRAIN_SIZES, start=1)}
    batches["test_batch"] = fake_batch(TEST_SIZE, 99)
    for name, batch in batches.items():
        with open(folder / name, "wb") as file:
            pickle.dump(batch, file, protocol=2)  # the real files are Python 2 pickles
    return batches


@pytest.fixture
def empty_machine(tmp_path, monkeypatch, closed_port):
    """No IMAGEREC_DATA_DIR, an empty home and Keras cache, and no way to the internet."""
    home = tmp_path / "home"
    keras_home = tmp_path / "keras"
    home.mkdir()
    keras_home.mkdir()
    monkeypatch.delenv("IMAGEREC_DATA_DIR", raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("KERAS_HOME", str(keras_home))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setattr(data, "CIFAR10_URL", f"http://127.0.0.1:{closed_port}/cifar-10-python.tar.gz")
    monkeypatch.setattr(data, "TIMEOUT", (2, 2))

    def no_download(*args, **kwargs):
        raise AssertionError("keras.datasets.cifar10.load_data must not be called")

    monkeypatch.setattr(keras.datasets.cifar10, "load_data", no_download)
    return {"home": home, "keras": keras_home, "tmp": tmp_path}


# ---------------------------------------------------------------------------
# The training code of the exercise's solution
# ---------------------------------------------------------------------------


def test_cifar10_network_shape_and_parameters():
    model = models.build_cifar10(seed=0)
    assert model.input_shape == (None, 32, 32, 3)
    assert model.output_shape == (None, 10)
    assert isinstance(model.layers[0], keras.layers.Rescaling)
    conv = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    assert [layer.filters for layer in conv] == [32, 64]
    # conv 3*3*3*32+32, conv 3*3*32*64+64, dense (8*8*64)*64+64, output 64*10+10
    expected = (27 * 32 + 32) + (288 * 64 + 64) + (4096 * 64 + 64) + (64 * 10 + 10)
    assert models.count_trainable(model) == expected
    assert model.loss.get_config()["from_logits"] is True
    assert isinstance(model.loss, keras.losses.CategoricalCrossentropy)


def test_cifar10_training_code_on_tiny_data():
    """The solution's code: build_cifar10, training.train, training.evaluate, training.predict."""
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (64, 32, 32, 3), dtype=np.uint8)
    y = np.arange(64) % 10
    model = models.build_cifar10(seed=0)
    history = training.train(model, x, losses.one_hot(y, 10), epochs=1, seed=0)
    assert sorted(history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert all(len(values) == 1 and np.isfinite(values[0]) for values in history.values())
    scores = training.evaluate(model, x, losses.one_hot(y, 10))
    assert sorted(scores) == ["accuracy", "loss"]
    assert 0 <= scores["accuracy"] <= 1 and scores["loss"] > 0
    labels = training.predict(model, x)
    assert labels.shape == (64,) and labels.min() >= 0 and labels.max() <= 9


def test_cifar10_network_refuses_grey_images():
    model = models.build_cifar10()
    with pytest.raises(ValueError, match=r"x must have shape \(n, 32, 32, 3\)"):
        training.train(model, np.zeros((8, 32, 32), np.uint8), losses.one_hot(np.zeros(8, int), 10), epochs=1)
    with pytest.raises(ValueError, match="input_shape"):
        models.build_cifar10(input_shape=(32, 32))


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def test_load_cifar10_from_data_dir(empty_machine, monkeypatch):
    folder = empty_machine["tmp"] / "data"
    batches = write_cifar(folder / "cifar-10-batches-py")
    monkeypatch.setenv("IMAGEREC_DATA_DIR", str(folder))
    assert data.cifar10_available()
    (x_train, y_train), (x_test, y_test) = data.load_cifar10()

    assert x_train.shape == (sum(TRAIN_SIZES), 32, 32, 3) and x_test.shape == (TEST_SIZE, 32, 32, 3)
    assert y_train.shape == (sum(TRAIN_SIZES),) and y_test.shape == (TEST_SIZE,)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}
    # batches 1..5 in order, labels with their images
    rows = np.concatenate([batches[f"data_batch_{i}"][b"data"] for i in range(1, 6)])
    labels = sum((batches[f"data_batch_{i}"][b"labels"] for i in range(1, 6)), [])
    assert y_train.tolist() == labels
    assert y_test.tolist() == batches["test_batch"][b"labels"]
    # each row holds the red, then green, then blue 32x32 plane, row by row
    i, r, c = 5, 7, 30
    for channel in range(3):
        assert x_train[i, r, c, channel] == rows[i, channel * 1024 + r * 32 + c]
    np.testing.assert_array_equal(x_test[2, :, :, 1], batches["test_batch"][b"data"][2, 1024:2048].reshape(32, 32))


def test_load_cifar10_from_the_keras3_cache(empty_machine):
    folder = empty_machine["keras"] / "datasets" / "cifar-10-batches-py-target" / "cifar-10-batches-py"
    batches = write_cifar(folder)
    assert data.cifar10_available()
    (_, y_train), (_, y_test) = data.load_cifar10()
    assert y_test.tolist() == batches["test_batch"][b"labels"]
    assert len(y_train) == sum(TRAIN_SIZES)


def test_no_data_no_network_fails_fast_naming_the_data_dir(empty_machine):
    assert not data.cifar10_available()
    start = time.perf_counter()
    with pytest.raises(data.DownloadError, match="IMAGEREC_DATA_DIR") as error:
        data.load_cifar10()
    assert time.perf_counter() - start < 10
    assert isinstance(error.value, data.DataError)
    assert "cifar-10-batches-py" in str(error.value)


def test_data_dir_set_means_no_download(empty_machine, monkeypatch):
    import requests

    def no_request(*args, **kwargs):
        raise AssertionError("no request may be sent when IMAGEREC_DATA_DIR is set")

    monkeypatch.setattr(requests, "head", no_request)
    monkeypatch.setattr(requests, "get", no_request)
    monkeypatch.setenv("IMAGEREC_DATA_DIR", str(empty_machine["tmp"]))
    assert not data.cifar10_available()
    with pytest.raises(FileNotFoundError, match="IMAGEREC_DATA_DIR"):
        data.load_cifar10()


def test_incomplete_folder_is_not_available(empty_machine, monkeypatch):
    folder = empty_machine["tmp"] / "data"
    write_cifar(folder / "cifar-10-batches-py")
    (folder / "cifar-10-batches-py" / "data_batch_3").unlink()
    monkeypatch.setenv("IMAGEREC_DATA_DIR", str(folder))
    assert not data.cifar10_available()


@pytest.mark.parametrize("damage", ["truncated", "not a dict", "wrong width", "bad label", "code"])
def test_damaged_batch_is_refused(empty_machine, monkeypatch, damage):
    folder = empty_machine["tmp"] / "data"
    batches = write_cifar(folder / "cifar-10-batches-py")
    path = folder / "cifar-10-batches-py" / "data_batch_2"
    marker = empty_machine["tmp"] / "pwned"
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:100])
    elif damage == "not a dict":
        path.write_bytes(pickle.dumps([1, 2, 3], protocol=2))
    elif damage == "wrong width":
        batch = {**batches["data_batch_2"], b"data": np.zeros((3, 1024), np.uint8)}
        path.write_bytes(pickle.dumps(batch, protocol=2))
    elif damage == "bad label":
        batch = {**batches["data_batch_2"], b"labels": [0, 10, 1]}
        path.write_bytes(pickle.dumps(batch, protocol=2))
    else:  # a pickle that would run a command when loaded

        class Exploit:
            def __reduce__(self):
                return (os.system, (f"touch {marker}",))

        path.write_bytes(pickle.dumps({b"data": Exploit(), b"labels": []}, protocol=2))
    monkeypatch.setenv("IMAGEREC_DATA_DIR", str(folder))
    with pytest.raises(data.DataFileError, match="data_batch_2"):
        data.load_cifar10()
    assert not marker.exists()
