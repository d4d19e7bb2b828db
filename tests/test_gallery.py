"""Every gallery script runs on its own, in a fresh interpreter, and draws figures.

The scripts run in a subprocess with ``MPLBACKEND=Agg``, from an empty working folder, the
package found through ``PYTHONPATH``. A script that reads data (the photo, MNIST or the
trained networks) gets ``IMAGEREC_DATA_DIR`` and fails the test (never skips) when that is
not set. The scripts that use trained networks run in quick mode and read them from the
training cache of the suite's quick build (training and caching are tested in
tests/test_experiments.py). The other scripts run without ``IMAGEREC_DATA_DIR``: they must
not need data.
"""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GALLERY = ROOT / "gallery"
SCRIPTS = sorted(GALLERY.glob("plot_*.py"))

# Runs the script as ``python script.py`` would (``__name__ == "__main__"``), then reports
# how many figures it left open for sphinx-gallery to capture.
RUNNER = """
import runpy, sys
path = sys.argv[1]
sys.argv = [path]
runpy.run_path(path, run_name="__main__")
import matplotlib.pyplot as plt
print("GALLERY-FIGURES", len(plt.get_fignums()))
"""

USES_DATA = re.compile(r"^\s*(from|import)\s+imagerec(\.book)?(\.|\s+import\s+)(data|experiments)\b", re.MULTILINE)
TRAINS = re.compile(r"^\s*(from|import)\s+imagerec(\.book)?(\.|\s+import\s+)experiments\b", re.MULTILINE)


def _docstring(script: Path) -> str:
    return ast.get_docstring(ast.parse(script.read_text(encoding="utf-8")), clean=True) or ""


def test_gallery_has_header_and_scripts():
    assert (GALLERY / "README.rst").is_file()
    header = (GALLERY / "README.rst").read_text(encoding="utf-8").splitlines()
    title = header.index("Gallery of figures")
    assert header[title + 1] == "=" * len("Gallery of figures")
    names = {script.name for script in SCRIPTS}
    assert {
        "plot_filters.py", "plot_kernel_at_pixel.py", "plot_padding.py", "plot_channels.py",
        "plot_pooling.py", "plot_dropout.py", "plot_learning_curves.py",
    } <= names


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_script_starts_with_rst_title(script):
    lines = _docstring(script).splitlines()
    assert len(lines) >= 3, f"{script.name}: the docstring needs a title and a paragraph"
    title, underline = lines[0], lines[1]
    assert title.strip() and underline == "=" * len(title), f"{script.name}: title not underlined with '='"
    source = script.read_text(encoding="utf-8")
    assert "# %%" in source, f"{script.name}: no '# %%' sections"
    assert "plt.show(" not in source


def test_data_detection_sees_the_scripts_that_need_data():
    uses_data = {script.name for script in SCRIPTS if USES_DATA.search(script.read_text(encoding="utf-8"))}
    assert {"plot_filters.py", "plot_learning_curves.py"} <= uses_data
    assert "plot_pooling.py" not in uses_data
    trains = {script.name for script in SCRIPTS if _trains(script)}
    assert "plot_learning_curves.py" in trains and "plot_filters.py" not in trains


def _trains(script: Path) -> bool:
    return bool(TRAINS.search(script.read_text(encoding="utf-8")))


def _run_standalone(script: Path, tmp_path: Path, env: dict) -> None:
    env = {**{key: value for key, value in os.environ.items() if not key.startswith("IMAGEREC_")}, **env}
    env["MPLBACKEND"] = "Agg"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    work = tmp_path / "work"
    work.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(script)],
        cwd=work, env=env, capture_output=True, text=True, timeout=1800,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{script.name} failed:\n{output[-4000:]}"
    figures = re.search(r"GALLERY-FIGURES (\d+)", result.stdout)
    assert figures and int(figures.group(1)) >= 1, f"{script.name} drew no figure"
    assert not any(work.iterdir()), f"{script.name} wrote files into the working folder"


@pytest.mark.parametrize("script", [s for s in SCRIPTS if not _trains(s)], ids=lambda path: path.name)
def test_script_runs_standalone(script, tmp_path, request):
    env = {"IMAGEREC_CACHE_DIR": str(tmp_path / "cache")}
    if USES_DATA.search(script.read_text(encoding="utf-8")):
        env["IMAGEREC_DATA_DIR"] = str(request.getfixturevalue("data_dir"))  # fails when unset
    _run_standalone(script, tmp_path, env)


@pytest.mark.parametrize("script", [s for s in SCRIPTS if _trains(s)], ids=lambda path: path.name)
def test_script_with_networks_runs_standalone(script, tmp_path, data_dir, quick_book_cache):
    env = {"IMAGEREC_DATA_DIR": str(data_dir), "IMAGEREC_QUICK": "1"}
    if quick_book_cache:  # else (IMAGEREC_BOOK_HTML): the user's cache, as make quick-book used
        env["IMAGEREC_CACHE_DIR"] = quick_book_cache
    _run_standalone(script, tmp_path, env)
