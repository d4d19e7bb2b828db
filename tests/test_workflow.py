"""The CI set-up: the publishing workflow, the scripts it shares with make, the platforms.

The workflow (.github/workflows/book.yml) cannot run here. ``actionlint`` checks it as GitHub
would read it (syntax, expressions, job and step keys, the inputs of each action); it comes
with the ``lint`` extra, whose build downloads the binary from GitHub, so the check is skipped
where it is not installed, except in GitHub Actions, where it must run. The other tests check
behaviour: the make targets the workflow calls exist, the data it downloads are the files the
package accepts, the system-package script finds what is there and stops with a command to
type where it cannot install, and the TensorFlow markers choose the right wheel per platform.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest

import check_resolution  # .ci/check_resolution.py
import notebooks  # the Sphinx extension of the chapters' notebooks (_ext/)
from imagerec.data import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"
SYSTEM_PACKAGES = ROOT / ".ci" / "install-system-packages.sh"


def _actionlint():
    found = shutil.which("actionlint")
    beside = Path(sys.executable).parent / "actionlint"
    return found or (str(beside) if beside.exists() else None)


def test_actionlint_accepts_the_workflow():
    actionlint = _actionlint()
    if actionlint is None:
        if os.environ.get("GITHUB_ACTIONS") == "true":
            pytest.fail("actionlint is not installed: install the lint extra (EXTRAS=book,test,lint)")
        pytest.skip("actionlint is not installed (pip install -c constraints.txt -e '.[lint]')")
    # Without shellcheck and pyflakes, so that the answer does not depend on what else the
    # machine has installed.
    result = subprocess.run(
        [actionlint, "-no-color", "-shellcheck=", "-pyflakes=", str(WORKFLOW)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _make_targets():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", text, re.M))


def _make_calls(script):
    """The targets of every `make` command in a shell script (variables and flags skipped)."""
    targets = []
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        command = []
        for word in [*lexer, ";"]:
            if word and set(word) <= set("&|;()"):  # end of a command
                while command and "=" in command[0]:  # leading VAR=value assignments
                    command.pop(0)
                if command and command[0] == "make":
                    targets += [w for w in command[1:] if "=" not in w and not w.startswith("-")]
                command = []
            else:
                command.append(word)
    return targets


def _run_lines():
    """The shell of every `run:` step of the workflow and of .ci/run."""
    import yaml

    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    scripts = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    return scripts + [(ROOT / ".ci" / "run").read_text(encoding="utf-8")]


def test_every_make_target_called_exists():
    targets = _make_targets()
    calls = [t for script in _run_lines() for t in _make_calls(script)]
    assert {"test", "pdf", "check-resolution"} <= set(calls)
    for target in calls:
        assert target in targets, f"make {target}: no such target in the Makefile"


def test_make_calls_are_parsed():
    assert _make_calls("TF=gpu make book PYTHON=python") == ["book"]
    assert _make_calls("cd x && make -j2 test\nls") == ["test"]
    assert _make_calls("echo 'a | make no' ; make clean # make not") == ["clean"]


def test_downloaded_data_are_the_files_the_package_accepts():
    """.ci/download-data.sh checks the hashes imagerec.data checks, the photo at a fixed commit."""
    script = (ROOT / ".ci" / "download-data.sh").read_text(encoding="utf-8")
    values = dict(re.findall(r"^([A-Z0-9_]+)=(\S+)$", script, re.M))
    assert values["MNIST_SHA256"] == REGISTRY["mnist.npz"][1]
    assert values["PHOTO_SHA256"] == REGISTRY["cats.jpg"][1]
    assert re.search(r"/kupav/data-sc-intro/[0-9a-f]{40}/data/cats\.jpg$", values["PHOTO_URL"])


def test_notebooks_branch_is_what_the_launch_links_open():
    """The chapters' Colab/Binder links (_ext/notebooks.py) name the branch the workflow pushes."""
    app = mock.Mock()
    notebooks.setup(app)  # the extension's default, as Sphinx receives it
    defaults = {call.args[0]: call.args[1] for call in app.add_config_value.call_args_list}
    pushes = re.findall(r"git push --force origin (\S+)", "\n".join(_run_lines()))
    assert pushes == [defaults["notebooks_branch"]]


