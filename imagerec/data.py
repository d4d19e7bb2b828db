"""The book's data: the MNIST digits and the course photo, found locally or downloaded.

Both loaders look in the same places, in this order:

1. the folder named by the environment variable ``IMAGEREC_DATA_DIR`` (offline
   builds and CI put the files there); when the variable is set, the file *must*
   be there: the loaders never fall back to the network behind your back;
2. a cache on disk: Keras's (``$KERAS_HOME`` or ``~/.keras``, then ``datasets/``)
   for MNIST, ``$IMAGEREC_CACHE_DIR`` or ``~/.cache/imagerec`` (then ``images/``)
   for photos;
3. the internet, with :mod:`requests`, a timeout (:data:`TIMEOUT`) and a sha256
   check; the file is written under a temporary name and renamed into the cache
   only once it is complete and verified.

CIFAR-10, for an exercise of Lesson 2, is read by :func:`load_cifar10` from the
folder of Python pickle batches (``cifar-10-batches-py``) in ``IMAGEREC_DATA_DIR`` or
in Keras's cache, and only downloaded (by Keras) when ``IMAGEREC_DATA_DIR`` is unset
and the server answers; :func:`cifar10_available` says whether a copy is on disk.

MNIST copies are checked by content (keys, shapes, dtypes, labels), because a copy
written by NumPy is a valid MNIST whose file hash differs from Keras's. Photos are
checked by hash wherever they come from. Nothing here imports TensorFlow.

Problems with a file on disk raise :class:`DataFileError` (a :class:`ValueError`);
problems while downloading raise :class:`DownloadError` (an :class:`OSError`).
Both messages name the file or URL and say what to do.

Examples
--------
>>> sorted(IMAGE_SHA256)
['cats.jpg']
>>> issubclass(DownloadError, OSError), issubclass(DataFileError, ValueError)
(True, True)
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import pickle
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "CIFAR10_CLASSES",
    "CIFAR10_URL",
    "DataError",
    "DataFileError",
    "DownloadError",
    "IMAGE_BASE_URL",
    "IMAGE_SHA256",
    "MNIST_SHA256",
    "MNIST_URL",
    "TIMEOUT",
    "cache_base",
    "cifar10_available",
    "filter_classes",
    "load_cifar10",
    "load_image",
    "load_mnist",
]

logger = logging.getLogger(__name__)

DATA_DIR_ENV = "IMAGEREC_DATA_DIR"
"""Environment variable naming a folder that holds ``mnist.npz`` and the photos."""

CACHE_DIR_ENV = "IMAGEREC_CACHE_DIR"
"""Environment variable naming the project's cache (default ``~/.cache/imagerec``)."""

MNIST_FILE = "mnist.npz"
MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
"""Keras's origin for MNIST (the file :func:`keras.datasets.mnist.load_data` downloads)."""

MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
"""sha256 of the file at :data:`MNIST_URL` (downloads only; local copies are checked by content)."""

MNIST_SHAPES = {
    "x_train": (60000, 28, 28),
    "y_train": (60000,),
    "x_test": (10000, 28, 28),
    "y_test": (10000,),
}
"""The arrays of ``mnist.npz``, all ``uint8``; labels lie in 0..9."""

IMAGE_BASE_URL = "https://raw.githubusercontent.com/kupav/data-sc-intro/main/data/"
"""Where the course's photos are downloaded from (name appended)."""

IMAGE_SHA256 = {
    "cats.jpg": "674ae84a7a736475bfd28062b8e90b1482329fa5483d14d29b16af60cdaf6526",
}
"""The photos :func:`load_image` knows, with the sha256 of their files."""

TIMEOUT = (5, 60)
"""``requests`` timeout in seconds: (to connect, between two pieces of the answer)."""

_CHUNK = 1 << 16


class DataError(Exception):
    """Base class of this module's errors: data that is missing, damaged or unreachable.

    Examples
    --------
    >>> isinstance(DataFileError("bad file"), DataError)
    True
    """


