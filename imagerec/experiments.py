"""The book's training runs: quick or full settings, trained once and cached on disk.

The book trains five networks. A *full* build trains them as the course does (all
60,000 training images, 50 epochs); a *quick* build (environment variable
``IMAGEREC_QUICK=1``) trains on a small subset for a few epochs, to check that
everything runs. :func:`run` trains a network once and stores its weights,
history and test scores in a cache; the next call with the same inputs loads
them instead of training again.

The cache key is the SHA-256 of everything that changes the result: the model's
configuration and compile settings, the :class:`Settings`, a fingerprint of the
training and test arrays, the code of :mod:`imagerec.training` (without its
comments and docstrings), the TensorFlow and Keras versions and the cache
format. Each entry is a folder holding ``model.weights.h5``, ``history.json`` and
``meta.json`` (which records the SHA-256 of the other two). Entries are written
into a temporary folder and renamed into place, so a crash never leaves half an
entry; an entry whose files do not match their recorded hashes is deleted with a
warning and the network is trained again.

Cache folder: ``$IMAGEREC_CACHE_DIR/training``, else ``~/.cache/imagerec/training``.

Examples
--------
>>> FULL.epochs, QUICK.epochs
(50, 3)
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import inspect
import json
import logging
import math
import numbers
import os
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from imagerec import data, models, seeds, training
from imagerec._checks import is_integer
from imagerec.data import _sha256_file  # the checksum of the downloads serves the cache's files too

__all__ = [
    "CACHE_FORMAT",
    "EXERCISE_EPOCHS",
    "FULL",
    "QUICK",
    "QUICK_ENV",
    "Result",
    "Settings",
    "cache_dir",
    "cache_entries",
    "dataset",
    "device_name",
    "prepare",
    "run",
    "run_seeds",
    "SEEDED_NETWORKS",
    "SEED_COUNT",
    "settings",
    "settings_for",
]

logger = logging.getLogger(__name__)

QUICK_ENV = "IMAGEREC_QUICK"
"""Environment variable choosing the build: ``1`` quick, ``0`` or unset full."""

CACHE_FORMAT = 1
"""Version of the layout of cache entries; part of every key."""

WEIGHTS_FILE = "model.weights.h5"
HISTORY_FILE = "history.json"
META_FILE = "meta.json"


@dataclasses.dataclass(frozen=True)
class Settings:
    """How much data and how many epochs a run uses.

    Parameters
    ----------
    quick : bool
        Whether these are the settings of a quick build (a label shown by the book).
    train_size, test_size : int or None
        Use the first ``train_size`` training and ``test_size`` test images (after
        keeping only zeros and ones for ``mnist01``); None: all of them.
    epochs : int
        Passes over the training data.
    batch_size : int, default 32
    validation_split : float, default 0.2
        Fraction of the training images, taken from the end, used for validation.
    seed : int, default 0
        Seed of the initial weights, the shuffling and dropout.

    Examples
    --------
    >>> Settings(quick=True, train_size=500, test_size=200, epochs=1)
    Settings(quick=True, train_size=500, test_size=200, epochs=1, batch_size=32, validation_split=0.2, seed=0)
    >>> Settings(quick=False, train_size=None, test_size=None, epochs=0)
    Traceback (most recent call last):
    ...
    ValueError: Settings.epochs must be a positive integer, got 0
    """

    quick: bool
    train_size: int | None
    test_size: int | None
    epochs: int
    batch_size: int = 32
    validation_split: float = 0.2
    seed: int = 0

    def __post_init__(self):
        if not isinstance(self.quick, bool):
            raise TypeError(f"Settings.quick must be True or False, got {self.quick!r}")
        for field in ("train_size", "test_size"):
            value = getattr(self, field)
            if value is not None and not (is_integer(value) and value > 0):
                raise ValueError(f"Settings.{field} must be a positive integer or None, got {value!r}")
        for field in ("epochs", "batch_size"):
            value = getattr(self, field)
            if not (is_integer(value) and value > 0):
                raise ValueError(f"Settings.{field} must be a positive integer, got {value!r}")
        split = self.validation_split
        if isinstance(split, bool) or not isinstance(split, numbers.Real) or not 0 <= split < 1:
            raise ValueError(f"Settings.validation_split must be a number in [0, 1), got {split!r}")
        if not (is_integer(self.seed) and self.seed >= 0):
            raise ValueError(f"Settings.seed must be a non-negative integer, got {self.seed!r}")


QUICK = Settings(quick=True, train_size=3000, test_size=1000, epochs=3)
"""Quick build: the first 3,000 training and 1,000 test images, 3 epochs."""

FULL = Settings(quick=False, train_size=None, test_size=None, epochs=50)
"""Full build, as the course: all images, 50 epochs."""


EXERCISE_EPOCHS = {"dense+": 10, "conv+": 5}
"""Epochs of the exercise networks: fewer than the lessons' 50 keep the build short."""

