"""The cache of trained networks: keys, entries on disk, and their integrity.

:func:`imagerec.book.experiments.run` trains a network once and stores it here; the next
call with the same inputs loads it instead of training again.

The key is the SHA-256 of everything that changes the result: the model's
configuration and compile settings, the :class:`~imagerec.book.settings.Settings`, a
fingerprint of the training and test arrays, the code of :mod:`imagerec.training`
(without its comments and docstrings), the TensorFlow and Keras versions and the cache
format. Each entry is a folder holding ``model.weights.h5``, ``history.json`` and
``meta.json`` (which records the SHA-256 of the other two). Entries are written into a
temporary folder and renamed into place, so a crash never leaves half an entry; an
entry whose files do not match their recorded hashes is deleted with a warning and the
network is trained again.

Cache folder: ``$IMAGEREC_CACHE_DIR/training``, else ``~/.cache/imagerec/training``.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import inspect
import json
import logging
import math
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from imagerec import data, training
from imagerec.book.settings import Settings
from imagerec.registry import NETWORKS

__all__ = ["FORMAT", "directory", "entries", "has", "key", "load", "store", "strip_docstrings"]

logger = logging.getLogger(__name__)

FORMAT = 1
"""Version of the layout of cache entries; part of every key."""

WEIGHTS, HISTORY, META = "model.weights.h5", "history.json", "meta.json"


def directory() -> Path:
    """Folder of the training cache: ``training/`` in :func:`imagerec.data.cache_base`.

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"IMAGEREC_CACHE_DIR": "/tmp/ir"}):
    ...     directory().as_posix()
    '/tmp/ir/training'
    """
    return data.cache_base() / "training"


def _fingerprint(arrays) -> str:
    """SHA-256 of the arrays' dtypes, shapes and bytes."""
    digest = hashlib.sha256()
    for array in map(np.ascontiguousarray, arrays):
        digest.update(f"{array.dtype.str}{array.shape}".encode())
        digest.update(array.data)
    return digest.hexdigest()


def strip_docstrings(tree: ast.AST) -> list[tuple[int, int]]:
    """Remove every docstring from a parsed module; return the lines they occupied.

    The docstrings of the module and of every class and function are cut out of the
    tree in place (a body that was only a docstring becomes ``pass``). The training
    cache's key hashes the stripped tree; the book's ``package-code`` directive
    (``_ext/package_code.py``) drops the returned lines from the source it shows.

    Returns
    -------
    list of (int, int)
        First and last line (1-based, inclusive) of each docstring removed.

    >>> tree = ast.parse("def f():\\n    'Say one.'\\n    return 1\\n")
    >>> strip_docstrings(tree)
    [(2, 2)]
    >>> ast.unparse(tree)
    'def f():\\n    return 1'
    """
    removed = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and (
            ast.get_docstring(node, clean=False) is not None
        ):
            removed.append((node.body[0].lineno, node.body[0].end_lineno))
            node.body = node.body[1:] or [ast.Pass()]
    return removed


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
    strip_docstrings(tree)
    return hashlib.sha256(ast.dump(tree).encode()).hexdigest()


