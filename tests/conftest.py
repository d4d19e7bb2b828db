"""Fixtures shared by the test suite."""

import contextlib
import functools
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
from filelock import FileLock, Timeout
from playwright.sync_api import sync_playwright

from imagerec.book.build import ROOT, book_command, copy_sources


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
def quick_book_cache(quick_book, data_dir):
    """The training cache the quick build filled (a path), or None with IMAGEREC_BOOK_HTML
    (then the build used the user's cache)."""
    return quick_build_env(quick_book, data_dir).get("IMAGEREC_CACHE_DIR")


# --- the quick build, made once per test run, in the background ------------------------------
#
# The suite runs in several processes (pytest-xdist, ``-n auto`` in pyproject.toml). The
# process that starts the run (the controller) makes a folder for the whole run and names it
# in SHARED_ENV, which the worker processes inherit. The build is shared between the workers
# with the file lock of pytest-xdist's recipe for session fixtures ("Making session-scoped
# fixtures execute only once"): whoever holds the lock and finds no build makes it. Once the
# tests are collected, each worker that has tests needing the build tries the lock at once;
# the one that gets it starts the build in the background and keeps the lock until the build
# has ended, while the workers run the other tests (moved first, below) at a lower priority.
# The quick_book fixture takes the lock, so it waits for the build, and builds itself when
# nobody has (a test asked for it directly).

SHARED_ENV = "IMAGEREC_TEST_RUN_DIR"
RUN_DIR = pytest.StashKey[Path]()  # the controller's: the folder it removes at the end
BUILDER = pytest.StashKey[threading.Thread]()  # the thread that waits for this process's build


def _is_controller(config) -> bool:
    return not hasattr(config, "workerinput")


def pytest_configure(config):
    if _is_controller(config) and SHARED_ENV not in os.environ:
        os.environ[SHARED_ENV] = tempfile.mkdtemp(prefix="imagerec-tests-")
        config.stash[RUN_DIR] = Path(os.environ[SHARED_ENV])


def pytest_unconfigure(config):
    run_dir = config.stash.get(RUN_DIR, None)
    if run_dir is not None:
        shutil.rmtree(run_dir, ignore_errors=True)
        os.environ.pop(SHARED_ENV, None)


def _needs_quick_book(item) -> bool:
    return "quick_book" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(session, config, items):
    """Tests of files that need the quick build run last: the build runs meanwhile."""
    late = {item.path for item in items if _needs_quick_book(item)}
    items.sort(key=lambda item: item.path in late)  # stable: the order within stays


def pytest_collection_finish(session):
    if session.config.option.collectonly or not any(_needs_quick_book(item) for item in session.items):
        return
    started = threading.Event()
    thread = threading.Thread(target=_build_in_background, args=(started,), daemon=True)
    thread.start()
    started.wait()
    session.config.stash[BUILDER] = thread
    # The build is what the last tests wait for: the tests that run meanwhile give it
    # the CPU first (the build, started above, keeps its priority).
    os.nice(10)


def pytest_sessionfinish(session, exitstatus):
    """The worker that started the build waits for it to end (other workers may still need it),
    unless the run was interrupted or stopped early: then the build is stopped."""
    thread = session.config.stash.get(BUILDER, None)
    if thread is None:
        return
    stopped = exitstatus == pytest.ExitCode.INTERRUPTED or session.shouldstop or session.shouldfail
    if stopped and thread.process is not None and thread.process.poll() is None:
        with contextlib.suppress(OSError):
            os.killpg(thread.process.pid, signal.SIGTERM)  # sphinx-build and its workers and kernels
    thread.join()


def _quick_build_dir() -> Path:
    return Path(os.environ[SHARED_ENV]) / "quick-book"


def _start_quick_build() -> subprocess.Popen | None:
    """Start the quick build; None when it is made already, is prebuilt (IMAGEREC_BOOK_HTML),
    or the data are missing (the data_dir fixture then says so). The caller holds the lock."""
    data = os.environ.get("IMAGEREC_DATA_DIR")
    work = _quick_build_dir()
    if os.environ.get("IMAGEREC_BOOK_HTML") or not data or not (Path(data) / "mnist.npz").is_file() \
            or (work / "status").is_file():
        return None
    shutil.rmtree(work, ignore_errors=True)  # what a build that was stopped left
    source = copy_sources(work / "src")
    html = work / "html"
    with open(work / "build.log", "wb") as log:
        return subprocess.Popen(
            book_command(source, work / "doctrees", html), stdout=log, stderr=subprocess.STDOUT,
            env=quick_build_env(html, Path(data).resolve()), start_new_session=True,
        )


def _wait_for(process: subprocess.Popen | None) -> None:
    """Wait for the build ``process`` (if any) and write its exit status."""
    if process is not None:
        (_quick_build_dir() / "status").write_text(str(process.wait()))


def _build_in_background(started: threading.Event) -> None:
    """Take the lock if it is free and build (``started`` is set once the build runs); holds
    the lock until the build has ended. Without the lock, another worker builds."""
    thread = threading.current_thread()
    thread.process = None
    lock = FileLock(_quick_build_dir().with_suffix(".lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        started.set()
        return
    try:
        thread.process = _start_quick_build()
        started.set()
        _wait_for(thread.process)
    finally:
        started.set()
        lock.release()


@pytest.fixture(scope="session")
def quick_book(data_dir):
    """The whole book built in quick mode, in a copy of the source tree; the folder of its HTML.

    The copy keeps sphinx-gallery's output and the training cache out of the developer's
    tree. The build starts in the background once the tests are collected (see above);
    this waits for it. To test a quick build made already (``make quick-book``), name its
    folder in IMAGEREC_BOOK_HTML.
    """
    prebuilt = os.environ.get("IMAGEREC_BOOK_HTML")
    if prebuilt:
        html = Path(prebuilt).resolve()
        assert (html / "index.html").is_file(), f"IMAGEREC_BOOK_HTML={html} holds no built book"
        return html
    work = _quick_build_dir()
    with FileLock(work.with_suffix(".lock")):
        _wait_for(_start_quick_build())  # builds when nobody has (a test asked for it directly)
    log = work / "build.log"
    assert (work / "status").read_text().strip() == "0", (
        f"quick build failed (log: {log}):\n{log.read_text(errors='replace')[-6000:]}"
    )
    return work / "html"


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


class Visit:
    """A page opened in a fresh browser context, recording its console errors, failed responses
    and the hosts it asked (``"file"`` for ``file://`` URLs).

    ``wait_until="load"`` (default) also waits until the network is idle, so that late requests
    are seen; the panels' tests use ``"domcontentloaded"``, when the panels start. Other keyword
    arguments go to ``browser.new_context`` (e.g. ``java_script_enabled=False``).
    """

    def __init__(self, browser, url, *, wait_until="load", **options):
        self.context = browser.new_context(**options)
        self.page = self.context.new_page()
        self.errors, self.hosts = [], set()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.hosts.add(urlparse(r.url).hostname or "file"))
        self.page.on(
            "response",
            lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status}: {r.url}"),
        )
        self.page.goto(url, wait_until=wait_until)
        if wait_until == "load":
            self.page.wait_for_load_state("networkidle")

    def check(self):
        """No console error or failed response so far, and no request to another host."""
        assert not self.errors, self.errors
        assert self.hosts <= {"127.0.0.1", "file"}, f"requests to other hosts: {self.hosts}"

    def close(self):
        self.context.close()


@pytest.fixture(scope="session")
def launch_chromium():
    """:func:`chromium`, for tests that drive a second browser in a thread of their own."""
    return chromium


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser
