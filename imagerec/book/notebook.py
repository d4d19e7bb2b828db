"""The chapters' hidden cells: their set-up, and the ``glue`` that feeds the text.

Every chapter starts with a hidden cell that calls :func:`setup`. Hidden cells pass the
numbers the text quotes to myst-nb with :func:`glue`; the chapters' notebooks run without
myst-nb, and there :func:`glue` does nothing.
"""

from __future__ import annotations

import logging
import os


def glue(name: str, value, display: bool = True):
    """Keep ``value`` under ``name`` for the text (myst-nb's ``glue``), where myst-nb runs.

    Examples
    --------
    >>> glue("answer", 42, display=False)
    """
    try:
        from myst_nb import glue as myst_nb_glue
    except ImportError:  # a notebook outside the book's build: nothing to feed
        return None
    return myst_nb_glue(name, value, display=display)


def setup() -> None:
    """Prepare the kernel that runs a chapter.

    Keeps TensorFlow's log messages out of the page (its C++ log, and its Python logger,
    which writes to stdout in an interactive kernel), and draws figures inline even when
    the build runs with ``MPLBACKEND=Agg``: each figure a cell creates is shown once, at
    the end of the cell. TensorFlow is imported here, so that its start-up messages land
    in the hidden cell rather than on the page.

    Examples
    --------
    >>> from imagerec.book.notebook import setup
    >>> setup()
    >>> os.environ["TF_CPP_MIN_LOG_LEVEL"]
    '3'
    """
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import tensorflow as tf

    tf.get_logger().setLevel(logging.ERROR)
    from IPython import get_ipython

    shell = get_ipython()
    if getattr(shell, "kernel", None) is not None:  # in a notebook's kernel, not plain Python
        shell.run_line_magic("matplotlib", "inline")