class DataFileError(DataError, ValueError):
    """A data file exists but its content is not what it should be.

    Examples
    --------
    >>> raise DataFileError("mnist.npz: not a zip archive")
    Traceback (most recent call last):
    ...
    imagerec.data.DataFileError: mnist.npz: not a zip archive
    """


class DownloadError(DataError, OSError):
    """A download failed: no connection, a timeout, an HTTP error or wrong content.

    Examples
    --------
    >>> isinstance(DownloadError("no network"), OSError)
    True
    """


# ---------------------------------------------------------------------------
# Where files live
# ---------------------------------------------------------------------------


def _data_dir() -> Path | None:
    """The folder of ``IMAGEREC_DATA_DIR``, or None when the variable is unset or empty."""
    value = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(value).expanduser() if value else None


def _keras_home() -> Path:
    """``$KERAS_HOME``, else ``~/.keras``."""
    home = os.environ.get("KERAS_HOME", "").strip()
    return Path(home).expanduser() if home else Path.home() / ".keras"


def _keras_cache_file() -> Path:
    """Where Keras keeps MNIST: ``$KERAS_HOME`` (or ``~/.keras``) ``/datasets/mnist.npz``."""
    return _keras_home() / "datasets" / MNIST_FILE


def cache_base() -> Path:
    """The folder of imagerec's caches: ``$IMAGEREC_CACHE_DIR``, else ``~/.cache/imagerec``.

    Downloaded photos go to its ``images/`` folder, trained networks to ``training/``
    (:func:`imagerec.experiments.cache_dir`).

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"IMAGEREC_CACHE_DIR": "/tmp/ir"}):
    ...     cache_base().as_posix()
    '/tmp/ir'
    """
    value = os.environ.get(CACHE_DIR_ENV, "").strip()
    return Path(value).expanduser() if value else Path.home() / ".cache" / "imagerec"


def _image_cache_dir() -> Path:
    """The folder where downloaded photos are kept."""
    return cache_base() / "images"


def _from_data_dir(data_dir: Path, name: str) -> Path:
    """The path of ``name`` inside ``IMAGEREC_DATA_DIR``, which must exist."""
    path = data_dir / name
    if not path.is_file():
        where = "no such folder" if not data_dir.is_dir() else f"no file {name} in it"
        raise FileNotFoundError(
            f"{DATA_DIR_ENV}={str(data_dir)!r} but {where}: expected {path}. "
            f"Put {name} there, or unset {DATA_DIR_ENV} to use the cache and the download."
        )
    return path


# ---------------------------------------------------------------------------
# Downloading
# ---------------------------------------------------------------------------


