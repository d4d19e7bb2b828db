"""A build that says what it is doing, with the fast kernels: training progress, chapter
heartbeats (_ext/heartbeat.py) and the oneDNN setting (imagerec.book.settings.onednn)."""

import importlib.util
import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from imagerec import models, training
from imagerec.book import experiments, settings

ONEDNN_ON = "oneDNN custom operations are on"  # what TensorFlow logs at import when it uses them


class Clock:
    """A clock that advances ``step`` seconds each time it is read."""

    def __init__(self, step):
        self.now, self.step = 0.0, step

    def __call__(self):
        self.now += self.step
        return self.now


def tiny_training(callback, epochs=4):
    model = models.build("A", input_shape=(4, 4), seed=0)
    x = np.arange(64 * 16, dtype=np.uint8).reshape(64, 4, 4)
    training.train(model, x, training.targets("A", np.arange(64) % 10), epochs=epochs, callbacks=[callback])


def test_training_reports_start_progress_and_end_with_an_estimate_of_the_time_left():
    out = io.StringIO()
    tiny_training(experiments.Progress("A", clock=Clock(step=8.0), stream=out), epochs=4)
    lines = out.getvalue().splitlines()
    assert lines[0] == "imagerec: training A, 4 epochs"
    assert lines[-1].startswith("imagerec: A: trained, 4 epochs in ")
    middle = lines[1:-1]
    assert middle and all(" left" in line and line.startswith("imagerec: A: epoch ") for line in middle)
    epochs = [int(line.split("epoch ")[1].split(" of")[0]) for line in middle]
    assert epochs == sorted(epochs) and epochs[-1] <= 4


def test_training_is_silent_between_lines_shorter_than_the_interval():
    out = io.StringIO()
    tiny_training(experiments.Progress("A", clock=Clock(step=0.001), stream=out), epochs=3)
    assert len(out.getvalue().splitlines()) == 2  # the start and the end only


def test_the_estimate_follows_the_pace_so_far():
    out = io.StringIO()
    ticks = iter([0.0, 30.0])
    progress = experiments.Progress("D", clock=lambda: next(ticks), stream=out)
    progress.set_params({"epochs": 10, "steps": 100})
    progress.on_train_begin()
    progress.on_epoch_begin(2)
    progress.on_train_batch_end(99)  # 3 of 10 epochs in 30 s: 70 s to go
    assert out.getvalue().splitlines()[-1] == "imagerec: D: epoch 3 of 10 after 30 s, about 1 min 10 s left"


def test_a_chapter_heartbeat_comes_every_interval_and_ends_with_the_time():
    path = Path(__file__).parents[1] / "_ext" / "heartbeat.py"
    spec = importlib.util.spec_from_file_location("heartbeat", path)
    heartbeat = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(heartbeat)
    out = io.StringIO()
    heart = heartbeat.Heartbeat("book/lesson2", clock=Clock(step=6.0), stream=out)
    for _ in range(6):
        heart.beat()
    heart.done()
    lines = out.getvalue().splitlines()
    assert lines[0] == "imagerec: executing book/lesson2"
    assert lines[1:-1] == [f"imagerec: still executing book/lesson2 ({t} s)" for t in (18, 36)]
    assert lines[-1] == "imagerec: executed book/lesson2 in 42 s"


def imports_tensorflow(name, **env):
    """The standard error of a process that chooses the oneDNN setting for ``name`` and imports TensorFlow."""
    code = ("from imagerec.book import settings; import sys; settings.use_onednn(sys.argv[1] or None); "
            "import tensorflow")
    environment = {k: v for k, v in os.environ.items() if k not in (settings.ONEDNN_ENV, "IMAGEREC_ONEDNN_CHOSEN")}
    environment.update(TF_CPP_MIN_LOG_LEVEL="0", **env)
    return subprocess.run([sys.executable, "-c", code, name], env=environment, capture_output=True, text=True,
                          check=True).stderr


def test_tensorflow_uses_onednn_unless_the_process_trains_a_dense_network():
    assert ONEDNN_ON in imports_tensorflow("")  # the build, the chapters, the tests, D's worker
    assert ONEDNN_ON not in imports_tensorflow("B")  # a dense network's worker
    # a value the user set is kept: imagerec.book.settings.onednn's doctest


def test_this_test_process_runs_with_onednn():
    assert os.environ[settings.ONEDNN_ENV] == settings.onednn()


def test_training_with_onednn_is_deterministic():
    def weights():
        model = models.build("D", input_shape=(8, 8), seed=3)
        x = np.random.default_rng(0).integers(0, 256, (96, 8, 8), dtype=np.uint8)
        training.train(model, x, training.targets("D", np.arange(96) % 10), epochs=2, seed=3)
        return model.get_weights()

    assert os.environ[settings.ONEDNN_ENV] == "1" or settings.onednn() != "1"
    for a, b in zip(weights(), weights()):
        np.testing.assert_array_equal(a, b)
