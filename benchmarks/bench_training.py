"""Training speed: the course's plain ``model.fit`` against :func:`imagerec.training.train`.

For each network, in one process and with the course's hyperparameters (batch 32,
Adam's defaults, the last 20% of the 60,000 training images for validation):

* plain: ``models.build(name, fast=False)`` then
  ``model.fit(x, y, epochs=E, validation_split=0.2)`` on NumPy arrays, as the
  course does;
* imagerec: ``models.build(name)`` (fast options) then ``training.train``.

Each fit runs ``--epochs`` epochs (default 4). The first epoch of each fit (tracing
and compiling) is left out and the others are timed; the second is often slower in a
process's first fit of a network, which the median of three passes over. The two ways
alternate ``--repeats`` times (default 2), so that both meet the same machine load. Speed
is training samples per second of an epoch, validation included; the ratio compares the
medians. Both ways use the same seed, so their histories must agree: the script checks
that the training loss and accuracy and the validation accuracy are equal, and the
validation loss equal up to float32 rounding (``train`` sums it in batches of 1,024,
``validation_split`` in batches of 32).

``--seeds K`` measures :func:`imagerec.book.seeds.stack` instead: K copies of a network (K
seeds) trained as one Keras model against one copy trained alone, alternating as above;
K separate trainings would take K times as long as one. It also checks that the copy of
seed 0 has the history of the network trained alone.

``--onednn`` measures TensorFlow's oneDNN kernels instead: each network trained the
package's way in a fresh process with ``TF_ENABLE_ONEDNN_OPTS=0`` and in one with ``1``
(TensorFlow reads the variable once, at import), on one thread as in the book's build; it
prints both speeds, their ratio and whether the two histories are identical. The build
trains each network with the kernels this found faster (:func:`imagerec.book.settings.onednn`).

``--accuracy`` trains each network once both ways (use ``--epochs 50`` for the
course's runs; that takes long on a CPU) and compares the test accuracies.

Usage::

    python benchmarks/bench_training.py                 # all networks, ~5 minutes on 2 CPU cores
    python benchmarks/bench_training.py A D --repeats 3
    python benchmarks/bench_training.py A --epochs 50 --accuracy
    python benchmarks/bench_training.py B C --seeds 3   # 3 seeds stacked against 1 alone
    python benchmarks/bench_training.py D B --onednn    # oneDNN kernels off and on
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402 (after TensorFlow's log level)
import numpy as np  # noqa: E402

from imagerec import models, training  # noqa: E402
from imagerec.book import experiments, seeds


class EpochTimer(keras.callbacks.Callback):
    """Wall-clock seconds of every epoch."""

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def fit_plain(name, x, y, epochs, seed=0):
    """The course's way: plain compile, ``model.fit`` on NumPy arrays."""
    model = models.build(name, fast=False, seed=seed)
    training.seed_everything(seed)  # the same seeding and deterministic ops as train()
    timer = EpochTimer()
    fitted = model.fit(x, y, epochs=epochs, validation_split=0.2, verbose=0, callbacks=[timer])
    history = {k: [float(v) for v in fitted.history[k]] for k in ("loss", "accuracy", "val_loss", "val_accuracy")}
    return model, history, timer.seconds


def fit_fast(name, x, y, epochs, seed=0):
    """imagerec's way: fast build and :func:`imagerec.training.train`."""
    model = models.build(name, seed=seed)
    timer = EpochTimer()
    history = training.train(model, x, y, epochs=epochs, seed=seed, callbacks=[timer])
    return model, history, timer.seconds


def fit_stack(name, x, y, epochs, k, seed=0):
    """``k`` seeds of ``name`` side by side in one model (:func:`imagerec.book.seeds.stack`)."""
    model = seeds.stack(name, range(seed, seed + k))
    timer = EpochTimer()
    history = training.train(model, x, y, epochs=epochs, seed=seed, callbacks=[timer])
    return model, seeds.split_history(history, range(seed, seed + k))[seed], timer.seconds