def _sha256_file(path: str | os.PathLike[str]) -> str:
    """The sha256 of a file, as hex digits."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fetch(url: str, file: Any) -> str:
    """Stream ``url`` into the open binary ``file``; return the sha256 of what came.

    Every failure becomes a :class:`DownloadError` whose message says what happened
    (the caller adds what to do).
    """
    import requests  # imported here: `import imagerec.data` stays light

    digest = hashlib.sha256()
    try:
        with requests.get(url, stream=True, timeout=TIMEOUT) as response:
            if response.status_code != 200:
                raise DownloadError(
                    f"{url} answered HTTP {response.status_code} {response.reason or ''}".rstrip()
                )
            for chunk in response.iter_content(_CHUNK):
                digest.update(chunk)
                file.write(chunk)
    except requests.Timeout as error:
        raise DownloadError(f"{url} timed out (timeout={TIMEOUT!r} s): {error}") from error
    except requests.RequestException as error:
        raise DownloadError(f"could not download {url}: {error}") from error
    return digest.hexdigest()


def _download(
    url: str,
    dest: Path,
    sha256: str,
    *,
    hint: str,
    check: Callable[[Path], Any] | None = None,
) -> Any:
    """Download ``url`` to ``dest`` atomically, verified by ``sha256`` then by ``check``.

    The bytes go to a temporary file next to ``dest``; it is renamed to ``dest``
    only after the hash matches and ``check(temp_path)`` returned (its result is
    returned). On any failure the temporary file is removed and a
    :class:`DownloadError` ending with ``hint`` is raised.
    """
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    except OSError as error:
        raise DownloadError(f"cannot write the download to {dest.parent}: {error}. {hint}") from error
    tmp = Path(tmp_name)
    try:
        logger.info("downloading %s to %s", url, dest)
        try:
            with os.fdopen(fd, "wb") as file:
                got = _fetch(url, file)
        except DownloadError as error:
            raise DownloadError(f"{error}. {hint}") from error.__cause__
        except OSError as error:  # writing failed: disk full, permissions...
            raise DownloadError(f"could not save {url} to {dest.parent}: {error}. {hint}") from error
        if got != sha256:
            raise DownloadError(
                f"the file downloaded from {url} has sha256 {got}, expected {sha256}; "
                f"it was deleted (the server sent something else, or the transfer was damaged). {hint}"
            )
        result = check(tmp) if check is not None else None
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return result


# ---------------------------------------------------------------------------
# MNIST
# ---------------------------------------------------------------------------


def _check_mnist(arrays: Mapping[str, Any], source: str) -> None:
    """Check that ``arrays`` hold MNIST: keys, dtypes, shapes, labels in 0..9.

    Raises :class:`DataFileError` naming ``source`` and what is wrong.

    Examples
    --------
    >>> fake = {key: np.zeros(shape, np.uint8) for key, shape in MNIST_SHAPES.items()}
    >>> _check_mnist(fake, "fake")
    >>> _check_mnist({"x_train": fake["x_train"]}, "fake")
    Traceback (most recent call last):
    ...
    imagerec.data.DataFileError: fake is not MNIST: missing arrays ['x_test', 'y_test', 'y_train'] ...
    >>> fake["y_test"] = np.full(10000, 10, np.uint8)
    >>> _check_mnist(fake, "fake")
    Traceback (most recent call last):
    ...
    imagerec.data.DataFileError: fake is not MNIST: y_test holds labels outside 0..9 (max 10)...
    """
    advice = (
        f"Replace it with a good copy of Keras's mnist.npz ({MNIST_URL}), "
        f"or point {DATA_DIR_ENV} to a folder holding one."
    )

    def fail(problem: str) -> DataFileError:
        return DataFileError(f"{source} is not MNIST: {problem}. {advice}")

    missing = sorted(set(MNIST_SHAPES) - set(arrays))
    if missing:
        raise fail(f"missing arrays {missing} (it has {sorted(arrays)})")
    for key, shape in MNIST_SHAPES.items():
        array = arrays[key]
        if array.dtype != np.uint8:
            raise fail(f"{key} has dtype {array.dtype}, expected uint8")
        if array.shape != shape:
            raise fail(f"{key} has shape {array.shape}, expected {shape}")
    for key in ("y_train", "y_test"):
        if arrays[key].max() > 9:
            raise fail(f"{key} holds labels outside 0..9 (max {arrays[key].max()})")


def _read_mnist(path: Path) -> dict[str, np.ndarray]:
    """Read the four arrays of an ``.npz`` file; :class:`DataFileError` if it is damaged."""
    advice = (
        f"Delete or replace it with Keras's mnist.npz ({MNIST_URL}), "
        f"or point {DATA_DIR_ENV} to a folder holding a good copy."
    )
    if not zipfile.is_zipfile(path):
        raise DataFileError(
            f"{path} is not an .npz file (not a zip archive): it is damaged or something else. {advice}"
        )
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {key: npz[key] for key in npz.files}
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as error:
        raise DataFileError(f"{path} could not be read as .npz ({error}). {advice}") from error


@functools.lru_cache(maxsize=2)
def _load_mnist_file(path: str, mtime_ns: int, size: int) -> tuple:
    """Read and check MNIST from ``path`` once per (path, modification time, size).

    The arrays are made read-only, since every caller shares them.
    """
    arrays = _read_mnist(Path(path))
    _check_mnist(arrays, path)
    result = []
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        x.flags.writeable = False
        y.flags.writeable = False
        result.append((x, y))
    return tuple(result)


def _load_mnist_path(path: Path) -> tuple:
    stat = path.stat()
    return _load_mnist_file(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


def load_mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load the MNIST digits, from disk or downloaded once.

    Look-up order: ``$IMAGEREC_DATA_DIR/mnist.npz`` (when the variable is set, the
    file must be there); Keras's cache ``$KERAS_HOME/datasets/mnist.npz`` (or
    ``~/.keras/datasets/mnist.npz``); else Keras's origin :data:`MNIST_URL`,
    checked against :data:`MNIST_SHA256` and saved into Keras's cache.

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        ``uint8`` arrays of shapes (60000, 28, 28), (60000,), (10000, 28, 28),
        (10000,). They are cached in memory and **read-only**: use
        ``x_train / 255`` or ``np.array(x_train)`` to get an array you may change.

    Raises
    ------
    FileNotFoundError
        ``IMAGEREC_DATA_DIR`` is set but holds no ``mnist.npz``.
    DataFileError
        A local file is damaged or is not MNIST (wrong keys, shapes, dtypes, labels).
    DownloadError
        Nothing on disk and the download failed (no network: it fails within seconds).

    Examples
    --------
    Typical use (needs the data, so not run here):

    >>> (x_train, y_train), (x_test, y_test) = load_mnist()  # doctest: +SKIP
    >>> x_train.shape, y_train[:5]  # doctest: +SKIP
    ((60000, 28, 28), array([5, 0, 4, 1, 9], dtype=uint8))

    A folder without the file is refused at once:

    >>> import tempfile
    >>> from unittest import mock
    >>> with tempfile.TemporaryDirectory() as empty:
    ...     with mock.patch.dict(os.environ, {"IMAGEREC_DATA_DIR": empty}):
    ...         load_mnist()
    Traceback (most recent call last):
    ...
    FileNotFoundError: IMAGEREC_DATA_DIR='...' but no file mnist.npz in it: ...
    """
    data_dir = _data_dir()
    if data_dir is not None:
        return _load_mnist_path(_from_data_dir(data_dir, MNIST_FILE))
    cached = _keras_cache_file()
    if cached.is_file():
        return _load_mnist_path(cached)
    hint = (
        f"Set {DATA_DIR_ENV} to a folder holding mnist.npz, "
        f"or put Keras's file at {cached}, or check the network connection and try again."
    )
    _download(MNIST_URL, cached, MNIST_SHA256, hint=f"MNIST is not on this machine. {hint}")
    return _load_mnist_path(cached)