def key(name: str, model, config: Settings, arrays) -> str:
    """SHA-256 of a canonical JSON of everything that changes a run's result.

    Parameters
    ----------
    name : str
        The network.
    model : keras.Model
        The network as built, before training.
    config : Settings
        The settings it is trained with.
    arrays : sequence of numpy.ndarray
        Its training and test data: ``(x_train, y_train, x_test, y_test)``.
    """
    description = {
        "format": FORMAT,
        "name": name,
        "model": model.get_config(),
        "compile": model.get_compile_config(),
        "settings": dataclasses.asdict(config),
        "data": _fingerprint(arrays),
        "training_code": _code_fingerprint(inspect.getsource(training)),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
    }
    canonical = json.dumps(description, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _sha256(path: Path) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def has(name: str, key: str) -> bool:
    """Whether there is an entry for ``key`` (:func:`load` checks it when it reads it)."""
    return (directory() / f"{name}-{key}").is_dir()


def load(name: str, key: str, model, epochs: int) -> tuple[dict, dict] | None:
    """Load the entry of ``key`` into ``model``; return (history, meta), or None.

    None when there is no entry, or when it is damaged (unreadable, truncated,
    tampered with, of another layout): then it is deleted, with a warning.
    """
    entry = directory() / f"{name}-{key}"
    if not entry.is_dir():
        return None
    try:
        meta = _read_json(entry / META)
        if meta.get("format") != FORMAT or meta.get("key") != key:
            raise ValueError("meta.json belongs to another key or cache format")
        if set(meta["files"]) != {WEIGHTS, HISTORY}:
            raise ValueError("meta.json does not list the entry's files")
        for file, digest in meta["files"].items():
            if _sha256(entry / file) != digest:
                raise ValueError(f"{file} does not match the SHA-256 recorded in meta.json")
        history = _read_json(entry / HISTORY)
        if "loss" not in history or not any("accuracy" in k for k in history) or not all(
            len(values) == epochs and all(isinstance(v, float) and math.isfinite(v) for v in values)
            for values in history.values()
        ):
            raise ValueError(f"history.json does not hold {epochs} finite losses and accuracies")
        meta["test"] = {k: float(meta["test"][k]) for k in ("loss", "accuracy")}
        # The file holds the optimizer's state too: build it to receive that state.
        model.optimizer.build(model.trainable_variables)
        model.load_weights(entry / WEIGHTS)
    except Exception as error:  # any damage at all: train again
        logger.warning("Damaged training cache entry %s (%s): deleting it and training again.", entry, error)
        shutil.rmtree(entry, ignore_errors=True)
        return None
    return history, meta


def _write_json(path: Path, value) -> None:
    path.write_text(json.dumps(value, indent=1, allow_nan=False) + "\n", encoding="utf-8")


def store(name: str, key: str, model, history: dict, config: Settings, **facts) -> None:
    """Store a trained network as the entry of ``key``, atomically.

    ``meta.json`` records the settings, the time, the versions and the ``facts`` the
    caller knows: the training's ``seconds`` and ``device`` and the ``test`` scores
    (``{"loss": ..., "accuracy": ...}``), which :func:`load` and :func:`entries` read.
    A cache that cannot be written (a read-only or full disk) only logs a warning: the
    caller's result is still good.
    """
    entry = directory() / f"{name}-{key}"
    meta = {
        "format": FORMAT, "name": name, "key": key, "settings": dataclasses.asdict(config), **facts,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "tensorflow": tf.__version__, "keras": keras.__version__,
    }
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=f".{entry.name}.", dir=entry.parent))
    except OSError as error:
        logger.warning("Could not store the training of %s in the cache %s (%s).", name, entry.parent, error)
        return
    try:
        model.save_weights(temporary / WEIGHTS)
        _write_json(temporary / HISTORY, history)
        files = {file: _sha256(temporary / file) for file in (WEIGHTS, HISTORY)}
        _write_json(temporary / META, {**meta, "files": files})
        os.replace(temporary, entry)
    except OSError as error:  # another process stored the same entry meanwhile, or a full disk
        if not entry.is_dir():
            logger.warning("Could not store the training of %s in the cache %s (%s).", name, entry.parent, error)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def entries() -> list[dict]:
    """The runs stored in the cache, for tables.

    Returns
    -------
    list of dict
        One dict per readable entry, in the order of
        :data:`imagerec.registry.NETWORKS`, then by creation time: ``name``, ``key``,
        ``quick``, ``epochs``, ``train_size``, ``test_size``, ``seconds``,
        ``device``, ``onednn`` (whether TensorFlow's oneDNN kernels trained it),
        ``accuracy``, ``loss``, ``created``, ``path``.

    Examples
    --------
    >>> from unittest import mock
    >>> with tempfile.TemporaryDirectory() as empty:
    ...     with mock.patch.dict(os.environ, {"IMAGEREC_CACHE_DIR": empty}):
    ...         entries()
    []
    """
    rows = []
    for path in directory().glob(f"[!.]*/{META}"):
        try:
            meta = _read_json(path)
            rows.append({
                **{k: meta[k] for k in ("name", "key", "seconds", "device", "created")},
                "onednn": meta.get("onednn"),  # None: an entry from before the build chose
                **{k: meta["settings"][k] for k in ("quick", "epochs", "train_size", "test_size")},
                **{k: meta["test"][k] for k in ("accuracy", "loss")},
                "path": str(path.parent),
            })
        except (OSError, ValueError, KeyError, TypeError):
            continue
    order = {name: i for i, name in enumerate(NETWORKS)}
    return sorted(rows, key=lambda row: (order.get(row["name"], len(order)), row["created"]))
