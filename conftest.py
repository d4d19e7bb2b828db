"""Test-session settings shared by the doctests and ``tests/``.

Matplotlib draws off-screen and TensorFlow keeps its start-up chatter to itself.
"""

import os

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
