"""Fixtures shared by the test suite."""

import contextlib
import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
SPHINX_BUILD = Path(sys.executable).with_name("sphinx-build")


def source_files(root: Path = ROOT) -> list[str]:
    """The files of the project that a build reads: tracked or new, never ignored."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=root, capture_output=True, text=True, check=True,
    ).stdout.split("\0")
    return [name for name in listed if name and (root / name).is_file()]


def copy_sources(destination: Path, root: Path = ROOT) -> Path:
    """Copy :func:`source_files` into ``destination`` (created); return it."""
    for name in source_files(root):
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)
    return destination


@pytest.fixture
def closed_port() -> int:
    """A local port where nothing listens: connections to it are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the figures a test leaves open, so that none piles up over the suite."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture(scope="session")
def data_dir():
    """The folder named by IMAGEREC_DATA_DIR; tests that need data fail without it."""
    value = os.environ.get("IMAGEREC_DATA_DIR")
    assert value, (
        "IMAGEREC_DATA_DIR is not set: point it at a folder holding mnist.npz and cats.jpg "
        "(CI uses ../shared/data)."
    )
    path = Path(value).resolve()
    assert (path / "mnist.npz").is_file(), f"{path} holds no mnist.npz"
    return path


def quick_build_env(html, data_dir):
    """The environment of the quick build whose HTML is (or goes) in ``html``."""
    env = dict(os.environ, IMAGEREC_QUICK="1", IMAGEREC_DATA_DIR=str(data_dir), MPLBACKEND="Agg")
    if not os.environ.get("IMAGEREC_BOOK_HTML"):
        env["IMAGEREC_CACHE_DIR"] = str(html.parent / "cache")
    env.pop("IMAGEREC_REPOSITORY_URL", None)  # a checkout's build: no launch links
    return env


@pytest.fixture(scope="session")
def quick_book_sources(quick_book, data_dir):
    """``(source folder, doctrees folder, environment)`` of the quick build, for other
    builders that reuse its executed chapters (tests/test_pdf.py). With IMAGEREC_BOOK_HTML:
    the checkout, and the doctrees beside the HTML folder (as make quick-book leaves them).
    """
    prebuilt = bool(os.environ.get("IMAGEREC_BOOK_HTML"))
    source = ROOT if prebuilt else quick_book.parent / "src"
    doctrees = quick_book.parent / "doctrees"
    assert (doctrees / "environment.pickle").is_file(), f"no doctrees at {doctrees}"
    return source, doctrees, quick_build_env(quick_book, data_dir)


@pytest.fixture(scope="session")
def quick_book(tmp_path_factory, data_dir):
    """Build the whole book in quick mode, in a copy of the source tree.

    The copy keeps sphinx-gallery's output and the training cache out of the
    developer's tree. Returns the folder of the built HTML. To test a quick build
    made already (``make quick-book``), name its folder in IMAGEREC_BOOK_HTML.
    """
    prebuilt = os.environ.get("IMAGEREC_BOOK_HTML")
    if prebuilt:
        html = Path(prebuilt).resolve()
        assert (html / "index.html").is_file(), f"IMAGEREC_BOOK_HTML={html} holds no built book"
        return html
    work = tmp_path_factory.mktemp("book")
    source = copy_sources(work / "src")
    html = work / "html"
    env = quick_build_env(html, data_dir)
    result = subprocess.run(
        [str(SPHINX_BUILD), "-W", "--keep-going", "-n", "-b", "html",
         "-d", str(work / "doctrees"), str(source), str(html)],
        env=env, capture_output=True, text=True,
    )
    log = work / "build.log"
    log.write_text(result.stdout + result.stderr)
    assert result.returncode == 0, (
        f"quick build failed (log: {log}):\n{(result.stdout + result.stderr)[-6000:]}"
    )
    return html


# --- the built book in a browser (Debian's Chromium driven by Playwright) -----------------

CHROMIUM = os.environ.get("IMAGEREC_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(quick_book):
    """Serve the quick build on 127.0.0.1; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(quick_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@contextlib.contextmanager
def chromium():
    """Debian's Chromium, headless, driven by Playwright in the calling thread."""
    assert Path(CHROMIUM).exists(), (
        f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install chromium) "
        "or set IMAGEREC_CHROMIUM"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def launch_chromium():
    """:func:`chromium`, for tests that drive a second browser in a thread of their own."""
    return chromium


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser
