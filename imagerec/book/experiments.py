"""The book's training runs: each network trained once, with the build's settings, and cached.

:func:`run` trains a network with the :class:`~imagerec.book.settings.Settings` of the
build (quick or full, see :mod:`imagerec.book.settings`) and stores the result in the
cache of :mod:`imagerec.book.cache`; the next call with the same inputs loads it instead
of training again. :func:`prepare` trains several networks side by side before the
book runs.

For the chapters' convenience it also offers the names of :mod:`imagerec.book.settings`
(``settings()``, ``settings_for``, ``Settings``, ``QUICK``, ``FULL``) and ``cache_entries``, the entries of :func:`imagerec.book.cache.entries`.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time

import keras
import tensorflow as tf

from imagerec import data, models, registry, training
from imagerec.book import cache, seeds
from imagerec.book.settings import (  # noqa: F401 (re-exported for the chapters)
    FULL, ONEDNN_ENV, QUICK, Settings, chosen, onednn_for, settings, settings_for,
)

__all__ = ["Progress", "Result", "dataset", "device_name", "duration", "prepare", "run", "run_seeds"]

cache_entries = cache.entries  # for the chapters' tables


def _one_thread_per_core(threads: int) -> None:
    """Worker initialiser: TensorFlow may use ``threads`` cores (set before it starts)."""
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)


def _prepare_one(name: str, config: Settings) -> dict:
    result = run(name, config)
    return {"name": name, "from_cache": result.from_cache, "seconds": result.seconds}


def _is_cached(name: str, config: Settings) -> bool:
    """Whether the cache holds an entry for network ``name`` trained with ``config``."""
    label, model = _to_train(name, config, stacked=registry.network(name).seeds > 1)
    return cache.has(label, _key(name, label, model, config)[0])


def _submit(pools: dict, name: str, config: Settings, workers: int, threads: int):
    """Submit network ``name`` to a pool of worker processes that run with the oneDNN setting
    it trains fastest with (:func:`imagerec.book.settings.onednn`); one pool per setting, made
    when first needed, its idle processes reused (each imports TensorFlow once)."""
    import concurrent.futures
    import multiprocessing

    with onednn_for(name):  # the environment a new worker starts with (read once, at its start)
        value = os.environ[ONEDNN_ENV]
        if value not in pools:
            pools[value] = concurrent.futures.ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_one_thread_per_core, initargs=(threads,),
            )
        return pools[value].submit(_prepare_one, name, settings_for(name, config))  # may start a worker


def prepare(names, config: Settings | None = None, *, workers: int | None = None) -> list[dict]:
    """Train, side by side in worker processes, the networks the cache lacks.

    Small networks on a CPU keep a core busy with Python and bookkeeping between
    steps rather than with arithmetic, so two networks trained at once, each on its own
    core, take little longer than one. The book calls this before it runs anything
    else; afterwards every :func:`run` loads from the cache. Each network trains in a
    worker process started with the oneDNN setting that suits it
    (:func:`imagerec.book.settings.onednn`), and reports its progress (:class:`Progress`).
    Networks that have an entry in the cache are left to :func:`run`, which checks the
    entry when it loads it; no worker starts when all have one.

    Parameters
    ----------
    names : sequence of str
        The networks, longest to train first (workers take them in this order).
    config : Settings, optional
        Default :func:`~imagerec.book.settings.settings`; each network trains with
        :func:`~imagerec.book.settings.settings_for`.
    workers : int, optional
        Processes training at once. Default: 2 on a machine with two or more CPU
        cores and no GPU, else 1 (then nothing is done here: :func:`run` trains when
        asked).

    Returns
    -------
    list of dict
        Per network: ``name``, ``from_cache`` and ``seconds`` (training time; None for a
        network found in the cache).

    Examples
    --------
    >>> prepare([], QUICK)
    []
    """
    import concurrent.futures

    config = chosen(config)
    names = list(names)
    cores = os.cpu_count() or 1
    if workers is None:
        workers = 2 if cores >= 2 and not tf.config.list_physical_devices("GPU") else 1
    if workers <= 1 or not names:
        return []
    threads = max(1, cores // workers)
    rows, waiting, unchecked = {}, [], list(names)
    pools, running = {}, {}  # oneDNN setting: pool; future: network
    try:
        while unchecked or waiting or running:
            # Look the networks up in the cache one at a time, starting a worker as soon as
            # one is missing: the first trains while the next are looked up.
            looking = bool(unchecked) and len(waiting) < workers
            if looking:
                name = unchecked.pop(0)
                if _is_cached(name, settings_for(name, config)):
                    rows[name] = {"name": name, "from_cache": True, "seconds": None}
                else:
                    waiting.append(name)
            while waiting and len(running) < workers:  # at most `workers` train at once
                name = waiting.pop(0)
                running[_submit(pools, name, config, workers, threads)] = name
            if running:
                done, _ = concurrent.futures.wait(running, timeout=0 if looking else None,
                                                  return_when=concurrent.futures.FIRST_COMPLETED)
                for future in done:
                    rows[running.pop(future)] = future.result()  # a worker's error stops the build here
    finally:
        for pool in pools.values():
            pool.shutdown(cancel_futures=True)
    return [rows[name] for name in names]


class Progress(keras.callbacks.Callback):
    """Lines that say how a training run is going, for a build's or a terminal's log.

    One line when training starts, one at least every ``every`` seconds while it runs
    (the epochs reached and an estimate of the time left, from the pace so far), and one
    when it ends. Keras calls ``on_train_batch_end`` once per call into TensorFlow (every
    :data:`~imagerec.models.STEPS_PER_EXECUTION` steps), so the lines come even when an
    epoch is long.

    Parameters
    ----------
    label : str
        The network, as the lines name it.
    every : float, default 15
        Seconds between lines while it trains.
    clock : callable, default time.monotonic
        Seconds, as a float (tests pass their own).
    stream : file, optional
        Where the lines go; default ``sys.stderr``, at the time of writing.

    Examples
    --------
    >>> import io
    >>> ticks, out = iter([0, 5, 20, 30]), io.StringIO()
    >>> progress = Progress("B", clock=lambda: next(ticks), stream=out)
    >>> progress.set_params({"epochs": 4, "steps": 10})
    >>> progress.on_train_begin(); progress.on_epoch_begin(0)
    >>> progress.on_train_batch_end(9)   # 5 s: too soon for a line
    >>> progress.on_epoch_begin(1); progress.on_train_batch_end(9)   # 20 s
    >>> progress.on_train_end()   # 30 s
    >>> print(out.getvalue(), end="")
    imagerec: training B, 4 epochs
    imagerec: B: epoch 2 of 4 after 20 s, about 20 s left
    imagerec: B: trained, 4 epochs in 30 s
    """

    def __init__(self, label: str, *, every: float = 15.0, clock=time.monotonic, stream=None):
        super().__init__()
        self.label, self.every, self.clock, self.stream = label, every, clock, stream
        self.epoch = 0

    def _say(self, text: str) -> None:
        print(f"imagerec: {text}", file=self.stream or sys.stderr, flush=True)

    def on_train_begin(self, logs=None):
        """The first line: which network, how many epochs."""
        self.start = self.last = self.clock()
        self._say(f"training {self.label}, {_epochs(self.params['epochs'])}")

    def on_epoch_begin(self, epoch, logs=None):
        """Note the epoch that starts."""
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        """A line with the epochs reached and the time left, when one is due."""
        now = self.clock()
        if now - self.last < self.every:
            return
        self.last = now
        epochs = self.params["epochs"]
        done = (self.epoch + (batch + 1) / max(1, self.params.get("steps") or 1)) / epochs
        left = (now - self.start) * (1 - done) / done
        self._say(f"{self.label}: epoch {min(self.epoch + 1, epochs)} of {epochs} after "
                  f"{now - self.start:.0f} s, about {duration(left)} left")

    def on_train_end(self, logs=None):
        """The last line: the training time."""
        self._say(f"{self.label}: trained, {_epochs(self.params['epochs'])} in {self.clock() - self.start:.0f} s")


def _epochs(count: int) -> str:
    return f"{count} epoch" if count == 1 else f"{count} epochs"


def duration(seconds: float) -> str:
    """A time in words: ``"40 s"`` or ``"3 min 20 s"``, rounded to 10 s above a minute.

    Examples
    --------
    >>> duration(26.4), duration(200), duration(1830)
    ('26 s', '3 min 20 s', '30 min 30 s')
    """
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, rest = divmod(10 * round(seconds / 10), 60)
    return f"{minutes:.0f} min {rest:.0f} s" if rest else f"{minutes:.0f} min"


def dataset(name: str, config: Settings | None = None):
    """The MNIST images and labels network ``name`` is trained and tested on.

    Parameters
    ----------
    name : str
        One of :data:`imagerec.registry.NETWORKS`; ``"mnist01"`` keeps only the
        zeros and ones.
    config : Settings, optional
        Subset sizes; default :func:`~imagerec.book.settings.settings` (from the environment).

    Returns
    -------
    ((x_train, y_train), (x_test, y_test))
        Raw ``uint8`` images and integer labels (use
        :func:`imagerec.training.targets` for the training targets).

    Examples
    --------
    Needs MNIST, so not run here:

    >>> (x, y), (x_test, y_test) = dataset("mnist01", QUICK)  # doctest: +SKIP
    >>> x.shape, sorted(set(y))  # doctest: +SKIP
    ((3000, 28, 28), [0, 1])

    An unknown network is refused before anything is loaded:

    >>> dataset("E", QUICK)
    Traceback (most recent call last):
    ...
    ValueError: unknown model 'E': choose one of 'mnist01', 'A', 'B', ...
    """
    binary = registry.network(name).binary  # checks the name before loading anything
    config = chosen(config)
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    if binary:
        x_train, y_train = data.filter_classes(x_train, y_train, (0, 1))
        x_test, y_test = data.filter_classes(x_test, y_test, (0, 1))
    train, test = slice(config.train_size), slice(config.test_size)
    return (x_train[train], y_train[train]), (x_test[test], y_test[test])


@dataclasses.dataclass(frozen=True)
class Result:
    """A trained network and what is known about its training.

    Attributes
    ----------
    name : str
        The network (one of :data:`imagerec.registry.NETWORKS`).
    model : keras.Model
        The trained network, set back to one step per call for quick predictions
        (:func:`imagerec.models.one_step_per_call`).
    history : dict
        Loss and accuracy per epoch, for training and validation data.
    test : dict
        ``{"loss": float, "accuracy": float}`` on the test images.
    seconds : float
        Wall-clock time the training took (when it was trained).
    device : str
        Where it was trained: ``"CPU"`` or the GPU's name.
    from_cache : bool
        Whether this call loaded it from the cache instead of training.
    """

    name: str
    model: keras.Model
    history: dict
    test: dict
    seconds: float
    device: str
    from_cache: bool


def device_name() -> str:
    """Where TensorFlow trains: the first GPU's name (e.g. ``"NVIDIA H100 80GB HBM3"``), or ``"CPU"``."""
    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return "CPU"
    details = tf.config.experimental.get_device_details(gpus[0])
    return str(details.get("device_name") or gpus[0].name)


