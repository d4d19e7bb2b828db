#!/usr/bin/env python3
"""Check that the pinned dependencies resolve on every platform the README promises.

For each target (macOS arm64, Windows x86-64, Linux x86-64, Linux aarch64) and each Python
(3.11, 3.12, 3.13), ask pip which wheels it would install for the project's extras
(`cpu,book,test` by default) under a constraints file (`constraints.txt` by default):

    pip install --dry-run --only-binary=:all: --platform TAG... --python-version X.Y \
        --target DIR --report - -c constraints.txt <the requirements of pyproject.toml>

Nothing is installed and only wheel metadata is downloaded. A target fails when pip finds no
solution, when the solution holds a package that the constraints file does not pin, or when
it holds the wrong TensorFlow distribution for the platform.

pip evaluates environment markers (`sys_platform == "darwin"`) against the interpreter that
runs it, not against `--platform` and `--python-version` (pypa/pip#10050, #6117). So each pip
run happens in a child process whose marker environment is replaced by the target's: the
project's own markers (`tensorflow-cpu` on Linux x86-64 and Windows, `tensorflow` elsewhere),
those of the constraints file and those of every dependency are then read as on the target.
The child checks that pip really used that environment (pip writes it into its report).

Usage: python .ci/check_resolution.py [-c constraints.txt] [--extras cpu,book,test]
       [--python 3.11 3.12 3.13] [--target macos-arm64 ...] [--jobs 3] [--allow-unpinned]
The lowest declared versions: -c constraints-min.txt --python 3.11 3.12 --allow-unpinned
Needs Python >= 3.11 with pip >= 23 (any venv's python will do) and access to PyPI.
"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Linux: every manylinux tag a glibc 2.34 system accepts (PEP 600 names and their legacy
# aliases), so that a wheel tagged for any of them is found.
_GLIBC = [5, 12] + list(range(17, 35))
_LEGACY = {5: "manylinux1", 12: "manylinux2010", 17: "manylinux2014"}


def _linux_tags(arch):
    tags = [f"manylinux_2_{minor}_{arch}" for minor in reversed(_GLIBC)]
    tags += [f"{_LEGACY[m]}_{arch}" for m in sorted(_LEGACY) if arch == "x86_64" or m == 17]
    return tags + [f"linux_{arch}"]


# name: (pip --platform tags, marker environment of that platform)
TARGETS = {
    # pip expands a macOS tag to every older macOS version of the same architecture.
    "macos-arm64": (["macosx_14_0_arm64"], {
        "os_name": "posix", "sys_platform": "darwin", "platform_system": "Darwin",
        "platform_machine": "arm64", "platform_release": "23.0.0", "platform_version": "",
    }),
    "windows-x86_64": (["win_amd64"], {
        "os_name": "nt", "sys_platform": "win32", "platform_system": "Windows",
        "platform_machine": "AMD64", "platform_release": "10", "platform_version": "10.0.19045",
    }),
    "linux-x86_64": (_linux_tags("x86_64"), {
        "os_name": "posix", "sys_platform": "linux", "platform_system": "Linux",
        "platform_machine": "x86_64", "platform_release": "6.1.0", "platform_version": "",
    }),
    "linux-aarch64": (_linux_tags("aarch64"), {
        "os_name": "posix", "sys_platform": "linux", "platform_system": "Linux",
        "platform_machine": "aarch64", "platform_release": "6.1.0", "platform_version": "",
    }),
}
# The oldest release of each Python the pinned set installs on: pip reads `--python-version
# 3.11` as 3.11.0, and the pinned soupsieve (a dependency of the book's theme) needs 3.11.5.
PYTHONS = {"3.11": "3.11.5", "3.12": "3.12.0", "3.13": "3.13.0"}


def marker_environment(target, python):
    env = dict(TARGETS[target][1])
    env.update({
        "implementation_name": "cpython", "implementation_version": PYTHONS[python],
        "platform_python_implementation": "CPython",
        "python_version": python, "python_full_version": PYTHONS[python],
    })
    return env


def _canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements(extras):
    """The project's dependencies and those of the chosen extras, markers kept."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    for extra in extras:
        reqs += project["optional-dependencies"][extra]
    return reqs


