"""The command line ``python -m imagerec train``."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from imagerec import __main__ as cli

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args, env):
    return subprocess.run([sys.executable, "-m", "imagerec", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_train_then_load_from_cache(tmp_path, data_dir):
    env = dict(os.environ, IMAGEREC_CACHE_DIR=str(tmp_path), IMAGEREC_DATA_DIR=str(data_dir))
    args = ("train", "A", "--epochs", "1", "--train-size", "500", "--test-size", "200")
    first = run_cli(*args, env=env)
    assert first.returncode == 0, first.stderr[-3000:]
    [result] = first.stdout.strip().splitlines()
    match = re.fullmatch(r"A: test accuracy (0\.\d{4}|1\.0000), loss \d+\.\d{4} \(trained in [\d.]+ s on .+\)", result)
    assert match, first.stdout
    # without --quiet, the training reports its progress on standard error
    assert "imagerec: training A, 1 epoch\n" in first.stderr and "imagerec: A: trained, 1 epoch in " in first.stderr
    second = run_cli(*args, "--quiet", env=env)
    assert second.returncode == 0, second.stderr[-3000:]
    [line] = second.stdout.strip().splitlines()  # the result only
    assert "imagerec:" not in second.stderr
    assert "loaded from the cache" in line and f"test accuracy {match.group(1)}" in line


def test_bad_arguments_fail_fast():
    for argv in (["train", "E"], ["train", "A", "--epochs", "0"], ["train", "A", "--seed", "-1"],
                 ["train", "A", "--train-size", "1.5"], ["fit", "A"], []):
        with pytest.raises(SystemExit) as stop:
            cli.parser().parse_args(argv)
        assert stop.value.code == 2



def test_help_and_the_settings_load_no_tensorflow():
    """The command line's choices and the build's settings come from the registry, without Keras."""
    code = ("import sys, contextlib, io, imagerec.book.settings, imagerec.__main__ as cli\n"
            "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
            "    cli.parser().parse_args(['train', '--help'])\n"
            "print(sorted({'keras', 'tensorflow'} & set(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr[-2000:]
