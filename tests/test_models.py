"""The networks: exact architectures, compile settings, saving and loading, the registry."""

import keras
import numpy as np
import pytest

from imagerec import models, registry
from imagerec.__main__ import parser
from imagerec.book import settings

DENSE = keras.layers.Dense
DROPOUT = keras.layers.Dropout

# (layer class, checked config) after Input and Rescaling, as the syllabus builds them.
EXPECTED = {
    "mnist01": [("Flatten", {}), ("Dense", {"units": 2, "activation": "sigmoid"}),
                ("Dense", {"units": 1, "activation": "linear"})],
    "A": [("Flatten", {}), ("Dense", {"units": 10, "activation": "sigmoid"}),
          ("Dense", {"units": 10, "activation": "linear"})],
    "A-relu": [("Flatten", {}), ("Dense", {"units": 10, "activation": "relu"}),
               ("Dense", {"units": 10, "activation": "linear"})],
    "B": [("Flatten", {})]
    + [("Dense", {"units": u, "activation": "relu"}) for u in (10, 30, 50, 30)]
    + [("Dense", {"units": 10, "activation": "linear"})],
    "C": [("Flatten", {})]
    + [item for u in (10, 30, 50, 30)
       for item in (("Dense", {"units": u, "activation": "relu"}), ("Dropout", {"rate": 0.015}))]
    + [("Dense", {"units": 10, "activation": "linear"})],
    "D": [("Reshape", {"target_shape": (28, 28, 1)}),
          ("Conv2D", {"filters": 4, "kernel_size": (3, 3), "padding": "same", "activation": "relu",
                      "strides": (1, 1)}),
          ("MaxPooling2D", {"pool_size": (2, 2), "strides": (2, 2), "padding": "valid"}),
          ("Flatten", {}),
          ("Dense", {"units": 20, "activation": "relu"}),
          ("Dropout", {"rate": 0.2}),
          ("Dense", {"units": 10, "activation": "linear"})],
    # the better networks of the exercise solutions
    "dense+": [("Flatten", {}),
               ("Dense", {"units": 128, "activation": "relu"}), ("Dropout", {"rate": 0.2}),
               ("Dense", {"units": 64, "activation": "relu"}), ("Dropout", {"rate": 0.2}),
               ("Dense", {"units": 10, "activation": "linear"})],
    "conv+": [("Reshape", {"target_shape": (28, 28, 1)}),
              ("Conv2D", {"filters": 8, "kernel_size": (3, 3), "padding": "same", "activation": "relu"}),
              ("MaxPooling2D", {"pool_size": (2, 2), "strides": (2, 2), "padding": "valid"}),
              ("Conv2D", {"filters": 16, "kernel_size": (3, 3), "padding": "same", "activation": "relu"}),
              ("MaxPooling2D", {"pool_size": (2, 2), "strides": (2, 2), "padding": "valid"}),
              ("Flatten", {}),
              ("Dense", {"units": 32, "activation": "relu"}),
              ("Dropout", {"rate": 0.2}),
              ("Dense", {"units": 10, "activation": "linear"})],
}

ALL_NAMES = registry.names()


def dense(n_in, n_out):
    """Weights and biases of a dense layer."""
    return n_in * n_out + n_out


def conv(channels_in, filters, size=3):
    """Kernels and biases of a convolutional layer."""
    return size * size * channels_in * filters + filters


# Trainable parameters by formula, layer by layer.
PARAMS = {
    "mnist01": dense(784, 2) + dense(2, 1),
    "A": dense(784, 10) + dense(10, 10),
    "A-relu": dense(784, 10) + dense(10, 10),
    "B": dense(784, 10) + dense(10, 30) + dense(30, 50) + dense(50, 30) + dense(30, 10),
    "C": dense(784, 10) + dense(10, 30) + dense(30, 50) + dense(50, 30) + dense(30, 10),
    "D": conv(1, 4) + dense(14 * 14 * 4, 20) + dense(20, 10),
    "dense+": dense(784, 128) + dense(128, 64) + dense(64, 10),
    "conv+": conv(1, 8) + conv(8, 16) + dense(7 * 7 * 16, 32) + dense(32, 10),
}


def test_the_syllabus_networks_are_registered():
    assert set(EXPECTED) == set(PARAMS) <= set(ALL_NAMES)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_registry_entry_agrees_with_the_built_network(name):
    """What the registry states without building (for the settings): outputs, convolutions."""
    entry = registry.network(name)
    model = getattr(models, entry.function)()
    assert model.output_shape == (None, 1 if entry.binary else 10)
    assert entry.convolutional == any(isinstance(layer, keras.layers.Conv2D) for layer in model.layers)