SEEDED_NETWORKS = ("B", "C")
"""Networks trained with :data:`SEED_COUNT` seeds at once (:func:`run_seeds`)."""

SEED_COUNT = 3
"""Seeds of each of :data:`SEEDED_NETWORKS`: ``settings.seed`` and the next ones."""


def settings() -> Settings:
    """The settings chosen by the environment variable ``IMAGEREC_QUICK``.

    Returns
    -------
    Settings
        :data:`QUICK` when ``IMAGEREC_QUICK=1``; :data:`FULL` when it is ``0``,
        empty or unset.

    Raises
    ------
    ValueError
        Any other value (``true``, ``yes``, ...), so that a typo does not start a
        full build of an hour by accident.

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"IMAGEREC_QUICK": "1"}):
    ...     settings().epochs
    3
    >>> with mock.patch.dict(os.environ, {"IMAGEREC_QUICK": "yes"}):
    ...     settings()
    Traceback (most recent call last):
    ...
    ValueError: IMAGEREC_QUICK must be '1' (quick build) or '0' or unset (full build), got 'yes'
    """
    value = os.environ.get(QUICK_ENV, "").strip()
    if value in ("", "0"):
        return FULL
    if value == "1":
        return QUICK
    raise ValueError(f"{QUICK_ENV} must be '1' (quick build) or '0' or unset (full build), got {value!r}")


def settings_for(name: str, settings: Settings | None = None) -> Settings:
    """The settings the book trains network ``name`` with.

    The lessons' networks use ``settings`` as they are; the exercise networks train
    at most :data:`EXERCISE_EPOCHS` epochs.

    Parameters
    ----------
    name : str
        One of :data:`imagerec.models.MODEL_NAMES` or :data:`imagerec.models.EXERCISE_NAMES`.
    settings : Settings, optional
        Default :func:`settings` (from ``IMAGEREC_QUICK``).

    Examples
    --------
    >>> settings_for("D", FULL).epochs, settings_for("conv+", FULL).epochs
    (50, 5)
    >>> settings_for("conv+", QUICK).epochs
    3
    """
    settings = _check_settings(settings)
    models.describe(name)  # refuses unknown names, listing the known ones
    limit = EXERCISE_EPOCHS.get(name)
    return settings if limit is None else dataclasses.replace(settings, epochs=min(settings.epochs, limit))


def _one_thread_per_core(threads: int) -> None:
    """Worker initialiser: TensorFlow may use ``threads`` cores (set before it starts)."""
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)


def _prepare_one(name: str, settings: Settings) -> dict:
    result = run(name, settings_for(name, settings))
    return {"name": name, "from_cache": result.from_cache, "seconds": result.seconds}


