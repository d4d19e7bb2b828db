"""How fast is imagerec's convolution?  The lesson's loop, the library call, OpenCV, SciPy and NumPy.

Run ``python benchmarks/bench_convolution.py`` with ``IMAGEREC_DATA_DIR`` naming the
folder that holds ``cats.jpg`` (the course photo, 202x300x3).  Every method filters the
same float64 image in [0, 1] with zero padding, in one process, and the script checks
that all of them give the same numbers:

* ``naive``: :func:`imagerec.convolution.convolve_naive`, the per-pixel loop (clipped);
* ``convolve``: :func:`imagerec.convolution.convolve`, clipped to [0, 1] as in the lesson
  (its checks, scaling and clipping around one call of ``scipy.ndimage.correlate``);
* ``convolve_raw``: the same without clipping, i.e. exactly the work OpenCV and SciPy do;
* ``opencv``: ``cv2.filter2D(image, -1, kernel, borderType=cv2.BORDER_CONSTANT)``;
* ``scipy``: ``scipy.ndimage.correlate(image, kernel[:, :, None], mode="constant")``,
  the bare library call that ``convolve`` makes;
* ``numpy``: one shifted copy of the zero-padded image per nonzero weight, added with
  NumPy (the solution of Lesson 2's exercise), without a loop over pixels.

OpenCV is optional (``pip install opencv-python-headless``); without it that row and
the ``vs_opencv`` ratios are left out.  :func:`measure` is importable, e.g. by the book's
speed appendix.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from imagerec.convolution import KERNELS, convolve, convolve_naive

#: The two kernels timed: a 3x3 and a 5x5 one.
BENCHMARK_KERNELS = ("sharpen", "blur")


def _numpy_shifts(image, kernel):
    """Zero-padded 'same' correlation with NumPy alone: one shifted copy per nonzero weight."""
    height, width = image.shape[:2]
    r = kernel.shape[0] // 2
    padded = np.pad(image, ((r, r), (r, r)) + ((0, 0),) * (image.ndim - 2))
    result = np.zeros_like(image)
    for m, n in zip(*np.nonzero(kernel)):
        result += kernel[m, n] * padded[m : m + height, n : n + width]
    return result


def _methods(kernel):
    """name -> (function of the image, whether the result is clipped to [0, 1])."""
    import scipy.ndimage

    def per_channel(image):  # SciPy's kernel needs the image's number of dimensions
        return kernel.reshape(kernel.shape + (1,) * (image.ndim - 2))

    methods = {
        "naive": (lambda image: convolve_naive(image, kernel), True),
        "convolve": (lambda image: convolve(image, kernel), True),
        "convolve_raw": (lambda image: convolve(image, kernel, clip=False), False),
    }
    try:
        import cv2

        methods["opencv"] = (
            lambda image: cv2.filter2D(image, -1, kernel, borderType=cv2.BORDER_CONSTANT),
            False,
        )
    except ImportError:
        pass
    methods["scipy"] = (
        lambda image: scipy.ndimage.correlate(image, per_channel(image), mode="constant", cval=0.0),
        False,
    )
    methods["numpy"] = (lambda image: _numpy_shifts(image, kernel), False)
    return methods


def _median_seconds(function, image, repeats: int) -> tuple[float, np.ndarray]:
    """Median wall time of ``repeats`` calls (after one untimed warm-up call), and the result."""
    result = function(image)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function(image)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure(image, repeats: int = 100, naive_repeats: int = 1) -> list[dict]:
    """Time every method on ``image`` for the sharpen (3x3) and blur (5x5) kernels.

    Parameters
    ----------
    image : numpy.ndarray
        Float image in [0, 1] (a uint8 photo is divided by 255 first), 2-D or 3-D.
    repeats : int
        Timed calls per fast method; the median is reported.
    naive_repeats : int
        Timed calls of the slow per-pixel loop (about two seconds each on the photo).

    Returns
    -------
    list of dict
        One row per kernel and method: ``kernel``, ``size`` ("3x3"), ``method``,
        ``ms`` (median milliseconds), ``vs_opencv`` (ms / OpenCV's ms, None without
        OpenCV), ``naive_speedup`` (naive ms / this ms) and ``max_difference`` (largest
        absolute difference from ``convolve`` with the same clipping).
    """
    image = np.asarray(image)
    if image.dtype.kind in "iu":
        image = image / 255.0
    image = np.ascontiguousarray(image, dtype=np.float64)
    rows = []
    for name in BENCHMARK_KERNELS:
        kernel = KERNELS[name]
        references = {True: convolve(image, kernel), False: convolve(image, kernel, clip=False)}
        timings = {}
        for method, (function, clipped) in _methods(kernel).items():
            count = naive_repeats if method == "naive" else repeats
            seconds, result = _median_seconds(function, image, count)
            timings[method] = seconds
            rows.append(
                {
                    "kernel": name,
                    "size": "{0}x{0}".format(kernel.shape[0]),
                    "method": method,
                    "ms": seconds * 1e3,
                    "max_difference": float(np.max(np.abs(result - references[clipped]))),
                }
            )
        for row in rows[-len(timings) :]:
            seconds = timings[row["method"]]
            row["vs_opencv"] = seconds / timings["opencv"] if "opencv" in timings else None
            row["naive_speedup"] = timings["naive"] / seconds
    return rows


def load_photo() -> np.ndarray:
    """The course photo from $IMAGEREC_DATA_DIR/cats.jpg as float64 in [0, 1]."""
    from PIL import Image

    folder = os.environ.get("IMAGEREC_DATA_DIR")
    if not folder:
        raise SystemExit("set IMAGEREC_DATA_DIR to the folder that holds cats.jpg")
    path = Path(folder) / "cats.jpg"
    if not path.is_file():
        raise SystemExit(f"{path} not found; IMAGEREC_DATA_DIR must name the folder that holds cats.jpg")
    with Image.open(path) as photo:
        return np.asarray(photo.convert("RGB"), dtype=np.float64) / 255.0


def main() -> int:
    image = load_photo()
    print(f"image {image.shape} float64; numpy {np.__version__}")
    rows = measure(image, repeats=200, naive_repeats=3)
    print(f"{'kernel':8} {'method':13} {'median ms':>10} {'/ opencv':>9} {'naive /':>9} {'max |diff|':>11}")
    for row in rows:
        ratio = "" if row["vs_opencv"] is None else f"{row['vs_opencv']:.2f}x"
        print(
            f"{row['kernel'] + ' ' + row['size']:8} {row['method']:13} {row['ms']:10.3f} "
            f"{ratio:>9} {row['naive_speedup']:8.0f}x {row['max_difference']:11.1e}"
        )
    worst = max(row["max_difference"] for row in rows)
    print(f"all methods agree to {worst:.1e}" if worst < 1e-12 else f"RESULTS DIFFER by {worst:.1e}")
    return 0 if worst < 1e-12 else 1


if __name__ == "__main__":
    sys.exit(main())