def stacked(name, epochs, repeats, k):
    """Seconds per epoch of one network alone and of ``k`` stacked; whether seed 0 agrees."""
    x, y, _, _ = data_for(name)
    times = {"alone": [], "stack": []}
    histories = {}
    for repeat in range(repeats):
        for way in (("alone", "stack") if repeat % 2 == 0 else ("stack", "alone")):
            if way == "alone":
                _, history, seconds = fit_fast(name, x, y, epochs)
            else:
                _, history, seconds = fit_stack(name, x, y, epochs, k)
            times[way] += seconds[1:]
            histories[way] = history
    alone, stack = statistics.median(times["alone"]), statistics.median(times["stack"])
    same = histories["alone"] == histories["stack"]
    print(f"{name:8s} {alone:9.2f} s {stack:9.2f} s {k * alone:11.2f} s {stack / alone:8.2f}x "
          f"{k * alone / stack:8.2f}x   {'yes' if same else 'NO'}", flush=True)
    return stack / alone


def data_for(name):
    (x, labels), (x_test, labels_test) = experiments.dataset(name, experiments.FULL)
    return x, training.targets(name, labels), x_test, training.targets(name, labels_test)


def warm_up():
    """One small fit each way, so that the first measured network pays no start-up cost."""
    x, y, _, _ = data_for("A")
    fit_plain("A", x[:3200], y[:3200], 2)
    fit_fast("A", x[:3200], y[:3200], 2)


def same_history(plain, fast):
    """Whether two histories agree: exactly, except ``val_loss`` up to float32 rounding."""
    exact = all(plain[k] == fast[k] for k in ("loss", "accuracy", "val_accuracy"))
    return exact and bool(np.allclose(plain["val_loss"], fast["val_loss"], rtol=1e-5, atol=0))


def compare(name, x, y, epochs, repeats=1):
    """Train ``name`` both ways, alternating ``repeats`` times; their speeds and whether they agree.

    Returns a dict: ``plain`` and ``fast``, training samples per second (medians over the
    timed epochs), and ``same``, whether the two histories agree (:func:`same_history`).
    """
    n_train = len(x) - int(round(len(x) * 0.2))
    times = {"plain": [], "fast": []}
    histories = {}
    for repeat in range(repeats):
        order = ("plain", "fast") if repeat % 2 == 0 else ("fast", "plain")
        for way in order:
            fit = fit_plain if way == "plain" else fit_fast
            _, history, seconds = fit(name, x, y, epochs)
            times[way] += seconds[1:]
            histories[way] = history
    return {
        "plain": n_train / statistics.median(times["plain"]),
        "fast": n_train / statistics.median(times["fast"]),
        "same": same_history(histories["plain"], histories["fast"]),
    }


def _onednn_child(names, n, epochs):
    """In a process whose ``TF_ENABLE_ONEDNN_OPTS`` the parent set: speeds and histories, as JSON."""
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    results = {}
    for name in names:
        x, y, _, _ = data_for(name)
        _, history, seconds = fit_fast(name, x[:n], y[:n], epochs)
        results[name] = {"speed": (n - int(round(n * 0.2))) / statistics.median(seconds[1:]), "history": history}
    print(json.dumps(results))