def filter_classes(
    x: np.ndarray, y: np.ndarray, classes: Any = (0, 1)
) -> tuple[np.ndarray, np.ndarray]:
    """Keep the examples whose label is one of ``classes``.

    Parameters
    ----------
    x : array of shape (n, ...)
        The examples, e.g. images.
    y : 1-D array of n integer labels
    classes : sequence of ints, default (0, 1)
        The labels to keep (at least one).

    Returns
    -------
    (x_sub, y_sub)
        New arrays with the kept examples, in their original order.

    Examples
    --------
    >>> x = np.arange(12).reshape(6, 2)
    >>> y = np.array([0, 1, 2, 1, 0, 3])
    >>> x_sub, y_sub = filter_classes(x, y)
    >>> y_sub
    array([0, 1, 1, 0])
    >>> x_sub[:, 0]
    array([0, 2, 6, 8])
    >>> filter_classes(x, y, classes=[3])[1]
    array([3])
    >>> filter_classes(x, y[:5])
    Traceback (most recent call last):
    ...
    ValueError: x and y must have as many examples: got 6 and 5...
    """
    x = np.asarray(x)
    y = np.asarray(y)
    classes = np.asarray(classes)
    if y.ndim != 1:
        raise ValueError(f"y must be a 1-D array of labels, got shape {y.shape}; pass y.ravel() if it is a column.")
    if x.ndim == 0:
        raise ValueError("x must be an array of examples (first axis: one entry per label), got a scalar.")
    if x.shape[0] != y.shape[0]:
        raise ValueError(
            f"x and y must have as many examples: got {x.shape[0]} and {y.shape[0]}; "
            "pass matching arrays (x[i] is the example with label y[i])."
        )
    if classes.ndim != 1 or classes.size == 0:
        raise ValueError(f"classes must be a non-empty sequence of labels, got {classes.tolist()!r}.")
    keep = np.isin(y, classes)
    return x[keep], y[keep]


