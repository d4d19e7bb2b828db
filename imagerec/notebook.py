"""The chapters' hidden set-up cell, in one place.

Every chapter starts with a hidden cell that calls :func:`setup`.
"""

from __future__ import annotations

import logging
import os


def setup() -> None:
    """Prepare the kernel that runs a chapter.

    Keeps TensorFlow's log messages out of the page (its C++ log, and its Python logger,
    which writes to stdout in an interactive kernel), and draws figures inline even when
    the build runs with ``MPLBACKEND=Agg``: each figure a cell creates is shown once, at
    the end of the cell. TensorFlow is imported here, so that its start-up messages land
    in the hidden cell rather than on the page.

    Examples
    --------
    >>> from imagerec.notebook import setup
    >>> setup()
    >>> os.environ["TF_CPP_MIN_LOG_LEVEL"]
    '3'
    """
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import tensorflow as tf

    tf.get_logger().setLevel(logging.ERROR)
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:  # in a notebook, not in a plain Python process
        shell.run_line_magic("matplotlib", "inline")