def onednn(names, n=6000, epochs=3):
    """Train each network on ``n`` images with oneDNN off and on, each way in a fresh process.

    The two processes run at the same time, one thread each, so that both ways meet the same
    load on a shared machine (and the measurement takes half as long on two cores).

    Returns ``{name: {"off": samples/s, "on": samples/s, "same": bool}}``: the training
    speeds (medians over the epochs after the first) and whether the histories are identical.
    """
    children = {
        value: subprocess.Popen(
            [sys.executable, __file__, "--onednn-child", str(n), str(epochs), *names],
            env=dict(os.environ, TF_ENABLE_ONEDNN_OPTS=value, TF_CPP_MIN_LOG_LEVEL="3"),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for value in ("0", "1")
    }
    runs = {}
    for value, child in children.items():
        out, err = child.communicate()
        if child.returncode != 0:
            raise RuntimeError(f"the oneDNN={value} run failed:\n{err[-2000:]}")
        runs[value] = json.loads(out.splitlines()[-1])
    return {name: {"off": runs["0"][name]["speed"], "on": runs["1"][name]["speed"],
                   "same": runs["0"][name]["history"] == runs["1"][name]["history"]} for name in names}


def speed(name, epochs, repeats):
    x, y, _, _ = data_for(name)
    result = compare(name, x, y, epochs, repeats)
    plain, fast = result["plain"], result["fast"]
    print(f"{name:8s} {plain:12,.0f} {fast:12,.0f} {fast / plain:7.2f}x   {'yes' if result['same'] else 'NO'}", flush=True)
    return fast / plain


def accuracy(name, epochs):
    x, y, x_test, y_test = data_for(name)
    results = {}
    for way, fit in (("plain", fit_plain), ("fast", fit_fast)):
        start = time.perf_counter()
        model, _, _ = fit(name, x, y, epochs)
        seconds = time.perf_counter() - start
        results[way] = (training.evaluate(model, x_test, y_test)["accuracy"], seconds)
    (plain, t_plain), (fast, t_fast) = results["plain"], results["fast"]
    print(f"{name:8s} {plain:10.4f} {fast:10.4f} {100 * (fast - plain):+8.2f} pp "
          f"{t_plain:9.0f} s {t_fast:7.0f} s", flush=True)
    return fast - plain


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--onednn-child"]:
        _onednn_child(argv[3:], int(argv[1]), int(argv[2]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"networks to measure (default: all of {', '.join(models.MODEL_NAMES)})")
    parser.add_argument("--epochs", type=int, default=None,
                        help="epochs per fit (default 4; 50 with --accuracy)")
    parser.add_argument("--repeats", type=int, default=2, help="alternations of the two ways (default 2)")
    parser.add_argument("--accuracy", action="store_true", help="compare test accuracies instead of speed")
    parser.add_argument("--threads", type=int, default=None,
                        help="TensorFlow threads (the book's build trains with 1 per worker)")
    parser.add_argument("--onednn", action="store_true",
                        help="time TensorFlow's oneDNN kernels off against on, each in a fresh process")
    parser.add_argument("--seeds", type=int, default=None, metavar="K",
                        help="time K seeds stacked in one model against one network alone")
    args = parser.parse_args(argv)
    names = args.names or list(models.MODEL_NAMES)
    unknown = [n for n in names if n not in models.MODEL_NAMES]
    if unknown:
        parser.error(f"unknown network(s) {', '.join(unknown)}: choose from {', '.join(models.MODEL_NAMES)}")
    if args.onednn:
        from imagerec.book import machine

        n, epochs = 6000, args.epochs or 3
        print(f"{machine.describe()}; one thread; training samples per second on {n:,} images "
              f"(median over {epochs - 1} epochs)\n{'network':8s} {'oneDNN off':>12s} {'on':>12s} {'on/off':>8s}"
              "   same history", flush=True)
        for name, row in onednn(names, n, epochs).items():
            print(f"{name:8s} {row['off']:12,.0f} {row['on']:12,.0f} {row['on'] / row['off']:7.2f}x   "
                  f"{'yes' if row['same'] else 'no'}", flush=True)
        return 0
    import tensorflow as tf

    if args.threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}, device {experiments.device_name()}, "
          f"{os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    if args.accuracy:
        epochs = args.epochs or 50
        print(f"test accuracy after {epochs} epochs\n{'network':8s} {'plain':>10s} {'imagerec':>10s} "
              f"{'diff':>11s} {'time plain':>11s} {'imagerec':>9s}")
        for name in names:
            accuracy(name, epochs)
        return 0
    epochs = args.epochs or 4
    if epochs < 2:
        parser.error("--epochs must be at least 2: the first epoch of each fit is not timed")
    warm_up()
    if args.seeds:
        k = args.seeds
        print(f"seconds per epoch (median over {args.repeats} x {epochs - 1} epochs)\n"
              f"{'network':8s} {'alone':>11s} {f'{k} stacked':>11s} {f'{k} separate':>13s} "
              f"{'stack/1':>9s} {'speed-up':>9s}   seed 0 same history")
        for name in names:
            stacked(name, epochs, args.repeats, k)
        return 0
    print(f"training samples per second (median over {args.repeats} x {epochs - 1} epochs)\n"
          f"{'network':8s} {'plain fit':>12s} {'imagerec':>12s} {'ratio':>8s}   same history")
    for name in names:
        speed(name, epochs, args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