# --- .ci/install-system-packages.sh --------------------------------------------------------

def test_system_packages_found_quickly_when_there():
    """Where everything is installed (make test ran the script first), it only looks."""
    start = time.monotonic()
    result = subprocess.run([str(SYSTEM_PACKAGES), "--check"], capture_output=True, text=True)
    elapsed = time.monotonic() - start
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).exists()
    assert elapsed < 5


def test_system_packages_refuse_a_wrong_chromium():
    env = {**os.environ, "IMAGEREC_CHROMIUM": "/nonexistent/chromium"}
    result = subprocess.run([str(SYSTEM_PACKAGES), "--check"], capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert "IMAGEREC_CHROMIUM=/nonexistent/chromium" in result.stderr
    assert "apt-get install" not in result.stderr + result.stdout


def test_system_packages_name_what_to_install_where_they_cannot(tmp_path):
    """Without apt-get (and without the tools), it stops and names the missing packages."""
    for tool in ("bash", "env", "tr", "grep", "uname"):
        (tmp_path / tool).symlink_to(shutil.which(tool))
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path)}
    result = subprocess.run(
        ["bash", str(SYSTEM_PACKAGES)], capture_output=True, text=True, env=env,
        executable=shutil.which("bash"),
    )
    assert result.returncode == 1
    assert result.stdout == ""
    for package in ("chromium", "poppler-utils", "latexmk", "texlive-xetex", "fonts-dejavu-core"):
        assert package in result.stderr


# --- the platforms (pyproject.toml's markers, as .ci/check_resolution.py reads them) --------

@pytest.mark.parametrize("target, tensorflow", [
    ("linux-x86_64", {"tensorflow-cpu"}),
    ("windows-x86_64", {"tensorflow-cpu"}),
    ("macos-arm64", {"tensorflow"}),
    ("linux-aarch64", {"tensorflow"}),
])
@pytest.mark.parametrize("python", ["3.11", "3.13"])
def test_cpu_extra_chooses_the_tensorflow_that_has_wheels(target, tensorflow, python):
    requirements = check_resolution.requirements(["cpu"])
    env = check_resolution.marker_environment(target, python)
    assert check_resolution.expected_tensorflow(requirements, env) == tensorflow


def test_constraints_pin_the_tensorflow_of_every_platform():
    constraints = ROOT / "constraints.txt"
    for target in check_resolution.TARGETS:
        env = check_resolution.marker_environment(target, "3.12")
        chosen = check_resolution.expected_tensorflow(check_resolution.requirements(["cpu"]), env)
        assert chosen <= check_resolution.pinned(constraints, env), target


def test_lowest_versions_are_the_declared_bounds():
    """constraints-min.txt pins each direct dependency at the `>=` bound of pyproject.toml."""
    from pip._vendor.packaging.requirements import Requirement

    bounds = {}
    for line in check_resolution.requirements(["cpu", "book", "test"]):
        req = Requirement(line)
        lower = [s.version for s in req.specifier if s.operator == ">="]
        bounds[check_resolution._canonical(req.name)] = lower[0]
    pins = {}
    for line in (ROOT / "constraints-min.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            req = Requirement(line)
            pins[check_resolution._canonical(req.name)] = next(iter(req.specifier)).version
    assert set(pins) == set(bounds)
    for name, bound in bounds.items():
        # A bound may omit trailing zeros (numpy>=2.0 pins 2.0.0) or a build suffix.
        assert pins[name] == bound or pins[name].startswith(bound + "."), (name, bound, pins[name])