# ---------------------------------------------------------------------------
# Photos
# ---------------------------------------------------------------------------


def _check_name(name: Any) -> str:
    """Refuse anything but a plain file name (no folders, '..', absolute paths or URLs).

    Examples
    --------
    >>> _check_name("cats.jpg")
    'cats.jpg'
    >>> _check_name("../cats.jpg")
    Traceback (most recent call last):
    ...
    ValueError: '../cats.jpg' is not a plain file name...
    """
    if not isinstance(name, str):
        raise TypeError(f"the image name must be a str such as 'cats.jpg', got {type(name).__name__}")
    separators = {"/", "\\", os.sep, os.altsep or "/"}
    plain = (
        name not in {"", ".", ".."}
        and not any(sep in name for sep in separators)
        and ":" not in name
        and "\0" not in name
        and name == name.strip()
    )
    if not plain:
        raise ValueError(
            f"{name!r} is not a plain file name: give just a name such as 'cats.jpg' "
            f"(no folders, '..', absolute paths or URLs). Known images: {sorted(IMAGE_SHA256)}."
        )
    return name


def _image_url(name: str) -> str:
    """The download address of a photo.

    Examples
    --------
    >>> _image_url("cats.jpg")
    'https://raw.githubusercontent.com/kupav/data-sc-intro/main/data/cats.jpg'
    """
    return IMAGE_BASE_URL.rstrip("/") + "/" + name


def _decode_image(path: Path, source: str, error: type[Exception], advice: str) -> np.ndarray:
    """Decode a whole image file with Pillow into a uint8 (H, W, 3) array.

    A file that is not an image, or is cut short, raises ``error`` naming ``source``.
    """
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            image.load()
            array = np.array(image.convert("RGB"), dtype=np.uint8)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as cause:
        raise error(f"{source} is not a complete image ({cause}). {advice}") from cause
    return array


def load_image(name: str = "cats.jpg") -> np.ndarray:
    """Load one of the course's photos as a ``uint8`` array of shape (H, W, 3).

    Look-up order: ``$IMAGEREC_DATA_DIR/<name>`` (when the variable is set, the file
    must be there); the cache ``$IMAGEREC_CACHE_DIR/images`` (or
    ``~/.cache/imagerec/images``); else a download from :data:`IMAGE_BASE_URL`.
    Every copy, wherever it comes from, must have the sha256 listed in
    :data:`IMAGE_SHA256`; a cached copy that does not is deleted and fetched again.

    Parameters
    ----------
    name : str, default "cats.jpg"
        A plain file name, one of :data:`IMAGE_SHA256`.

    Returns
    -------
    numpy.ndarray
        A new ``uint8`` array of shape (H, W, 3) (RGB).

    Raises
    ------
    ValueError
        ``name`` is not a plain file name, or is not a known photo.
    FileNotFoundError
        ``IMAGEREC_DATA_DIR`` is set but does not hold the file.
    DataFileError
        The file in ``IMAGEREC_DATA_DIR`` has the wrong hash or does not decode.
    DownloadError
        The download failed (HTTP error, no connection, timeout, wrong content).

    Examples
    --------
    >>> image = load_image()
    >>> image.shape, image.dtype
    ((202, 300, 3), dtype('uint8'))
    >>> load_image("dogs.jpg")
    Traceback (most recent call last):
    ...
    ValueError: unknown image 'dogs.jpg': known images are ['cats.jpg']
    """
    _check_name(name)
    if name not in IMAGE_SHA256:
        raise ValueError(f"unknown image {name!r}: known images are {sorted(IMAGE_SHA256)}")
    expected = IMAGE_SHA256[name]
    url = _image_url(name)
    data_dir = _data_dir()
    if data_dir is not None:
        return _load_local_image(_from_data_dir(data_dir, name), expected, url)
    cached = _image_cache_dir() / name
    if cached.is_file():
        if _sha256_file(cached) == expected:
            return _decode_image(cached, str(cached), DataFileError, f"Delete {cached} so that it is downloaded again.")
        logger.warning("%s does not have the expected sha256: deleting it and downloading again", cached)
        cached.unlink(missing_ok=True)
    hint = f"Set {DATA_DIR_ENV} to a folder holding {name} (a copy of {url}), or check the network connection and try again."
    return _download(
        url,
        cached,
        expected,
        hint=hint,
        check=lambda tmp: _decode_image(tmp, f"the file downloaded from {url}", DownloadError, hint),
    )


