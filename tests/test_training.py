"""Training, evaluation and prediction: checks, determinism, speed options, a real run."""

import numpy as np
import pytest

from imagerec import data, models, training


def synthetic(n=320, seed=0):
    """Noisy 28x28 images whose label (0..9) is the row band that is bright."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, size=n)
    images = rng.integers(0, 100, size=(n, 28, 28)).astype(np.uint8)
    for image, label in zip(images, labels):
        image[2 + 2 * label: 4 + 2 * label] = 255
    return images, labels


# --- targets -----------------------------------------------------------------

def test_targets():
    y = training.targets("mnist01", np.array([1, 0], dtype=np.uint8))
    assert y.dtype == np.float32 and y.shape == (2, 1) and y.ravel().tolist() == [1, 0]
    y = training.targets("D", np.array([9, 0, 3]))
    assert y.dtype == np.float32 and y.shape == (3, 10)
    assert np.argmax(y, axis=1).tolist() == [9, 0, 3] and y.sum() == 3
    with pytest.raises(ValueError, match="^y "):
        training.targets("A", [10])
    with pytest.raises(ValueError, match="^y "):
        training.targets("mnist01", [0, 2])
    with pytest.raises(ValueError, match="^y "):
        training.targets("A", np.zeros((3, 1), int))
    with pytest.raises(TypeError, match="^y "):
        training.targets("A", ["1"])
    with pytest.raises(ValueError, match="unknown model"):
        training.targets("Z", [1])


# --- checks before training ----------------------------------------------------

@pytest.fixture(scope="module")
def model_a():
    return models.build("A", seed=0)


@pytest.mark.parametrize(
    "x_shape, y_shape, message",
    [
        ((20, 28, 27), (20, 10), r"x must have shape \(n, 28, 28\)"),
        ((20, 784), (20, 10), r"x must have shape \(n, 28, 28\)"),
        ((20, 28, 28, 1), (20, 10), r"x must have shape \(n, 28, 28\)"),
        ((20, 28, 28), (19, 10), r"y must have shape \(20, 10\)"),
        ((20, 28, 28), (20,), r"y must have shape \(20, 10\).*targets"),
        ((20, 28, 28), (20, 1), r"y must have shape \(20, 10\)"),
        ((0, 28, 28), (0, 10), "^x "),
    ],
)
def test_train_refuses_bad_shapes_before_training(model_a, x_shape, y_shape, message):
    x = np.zeros(x_shape, np.uint8)
    y = np.zeros(y_shape, np.float32)
    with pytest.raises(ValueError, match=message):
        training.train(model_a, x, y, epochs=1)
    assert int(model_a.optimizer.iterations) == 0  # nothing was trained


def test_train_refuses_bad_arguments(model_a):
    x, labels = synthetic(20)
    y = training.targets("A", labels)
    for kwargs, error, message in [
        ({"epochs": 0}, ValueError, "epochs"),
        ({"batch_size": 2.5}, TypeError, "batch_size"),
        ({"validation_split": 1.0}, ValueError, "validation_split"),
        ({"validation_split": True}, TypeError, "validation_split"),
        ({"validation_split": 0.99}, ValueError, "validation_split"),  # 20 samples: none left for training
        ({"seed": -1}, ValueError, "seed"),
        ({"validation_batch_size": 0}, ValueError, "validation_batch_size"),
        ({"validation_batch_size": 64.0}, TypeError, "validation_batch_size"),
    ]:
        with pytest.raises(error, match=message):
            training.train(model_a, x, y, **kwargs)
    with pytest.raises(ValueError, match="^y "):
        training.train(model_a, x, y * 3)
    with pytest.raises(TypeError, match="^model "):
        training.train("A", x, y)
    assert int(model_a.optimizer.iterations) == 0


def test_binary_model_wants_a_column():
    model = models.build("mnist01")
    x = np.zeros((10, 28, 28), np.uint8)
    with pytest.raises(ValueError, match=r"y must have shape \(10, 1\) \(a float column"):
        training.train(model, x, np.zeros(10))


# --- what training returns, determinism, speed options -------------------------

def test_history_is_plain_floats_and_split_like_keras():
    x, labels = synthetic(50)
    model = models.build("A", seed=0, fast=True)
    history = training.train(model, x, training.targets("A", labels), epochs=2, batch_size=8)
    assert list(history) == ["loss", "accuracy", "val_loss", "val_accuracy"]
    assert all(type(v) is float for values in history.values() for v in values)
    assert all(len(values) == 2 for values in history.values())
    # Keras keeps ceil(0.8 * 50) = 40 samples for training: 5 steps of 8 per epoch
    assert int(model.optimizer.iterations) == 10


def test_validation_batches_change_only_the_rounding_of_val_loss():
    x, labels = synthetic()
    y = training.targets("D", labels)
    small, large = (
        training.train(models.build("D", seed=0), x, y, epochs=2, validation_batch_size=size)
        for size in (4, training.VALIDATION_BATCH_SIZE)
    )
    for key in ("loss", "accuracy", "val_accuracy"):
        assert small[key] == large[key]
    assert small["val_loss"] == pytest.approx(large["val_loss"], rel=1e-5)


def test_train_agrees_with_the_course_s_plain_fit():
    """The course's compile and model.fit(validation_split=0.2) and train() (steps per
    execution, validation in large batches) learn the same: the same losses and accuracies,
    val_loss equal up to float32 rounding (it is averaged over other batch sizes)."""
    x, labels = synthetic()
    y = training.targets("D", labels)
    plain = models.build("D", fast=False, seed=0)
    training.seed_everything(0)
    fitted = plain.fit(x, y, epochs=2, validation_split=0.2, verbose=0).history
    fast = training.train(models.build("D", seed=0), x, y, epochs=2, seed=0)
    for key in ("loss", "accuracy", "val_accuracy"):
        assert [float(v) for v in fitted[key]] == fast[key], key
    np.testing.assert_allclose(fitted["val_loss"], fast["val_loss"], rtol=1e-5, atol=0)


@pytest.mark.parametrize("name", ["mnist01", "C", "D"])
def test_same_seed_same_history(name):
    x, labels = synthetic()
    y = training.targets(name, labels % 2 if name == "mnist01" else labels)
    histories = []
    for seed in (0, 0, 1):
        model = models.build(name, seed=seed)
        histories.append(training.train(model, x, y, epochs=2, seed=seed))
    assert histories[0] == histories[1]
    assert histories[0] != histories[2]


@pytest.mark.parametrize("name", ["mnist01", "C", "D"])
def test_fast_options_do_not_change_results(name):
    """steps_per_execution changes the speed only: the very same history."""
    x, labels = synthetic()
    y = training.targets(name, labels % 2 if name == "mnist01" else labels)
    plain = training.train(models.build(name, fast=False, seed=3), x, y, epochs=2, seed=3)
    fast_model = models.build(name, fast=True, seed=3)
    fast = training.train(fast_model, x, y, epochs=2, seed=3)
    assert fast == plain
    assert fast_model.steps_per_execution > 1


def test_training_learns_synthetic_bands():
    x, labels = synthetic(640)
    model = models.build("B", seed=0)
    history = training.train(model, x, training.targets("B", labels), epochs=5)
    assert history["loss"][-1] < history["loss"][0]
    x_test, labels_test = synthetic(200, seed=1)
    assert training.evaluate(model, x_test, training.targets("B", labels_test))["accuracy"] > 0.5


# --- evaluate and predict ---------------------------------------------------------

def test_evaluate_names_the_metrics():
    x, labels = synthetic(64)
    y = training.targets("D", labels)
    model = models.build("D", seed=0)
    scores = training.evaluate(model, x, y)
    loss, accuracy = model.evaluate(x, y, verbose=0)  # Keras 3: [loss, accuracy]
    assert scores == pytest.approx({"loss": loss, "accuracy": accuracy})
    assert all(type(v) is float for v in scores.values())
    predicted = training.predict(model, x)
    assert scores["accuracy"] == pytest.approx(np.mean(predicted == labels))
    with pytest.raises(ValueError, match="y must have shape"):
        training.evaluate(model, x, labels)


def test_predict_labels_from_logits():
    x, _ = synthetic(16)
    model = models.build("C", seed=0)
    logits = model.predict(x, verbose=0)
    predicted = training.predict(model, x)
    assert predicted.shape == (16,)
    np.testing.assert_array_equal(predicted, np.argmax(logits, axis=1))
    binary = models.build("mnist01", seed=0)
    np.testing.assert_array_equal(
        training.predict(binary, x), (binary.predict(x, verbose=0)[:, 0] > 0).astype(int)
    )
    with pytest.raises(ValueError, match="x must have shape"):
        training.predict(model, x[:, :10])


# --- a real run on MNIST ----------------------------------------------------------

def test_model_a_learns_mnist(data_dir):
    """Model A, first 5,000 training images, 20 epochs: 0.864 test accuracy measured."""
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    model = models.build("A", seed=0)
    history = training.train(model, x_train[:5000], training.targets("A", y_train[:5000]), epochs=20)
    assert history["val_accuracy"][-1] > 0.8
    scores = training.evaluate(model, x_test[:1000], training.targets("A", y_test[:1000]))
    assert scores["accuracy"] >= 0.83
    assert np.mean(training.predict(model, x_test[:1000]) == y_test[:1000]) == pytest.approx(
        scores["accuracy"]
    )