def prepare(names, settings: Settings | None = None, *, workers: int | None = None) -> list[dict]:
    """Train, side by side in worker processes, the networks the cache lacks.

    Small networks on a CPU keep a core busy with Python and bookkeeping between
    steps rather than with arithmetic, so two networks trained at once, each on its own
    core, take little longer than one. The book calls this before it runs anything
    else; afterwards every :func:`run` loads from the cache. Networks already cached
    are only checked.

    Parameters
    ----------
    names : sequence of str
        The networks, longest to train first (workers take them in this order).
    settings : Settings, optional
        Default :func:`settings`; each network trains with :func:`settings_for`.
    workers : int, optional
        Processes training at once. Default: 2 on a machine with two or more CPU
        cores and no GPU, else 1 (then nothing is done here: :func:`run` trains when
        asked).

    Returns
    -------
    list of dict
        Per network: ``name``, ``from_cache`` and ``seconds`` (training time).

    Examples
    --------
    >>> prepare([], QUICK)
    []
    """
    import concurrent.futures
    import multiprocessing

    settings = _check_settings(settings)
    names = list(names)
    cores = os.cpu_count() or 1
    if workers is None:
        workers = 2 if cores >= 2 and not tf.config.list_physical_devices("GPU") else 1
    if workers <= 1 or not names:
        return []
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=min(workers, len(names)),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_one_thread_per_core,
        initargs=(max(1, cores // workers),),
    ) as pool:
        futures = [pool.submit(_prepare_one, name, settings) for name in names]
        return [future.result() for future in futures]


def dataset(name: str, settings: Settings | None = None):
    """The MNIST images and labels network ``name`` is trained and tested on.

    Parameters
    ----------
    name : str
        One of :data:`imagerec.models.MODEL_NAMES` or
        :data:`imagerec.models.EXERCISE_NAMES`; ``"mnist01"`` keeps only the
        zeros and ones.
    settings : Settings, optional
        Subset sizes; default :func:`settings` (from the environment).

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
    ValueError: unknown model 'E': choose one of 'mnist01', 'A', 'A-relu', 'B', 'C', 'D', 'dense+', 'conv+'
    """
    binary = models.is_binary(name)  # checks the name before loading anything
    settings = _check_settings(settings)
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    if binary:
        x_train, y_train = data.filter_classes(x_train, y_train, (0, 1))
        x_test, y_test = data.filter_classes(x_test, y_test, (0, 1))
    train, test = slice(settings.train_size), slice(settings.test_size)
    return (x_train[train], y_train[train]), (x_test[test], y_test[test])


@dataclasses.dataclass(frozen=True)
class Result:
    """A trained network and what is known about its training.

    Attributes
    ----------
    name : str
        The network (one of :data:`imagerec.models.MODEL_NAMES` or ``EXERCISE_NAMES``).
    model : keras.Model
        The trained network.
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


def cache_dir() -> Path:
    """Folder of the training cache.

    Returns
    -------
    pathlib.Path
        ``$IMAGEREC_CACHE_DIR/training``, or ``~/.cache/imagerec/training``.

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"IMAGEREC_CACHE_DIR": "/tmp/ir"}):
    ...     cache_dir().as_posix()
    '/tmp/ir/training'
    """
    return data.cache_base() / "training"


def device_name() -> str:
    """Where TensorFlow trains: the first GPU's name, or ``"CPU"``.

    Examples
    --------
    >>> name = device_name()   # e.g. 'CPU' or 'NVIDIA H100 80GB HBM3'
    >>> isinstance(name, str) and name != ""
    True
    """
    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return "CPU"
    details = tf.config.experimental.get_device_details(gpus[0])
    return str(details.get("device_name") or gpus[0].name)


def _check_settings(value) -> Settings:
    if value is None:
        return settings()
    if not isinstance(value, Settings):
        raise TypeError(f"settings must be an imagerec.experiments.Settings, got {type(value).__name__}")
    return value


def _fingerprint(arrays) -> str:
    """SHA-256 of the arrays' dtypes, shapes and bytes."""
    digest = hashlib.sha256()
    for array in arrays:
        array = np.ascontiguousarray(array)
        digest.update(f"{array.dtype.str}{array.shape}".encode())
        digest.update(array.data)
    return digest.hexdigest()


def _code_fingerprint(source: str) -> str:
    """SHA-256 of Python code as the interpreter sees it: comments, docstrings and layout left out.

    So editing the explanations of :mod:`imagerec.training` keeps the trained networks,
    and changing what it does trains them again.

    >>> _code_fingerprint("x = 1 + 2") == _code_fingerprint('"A docstring."; x = (1 + 2)  # three')
    True
    >>> _code_fingerprint("x = 1 + 2") == _code_fingerprint("x = 1 + 3")
    False
    """
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return hashlib.sha256(ast.dump(tree).encode()).hexdigest()


def _canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _cache_key(name: str, model, settings: Settings, arrays) -> str:
    """SHA-256 of a canonical JSON of everything that changes a run's result."""
    description = {
        "format": CACHE_FORMAT,
        "name": name,
        "model": model.get_config(),
        "compile": model.get_compile_config(),
        "settings": dataclasses.asdict(settings),
        "data": _fingerprint(arrays),
        "training_code": _code_fingerprint(inspect.getsource(training)),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
    }
    return hashlib.sha256(_canonical_json(description).encode()).hexdigest()


def _entry_path(name: str, key: str) -> Path:
    return cache_dir() / f"{name}-{key}"