def _load_local_image(path: Path, expected: str, url: str) -> np.ndarray:
    """Decode a photo from ``IMAGEREC_DATA_DIR`` after checking its sha256."""
    advice = f"Replace it with the original file from {url}, or unset {DATA_DIR_ENV} to download it."
    got = _sha256_file(path)
    if got != expected:
        raise DataFileError(f"{path} has sha256 {got}, expected {expected}: it is not the original file. {advice}")
    return _decode_image(path, str(path), DataFileError, advice)


# ---------------------------------------------------------------------------
# CIFAR-10 (exercise of Lesson 2)
# ---------------------------------------------------------------------------

CIFAR10_FOLDER = "cifar-10-batches-py"
"""The folder of the "CIFAR-10 python version": pickled batches of images and labels."""

CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
"""Where Keras downloads CIFAR-10 from (:func:`keras.datasets.cifar10.load_data`)."""

CIFAR10_CLASSES = (
    "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
)
"""The names of CIFAR-10's labels 0..9."""

_CIFAR10_TRAIN = tuple(f"data_batch_{i}" for i in range(1, 6))
_CIFAR10_TEST = "test_batch"

# What a CIFAR-10 batch may ask the unpickler to build: numpy arrays, and the bytes of
# files pickled by Python 3 at protocol 2. Anything else (os.system...) is refused.
_CIFAR10_PICKLE_GLOBALS = frozenset({
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.numeric", "_frombuffer"),
    ("numpy._core.numeric", "_frombuffer"),
    ("_codecs", "encode"),
})