def pinned(constraints, env):
    """Names of the packages the constraints file pins for that marker environment."""
    from pip._vendor.packaging.requirements import Requirement

    names = set()
    for line in constraints.read_text(encoding="utf-8").splitlines():
        line = line.split(" #")[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate(env):
            names.add(_canonical(req.name))
    return names


def expected_tensorflow(reqs, env):
    """Which TensorFlow distributions the project's markers choose for that environment."""
    from pip._vendor.packaging.requirements import Requirement

    chosen = set()
    for line in reqs:
        req = Requirement(line)
        if _canonical(req.name).startswith("tensorflow") and (
            req.marker is None or req.marker.evaluate(env)
        ):
            chosen.add(_canonical(req.name))
    return chosen


def _run_pip_as(env_json, args):
    """Child process: run pip with the target's marker environment (see the docstring)."""
    env = json.loads(env_json)
    import pip._vendor.packaging.markers as markers

    markers.default_environment = lambda: dict(env)
    from pip._internal.cli.main import main

    return main(args)


def _pip_environment():
    """This process's environment without pip's configuration files, extra indexes, local
    wheel folders and global constraints, which would make the answer depend on the machine
    (an index named by PIP_INDEX_URL and a certificate named by PIP_CERT stay)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PIP_FIND_LINKS", "PIP_CONSTRAINT", "PIP_EXTRA_INDEX_URL", "PIP_NO_INDEX")}
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


DOWNLOAD_FAILED = ("DO NOT MATCH THE HASHES", "IncompleteRead", "ReadTimeoutError", "ConnectionError")
"""What pip prints when a download failed (a truncated wheel fails its hash): worth a retry."""


def check(target, python, constraints, extras, allow_unpinned=False):
    tags, _ = TARGETS[target]
    env = marker_environment(target, python)
    reqs = requirements(extras)
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="resolve-") as tmp:
        args = [
            "install", "--dry-run", "--disable-pip-version-check", "--no-input",
            "--ignore-installed", "--only-binary=:all:", "--python-version", PYTHONS[python],
            "--implementation", "cp", *[a for tag in tags for a in ("--platform", tag)],
            "--target", str(Path(tmp) / "target"), "--report", str(Path(tmp) / "report.json"),
            "-c", str(constraints), *reqs,
        ]
        for _attempt in range(3):  # a download cut short is the network's failure, not the pins'
            proc = subprocess.run(
                [sys.executable, __file__, "--_pip-as", json.dumps(env), "--", *args],
                capture_output=True, text=True, env=_pip_environment(),
            )
            if proc.returncode == 0 or not any(sign in proc.stdout + proc.stderr for sign in DOWNLOAD_FAILED):
                break
        seconds = time.monotonic() - start
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-40:])
            return False, seconds, f"pip found no solution:\n{tail}"
        report = json.loads((Path(tmp) / "report.json").read_text(encoding="utf-8"))
    problems = []
    used = report["environment"]
    wrong = {k: (used.get(k), v) for k, v in env.items() if used.get(k) != v}
    if wrong:
        problems.append(f"pip evaluated markers in another environment: {wrong}")
    installed = {_canonical(i["metadata"]["name"]): i["metadata"]["version"] for i in report["install"]}
    unpinned = sorted(set(installed) - pinned(constraints, env))
    if unpinned and not allow_unpinned:
        problems.append("not pinned in " + constraints.name + ": "
                        + ", ".join(f"{n}=={installed[n]}" for n in unpinned))
    tensorflow = {n for n in installed if n in ("tensorflow", "tensorflow-cpu")}
    if tensorflow != expected_tensorflow(reqs, env):
        problems.append(f"TensorFlow distributions {sorted(tensorflow)}, "
                        f"expected {sorted(expected_tensorflow(reqs, env))}")
    tf = ", ".join(f"{n}=={installed[n]}" for n in sorted(tensorflow))
    summary = f"{len(installed)} packages, {tf}"
    return not problems, seconds, "\n".join(problems) or summary


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--_pip-as":
        sys.exit(_run_pip_as(sys.argv[2], sys.argv[4:]))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--constraints", default=str(ROOT / "constraints.txt"))
    parser.add_argument("--extras", default="cpu,book,test")
    parser.add_argument("--python", nargs="+", default=list(PYTHONS), choices=list(PYTHONS))
    parser.add_argument("--target", nargs="+", default=list(TARGETS), choices=list(TARGETS))
    parser.add_argument("--jobs", type=int, default=3, help="pip runs at a time (mostly network)")
    parser.add_argument("--allow-unpinned", action="store_true",
                        help="accept packages the constraints file does not pin (constraints-min.txt)")
    args = parser.parse_args()
    constraints = Path(args.constraints).resolve()
    extras = [e for e in args.extras.split(",") if e]
    runs = [(t, p) for t in args.target for p in args.python]
    start = time.monotonic()
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(check, t, p, constraints, extras, args.allow_unpinned): (t, p) for t, p in runs}
        results = {futures[f]: f.result() for f in concurrent.futures.as_completed(futures)}
    for t, p in runs:
        ok, seconds, text = results[(t, p)]
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {t:15} Python {PYTHONS[p]:7} {seconds:5.1f} s  "
              + text.replace("\n", "\n     "))
    print(f"{len(runs) - failed} of {len(runs)} targets resolve with {constraints.name} "
          f"[{','.join(extras)}] in {time.monotonic() - start:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
