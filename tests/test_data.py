"""Tests of imagerec.data: MNIST and the photo, from disk, from the cache, and downloaded.

Downloads are tested against a real HTTP server on 127.0.0.1 started here, which
answers 404, 500, slowly, with a body cut short, with things that are not images...
Tests that need the real files read them from IMAGEREC_DATA_DIR and fail (not skip)
when it is missing.
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
CATS_SHA256 = "674ae84a7a736475bfd28062b8e90b1482329fa5483d14d29b16af60cdaf6526"


# ---------------------------------------------------------------------------
# Fixtures and helpers
# ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def real_data(data_dir) -> Path:
    """The folder with the real mnist.npz and cats.jpg (absolute); fails the test when missing."""
    assert (data_dir / "cats.jpg").is_file(), f"{data_dir} holds no cats.jpg"
    return data_dir


@pytest.fixture
def env(tmp_path, monkeypatch):
    """An empty machine: no IMAGEREC_DATA_DIR, and HOME, KERAS_HOME, IMAGEREC_CACHE_DIR in tmp."""
    paths = {name: tmp_path / name for name in ("home", "keras", "cache")}
    for path in paths.values():
        path.mkdir()
    monkeypatch.delenv("IMAGEREC_DATA_DIR", raising=False)
    monkeypatch.setenv("HOME", str(paths["home"]))
    monkeypatch.setenv("KERAS_HOME", str(paths["keras"]))
    monkeypatch.setenv("IMAGEREC_CACHE_DIR", str(paths["cache"]))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setattr(data, "TIMEOUT", (2, 2))
    paths["images"] = paths["cache"] / "images"
    paths["mnist"] = paths["keras"] / "datasets" / "mnist.npz"
    return paths


def files_in(folder: Path) -> list[str]:
    """Every file under ``folder`` (hidden temporary ones included)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def jpeg_bytes(seed: int = 0, size: int = 64) -> bytes:
    """A small valid JPEG of noise (no data files needed)."""
    pixels = np.random.default_rng(seed).integers(0, 256, (size, size, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


class Handler(BaseHTTPRequestHandler):
    """Answers GET /<mode>/<name> according to ``server.routes[mode]``."""

    def log_message(self, *args):  # keep the test output clean
        pass

    def do_GET(self):
        mode = self.path.strip("/").split("/")[0]
        self.server.hits.append(self.path)
        kind, body = self.server.routes.get(mode, ("status", 404))
        if kind == "status":
            self.send_error(body)
        elif kind == "slow":
            time.sleep(body)
            self._send(b"too late")
        elif kind == "cut":  # promise the whole body, send half of it, hang up
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
        else:
            self._send(body)

    def _send(self, body: bytes):
        try:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up (timeout test)
            pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # no tracebacks from hung-up clients
        pass


@pytest.fixture(scope="module")
def _server():
    server = Server(("127.0.0.1", 0), Handler)
    server.routes, server.hits = {}, []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def http(_server, env):
    """The local server, with no routes yet; ``http.url(mode)`` is a base URL for that mode."""
    _server.routes.clear()
    _server.hits.clear()
    _server.url = lambda mode: f"http://127.0.0.1:{_server.server_address[1]}/{mode}/"
    return _server


def serve_image(http, monkeypatch, kind, body=b"", *, trust=False):
    """Make load_image('cats.jpg') download from the local server; ``trust`` patches the hash to match."""
    http.routes["x"] = (kind, body)
    monkeypatch.setattr(data, "IMAGE_BASE_URL", http.url("x"))
    if trust:
        monkeypatch.setitem(data.IMAGE_SHA256, "cats.jpg", sha256(body))
    return data.IMAGE_BASE_URL + "cats.jpg"


# ---------------------------------------------------------------------------
# MNIST from the real data
# ---------------------------------------------------------------------------


def test_load_mnist_real_data(real_data, monkeypatch):
    monkeypatch.setenv("IMAGEREC_DATA_DIR", str(real_data))
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    assert (x_train.shape, y_train.shape, x_test.shape, y_test.shape) == (
        (60000, 28, 28),
        (60000,),
        (10000, 28, 28),
        (10000,),
    )
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}
    assert np.bincount(y_train, minlength=10).tolist() == TRAIN_COUNTS
    assert np.bincount(y_test, minlength=10).tolist() == TEST_COUNTS
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert x_train.mean() == pytest.approx(33.32, abs=0.01)
    assert x_train.max() == 255 and x_train.min() == 0


def test_load_mnist_is_cached_and_read_only(real_data, monkeypatch):
    monkeypatch.setenv("IMAGEREC_DATA_DIR", str(real_data))
    first = data.load_mnist()
    (x_train, y_train), (x_test, y_test) = first
    for array in (x_train, y_train, x_test, y_test):
        assert not array.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        x_train[0, 0, 0] = 1
    with pytest.raises(ValueError, match="read-only"):
        y_test[0] = 3
    second = data.load_mnist()
    assert second[0][0] is x_train  # served from memory, not read again
    assert (x_train[:10] / 255).dtype == np.float64  # computing from it works as usual


def test_filter_classes_on_mnist(real_data, monkeypatch):
    monkeypatch.setenv("IMAGEREC_DATA_DIR", str(real_data))
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    x01, y01 = data.filter_classes(x_train, y_train)
    assert x01.shape == (5923 + 6742, 28, 28) and y01.shape == (5923 + 6742,)
    assert set(np.unique(y01).tolist()) == {0, 1}
    np.testing.assert_array_equal(x01[0], x_train[1])  # order kept: labels 5 0 4 1 ...
    np.testing.assert_array_equal(x01[1], x_train[3])
    x_t, y_t = data.filter_classes(x_test, y_test, classes=(3, 7))
    assert len(y_t) == len(x_t) == 1010 + 1028
    x01.flags.writeable = True  # the result is a new array, independent of the cache
    x01[0] = 0
    assert x_train[1].any()


def test_load_mnist_from_keras_home(real_data, env):
    env["mnist"].parent.mkdir(parents=True)
    env["mnist"].symlink_to(real_data / "mnist.npz")
    (_, y_train), _ = data.load_mnist()
    assert y_train[:5].tolist() == [5, 0, 4, 1, 9]


def test_load_mnist_from_home_keras(real_data, env, monkeypatch):
    monkeypatch.delenv("KERAS_HOME")
    target = env["home"] / ".keras" / "datasets" / "mnist.npz"
    target.parent.mkdir(parents=True)
    target.symlink_to(real_data / "mnist.npz")
    (_, y_train), _ = data.load_mnist()
    assert len(y_train) == 60000


# ---------------------------------------------------------------------------
# MNIST: bad local files
# ---------------------------------------------------------------------------


@pytest.fixture
def own_data_dir(env, tmp_path, monkeypatch):
    """An empty folder named by IMAGEREC_DATA_DIR, on an otherwise empty machine."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("IMAGEREC_DATA_DIR", str(folder))
    return folder


def test_data_dir_without_mnist_is_an_error(own_data_dir, env, http, monkeypatch):
    monkeypatch.setattr(data, "MNIST_URL", http.url("anything") + "mnist.npz")
    with pytest.raises(FileNotFoundError, match="IMAGEREC_DATA_DIR") as info:
        data.load_mnist()
    assert str(own_data_dir / "mnist.npz") in str(info.value)
    assert http.hits == []  # the user asked for that folder: no silent download


def test_data_dir_that_does_not_exist(env, tmp_path, monkeypatch):
    monkeypatch.setenv("IMAGEREC_DATA_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match="no such folder"):
        data.load_mnist()


def test_mnist_not_a_zip(own_data_dir):
    (own_data_dir / "mnist.npz").write_text("<html>not found</html>")
    with pytest.raises(data.DataFileError, match="not a zip") as info:
        data.load_mnist()
    assert str(own_data_dir / "mnist.npz") in str(info.value)
    assert "IMAGEREC_DATA_DIR" in str(info.value)


def test_mnist_zip_with_damaged_member(own_data_dir):
    buffer = io.BytesIO()
    np.savez_compressed(buffer, x_train=np.arange(10000))
    content = bytearray(buffer.getvalue())
    middle = len(content) // 3
    content[middle : middle + 2] = bytes(b ^ 0xFF for b in content[middle : middle + 2])
    (own_data_dir / "mnist.npz").write_bytes(bytes(content))
    with pytest.raises(data.DataFileError, match="could not be read"):
        data.load_mnist()


def test_mnist_truncated_zip(real_data, own_data_dir):
    content = (real_data / "mnist.npz").read_bytes()
    (own_data_dir / "mnist.npz").write_bytes(content[: len(content) // 2])
    with pytest.raises(data.DataFileError, match="not a zip"):
        data.load_mnist()


def small_arrays(dtype=np.uint8):
    return {key: np.zeros((3,) * len(shape), dtype) for key, shape in data.MNIST_SHAPES.items()}


@pytest.mark.parametrize(
    "arrays, message",
    [
        ({"a": np.zeros(3), "b": np.ones(2)}, r"missing arrays \['x_test', 'x_train', 'y_test', 'y_train'\]"),
        (small_arrays(np.float32), "x_train has dtype float32, expected uint8"),
        (small_arrays(), r"x_train has shape \(3, 3, 3\), expected \(60000, 28, 28\)"),
    ],
    ids=["keys", "dtype", "shape"],
)
def test_mnist_wrong_content(own_data_dir, arrays, message):
    np.savez(own_data_dir / "mnist.npz", **arrays)
    with pytest.raises(data.DataFileError, match=message) as info:
        data.load_mnist()
    assert "IMAGEREC_DATA_DIR" in str(info.value)


def test_mnist_labels_outside_0_to_9(own_data_dir):
    arrays = {key: np.zeros(shape, np.uint8) for key, shape in data.MNIST_SHAPES.items()}
    arrays["y_train"][123] = 11
    np.savez(own_data_dir / "mnist.npz", **arrays)
    with pytest.raises(data.DataFileError, match=r"y_train holds labels outside 0..9 \(max 11\)"):
        data.load_mnist()


def test_mnist_corrupt_in_keras_cache(env):
    env["mnist"].parent.mkdir(parents=True)
    env["mnist"].write_bytes(b"PK\x03\x04 half a zip")
    with pytest.raises(data.DataFileError) as info:
        data.load_mnist()
    assert str(env["mnist"]) in str(info.value) and "IMAGEREC_DATA_DIR" in str(info.value)


# ---------------------------------------------------------------------------
# MNIST: downloads
# ---------------------------------------------------------------------------


def test_mnist_no_data_no_network_fails_fast(env, monkeypatch, closed_port):
    monkeypatch.setattr(data, "MNIST_URL", f"http://127.0.0.1:{closed_port}/mnist.npz")
    monkeypatch.setattr(data, "TIMEOUT", (5, 60))  # the real timeout: a refused connection must not wait
    start = time.monotonic()
    with pytest.raises(data.DownloadError, match="IMAGEREC_DATA_DIR") as info:
        data.load_mnist()
    assert time.monotonic() - start < 10
    assert data.MNIST_URL in str(info.value)
    assert files_in(env["keras"]) == []


def test_mnist_download_lands_in_keras_cache(real_data, http, env, monkeypatch, closed_port):
    content = (real_data / "mnist.npz").read_bytes()
    http.routes["mnist"] = ("body", content)
    monkeypatch.setattr(data, "MNIST_URL", http.url("mnist") + "mnist.npz")
    monkeypatch.setattr(data, "MNIST_SHA256", sha256(content))
    (_, y_train), (_, y_test) = data.load_mnist()
    assert np.bincount(y_test, minlength=10).tolist() == TEST_COUNTS
    assert files_in(env["keras"]) == ["datasets/mnist.npz"]
    assert env["mnist"].read_bytes() == content
    monkeypatch.setattr(data, "MNIST_URL", f"http://127.0.0.1:{closed_port}/mnist.npz")
    assert data.load_mnist()[0][1][:3].tolist() == [5, 0, 4]  # read from the cache now
    assert len(http.hits) == 1


def test_mnist_download_with_wrong_hash_is_deleted(real_data, http, env, monkeypatch):
    # The shared copy was written by NumPy: its hash is not Keras's, so as a download it is refused.
    http.routes["mnist"] = ("body", (real_data / "mnist.npz").read_bytes())
    monkeypatch.setattr(data, "MNIST_URL", http.url("mnist") + "mnist.npz")
    with pytest.raises(data.DownloadError, match=f"expected {data.MNIST_SHA256}"):
        data.load_mnist()
    assert files_in(env["keras"]) == []


def test_mnist_download_http_error(http, env, monkeypatch):
    http.routes["mnist"] = ("status", 404)
    monkeypatch.setattr(data, "MNIST_URL", http.url("mnist") + "mnist.npz")
    with pytest.raises(data.DownloadError, match="HTTP 404") as info:
        data.load_mnist()
    assert "IMAGEREC_DATA_DIR" in str(info.value)
    assert files_in(env["keras"]) == []


# ---------------------------------------------------------------------------
# filter_classes
# ---------------------------------------------------------------------------


def test_filter_classes_small():
    x = np.arange(24).reshape(6, 2, 2)
    y = np.array([3, 0, 1, 3, 2, 1])
    x_sub, y_sub = data.filter_classes(x, y, classes=[1, 3])
    assert y_sub.tolist() == [3, 1, 3, 1]
    assert x_sub[:, 0, 0].tolist() == [0, 8, 12, 20]
    x_none, y_none = data.filter_classes(x, y, classes=(7,))
    assert x_none.shape == (0, 2, 2) and y_none.shape == (0,)


@pytest.mark.parametrize(
    "x, y, classes, message",
    [
        (np.zeros((4, 2)), np.zeros(3), (0, 1), "as many examples: got 4 and 3"),
        (np.zeros((4, 2)), np.zeros((4, 1)), (0, 1), "1-D array of labels"),
        (np.zeros((4, 2)), np.zeros(4), (), "non-empty"),
        (np.float64(1.0), np.zeros(1), (0,), "scalar"),
    ],
)
def test_filter_classes_refuses(x, y, classes, message):
    with pytest.raises(ValueError, match=message):
        data.filter_classes(x, y, classes)


# ---------------------------------------------------------------------------
# load_image: local files
# ---------------------------------------------------------------------------


def test_load_image_real_data(real_data, monkeypatch):
    monkeypatch.setenv("IMAGEREC_DATA_DIR", str(real_data))
    image = data.load_image()
    assert image.shape == (202, 300, 3) and image.dtype == np.uint8
    with Image.open(real_data / "cats.jpg") as reference:
        np.testing.assert_array_equal(image, np.asarray(reference.convert("RGB")))
    assert image.flags.writeable  # a fresh array each time
    image[:] = 0
    assert data.load_image().any()
    assert data.IMAGE_SHA256["cats.jpg"] == CATS_SHA256


def test_load_image_data_dir_missing_file(own_data_dir, http, monkeypatch):
    serve_image(http, monkeypatch, "body", jpeg_bytes(), trust=True)
    with pytest.raises(FileNotFoundError, match="IMAGEREC_DATA_DIR") as info:
        data.load_image()
    assert str(own_data_dir / "cats.jpg") in str(info.value)
    assert http.hits == []


def test_load_image_data_dir_wrong_hash(own_data_dir):
    (own_data_dir / "cats.jpg").write_bytes(jpeg_bytes())
    with pytest.raises(data.DataFileError, match="sha256") as info:
        data.load_image()
    assert str(own_data_dir / "cats.jpg") in str(info.value)
    assert (own_data_dir / "cats.jpg").exists()  # the user's own folder is never touched


@pytest.mark.parametrize(
    "name",
    ["../cats.jpg", "sub/cats.jpg", "sub\\cats.jpg", "/etc/passwd", "..", ".", "",
     "https://example.com/cats.jpg", "C:cats.jpg", " cats.jpg"],
)
def test_load_image_refuses_paths_and_urls(env, name):
    with pytest.raises(ValueError, match="plain file name"):
        data.load_image(name)


def test_load_image_refuses_non_strings(env):
    with pytest.raises(TypeError, match="str"):
        data.load_image(Path("cats.jpg"))


def test_load_image_unknown_name(env):
    with pytest.raises(ValueError, match=r"known images are \['cats.jpg'\]"):
        data.load_image("dogs.jpg")


# ---------------------------------------------------------------------------
# load_image: downloads
# ---------------------------------------------------------------------------


def test_good_download_is_cached_then_used_offline(http, env, monkeypatch, closed_port):
    content = jpeg_bytes(seed=1)
    serve_image(http, monkeypatch, "body", content, trust=True)
    image = data.load_image()
    assert image.shape == (64, 64, 3) and image.dtype == np.uint8
    assert files_in(env["cache"]) == ["images/cats.jpg"]
    assert (env["images"] / "cats.jpg").read_bytes() == content
    monkeypatch.setattr(data, "IMAGE_BASE_URL", f"http://127.0.0.1:{closed_port}/")
    np.testing.assert_array_equal(data.load_image(), image)
    assert len(http.hits) == 1


def test_corrupt_cache_is_not_trusted(http, env, monkeypatch):
    env["images"].mkdir()
    (env["images"] / "cats.jpg").write_bytes(jpeg_bytes(seed=2))  # a valid image, wrong hash
    content = jpeg_bytes(seed=3)
    serve_image(http, monkeypatch, "body", content, trust=True)
    data.load_image()
    assert (env["images"] / "cats.jpg").read_bytes() == content
    assert len(http.hits) == 1


def test_corrupt_cache_and_no_network(env, monkeypatch, closed_port):
    env["images"].mkdir()
    (env["images"] / "cats.jpg").write_bytes(b"garbage")
    monkeypatch.setattr(data, "IMAGE_BASE_URL", f"http://127.0.0.1:{closed_port}/")
    with pytest.raises(data.DownloadError, match="IMAGEREC_DATA_DIR"):
        data.load_image()
    assert files_in(env["cache"]) == []


@pytest.mark.parametrize("status", [404, 500])
def test_download_http_errors(http, env, monkeypatch, status):
    url = serve_image(http, monkeypatch, "status", status)
    with pytest.raises(data.DownloadError, match=f"HTTP {status}") as info:
        data.load_image()
    assert url in str(info.value) and "IMAGEREC_DATA_DIR" in str(info.value)
    assert files_in(env["cache"]) == []


def test_download_connection_refused(env, monkeypatch, closed_port):
    monkeypatch.setattr(data, "IMAGE_BASE_URL", f"http://127.0.0.1:{closed_port}/")
    start = time.monotonic()
    with pytest.raises(data.DownloadError, match="check the network") as info:
        data.load_image()
    assert time.monotonic() - start < 3
    assert data.IMAGE_BASE_URL + "cats.jpg" in str(info.value)
    assert files_in(env["cache"]) == []


def test_download_timeout(http, env, monkeypatch):
    url = serve_image(http, monkeypatch, "slow", 1.5)
    monkeypatch.setattr(data, "TIMEOUT", (1, 0.3))
    start = time.monotonic()
    with pytest.raises(data.DownloadError, match="timed out") as info:
        data.load_image()
    assert time.monotonic() - start < 1.4
    assert url in str(info.value)
    assert files_in(env["cache"]) == []


def test_download_cut_half_way(http, env, monkeypatch):
    content = jpeg_bytes(seed=4)
    url = serve_image(http, monkeypatch, "cut", content, trust=True)
    with pytest.raises(data.DownloadError, match="could not download") as info:
        data.load_image()
    assert url in str(info.value)
    assert files_in(env["cache"]) == []


def test_download_not_an_image_fails_the_hash(http, env, monkeypatch):
    serve_image(http, monkeypatch, "body", b"<html>rate limited</html>")
    with pytest.raises(data.DownloadError, match=f"expected {CATS_SHA256}"):
        data.load_image()
    assert files_in(env["cache"]) == []


@pytest.mark.parametrize(
    "body",
    [b"<html>rate limited</html>", jpeg_bytes(seed=5)[:1500]],
    ids=["html", "truncated-jpeg"],
)
def test_download_not_a_complete_image(http, env, monkeypatch, body):
    # Even with a matching hash (a wrong entry in IMAGE_SHA256), Pillow must decode it all.
    serve_image(http, monkeypatch, "body", body, trust=True)
    with pytest.raises(data.DownloadError, match="not a complete image"):
        data.load_image()
    assert files_in(env["cache"]) == []


def test_download_good_image_wrong_hash(http, env, monkeypatch):
    serve_image(http, monkeypatch, "body", jpeg_bytes(seed=6))
    with pytest.raises(data.DownloadError, match="sha256") as info:
        data.load_image()
    assert "deleted" in str(info.value)
    assert files_in(env["cache"]) == []


def test_interrupt_before_rename_leaves_nothing(http, env, monkeypatch):
    serve_image(http, monkeypatch, "body", jpeg_bytes(seed=7), trust=True)

    def interrupted(path, *args):
        assert path.exists()  # the whole file is on disk, under a temporary name
        raise KeyboardInterrupt

    monkeypatch.setattr(data, "_decode_image", interrupted)
    with pytest.raises(KeyboardInterrupt):
        data.load_image()
    assert files_in(env["cache"]) == []


def test_cache_that_cannot_be_created(http, env, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("IMAGEREC_CACHE_DIR", str(blocker))
    serve_image(http, monkeypatch, "body", jpeg_bytes(), trust=True)
    with pytest.raises(data.DownloadError, match="cannot write the download") as info:
        data.load_image()
    assert "IMAGEREC_DATA_DIR" in str(info.value)
    assert http.hits == []