class _BatchUnpickler(pickle.Unpickler):
    """An unpickler that builds numpy arrays and nothing else that runs code."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _CIFAR10_PICKLE_GLOBALS:
            raise pickle.UnpicklingError(f"refusing to load {module}.{name} from a CIFAR-10 batch")
        if module.startswith("numpy.core."):  # files written by NumPy 1; NumPy 2 moved it
            module = "numpy._core." + module.removeprefix("numpy.core.")
        return super().find_class(module, name)


def _cifar10_candidates() -> list[Path]:
    """Folders that may hold the CIFAR-10 batches, in the order they are tried.

    ``$IMAGEREC_DATA_DIR/cifar-10-batches-py``, then Keras's cache: Keras 3 extracts
    into ``datasets/cifar-10-batches-py-target/``, Keras 2 into ``datasets/``; like
    Keras, ``/tmp/.keras`` replaces the Keras home when that is not writable.
    """
    folders = []
    data_dir = _data_dir()
    if data_dir is not None:
        folders.append(data_dir / CIFAR10_FOLDER)
    home = _keras_home()
    datasets = (home if os.access(home, os.W_OK) else Path("/tmp/.keras")) / "datasets"
    folders += [datasets / f"{CIFAR10_FOLDER}-target" / CIFAR10_FOLDER, datasets / CIFAR10_FOLDER]
    return folders


def _find_cifar10() -> Path | None:
    """The first candidate folder that holds all six batch files, or None."""
    for folder in _cifar10_candidates():
        if all((folder / name).is_file() for name in (*_CIFAR10_TRAIN, _CIFAR10_TEST)):
            return folder
    return None


def cifar10_available() -> bool:
    """Whether a copy of CIFAR-10 is on disk, so that :func:`load_cifar10` needs no network.

    Only looks for the six batch files (``data_batch_1`` ... ``data_batch_5``,
    ``test_batch``) in ``$IMAGEREC_DATA_DIR/cifar-10-batches-py`` and in Keras's
    cache; it reads nothing and never touches the network.

    Returns
    -------
    bool

    Examples
    --------
    >>> import tempfile
    >>> from unittest import mock
    >>> with tempfile.TemporaryDirectory() as empty:
    ...     with mock.patch.dict(os.environ, {"IMAGEREC_DATA_DIR": empty, "KERAS_HOME": empty}):
    ...         with mock.patch.object(Path, "home", return_value=Path(empty)):
    ...             cifar10_available()
    False
    """
    return _find_cifar10() is not None


def _read_cifar10_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Images (n, 32, 32, 3) and labels (n,) of one pickled batch, both ``uint8``.

    A batch is a dict with ``b"data"``, a ``uint8`` array of shape (n, 3072) holding
    each image as its red, green and blue 32x32 planes one after the other, and
    ``b"labels"``, a list of n ints in 0..9. Raises :class:`DataFileError` otherwise.
    """
    advice = (
        f"Replace the folder {path.parent} with a fresh copy of the CIFAR-10 python version "
        f"({CIFAR10_URL}, extracted)."
    )
    try:
        with open(path, "rb") as file:
            batch = _BatchUnpickler(file, encoding="bytes").load()
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError) as error:
        raise DataFileError(f"{path} could not be read as a CIFAR-10 batch ({error}). {advice}") from error
    if not isinstance(batch, dict):
        raise DataFileError(f"{path} is not a CIFAR-10 batch: it holds a {type(batch).__name__}, not a dict. {advice}")
    batch = {key.decode() if isinstance(key, bytes) else key: value for key, value in batch.items()}
    if "data" not in batch or "labels" not in batch:
        raise DataFileError(f"{path} is not a CIFAR-10 batch: no 'data' and 'labels' in {sorted(batch)}. {advice}")
    data = batch["data"]
    labels = np.asarray(batch["labels"])
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3 * 32 * 32:
        raise DataFileError(
            f"{path}: 'data' must be a uint8 array of shape (n, 3072), got "
            f"{getattr(data, 'dtype', type(data).__name__)} {getattr(data, 'shape', '')}. {advice}"
        )
    if labels.shape != (len(data),) or labels.dtype.kind not in "iu" or labels.min(initial=0) < 0 or labels.max(initial=0) > 9:
        raise DataFileError(f"{path}: 'labels' must be {len(data)} integers in 0..9. {advice}")
    images = data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)  # channels last, as Keras
    return np.ascontiguousarray(images), labels.astype(np.uint8)


def _read_cifar10(folder: Path) -> tuple:
    """Training batches 1..5 concatenated, and the test batch."""
    parts = [_read_cifar10_batch(folder / name) for name in _CIFAR10_TRAIN]
    x_train = np.concatenate([x for x, _ in parts])
    y_train = np.concatenate([y for _, y in parts])
    return (x_train, y_train), _read_cifar10_batch(folder / _CIFAR10_TEST)


