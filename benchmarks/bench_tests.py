"""How long the test suite takes: ``make test``'s command, against the five-minute goal.

The script runs ``python -m pytest`` (the doctests of the package and ``tests/``, as
configured in ``pyproject.toml``) with the interpreter that runs it, in this checkout,
and prints the slowest tests, the seconds of the whole run and their ratio to the goal
(at most 300 s on a 2-core machine, after installation). The browser tests need
Chromium and the data tests ``IMAGEREC_DATA_DIR``, as for ``make test``.

Usage::

    IMAGEREC_DATA_DIR=/path/to/data .venv/bin/python benchmarks/bench_tests.py
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The goal: the whole suite, after installation, in at most five minutes.
GOAL_SECONDS = 300.0


def run_suite(slowest: int = 10) -> tuple[float, str, int]:
    """Run the suite once: its seconds, pytest's report and its exit status."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--durations={slowest}"]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    return time.perf_counter() - start, result.stdout + result.stderr, result.returncode


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slowest", type=int, default=10, help="how many of the slowest tests to list (default 10)")
    args = parser.parse_args(argv)
    print(f"{os.cpu_count()} CPU cores; running the test suite of {ROOT}", flush=True)
    seconds, report, status = run_suite(args.slowest)
    slowest = re.findall(r"^\d+\.\d+s (?:setup|call|teardown) .*$", report, re.M)
    print("slowest:", *slowest, sep="\n  ")
    summary = report.strip().splitlines()[-1] if report.strip() else "(no output)"
    print(f"pytest: {summary}")
    if status != 0:
        print(report[-3000:])
        print("the suite failed: its time does not count")
        return status
    print(f"test suite: {seconds:.0f} s, {seconds / GOAL_SECONDS:.2f} times the {GOAL_SECONDS:.0f} s goal: "
          f"{'met' if seconds <= GOAL_SECONDS else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
