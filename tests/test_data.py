"""Tests of imagerec.data: the promises the package makes about MNIST and the photo.

Local copies are checked by content, IMAGEREC_DATA_DIR is never bypassed, only known file
names are accepted, and a download that fails or does not match its hash leaves no file.
Downloads come from a real HTTP server on 127.0.0.1 started here; "no network" is a
closed local port. (How pooch streams, retries and renames is pooch's business.)
Tests that need the real files read them from IMAGEREC_DATA_DIR.
"""

from __future__ import annotations

import hashlib
import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from imagerec import data

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def files_in(folder: Path) -> list[str]:
    """Every file under ``folder``, hidden temporary ones included."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def jpeg_bytes(seed: int = 0, size: int = 16) -> bytes:
    """A small valid JPEG of noise."""
    pixels = np.random.default_rng(seed).integers(0, 256, (size, size, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG")
    return buffer.getvalue()


class Handler(BaseHTTPRequestHandler):
    """Answers GET /<name> with ``server.files[name]``: bytes, or an HTTP status code."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.hits.append(self.path)
        body = self.server.files.get(self.path.strip("/"), 404)
        if isinstance(body, int):
            self.send_error(body)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def _server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def machine(tmp_path, monkeypatch):
    """An empty machine: no IMAGEREC_DATA_DIR, an empty cache; returns the data cache folder."""
    monkeypatch.delenv("IMAGEREC_DATA_DIR", raising=False)
    monkeypatch.setenv("IMAGEREC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    return tmp_path / "cache" / "data"


@pytest.fixture
def serve(_server, machine, monkeypatch):
    """``serve(name, body, sha256=...)``: the pooch registry's entry for ``name`` points at the local server."""
    _server.files, _server.hits = {}, []

    def serve(name, body, sha256=None):
        _server.files[name] = body
        url = f"http://127.0.0.1:{_server.server_address[1]}/{name}"
        register(monkeypatch, name, url, sha256)
        return url

    serve.hits = _server.hits
    return serve


def register(monkeypatch, name, url, sha256=None):
    """Point :data:`imagerec.data.FILES`' entry for ``name`` at ``url`` (and ``sha256``), for this test."""
    monkeypatch.setitem(data.FILES.urls, name, url)
    if sha256:
        monkeypatch.setitem(data.FILES.registry, name, f"sha256:{sha256}")


@pytest.fixture
def own_data_dir(machine, tmp_path, monkeypatch):
    """An empty folder named by IMAGEREC_DATA_DIR."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("IMAGEREC_DATA_DIR", str(folder))
    return folder


# --- the real data -------------------------------------------------------------------------


def test_load_mnist_real_data(data_dir):
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    assert (x_train.shape, y_train.shape, x_test.shape, y_test.shape) == (
        (60000, 28, 28), (60000,), (10000, 28, 28), (10000,)
    )
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}
    assert np.bincount(y_train, minlength=10).tolist() == TRAIN_COUNTS
    assert np.bincount(y_test, minlength=10).tolist() == TEST_COUNTS
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert x_train.mean() == pytest.approx(33.32, abs=0.01)


def test_load_mnist_is_read_once_and_read_only(data_dir):
    (x_train, _), (_, y_test) = data.load_mnist()
    for array in (x_train, y_test):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 1
    assert data.load_mnist()[0][0] is x_train  # served from memory, not read again


def test_filter_classes_on_mnist(data_dir):
    (x_train, y_train), _ = data.load_mnist()
    x01, y01 = data.filter_classes(x_train, y_train)
    assert x01.shape == (5923 + 6742, 28, 28) and set(np.unique(y01).tolist()) == {0, 1}
    assert x01.dtype == y01.dtype == np.uint8  # as loaded: the training cache's keys depend on it
    np.testing.assert_array_equal(x01[:2], x_train[[1, 3]])  # order kept: labels 5 0 4 1 ...
    x01[0] = 0  # a new array, independent of the cached one
    assert x_train[1].any()


def test_load_image_real_data(data_dir):
    image = data.load_image()
    with Image.open(data_dir / "cats.jpg") as reference:
        np.testing.assert_array_equal(image, np.asarray(reference.convert("RGB")))
    image[:] = 0  # a fresh array each time
    assert data.load_image().any()


# --- IMAGEREC_DATA_DIR: local copies, checked, never bypassed --------------------------------


@pytest.mark.parametrize("name", ["mnist.npz", "cats.jpg"])
def test_data_dir_without_the_file_never_downloads(own_data_dir, serve, name):
    serve(name, b"anything")
    with pytest.raises(FileNotFoundError, match="IMAGEREC_DATA_DIR") as info:
        data.load_mnist() if name == "mnist.npz" else data.load_image(name)
    assert str(own_data_dir / name) in str(info.value)
    assert serve.hits == []


def test_mnist_copy_that_is_not_an_npz(own_data_dir):
    (own_data_dir / "mnist.npz").write_text("<html>not found</html>")
    with pytest.raises(data.DataFileError) as info:
        data.load_mnist()
    assert str(own_data_dir / "mnist.npz") in str(info.value)


def test_mnist_copy_cut_short(own_data_dir, data_dir):
    content = (data_dir / "mnist.npz").read_bytes()
    (own_data_dir / "mnist.npz").write_bytes(content[: len(content) // 2])
    with pytest.raises(data.DataFileError):
        data.load_mnist()


def mnist_arrays(**changes):
    arrays = {key: np.zeros(shape, np.uint8) for key, shape in data.MNIST_SHAPES.items()}
    return {key: value for key, value in (arrays | changes).items() if value is not None}


@pytest.mark.parametrize(
    "arrays, key",
    [
        (mnist_arrays(y_test=None), "y_test"),
        (mnist_arrays(x_train=np.zeros((60000, 28, 28), np.float32)), "x_train"),
        (mnist_arrays(x_test=np.zeros((3, 3, 3), np.uint8)), "x_test"),
        (mnist_arrays(y_train=np.full(60000, 11, np.uint8)), "y_train"),
    ],
    ids=["missing", "dtype", "shape", "labels"],
)
def test_mnist_copy_with_wrong_content(own_data_dir, arrays, key):
    np.savez(own_data_dir / "mnist.npz", **arrays)
    with pytest.raises(data.DataFileError, match=key):
        data.load_mnist()


def test_mnist_copy_checked_by_content_not_by_hash(own_data_dir, data_dir):
    arrays = dict(np.load(data_dir / "mnist.npz"))
    np.savez_compressed(own_data_dir / "mnist.npz", **arrays)  # other bytes, the same arrays
    assert data.load_mnist()[0][1][:3].tolist() == [5, 0, 4]


def test_photo_copy_with_wrong_hash(own_data_dir):
    (own_data_dir / "cats.jpg").write_bytes(jpeg_bytes())
    with pytest.raises(data.DataFileError, match="cats.jpg"):
        data.load_image()
    assert (own_data_dir / "cats.jpg").exists()  # the user's own folder is never touched


# --- only the known file names ---------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["../cats.jpg", "sub/cats.jpg", "sub\\cats.jpg", "/etc/passwd", "..", ".", "",
     "https://example.com/cats.jpg", "C:cats.jpg", " cats.jpg", "dogs.jpg"],
)
def test_only_known_names(own_data_dir, name):
    (own_data_dir / "cats.jpg").write_bytes(b"")
    with pytest.raises(ValueError, match="cats.jpg"):
        data.load_image(name)
    with pytest.raises(ValueError, match="mnist.npz"):
        data.fetch(name)


def test_names_must_be_strings(machine):
    with pytest.raises(TypeError):
        data.load_image(Path("cats.jpg"))


# --- downloads ---------------------------------------------------------------------------------


def test_no_data_and_no_network_fails_fast(machine, monkeypatch, closed_port):
    for name in data.REGISTRY:
        register(monkeypatch, name, f"http://127.0.0.1:{closed_port}/{name}")
    start = time.monotonic()
    for load in (data.load_mnist, data.load_image):
        with pytest.raises(data.DownloadError, match="IMAGEREC_DATA_DIR"):  # the way out
            load()
    assert time.monotonic() - start < 10
    assert not machine.exists() or files_in(machine) == []


def test_download_is_checked_kept_and_then_used_offline(serve, machine, monkeypatch, closed_port):
    content = jpeg_bytes(seed=1)
    serve("cats.jpg", content, sha256(content))
    assert data.load_image().shape == (16, 16, 3)
    assert files_in(machine) == ["cats.jpg"]
    register(monkeypatch, "cats.jpg", f"http://127.0.0.1:{closed_port}/")
    assert data.load_image().shape == (16, 16, 3)
    assert len(serve.hits) == 1


def test_mnist_download(serve, machine, data_dir):
    content = (data_dir / "mnist.npz").read_bytes()  # written by NumPy: not Keras's hash
    serve("mnist.npz", content, sha256(content))
    (_, y_train), _ = data.load_mnist()
    assert y_train[:3].tolist() == [5, 0, 4]
    assert files_in(machine) == ["mnist.npz"]


@pytest.mark.parametrize("body", [jpeg_bytes(seed=2), b"<html>rate limited</html>", 404, 500],
                         ids=["another-photo", "html", "404", "500"])
def test_failed_or_wrong_download_leaves_no_file(serve, machine, body):
    url = serve("cats.jpg", body)
    with pytest.raises(data.DownloadError, match="IMAGEREC_DATA_DIR") as info:
        data.load_image()
    assert url in str(info.value)
    assert files_in(machine) == []


def test_cached_copy_with_wrong_hash_is_downloaded_again(serve, machine):
    machine.mkdir(parents=True)
    (machine / "cats.jpg").write_bytes(jpeg_bytes(seed=3))
    content = jpeg_bytes(seed=4)
    serve("cats.jpg", content, sha256(content))
    data.load_image()
    assert (machine / "cats.jpg").read_bytes() == content


# --- filter_classes ----------------------------------------------------------------------------


def test_filter_classes_small():
    x = np.arange(24).reshape(6, 2, 2)
    y = np.array([3, 0, 1, 3, 2, 1])
    x_sub, y_sub = data.filter_classes(x, y, classes=[1, 3])
    assert y_sub.tolist() == [3, 1, 3, 1] and x_sub[:, 0, 0].tolist() == [0, 8, 12, 20]
    x_none, y_none = data.filter_classes(x, y, classes=(7,))
    assert x_none.shape == (0, 2, 2) and y_none.shape == (0,)


@pytest.mark.parametrize(
    "x, y, classes, message",
    [
        (np.zeros((4, 2)), np.zeros(3), (0, 1), "one example per label"),
        (np.zeros((4, 2)), np.zeros((4, 2)), (0, 1), "1-D"),
        (np.zeros((4, 2)), np.zeros(4), (), "at least one"),
    ],
)
def test_filter_classes_refuses(x, y, classes, message):
    with pytest.raises(ValueError, match=message):
        data.filter_classes(x, y, classes)
