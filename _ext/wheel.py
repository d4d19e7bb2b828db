"""A wheel of the package ``imagerec`` as built, for the chapters' notebooks to install.

The notebooks a build publishes install the package of the commit that built them, not
whatever a package index or a branch holds later. The book's build writes that package as
a wheel beside the notebooks (``<html>/_notebooks/``), with a version that names the commit:
``0.1.0+g1a2b3c4`` (``.dirty`` added when the working tree had uncommitted changes,
``+unknown`` outside git). ``imagerec`` is pure Python, so the wheel is a zip file of its
modules and the three metadata files of the wheel format (PEP 427): this needs neither a
network (build isolation) nor setuptools in the environment, and the same tree always gives
the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
import tomllib
import zipfile
from pathlib import Path

from packaging.requirements import Requirement

EXTRAS = ("cpu", "gpu")  # the runtime extras; book, test and lint are the repository's own
_DATE = (2020, 1, 1, 0, 0, 0)  # every file's time in the zip: the same tree, the same bytes


def version(root: Path) -> str:
    """The package's version with the commit of ``root`` as its local part."""
    base = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=7", "HEAD"], cwd=root, capture_output=True,
            text=True, check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "imagerec", "pyproject.toml"],
            cwd=root, capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return f"{base}+unknown"
    return f"{base}+g{commit}" + (".dirty" if dirty else "")


def filename(number: str) -> str:
    """The file name of the wheel of version ``number`` (:func:`version`), e.g.
    ``imagerec-0.1.0+g1a2b3c4-py3-none-any.whl``."""
    return f"imagerec-{number}-py3-none-any.whl"


def _metadata(project: dict, number: str) -> str:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {number}",
        f"Summary: {project['description']}",
        f"Requires-Python: {project['requires-python']}",
        *(f"Requires-Dist: {requirement}" for requirement in project["dependencies"]),
    ]
    for extra in EXTRAS:
        lines.append(f"Provides-Extra: {extra}")
        for text in project["optional-dependencies"][extra]:
            requirement = Requirement(text)
            condition = f'extra == "{extra}"'
            if requirement.marker is not None:
                condition = f"({requirement.marker}) and {condition}"
            requirement.marker = None
            lines.append(f"Requires-Dist: {requirement}; {condition}")
    return "\n".join(lines) + "\n"


def _digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build(root: Path, folder: Path, number: str) -> Path:
    """Write the wheel of ``root``'s package, version ``number`` (:func:`version`), into
    ``folder``; return its path.

    The file is written under a temporary name and renamed when complete, so a build that
    stops half-way leaves no broken wheel behind.
    """
    root, folder = Path(root), Path(folder)
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    info = f"imagerec-{number}.dist-info"
    files = {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted((root / "imagerec").rglob("*.py"))
        if "__pycache__" not in path.parts
    }
    files[f"{info}/METADATA"] = _metadata(project, number).encode()
    files[f"{info}/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: imagerec-book\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    ).encode()
    record = "".join(f"{name},{_digest(data)},{len(data)}\n" for name, data in files.items())
    files[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / filename(number)
    partial = target.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, _DATE)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    partial.replace(target)
    return target
