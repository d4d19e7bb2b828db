"""``make book``'s command, and a copy of the checkout to run it in.

The tests' quick build (``tests/conftest.py``) and ``benchmarks/bench_build.py`` both
build a copy of the checkout (the files git tracks, and new ones it does not ignore) in a
temporary folder, with the command ``make book`` runs. Both need a git checkout.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the checkout this package is in

SPHINX_BUILD = Path(sys.executable).with_name("sphinx-build")


def book_command(source: Path, doctrees: Path, html: Path) -> list[str]:
    """``make book``'s command (``sphinx-build -W --keep-going -n -j auto``) on ``source``.

    >>> book_command(Path("src"), Path("doctrees"), Path("html"))[1:7]
    ['-W', '--keep-going', '-n', '-j', 'auto', '-b']
    """
    return [
        str(SPHINX_BUILD), "-W", "--keep-going", "-n", "-j", "auto", "-b", "html",
        "-d", str(doctrees), str(source), str(html),
    ]


def source_files() -> list[str]:
    """The files of the checkout that a build reads: tracked or new, never ignored."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split("\0")
    return [name for name in listed if name and (ROOT / name).is_file()]


def copy_sources(destination: Path) -> Path:
    """Copy the checkout's :func:`source_files` into ``destination`` (created); return it."""
    for name in source_files():
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    return destination