def _check_history(history, epochs: int) -> dict:
    if not isinstance(history, dict) or "loss" not in history or not any("accuracy" in k for k in history):
        raise ValueError("history.json does not hold loss and accuracy")
    for key, values in history.items():
        if (
            not isinstance(values, list)
            or len(values) != epochs
            or not all(isinstance(v, float) and math.isfinite(v) for v in values)
        ):
            raise ValueError(f"history.json: {key!r} is not a list of {epochs} finite numbers")
    return history


def _load_entry(entry: Path, key: str, settings: Settings, model):
    """Load a cache entry into ``model``; return (history, meta), or None if it is damaged."""
    try:
        meta = json.loads((entry / META_FILE).read_text(encoding="utf-8"))
        if meta.get("format") != CACHE_FORMAT or meta.get("key") != key:
            raise ValueError("meta.json belongs to another key or cache format")
        files = meta["files"]
        if set(files) != {WEIGHTS_FILE, HISTORY_FILE}:
            raise ValueError("meta.json does not list the entry's files")
        for file, digest in files.items():
            if _sha256_file(entry / file) != digest:
                raise ValueError(f"{file} does not match the SHA-256 recorded in meta.json")
        history = json.loads((entry / HISTORY_FILE).read_text(encoding="utf-8"))
        _check_history(history, settings.epochs)
        test = {k: float(meta["test"][k]) for k in ("loss", "accuracy")}
        # The file holds the optimizer's state too: build it to receive that state.
        model.optimizer.build(model.trainable_variables)
        model.load_weights(entry / WEIGHTS_FILE)
    except Exception as error:  # any damage: unreadable, truncated, tampered, wrong layout
        logger.warning("Damaged training cache entry %s (%s): deleting it and training again.", entry, error)
        shutil.rmtree(entry, ignore_errors=True)
        return None
    return history, {**meta, "test": test}


def _write_json(path: Path, value) -> None:
    path.write_text(json.dumps(value, indent=1, allow_nan=False) + "\n", encoding="utf-8")


def _store_entry(entry: Path, model, history: dict, meta: dict) -> None:
    """Write an entry into a temporary folder, then rename it into place (atomic)."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{entry.name}.", dir=entry.parent))
    try:
        model.save_weights(temporary / WEIGHTS_FILE)
        _write_json(temporary / HISTORY_FILE, history)
        files = {f: _sha256_file(temporary / f) for f in (WEIGHTS_FILE, HISTORY_FILE)}
        _write_json(temporary / META_FILE, {**meta, "files": files})
        try:
            os.replace(temporary, entry)
        except OSError:
            if not entry.is_dir():
                raise
            # Another process stored the same entry meanwhile: keep theirs.
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def run(name: str, settings: Settings | None = None, *, verbose: int = 0) -> Result:
    """Train network ``name`` with ``settings``, or load the cached result.

    Parameters
    ----------
    name : str
        One of :data:`imagerec.models.MODEL_NAMES` or
        :data:`imagerec.models.EXERCISE_NAMES`.
    settings : Settings, optional
        Default :func:`settings` (from ``IMAGEREC_QUICK``).
    verbose : int, default 0
        Keras's verbosity while training (1: progress bar).

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

    Settings must be a :class:`Settings`:

    >>> run("A", {"epochs": 1})
    Traceback (most recent call last):
    ...
    TypeError: settings must be an imagerec.experiments.Settings, got dict
    """
    settings = _check_settings(settings)
    if name in SEEDED_NETWORKS:
        return run_seeds(name, settings, verbose=verbose)[settings.seed]
    model = models.build(name, seed=settings.seed)
    history, meta, from_cache = _train_or_load(name, name, model, settings, verbose)
    return Result(name, model, history, meta["test"], float(meta["seconds"]), meta["device"], from_cache)


def run_seeds(name: str, settings: Settings | None = None, *, verbose: int = 0) -> dict[int, Result]:
    """Train network ``name`` with :data:`SEED_COUNT` seeds at once, or load the cached runs.

    The copies are trained side by side in one Keras model (:func:`imagerec.seeds.stack`)
    on the same batches: the copy of ``settings.seed`` is exactly the network :func:`run`
    would train alone (for the networks of :data:`SEEDED_NETWORKS`, :func:`run` returns
    it), the others differ in their initial weights and dropout masks.

    Parameters
    ----------
    name : str
        A network :func:`imagerec.models.build` knows.
    settings : Settings, optional
        Default :func:`settings`; the seeds are ``settings.seed`` and the next
        ``SEED_COUNT - 1`` integers.
    verbose : int, default 0
        Keras's verbosity while training.

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

    Settings must be a :class:`Settings`:

    >>> run_seeds("B", {"epochs": 1})
    Traceback (most recent call last):
    ...
    TypeError: settings must be an imagerec.experiments.Settings, got dict
    """
    settings = _check_settings(settings)
    seed_list = tuple(range(settings.seed, settings.seed + SEED_COUNT))
    model = seeds.stack(name, seed_list)
    history, meta, from_cache = _train_or_load(name, f"{name}-seeds", model, settings, verbose)
    histories = seeds.split_history(history, seed_list)
    return {
        seed: Result(name, copy, histories[seed], meta["tests"][str(seed)], float(meta["seconds"]),
                     meta["device"], from_cache)
        for seed, copy in zip(seed_list, seeds.copies(model))
    }


def _test_scores(name: str, model, x_test, y_test) -> dict:
    """``{"test": ...}`` for meta.json; a stack of seeds adds ``"tests"``, one per copy."""
    y_test = training.targets(name, y_test)
    if len(model.outputs) == 1:
        return {"test": training.evaluate(model, x_test, y_test)}
    tests = {network.name.removeprefix("seed_"): training.evaluate(network, x_test, y_test)
             for network in seeds.copies(model)}
    return {"test": next(iter(tests.values())), "tests": tests}


def _train_or_load(name: str, label: str, model, settings: Settings, verbose: int):
    """Train ``model`` (network ``name``, cached as ``label``) or load it: (history, meta, from_cache)."""
    (x_train, y_train), (x_test, y_test) = dataset(name, settings)
    key = _cache_key(label, model, settings, (x_train, y_train, x_test, y_test))
    entry = _entry_path(label, key)
    if entry.exists():
        loaded = _load_entry(entry, key, settings, model)
        if loaded is not None:
            history, meta = loaded
            return history, meta, True
    start = time.perf_counter()
    history = training.train(
        model,
        x_train,
        training.targets(name, y_train),
        epochs=settings.epochs,
        batch_size=settings.batch_size,
        validation_split=settings.validation_split,
        seed=settings.seed,
        verbose=verbose,
    )
    seconds = time.perf_counter() - start
    meta = {
        "format": CACHE_FORMAT,
        "name": label,
        "key": key,
        "settings": dataclasses.asdict(settings),
        "seconds": seconds,
        "device": device_name(),
        **_test_scores(name, model, x_test, y_test),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
    }
    try:
        _store_entry(entry, model, history, meta)
    except OSError as error:  # e.g. a read-only or full disk: the result is still good
        logger.warning("Could not store the training of %s in the cache %s (%s).", label, entry.parent, error)
    return history, meta, False


def cache_entries() -> list[dict]:
    """The runs stored in the cache, for tables.

    Returns
    -------
    list of dict
        One dict per readable entry, in the order of
        :data:`imagerec.models.MODEL_NAMES` and
        :data:`imagerec.models.EXERCISE_NAMES`, then by creation time: ``name``,
        ``key``, ``quick``, ``epochs``, ``train_size``, ``test_size``, ``seconds``,
        ``device``, ``accuracy``, ``loss``, ``created``, ``path``.

    Examples
    --------
    >>> from unittest import mock
    >>> with tempfile.TemporaryDirectory() as empty:
    ...     with mock.patch.dict(os.environ, {"IMAGEREC_CACHE_DIR": empty}):
    ...         cache_entries()
    []
    """
    root = cache_dir()
    entries = []
    for meta_path in sorted(root.glob(f"*/{META_FILE}")) if root.is_dir() else []:
        if meta_path.parent.name.startswith("."):
            continue
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            settings = meta["settings"]
            entries.append({
                "name": meta["name"],
                "key": meta["key"],
                "quick": settings["quick"],
                "epochs": settings["epochs"],
                "train_size": settings["train_size"],
                "test_size": settings["test_size"],
                "seconds": meta["seconds"],
                "device": meta["device"],
                "accuracy": meta["test"]["accuracy"],
                "loss": meta["test"]["loss"],
                "created": meta["created"],
                "path": str(meta_path.parent),
            })
        except (OSError, ValueError, KeyError, TypeError):
            continue
    order = {name: i for i, name in enumerate(models.MODEL_NAMES + models.EXERCISE_NAMES)}
    return sorted(entries, key=lambda e: (order.get(e["name"], len(order)), e["created"]))