def run(name: str, config: Settings | None = None, *, progress: bool = True) -> Result:
    """Train network ``name`` with ``config``, or load the cached result.

    Parameters
    ----------
    name : str
        One of :data:`imagerec.registry.NETWORKS`.
    config : Settings, optional
        Default :func:`~imagerec.book.settings.settings` (from ``IMAGEREC_QUICK``).
    progress : bool, default True
        Whether training reports its progress on ``sys.stderr`` (:class:`Progress`):
        when it starts, every 15 s, and when it ends.

    Returns
    -------
    Result
        The trained model, its history, its test scores, the training time and
        device, and whether it came from the cache.

    Examples
    --------
    Needs MNIST and trains, so not run here:

    >>> result = run("A", Settings(quick=True, train_size=500, test_size=200, epochs=1))  # doctest: +SKIP
    >>> result.from_cache, sorted(result.test)  # doctest: +SKIP
    (False, ['accuracy', 'loss'])

    The settings must be :class:`~imagerec.book.settings.Settings`:

    >>> run("A", {"epochs": 1})
    Traceback (most recent call last):
    ...
    TypeError: settings must be an imagerec.book.settings.Settings, got dict
    """
    config = chosen(config)
    if registry.network(name).seeds > 1:
        return run_seeds(name, config, progress=progress)[config.seed]
    label, model = _to_train(name, config, stacked=False)
    history, facts, from_cache = _train_or_load(name, label, model, config, progress)
    return Result(name=name, model=models.one_step_per_call(model), history=history, test=facts["test"],
                  seconds=float(facts["seconds"]), device=facts["device"], from_cache=from_cache)