def _download_cifar10() -> tuple:
    """Let Keras download CIFAR-10, after checking within seconds that its server answers."""
    import requests  # imported here: `import imagerec.data` stays light

    hint = (
        f"CIFAR-10 is not on this machine: put the extracted {CIFAR10_FOLDER} folder "
        f"(from {CIFAR10_URL}) into the folder named by {DATA_DIR_ENV}, or check the "
        "network connection and try again."
    )
    try:
        with requests.head(CIFAR10_URL, timeout=TIMEOUT, allow_redirects=True) as response:
            if response.status_code != 200:
                raise DownloadError(f"{CIFAR10_URL} answered HTTP {response.status_code}. {hint}")
    except requests.RequestException as error:
        raise DownloadError(f"{CIFAR10_URL} cannot be reached ({error}). {hint}") from error
    import keras

    logger.info("downloading CIFAR-10 with keras.datasets.cifar10.load_data()")
    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
    except Exception as error:  # Keras raises plain Exceptions for failed fetches
        raise DownloadError(f"Keras could not download CIFAR-10 ({error}). {hint}") from error
    return (x_train, y_train.reshape(-1)), (x_test, y_test.reshape(-1))


def load_cifar10() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load CIFAR-10: 50,000 training and 10,000 test colour photos of 32x32 pixels.

    Look-up order: ``$IMAGEREC_DATA_DIR/cifar-10-batches-py``; Keras's cache
    (``$KERAS_HOME`` or ``~/.keras``, ``datasets/cifar-10-batches-py-target/cifar-10-batches-py``
    as Keras 3 extracts it, or ``datasets/cifar-10-batches-py``); the batches are read
    with NumPy and a restricted unpickler. Only when ``IMAGEREC_DATA_DIR`` is unset,
    nothing is on disk and :data:`CIFAR10_URL` answers within :data:`TIMEOUT`,
    :func:`keras.datasets.cifar10.load_data` downloads it (about 170 MB) into Keras's cache.

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        ``uint8`` images of shape (n, 32, 32, 3) (channels last, as Keras returns
        them) and ``uint8`` labels of shape (n,) in 0..9 (Keras returns a column
        (n, 1); a flat vector works with :func:`imagerec.losses.one_hot`). The
        names of the labels are :data:`CIFAR10_CLASSES`.

    Raises
    ------
    FileNotFoundError
        ``IMAGEREC_DATA_DIR`` is set, and neither it nor Keras's cache holds the
        batches (nothing is downloaded then).
    DataFileError
        A batch on disk is damaged or is not a CIFAR-10 batch.
    DownloadError
        Nothing on disk and the download is impossible (no network: within seconds).

    Examples
    --------
    Needs the data set, so not run here:

    >>> (x_train, y_train), (x_test, y_test) = load_cifar10()  # doctest: +SKIP
    >>> x_train.shape, y_train.shape, CIFAR10_CLASSES[y_train[0]]  # doctest: +SKIP
    ((50000, 32, 32, 3), (50000,), 'frog')

    With an empty ``IMAGEREC_DATA_DIR`` and Keras cache it fails at once:

    >>> import tempfile
    >>> from unittest import mock
    >>> with tempfile.TemporaryDirectory() as empty:
    ...     with mock.patch.dict(os.environ, {"IMAGEREC_DATA_DIR": empty, "KERAS_HOME": empty}):
    ...         with mock.patch.object(Path, "home", return_value=Path(empty)):
    ...             load_cifar10()
    Traceback (most recent call last):
    ...
    FileNotFoundError: CIFAR-10 is not on this machine: ... IMAGEREC_DATA_DIR...
    """
    folder = _find_cifar10()
    if folder is not None:
        return _read_cifar10(folder)
    data_dir = _data_dir()
    if data_dir is not None:
        raise FileNotFoundError(
            f"CIFAR-10 is not on this machine: {DATA_DIR_ENV}={str(data_dir)!r} holds no "
            f"{CIFAR10_FOLDER} folder with data_batch_1..5 and test_batch, and neither does "
            f"Keras's cache ({_keras_home() / 'datasets'}). Extract {CIFAR10_URL} into "
            f"{data_dir}, or unset {DATA_DIR_ENV} to let Keras download it."
        )
    return _download_cifar10()
