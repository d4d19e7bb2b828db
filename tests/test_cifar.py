"""CIFAR-10 (exercise of Lesson 2): the training code, and the loader around Keras's.

The real data set is not needed: the network trains on random images, and
:func:`keras.datasets.cifar10.load_data` is replaced by a stand-in, since what is
tested is what imagerec adds to it (flat labels, no download in offline builds, clear
errors). Nothing here touches the internet.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest

from imagerec import data, losses, models, training


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    """An empty Keras home and no IMAGEREC_DATA_DIR; Keras's loader must not be called."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.delenv("IMAGEREC_DATA_DIR", raising=False)

    def no_download(*args, **kwargs):
        raise AssertionError("keras.datasets.cifar10.load_data must not be called")

    monkeypatch.setattr(keras.datasets.cifar10, "load_data", no_download)
    return tmp_path


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


def test_available_means_keras_has_its_download(keras_home):
    assert not data.cifar10_available()
    archive = keras_home / "datasets" / "cifar-10-batches-py-target_archive"
    archive.parent.mkdir()
    archive.write_bytes(b"")
    assert data.cifar10_available()


def test_labels_come_flat(keras_home, monkeypatch):
    rng = np.random.default_rng(0)
    x_train, x_test = (rng.integers(0, 256, (n, 32, 32, 3), dtype=np.uint8) for n in (5, 2))
    y_train, y_test = np.array([[6], [9], [9], [4], [1]], np.uint8), np.array([[3], [8]], np.uint8)
    monkeypatch.setattr(keras.datasets.cifar10, "load_data", lambda: ((x_train, y_train), (x_test, y_test)))
    (xs, ys), (xt, yt) = data.load_cifar10()
    assert ys.tolist() == [6, 9, 9, 4, 1] and yt.tolist() == [3, 8]
    assert xs is x_train and xt is x_test


def test_offline_build_without_a_copy_never_downloads(keras_home, monkeypatch):
    monkeypatch.setenv("IMAGEREC_DATA_DIR", str(keras_home))
    with pytest.raises(FileNotFoundError, match="IMAGEREC_DATA_DIR is set, so nothing is downloaded"):
        data.load_cifar10()


def test_failed_download_says_what_to_do(keras_home, monkeypatch):
    def refused():
        raise Exception("URL fetch failure on https://www.cs.toronto.edu/: None -- [Errno 111] Connection refused")

    monkeypatch.setattr(keras.datasets.cifar10, "load_data", refused)
    with pytest.raises(data.DownloadError, match="Connection refused.*check the network connection"):
        data.load_cifar10()