def network_e(shape=(28, 28)):
    """A trial network, registered by the test below."""
    return keras.Sequential([keras.Input(shape), keras.layers.Rescaling(1 / 255), keras.layers.Flatten(),
                             keras.layers.Dense(5, activation="relu"), keras.layers.Dense(10)])


def test_one_function_and_one_entry_add_a_network(monkeypatch):
    monkeypatch.setattr(models, "network_e", network_e, raising=False)
    monkeypatch.setitem(registry.NETWORKS, "E", registry.Network("E", "network_e", role="exercise", epochs=2))
    params = dense(784, 5) + dense(5, 10)
    assert models.count_trainable(models.build("E")) == params
    assert models.describe("E") == f"E: Flatten, Dense(5, relu), Dense(10); {params:,} trainable parameters"
    assert parser().parse_args(["train", "E"]).name == "E"
    assert settings.settings_for("E", settings.FULL).epochs == 2
    assert "E" in settings.training_order(settings.FULL)
    monkeypatch.delenv(settings.ONEDNN_ENV, raising=False)
    assert settings.onednn("E") == "0"  # a dense network
    assert registry.names("exercise")[-1] == "E"


@pytest.mark.parametrize("name", EXPECTED)
def test_architecture_is_the_syllabus_one(name):
    model = models.build(name)
    assert model.input_shape == (None, 28, 28)
    first = model.layers[0]
    assert isinstance(first, keras.layers.Rescaling)
    assert first.scale == pytest.approx(1 / 255) and first.offset == 0
    got = [(layer.__class__.__name__, layer.get_config()) for layer in model.layers[1:]]
    assert [cls for cls, _ in got] == [cls for cls, _ in EXPECTED[name]]
    for (cls, config), (_, expected) in zip(got, EXPECTED[name]):
        for key, value in expected.items():
            value_got = config[key]
            assert (tuple(value_got) if isinstance(value_got, list) else value_got) == value, (cls, key)


@pytest.mark.parametrize("name", PARAMS)
def test_trainable_parameters(name):
    expected = PARAMS[name]
    lesson = {"mnist01": 1_573, "A": 7_960, "B": 11_570, "C": 11_570, "D": 15_950}
    assert lesson.get(name, expected) == expected  # the numbers model.summary() shows
    model = models.build(name)
    assert models.count_trainable(model) == expected
    assert f"{expected:,} trainable parameters" in models.describe(name)


@pytest.mark.parametrize("name", ALL_NAMES)
def test_compiled_as_the_course(name):
    model = models.build(name, fast=False)
    config = model.get_compile_config()
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.001)
    loss = model.loss
    binary = registry.network(name).binary
    assert isinstance(loss, keras.losses.BinaryCrossentropy if binary else keras.losses.CategoricalCrossentropy)
    assert loss.get_config()["from_logits"] is True
    metric = config["metrics"][0]
    if binary:
        assert metric["class_name"] == "BinaryAccuracy"
        assert metric["config"] == {"name": "accuracy", "dtype": "float32", "threshold": 0.0}
    else:  # the course's metrics=["accuracy"] (test_ten_class_accuracy_is_the_argmax_share)
        assert metric == "accuracy"
    assert model.steps_per_execution == 1
    fast = models.build(name)
    assert fast.steps_per_execution == models.STEPS_PER_EXECUTION > 1
    assert fast.jit_compile is False


def test_ten_class_accuracy_is_the_argmax_share():
    """metrics=["accuracy"] on ten logits: the share of images whose largest logit is the label."""
    model = models.build("A", seed=0)
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, size=(64, 28, 28), dtype=np.uint8)
    y = np.eye(10, dtype="float32")[rng.integers(0, 10, size=64)]
    scores = model.evaluate(x, y, verbose=0, return_dict=True)
    guessed = np.argmax(model.predict(x, verbose=0), axis=1) == np.argmax(y, axis=1)
    assert 0 < np.mean(guessed) < 1 and scores["accuracy"] == pytest.approx(np.mean(guessed))


def _set_single_logit(model, logits):
    """Make a mnist01-shaped model on (1, 1) images output ``logits`` for inputs 0..n-1."""
    # hidden: sigmoid(0 * x) = 0.5 for both units -> logit = bias + 0.5 * (w1 + w2)
    model.layers[2].set_weights([np.zeros((1, 2)), np.zeros(2)])
    model.layers[3].set_weights([np.zeros((2, 1)), np.array([logits], dtype="float32")])