def run_seeds(name: str, config: Settings | None = None, *, progress: bool = True) -> dict[int, Result]:
    """Train network ``name`` with its seeds at once, or load the cached runs.

    The copies are trained side by side in one Keras model (:func:`imagerec.book.seeds.stack`)
    on the same batches: the copy of ``config.seed`` is exactly the network :func:`run`
    would train alone (for a network with several ``seeds`` in :mod:`imagerec.registry`,
    :func:`run` returns it), the others differ in their initial weights and dropout masks.

    Parameters
    ----------
    name : str
        A network of :data:`imagerec.registry.NETWORKS`.
    config : Settings, optional
        Default :func:`~imagerec.book.settings.settings`; the seeds are ``config.seed`` and the
        next integers, as many as the registry's ``seeds`` for ``name``.
    progress : bool, default True
        Whether training reports its progress (:class:`Progress`).

    Returns
    -------
    dict
        ``{seed: Result}``; each result holds its copy (a compiled network), its own
        history and test scores, and the training time of the whole stack.

    Examples
    --------
    Needs MNIST and trains, so not run here:

    >>> tiny = Settings(quick=True, train_size=500, test_size=200, epochs=1)
    >>> runs = run_seeds("B", tiny)  # doctest: +SKIP
    >>> sorted(runs), runs[0].history == run("B", tiny).history  # doctest: +SKIP
    ([0, 1, 2], True)

    The settings must be :class:`~imagerec.book.settings.Settings`:

    >>> run_seeds("B", {"epochs": 1})
    Traceback (most recent call last):
    ...
    TypeError: settings must be an imagerec.book.settings.Settings, got dict
    """
    config = chosen(config)
    seed_list = _seeds_of(name, config)
    label, model = _to_train(name, config, stacked=True)
    history, facts, from_cache = _train_or_load(name, label, model, config, progress)
    histories = seeds.split_history(history, seed_list)
    return {
        seed: Result(name=name, model=models.one_step_per_call(copy), history=histories[seed],
                     test=facts["tests"][str(seed)], seconds=float(facts["seconds"]), device=facts["device"],
                     from_cache=from_cache)
        for seed, copy in zip(seed_list, seeds.copies(model))
    }


