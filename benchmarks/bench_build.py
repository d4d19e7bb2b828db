"""How long the book takes to build: from scratch, unchanged, and after editing one chapter.

The script copies this checkout (the files git tracks, and new ones it does not ignore)
into a temporary folder and builds the book there with the command of ``make book``
(``sphinx-build -W --keep-going -n -j auto``), with its own empty training cache, three times:

1. ``cold``: nothing cached, so every network is trained and every page and figure made;
2. ``unchanged``: the same command again, with nothing changed;
3. ``one chapter edited``: a sentence appended to ``book/lesson1.md``.

It prints the processor (the budgets differ with and without AVX-512), the seconds of each
build, the longest the console stayed silent, which chapters each build executed and which
networks it trained, and compares them with the budgets: a cold build at most 300 s on a
machine with AVX-512 and 420 s on one with AVX2 only, a rebuild with nothing changed at most
30 s, and no silence over 30 s. The cold build needs the data: set ``IMAGEREC_DATA_DIR``.

Usage::

    IMAGEREC_DATA_DIR=/path/to/data python benchmarks/bench_build.py           # full settings, ~8 minutes on 2 cores
    IMAGEREC_DATA_DIR=/path/to/data python benchmarks/bench_build.py --quick   # quick settings
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from imagerec.book import machine
from imagerec.book.build import ROOT, book_command, copy_sources  # shared with the tests' quick build

#: The budgets of a cold full build: on a 2-core machine with AVX-512, and with AVX2 only.
COLD_BUDGET_SECONDS = {True: 300.0, False: 420.0}
#: A rebuild with nothing changed, and the longest the console may stay silent.
REBUILD_BUDGET_SECONDS = 30.0
SILENCE_BUDGET_SECONDS = 30.0


def build(source: Path, work: Path, env: dict) -> dict:
    """Run ``make book``'s command on ``source``: its ``seconds``, the longest ``silence`` of
    its console, the chapters it ``executed`` and the networks it ``trained``."""
    command = book_command(source, work / "doctrees", work / "html")
    start = last = time.perf_counter()
    silence, lines = 0.0, []
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          bufsize=1) as process:
        for line in process.stdout:
            now = time.perf_counter()
            silence, last = max(silence, now - last), now
            lines.append(line)
    seconds = time.perf_counter() - start
    silence = max(silence, seconds - (last - start))
    log = "".join(lines)
    if process.returncode != 0:
        (work / "build.log").write_text(log)
        raise SystemExit(f"the build failed; its log is in {work / 'build.log'}:\n{log[-3000:]}")
    return {
        "seconds": seconds, "silence": silence,
        "executed": sorted(set(re.findall(r"imagerec: executed book/([\w-]+) in", log))),
        "trained": re.findall(r"imagerec: network (\S+) trained in", log),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="quick settings (IMAGEREC_QUICK=1)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its name")
    args = parser.parse_args(argv)
    if not os.environ.get("IMAGEREC_DATA_DIR"):
        print("note: IMAGEREC_DATA_DIR is not set; the build will download the data", flush=True)

    work = Path(tempfile.mkdtemp(prefix="imagerec-bench-build-"))
    try:
        source = copy_sources(work / "src")
        env = dict(os.environ, IMAGEREC_CACHE_DIR=str(work / "cache"), MPLBACKEND="Agg")
        env.pop("IMAGEREC_QUICK", None)
        if args.quick:
            env["IMAGEREC_QUICK"] = "1"
        print(f"{'quick' if args.quick else 'full'} settings on {machine.describe()}; "
              f"building a copy of {ROOT} in {work}", flush=True)
        print(f"{'build':20s} {'seconds':>8s} {'silence':>8s}   {'networks trained':40s} chapters executed",
              flush=True)
        rows = {}
        for label in ("cold", "unchanged", "one chapter edited"):
            if label == "one chapter edited":
                with open(source / "book" / "lesson1.md", "a") as chapter:
                    chapter.write("\nA sentence added by benchmarks/bench_build.py.\n")
            row = rows[label] = build(source, work, env)
            print(f"{label:20s} {row['seconds']:8.1f} {row['silence']:8.1f}   "
                  f"{', '.join(row['trained']) or '-':40s} {', '.join(row['executed']) or '-'}", flush=True)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    def verdict(value, budget):
        return f"{value:.0f} s, budget {budget:.0f} s: {'met' if value <= budget else 'NOT met'}"

    if not args.quick:  # the budgets are about the full settings
        avx512 = bool(machine.cpu()["avx512"])
        print(f"cold build ({'with' if avx512 else 'without'} AVX-512): "
              f"{verdict(rows['cold']['seconds'], COLD_BUDGET_SECONDS[avx512])}")
    print(f"unchanged rebuild: {verdict(rows['unchanged']['seconds'], REBUILD_BUDGET_SECONDS)}")
    print(f"longest silence: {verdict(max(r['silence'] for r in rows.values()), SILENCE_BUDGET_SECONDS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
