"""The publishing workflow (.github/workflows/book.yml) is well formed.

It cannot run here; these checks read it as data: its triggers, its jobs (the GPU build of
the book, the CPU test run, the Pages deploy), pinned actions, and that every ``make``
target it calls exists in the Makefile.
"""

import re
import shlex
import sys
from pathlib import Path
from unittest import mock

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))
import notebooks  # noqa: E402 (the Sphinx extension of the chapters' notebooks)
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"


@pytest.fixture(scope="module")
def workflow():
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def _steps(workflow):
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield name, step


def _runs(job):
    return "\n".join(step.get("run", "") for step in job.get("steps", []))


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


def test_runs_on_push_and_by_hand(workflow):
    triggers = workflow["on"]
    assert "push" in triggers and "workflow_dispatch" in triggers


def test_every_job_has_steps_and_a_runner(workflow):
    assert {"build", "test", "deploy"} <= set(workflow["jobs"])
    for name, job in workflow["jobs"].items():
        assert job.get("runs-on"), f"job {name} names no runner"
        assert job.get("steps"), f"job {name} has no steps"
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), f"{name}: a step needs uses or run"


def test_build_job_makes_the_book_on_a_gpu_runner(workflow):
    build = workflow["jobs"]["build"]
    labels = build["runs-on"]
    labels = [labels] if isinstance(labels, str) else labels
    assert "gpu" in " ".join(labels).lower()
    script = _runs(build)
    assert "make book" in script
    assert re.search(r"\bTF=gpu\b", script)
    uses = [step.get("uses", "") for step in build["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "_build/html"
    cache = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/cache@"))
    assert "~/.cache/imagerec" in cache["with"]["path"] and "~/.keras" in cache["with"]["path"]
    assert "IMAGEREC_REPOSITORY_URL" in build.get("env", {})


def test_test_job_runs_make_test_on_cpu_with_checked_data(workflow):
    test = workflow["jobs"]["test"]
    assert test["runs-on"] == "ubuntu-latest"
    script = _runs(test)
    assert "test" in _make_calls(script)
    assert "TF=gpu" not in script
    for name in ("mnist.npz", "cats.jpg"):
        assert re.search(rf"curl .*{re.escape(name)}", script.replace("\\\n", " "))
    # The published hashes (shared/data/README.md): Keras's mnist.npz, the course's photo.
    assert "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1" in script
    assert "674ae84a7a736475bfd28062b8e90b1482329fa5483d14d29b16af60cdaf6526" in script
    assert "sha256sum" in script and "IMAGEREC_DATA_DIR" in script


def test_deploy_job_publishes_the_pages_artifact(workflow):
    deploy = workflow["jobs"]["deploy"]
    needs = deploy["needs"]
    assert "build" in ([needs] if isinstance(needs, str) else needs)
    permissions = {**workflow.get("permissions", {}), **deploy.get("permissions", {})}
    assert permissions.get("pages") == "write"
    assert permissions.get("id-token") == "write"
    assert deploy["environment"]["name"] == "github-pages"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])


def test_notebooks_branch_is_what_the_launch_links_open(workflow):
    """The chapters' Colab/Binder links (_ext/notebooks.py) name the `notebooks` branch."""
    job = workflow["jobs"]["notebooks"]
    assert job["permissions"].get("contents") == "write"
    script = _runs(job)
    assert "git push --force origin notebooks" in script
    assert "requirements.txt" in script and "runtime.txt" in script  # for Binder
    app = mock.Mock()
    notebooks.setup(app)  # the extension's default, as Sphinx receives it
    defaults = {call.args[0]: call.args[1] for call in app.add_config_value.call_args_list}
    assert defaults["notebooks_branch"] == "notebooks"


def test_every_action_is_pinned_to_a_version_tag(workflow):
    for name, step in _steps(workflow):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+(\.\d+){0,2}", step["uses"]), (
                f"{name}: {step['uses']} is not pinned to a version tag"
            )


def test_every_make_target_exists(workflow):
    targets = _make_targets()
    assert {"book", "test"} <= targets
    calls = [t for _, step in _steps(workflow) for t in _make_calls(step.get("run", ""))]
    assert calls, "the workflow runs no make target"
    for target in calls:
        assert target in targets, f"make {target}: no such target in the Makefile"


def test_make_calls_are_parsed():
    assert _make_calls("TF=gpu make book PYTHON=python") == ["book"]
    assert _make_calls("cd x && make -j2 test\nls") == ["test"]
    assert _make_calls("echo 'a | make no' ; make clean # make not") == ["clean"]
