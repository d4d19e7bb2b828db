"""Test-session settings shared by the doctests and ``tests/``.

Matplotlib draws off-screen and TensorFlow keeps its start-up chatter to itself.
"""

import os

from imagerec.book.settings import use_onednn

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
use_onednn()  # TensorFlow's oneDNN kernels in the tests too, as in the build (before TensorFlow loads)
