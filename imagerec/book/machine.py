"""The processor a measurement ran on, in the words every reported figure carries.

Budgets differ between machines with AVX-512 and machines with only AVX2 (TensorFlow turns
its oneDNN kernels on by itself only on the first kind), so every benchmark prints this
beside its numbers, as the README, the speed appendix and the notebooks' set-up cell do.

>>> isinstance(describe(), str)
True
"""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu() -> dict:
    """``model``, ``family``, ``cpu_model`` (Linux's /proc/cpuinfo, else :mod:`platform`),
    ``cores``, ``avx512`` and ``avx2`` (True, False, or None where the flags cannot be read)."""
    fields, flags = {}, None
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            key, _, value = (part.strip() for part in line.partition(":"))
            if key in ("model name", "cpu family", "model") and key not in fields:
                fields[key] = value
            if key == "flags" and flags is None:
                flags = value.split()
    return {
        "model": fields.get("model name") or platform.processor() or platform.machine(),
        "family": fields.get("cpu family"),
        "cpu_model": fields.get("model"),
        "cores": os.cpu_count(),
        "avx512": None if flags is None else any(flag.startswith("avx512") for flag in flags),
        "avx2": None if flags is None else "avx2" in flags,
    }


def describe() -> str:
    """One line, e.g. ``"AMD EPYC (family 25, model 1), 2 cores, no AVX-512, AVX2"``."""
    info = cpu()
    where = f" (family {info['family']}, model {info['cpu_model']})" if info["family"] else ""
    if info["avx512"] is None:
        vector = "vector extensions unknown"
    else:
        vector = "with AVX-512" if info["avx512"] else "no AVX-512" + (", AVX2" if info["avx2"] else "")
    return f"{info['model']}{where}, {info['cores']} cores, {vector}"


if __name__ == "__main__":
    print(describe())
