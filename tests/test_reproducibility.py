"""Two trainings from cleared caches, in separate processes, give the same numbers.

This is what two quick builds in a row do for every network; it is checked here on the
smallest one, the 0-vs-1 network, through the command line.
"""

import json
import os
import subprocess
import sys



def _train_in_fresh_process(cache, data_dir):
    env = dict(os.environ, IMAGEREC_CACHE_DIR=str(cache), IMAGEREC_DATA_DIR=str(data_dir))
    done = subprocess.run(
        [sys.executable, "-m", "imagerec", "train", "mnist01", "--epochs", "2",
         "--train-size", "2000", "--test-size", "500", "--quiet"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (meta,) = (cache / "training").glob("*/meta.json")
    history = json.loads((meta.parent / "history.json").read_text())
    printed = done.stdout.strip().splitlines()[-1].split(" (")[0]  # drop the timing
    return printed, json.loads(meta.read_text())["test"], history


def test_two_fresh_trainings_print_identical_numbers(tmp_path, data_dir):
    first = _train_in_fresh_process(tmp_path / "one", data_dir)
    second = _train_in_fresh_process(tmp_path / "two", data_dir)
    assert "test accuracy" in first[0]
    assert first == second
    assert len(first[2]["loss"]) == 2