def _seeds_of(name: str, config: Settings) -> tuple[int, ...]:
    return tuple(range(config.seed, config.seed + registry.network(name).seeds))


def _to_train(name: str, config: Settings, *, stacked: bool):
    """``(cache label, model)`` of what training network ``name`` trains: the network, or
    (``stacked``) the stack of its seeds."""
    if stacked:
        return f"{name}-seeds", seeds.stack(name, _seeds_of(name, config))
    return name, models.build(name, seed=config.seed)


def _key(name: str, label: str, model, config: Settings):
    """The cache key of ``model`` (network ``name``, cached as ``label``) and its data."""
    (x_train, y_train), (x_test, y_test) = data_sets = dataset(name, config)
    return cache.key(label, model, config, (x_train, y_train, x_test, y_test)), data_sets


def _test_scores(name: str, model, x_test, y_test) -> dict:
    """``{"test": ...}`` for meta.json; a stack of seeds adds ``"tests"``, one per copy."""
    y_test = training.targets(name, y_test)
    if len(model.outputs) == 1:
        return {"test": training.evaluate(model, x_test, y_test)}
    tests = {network.name.removeprefix("seed_"): training.evaluate(network, x_test, y_test)
             for network in seeds.copies(model)}
    return {"test": next(iter(tests.values())), "tests": tests}


def _train_or_load(name: str, label: str, model, config: Settings, progress: bool) -> tuple[dict, dict, bool]:
    """Load ``model``'s training from the cache, or train, test and store it.

    ``model`` is network ``name`` (or a stack of its seeds), cached under ``label``.
    Returns the history, the facts of ``meta.json`` (``test``, ``seconds``, ``device``...)
    and whether they came from the cache.
    """
    key, ((x_train, y_train), (x_test, y_test)) = _key(name, label, model, config)
    loaded = cache.load(label, key, model, config.epochs)
    if loaded is not None:
        return *loaded, True
    start = time.perf_counter()
    history = training.train(
        model, x_train, training.targets(name, y_train), epochs=config.epochs, batch_size=config.batch_size,
        validation_split=config.validation_split, seed=config.seed,
        callbacks=[Progress(label)] if progress else None,
    )
    facts = {
        "seconds": time.perf_counter() - start,
        "device": device_name(),
        "onednn": os.environ.get(ONEDNN_ENV, "").strip().lower() in ("1", "true"),  # as TensorFlow reads it
        **_test_scores(name, model, x_test, y_test),
    }
    cache.store(label, key, model, history, config, **facts)
    return history, facts, False
