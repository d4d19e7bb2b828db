"""The book's data: the MNIST digits and the course photo, found locally or downloaded.

Both files are listed in :data:`REGISTRY` (where each comes from and the SHA-256 of the
original), from which one module-level :func:`pooch.create` registry, :data:`FILES`, is
made, as scikit-image's ``skimage/data/_fetchers.py`` does. :func:`fetch` finds a file in
this order:

1. the folder named by the environment variable ``IMAGEREC_DATA_DIR`` (offline builds
   and CI put the files there); when the variable is set, the file *must* be there:
   nothing is downloaded behind your back;
2. the user cache (``$IMAGEREC_CACHE_DIR``, else ``~/.cache/imagerec`` on Linux, then
   ``data/``), where :mod:`pooch` keeps what it downloaded and checks it against its
   hash each time;
3. a download by :mod:`pooch`, with a timeout (:data:`TIMEOUT`): the file is written
   under a temporary name and kept only when its hash matches.

Pooch checks its own copies; a copy in ``IMAGEREC_DATA_DIR`` is checked by content: the
photo by its hash, MNIST by its arrays (keys, shapes, dtypes, labels), since a copy
written by NumPy is a good MNIST whose file hash differs from Keras's. A damaged file
raises :class:`DataFileError` (a :class:`ValueError`), a failed download
:class:`DownloadError` (an :class:`OSError`); both messages say what to do.

CIFAR-10, for an exercise of Lesson 2, comes from :func:`keras.datasets.cifar10.load_data`,
through :func:`load_cifar10` and :func:`cifar10_available`.

Examples
--------
>>> sorted(REGISTRY)
['cats.jpg', 'mnist.npz']
>>> fetch("../mnist.npz")
Traceback (most recent call last):
...
ValueError: unknown data file '../mnist.npz': choose one of 'mnist.npz', 'cats.jpg'
"""

from __future__ import annotations

import functools
import os
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pooch

from imagerec import _checks

__all__ = [
    "DataFileError",
    "DownloadError",
    "FILES",
    "REGISTRY",
    "TIMEOUT",
    "cache_base",
    "cifar10_available",
    "fetch",
    "filter_classes",
    "load_cifar10",
    "load_image",
    "load_mnist",
]

DATA_DIR_ENV = "IMAGEREC_DATA_DIR"
CACHE_DIR_ENV = "IMAGEREC_CACHE_DIR"

REGISTRY = {
    "mnist.npz": (
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
        "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    ),
    "cats.jpg": (
        # the course repository at the commit that added the photo, so that it cannot change
        "https://raw.githubusercontent.com/kupav/data-sc-intro/"
        "cf521d9da6382f4a44082c9fddf5bbad4aa416aa/data/cats.jpg",
        "674ae84a7a736475bfd28062b8e90b1482329fa5483d14d29b16af60cdaf6526",
    ),
}
"""The data files: name -> (URL, SHA-256 of the original). MNIST's is Keras's file."""

TIMEOUT = (5, 60)
"""Download timeout in seconds: (to connect, between two pieces of the answer)."""

MNIST_SHAPES = {"x_train": (60000, 28, 28), "y_train": (60000,), "x_test": (10000, 28, 28), "y_test": (10000,)}


class DataFileError(ValueError):
    """A data file exists but its content is not what it should be."""


class DownloadError(OSError):
    """A download failed: no connection, a timeout, an HTTP error or a wrong hash."""


def cache_base() -> Path:
    """The folder of imagerec's caches: ``$IMAGEREC_CACHE_DIR``, else the user cache.

    The user cache is :func:`pooch.os_cache` (``~/.cache/imagerec`` on Linux).
    Downloaded data goes to its ``data/`` folder, trained networks to ``training/``
    (:func:`imagerec.book.cache.directory`).

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"IMAGEREC_CACHE_DIR": "/tmp/ir"}):
    ...     cache_base().as_posix()
    '/tmp/ir'
    """
    value = os.environ.get(CACHE_DIR_ENV, "").strip()
    return Path(value).expanduser() if value else Path(pooch.os_cache("imagerec"))


FILES = pooch.create(
    path=cache_base() / "data",
    base_url="",
    registry={name: f"sha256:{sha256}" for name, (_, sha256) in REGISTRY.items()},
    urls={name: url for name, (url, _) in REGISTRY.items()},
)
"""The :class:`pooch.Pooch` that downloads the files into the user cache and checks their hashes.

:meta hide-value:
"""

_DOWNLOADER = pooch.HTTPDownloader(timeout=TIMEOUT)


def _data_dir() -> Path | None:
    """The folder of ``IMAGEREC_DATA_DIR``, or None when the variable is unset or empty."""
    value = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(value).expanduser() if value else None


def fetch(name: str) -> Path:
    """The path of data file ``name``: the offline copy, else the cache, else downloaded.

    Parameters
    ----------
    name : str
        One of :data:`REGISTRY`; anything else (a path, a URL) is refused.

    Returns
    -------
    pathlib.Path
        ``$IMAGEREC_DATA_DIR/<name>`` when the variable is set (a photo must then have
        its registered hash; MNIST's arrays are checked by :func:`load_mnist`); else
        :data:`FILES`' copy in the user cache, downloaded first when it is missing or
        does not match its hash.

    Raises
    ------
    FileNotFoundError
        ``IMAGEREC_DATA_DIR`` is set but does not hold the file.
    DataFileError
        The photo in ``IMAGEREC_DATA_DIR`` is not the original file.
    DownloadError
        The download failed or did not match the hash; no file is left behind.

    Examples
    --------
    >>> fetch("cats.jpg").name
    'cats.jpg'
    """
    _checks.one_of(name, tuple(REGISTRY), "data file")
    url = FILES.get_url(name)
    data_dir = _data_dir()
    if data_dir is not None:
        path = data_dir / name
        if not path.is_file():
            raise FileNotFoundError(
                f"{DATA_DIR_ENV}={str(data_dir)!r} holds no {name}: expected {path}. "
                f"Put {name} there, or unset {DATA_DIR_ENV} to download it ({url})."
            )
        # MNIST may be any good copy (its arrays are checked when read); the photo must be the original.
        if name != "mnist.npz" and f"sha256:{pooch.file_hash(str(path))}" != FILES.registry[name]:
            raise DataFileError(f"{path} is not the original {name} (its SHA-256 differs): replace it with {url}.")
        return path
    FILES.path = cache_base() / "data"  # IMAGEREC_CACHE_DIR as it is now, as for the training cache
    try:
        return Path(FILES.fetch(name, downloader=_DOWNLOADER))
    except (OSError, ValueError) as error:  # requests' errors are OSErrors, a wrong hash a ValueError
        raise DownloadError(
            f"{name} is not on this machine and could not be downloaded from {url} ({error}). "
            f"Set {DATA_DIR_ENV} to a folder holding {name}, or check the network connection and try again."
        ) from error


def load_mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load the MNIST digits, from disk or downloaded once (see :func:`fetch`).

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        ``uint8`` arrays of shapes (60000, 28, 28), (60000,), (10000, 28, 28),
        (10000,). They are cached in memory and **read-only**: use
        ``x_train / 255`` or ``np.array(x_train)`` to get an array you may change.

    Raises
    ------
    FileNotFoundError, DownloadError
        See :func:`fetch`.
    DataFileError
        The file is damaged or is not MNIST (wrong keys, shapes, dtypes, labels).

    Examples
    --------
    >>> (x_train, y_train), (x_test, y_test) = load_mnist()
    >>> x_train.shape, y_train[:5]
    ((60000, 28, 28), array([5, 0, 4, 1, 9], dtype=uint8))
    """
    path = fetch("mnist.npz")
    return _read_mnist(str(path.resolve()), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=2)
def _read_mnist(path: str, mtime_ns: int) -> tuple:
    """Read and check MNIST once per file and modification time; the arrays are read-only."""
    advice = f"Replace it with a good copy of Keras's mnist.npz ({FILES.get_url('mnist.npz')})."
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as error:
        raise DataFileError(f"{path} could not be read as an .npz file ({error}). {advice}") from error
    for key, shape in MNIST_SHAPES.items():
        array = arrays.get(key)
        if array is None or array.dtype != np.uint8 or array.shape != shape or (key[0] == "y" and array.max() > 9):
            got = "no such array" if array is None else f"{array.dtype} {array.shape}, max {array.max(initial=0)}"
            raise DataFileError(
                f"{path} is not MNIST: {key} must be a uint8 array of shape {shape}"
                f"{' holding labels 0..9' if key[0] == 'y' else ''}, got {got}. {advice}"
            )
        array.flags.writeable = False
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def filter_classes(x: np.ndarray, y: np.ndarray, classes=(0, 1)) -> tuple[np.ndarray, np.ndarray]:
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
        New arrays with the kept examples, in their original order (and dtypes).

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
    ValueError: x must hold one example per label of the 1-D array y (x[i] has label y[i]): got shapes (6, 2) and (5,)
    """
    x, y = np.asarray(x), np.asarray(y)
    if y.ndim != 1 or x.shape[:1] != y.shape:
        raise ValueError(f"x must hold one example per label of the 1-D array y (x[i] has label y[i]): "
                         f"got shapes {x.shape} and {y.shape}")
    if np.size(classes) == 0:
        raise ValueError("classes must name at least one label to keep, got none")
    keep = np.isin(y, classes)
    return x[keep], y[keep]


def load_image(name: str = "cats.jpg") -> np.ndarray:
    """Load one of the course's photos as a ``uint8`` array of shape (H, W, 3).

    The file comes from :func:`fetch`, which checks that it has the SHA-256 listed in
    :data:`REGISTRY`, wherever it comes from.

    Parameters
    ----------
    name : str, default "cats.jpg"
        A photo of :data:`REGISTRY`.

    Returns
    -------
    numpy.ndarray
        A new ``uint8`` array of shape (H, W, 3) (RGB).

    Raises
    ------
    ValueError
        ``name`` is not a photo of the registry.
    FileNotFoundError, DownloadError
        See :func:`fetch`.
    DataFileError
        The copy in ``IMAGEREC_DATA_DIR`` is not the original file.

    Examples
    --------
    >>> image = load_image()
    >>> image.shape, image.dtype
    ((202, 300, 3), dtype('uint8'))
    """
    from PIL import Image

    _checks.one_of(name, [key for key in REGISTRY if key.endswith(".jpg")], "photo")
    with Image.open(fetch(name)) as image:
        return np.array(image.convert("RGB"), dtype=np.uint8)


def _cifar10_archive() -> Path:
    """Where :func:`keras.datasets.cifar10.load_data` keeps its download (Keras 3)."""
    home = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")
    home = home if os.access(home, os.W_OK) else Path("/tmp/.keras")  # as Keras does
    return home / "datasets" / "cifar-10-batches-py-target_archive"


def cifar10_available() -> bool:
    """Whether Keras's copy of CIFAR-10 is on disk, so that :func:`load_cifar10` needs no network.

    Looks only for the file Keras downloads (``$KERAS_HOME``, or ``~/.keras``, then
    ``datasets/cifar-10-batches-py-target_archive``); it reads nothing and never
    touches the network.

    Examples
    --------
    >>> import tempfile
    >>> from unittest import mock
    >>> with tempfile.TemporaryDirectory() as empty:
    ...     with mock.patch.dict(os.environ, {"KERAS_HOME": empty}):
    ...         cifar10_available()
    False
    """
    return _cifar10_archive().is_file()


def load_cifar10() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load CIFAR-10 with Keras: 50,000 training and 10,000 test colour photos of 32x32 pixels.

    :func:`keras.datasets.cifar10.load_data` reads Keras's copy, or downloads it (about
    170 MB) when it is missing, but never while ``IMAGEREC_DATA_DIR`` is set (an
    offline build).

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        ``uint8`` images of shape (n, 32, 32, 3) and ``uint8`` labels 0..9 of shape
        (n,) (Keras returns a column (n, 1)).

    Raises
    ------
    FileNotFoundError
        Keras has no copy and ``IMAGEREC_DATA_DIR`` is set.
    DownloadError
        Keras has no copy and could not download it.

    Examples
    --------
    >>> (x_train, y_train), (x_test, y_test) = load_cifar10()  # doctest: +SKIP
    >>> x_train.shape, y_train[:3]  # doctest: +SKIP
    ((50000, 32, 32, 3), array([6, 9, 9], dtype=uint8))

    An offline build without Keras's copy fails at once:

    >>> import tempfile
    >>> from unittest import mock
    >>> with tempfile.TemporaryDirectory() as empty:
    ...     with mock.patch.dict(os.environ, {"KERAS_HOME": empty, "IMAGEREC_DATA_DIR": empty}):
    ...         load_cifar10()
    Traceback (most recent call last):
    ...
    FileNotFoundError: CIFAR-10 is not in Keras's cache (...), and IMAGEREC_DATA_DIR is set, so nothing is downloaded...
    """
    if not cifar10_available() and _data_dir() is not None:
        raise FileNotFoundError(
            f"CIFAR-10 is not in Keras's cache ({_cifar10_archive()}), and {DATA_DIR_ENV} is set, so "
            f"nothing is downloaded. Unset {DATA_DIR_ENV} to let Keras download it (about 170 MB)."
        )
    import keras

    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
    except Exception as error:  # Keras raises plain Exceptions for failed downloads
        raise DownloadError(
            f"Keras could not download CIFAR-10 ({error}); check the network connection and try again, "
            f"or copy Keras's file to {_cifar10_archive()}."
        ) from error
    return (x_train, y_train.reshape(-1)), (x_test, y_test.reshape(-1))