def test_keras_accuracy_string_misjudges_logits_and_ours_does_not():
    """Keras's "accuracy" for a binary loss thresholds the raw logit at 0.5."""
    x = np.zeros((4, 1, 1), dtype=np.uint8)
    y = np.ones((4, 1), dtype=np.float32)
    ours = models.build("mnist01", input_shape=(1, 1))
    _set_single_logit(ours, 0.3)  # sigmoid(0.3) = 0.57: class 1 predicted, correctly
    assert ours.evaluate(x, y, verbose=0, return_dict=True)["accuracy"] == 1.0
    course = keras.models.clone_model(ours)
    course.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True),
                   metrics=["accuracy"])
    _set_single_logit(course, 0.3)
    scores = course.evaluate(x, y, verbose=0, return_dict=True)
    assert scores["accuracy"] == 0.0  # the course's metric calls every sample wrong
    assert scores["loss"] == pytest.approx(np.log1p(np.exp(-0.3)), rel=1e-5)


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown model 'E'.*'mnist01'.*'conv\+'"):
        models.build("E")
    with pytest.raises(ValueError, match="unknown model"):
        models.describe("a")


@pytest.mark.parametrize("shape, error", [((28,), ValueError), ((28, 28, 1), ValueError), ((0, 28), ValueError),
                                          ((28.0, 28), TypeError), ("28x28", TypeError), (None, TypeError)])
def test_bad_input_shape(shape, error):
    with pytest.raises(error, match="input_shape"):
        models.build("A", input_shape=shape)


def test_other_input_shape():
    model = models.build("D", input_shape=(8, 6))
    assert model.input_shape == (None, 8, 6)
    assert model.output_shape == (None, 10)
    # conv 40 + dense (4*3*4)*20 + 20 + 20*10 + 10
    assert models.count_trainable(model) == 40 + 48 * 20 + 20 + 210


def test_seed_fixes_initial_weights():
    a = models.build("C", seed=7).get_weights()
    b = models.build("C", seed=7).get_weights()
    c = models.build("C", seed=8).get_weights()
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    assert not all(np.array_equal(u, v) for u, v in zip(a, c))


def test_config_is_reproducible():
    """Explicit layer names: the config does not depend on how many models exist."""
    first = models.build("D")
    models.build("B")
    again = models.build("D")
    assert again.get_config() == first.get_config()
    assert again.get_compile_config() == first.get_compile_config()


@pytest.mark.filterwarnings("ignore:Skipping variable loading for optimizer")
@pytest.mark.parametrize("name", ["mnist01", "D"])
def test_weights_and_model_save_and_load(tmp_path, name):
    model = models.build(name, seed=1)
    images = np.random.default_rng(0).integers(0, 256, size=(5, 28, 28), dtype=np.uint8)
    expected = model.predict(images, verbose=0)
    model.save_weights(tmp_path / "net.weights.h5")
    other = models.build(name, seed=2)
    assert not np.allclose(other.predict(images, verbose=0), expected)
    other.load_weights(tmp_path / "net.weights.h5")
    np.testing.assert_array_equal(other.predict(images, verbose=0), expected)
    model.save(tmp_path / "net.keras")
    loaded = keras.saving.load_model(tmp_path / "net.keras")  # safe mode: no Lambda layers
    np.testing.assert_array_equal(loaded.predict(images, verbose=0), expected)
    assert loaded.get_compile_config()["metrics"] == model.get_compile_config()["metrics"]


def test_describe_every_model():
    lines = [models.describe(name) for name in registry.names("course")]
    assert lines[1] == "A: Flatten, Dense(10, sigmoid), Dense(10); 7,960 trainable parameters"
    assert "Dropout(0.015)" in lines[3] and "Dropout" not in lines[2]
    assert lines[4].startswith("D: Reshape, Conv2D(4, 3x3, relu), MaxPool(2)")


def test_describe_exercise_networks():
    assert models.describe("dense+") == (
        "dense+: Flatten, Dense(128, relu), Dropout(0.2), Dense(64, relu), Dropout(0.2), Dense(10); "
        "109,386 trainable parameters"
    )
    assert models.describe("conv+").startswith(
        "conv+: Reshape, Conv2D(8, 3x3, relu), MaxPool(2), Conv2D(16, 3x3, relu), MaxPool(2), Flatten"
    )


def test_exercise_networks_have_plain_model_names():
    """Keras names without '+', so the names are safe in files and TensorBoard."""
    assert models.build("dense+").name == "mnist_dense_plus"
    assert models.build("conv+").name == "mnist_conv_plus"
    assert models.build("D").name == "mnist_D"  # unchanged: part of the cache key of the lessons' runs
