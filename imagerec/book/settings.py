"""The build's settings: quick or full, the environment variable that chooses, each network's.

The book trains the networks of :mod:`imagerec.registry`. A *full* build trains them as
the course does (all 60,000 training images, 50 epochs); a *quick* build
(``IMAGEREC_QUICK=1``) trains on a small subset for a few epochs, to check that everything
runs. This module is the one place that reads ``IMAGEREC_QUICK``: ``conf.py``,
``python -m imagerec`` and :mod:`imagerec.book.experiments` all ask :func:`settings`. It
imports no TensorFlow.

Examples
--------
>>> FULL.epochs, QUICK.epochs, QUICK.train_size
(50, 3, 3000)
>>> settings_for("conv+", FULL).epochs
5
"""

from __future__ import annotations

import contextlib
import dataclasses
import os

from imagerec import _checks, registry

__all__ = [
    "FULL",
    "ONEDNN_ENV",
    "QUICK",
    "QUICK_ENV",
    "SEED_ENV",
    "Settings",
    "onednn",
    "onednn_for",
    "settings",
    "settings_for",
    "training_order",
    "use_onednn",
]

QUICK_ENV = "IMAGEREC_QUICK"
"""Environment variable choosing the build: ``1`` quick, ``0`` or unset full."""

SEED_ENV = "IMAGEREC_SEED"
"""Environment variable setting the base seed of every network (unset: 0, the lessons' runs).
The seeds of B and C are the base seed and the next two, so base seeds ten apart give
independent draws."""

ONEDNN_ENV = "TF_ENABLE_ONEDNN_OPTS"
"""TensorFlow's switch for its oneDNN kernels, read once, when TensorFlow is imported.

TensorFlow turns them on by itself only on CPUs with AVX-512-class features. Where the book
was measured they made the convolutional networks train faster and the dense networks
slower; ``benchmarks/bench_training.py --onednn`` measures both, and the speed appendix
shows this build's numbers.
"""

_CHOSEN_ENV = "IMAGEREC_ONEDNN_CHOSEN"  # set beside ONEDNN_ENV when imagerec, not the user, chose it


@dataclasses.dataclass(frozen=True)
class Settings:
    """How much data and how many epochs a run uses.

    Parameters
    ----------
    quick : bool
        Whether these are the settings of a quick build (a label shown by the book).
    train_size, test_size : int or None
        Use the first ``train_size`` training and ``test_size`` test images (after
        keeping only zeros and ones for ``mnist01``); None: all of them.
    epochs : int
        Passes over the training data.
    batch_size : int, default 32
    validation_split : float, default 0.2
        Fraction of the training images, taken from the end, used for validation.
    seed : int, default 0
        Seed of the initial weights, the shuffling and dropout.

    Examples
    --------
    >>> Settings(quick=True, train_size=500, test_size=200, epochs=1)
    Settings(quick=True, train_size=500, test_size=200, epochs=1, batch_size=32, validation_split=0.2, seed=0)
    >>> Settings(quick=False, train_size=None, test_size=None, epochs=0)
    Traceback (most recent call last):
    ...
    ValueError: Settings.epochs must be a positive integer (>= 1), got 0
    """

    quick: bool
    train_size: int | None
    test_size: int | None
    epochs: int
    batch_size: int = 32
    validation_split: float = 0.2
    seed: int = 0

    def __post_init__(self):
        if not isinstance(self.quick, bool):
            raise TypeError(f"Settings.quick must be True or False, got {self.quick!r}")
        _checks.positive_int(self.epochs, "Settings.epochs")
        _checks.positive_int(self.batch_size, "Settings.batch_size")
        for field in ("train_size", "test_size"):
            if getattr(self, field) is not None:  # None: all the images
                _checks.positive_int(getattr(self, field), f"Settings.{field}")
        _checks.fraction(self.validation_split, "Settings.validation_split")
        _checks.non_negative_int(self.seed, "Settings.seed")


QUICK = Settings(quick=True, train_size=3000, test_size=1000, epochs=3)
"""Quick build: the first 3,000 training and 1,000 test images, 3 epochs."""

FULL = Settings(quick=False, train_size=None, test_size=None, epochs=50)
"""Full build, as the course: all images, 50 epochs."""


def settings() -> Settings:
    """The settings chosen by the environment variables ``IMAGEREC_QUICK`` and ``IMAGEREC_SEED``.

    Returns
    -------
    Settings
        :data:`QUICK` when ``IMAGEREC_QUICK=1``; :data:`FULL` when it is ``0``,
        empty or unset (spaces around the value do not count). With ``IMAGEREC_SEED``,
        their ``seed`` is its value instead of 0 (:data:`SEED_ENV`).

    Raises
    ------
    ValueError
        Any other value of ``IMAGEREC_QUICK`` (``true``, ``yes``, ...), so that a typo does
        not start a full build of an hour by accident; an ``IMAGEREC_SEED`` that is not a
        non-negative integer.

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"IMAGEREC_QUICK": " 1 "}):
    ...     settings().epochs
    3
    >>> with mock.patch.dict(os.environ, {"IMAGEREC_QUICK": "", "IMAGEREC_SEED": "10"}):
    ...     settings().seed, settings().epochs
    (10, 50)
    >>> with mock.patch.dict(os.environ, {"IMAGEREC_QUICK": "yes"}):
    ...     settings()
    Traceback (most recent call last):
    ...
    ValueError: IMAGEREC_QUICK must be '1' (quick build) or '0' or unset (full build), got 'yes'
    """
    value = os.environ.get(QUICK_ENV, "").strip()
    if value not in ("", "0", "1"):
        raise ValueError(f"{QUICK_ENV} must be '1' (quick build) or '0' or unset (full build), got {value!r}")
    chosen_settings = QUICK if value == "1" else FULL
    seed = os.environ.get(SEED_ENV, "").strip()
    if not seed:
        return chosen_settings
    if not seed.isdigit():
        raise ValueError(f"{SEED_ENV} must be a non-negative integer (the base seed), got {seed!r}")
    return dataclasses.replace(chosen_settings, seed=int(seed))


def onednn(name: str | None = None) -> str:
    """The value of ``TF_ENABLE_ONEDNN_OPTS`` for a process that trains network ``name``.

    A value the user set is kept. Otherwise ``"1"``, TensorFlow's oneDNN kernels, for every
    process (the build, the chapters' kernels, the tests, the command line), except a
    process that trains a network without convolutional layers (``convolutional`` in
    :mod:`imagerec.registry`): the dense networks train faster without them.

    Parameters
    ----------
    name : str, optional
        The network the process trains; None: a process that trains none in particular.

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {}, clear=True):
    ...     onednn(), onednn("D"), onednn("B")
    ('1', '1', '0')
    >>> with mock.patch.dict(os.environ, {"TF_ENABLE_ONEDNN_OPTS": "0"}, clear=True):
    ...     onednn("D")
    '0'
    """
    user = os.environ.get(ONEDNN_ENV, "").strip()
    if user and os.environ.get(_CHOSEN_ENV) != user:
        return user
    return "1" if name is None or registry.network(name).convolutional else "0"


def use_onednn(name: str | None = None) -> str:
    """Set ``TF_ENABLE_ONEDNN_OPTS`` to :func:`onednn` in this process and those it starts.

    Call it before TensorFlow is imported: TensorFlow reads the variable only then.
    Returns the value set.

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {}, clear=True):
    ...     use_onednn("B"), os.environ["TF_ENABLE_ONEDNN_OPTS"], onednn("D")
    ('0', '0', '1')
    """
    value = onednn(name)
    if os.environ.get(ONEDNN_ENV, "").strip() in ("", os.environ.get(_CHOSEN_ENV)):
        os.environ[_CHOSEN_ENV] = value  # ours, not the user's: a child process may choose again
    os.environ[ONEDNN_ENV] = value
    return value


@contextlib.contextmanager
def onednn_for(name: str):
    """Within the block, :func:`use_onednn` for network ``name``; afterwards the variables as
    they were. For starting a process that trains ``name`` (it reads them when it starts).

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {}, clear=True):
    ...     with onednn_for("B"):
    ...         inside = os.environ["TF_ENABLE_ONEDNN_OPTS"]
    ...     inside, "TF_ENABLE_ONEDNN_OPTS" in os.environ
    ('0', False)
    """
    before = {var: os.environ.get(var) for var in (ONEDNN_ENV, _CHOSEN_ENV)}
    try:
        use_onednn(name)
        yield
    finally:
        for var, old in before.items():
            if old is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = old


def chosen(config: Settings | None) -> Settings:
    """``config``, or :func:`settings` when it is None; TypeError for anything else.

    >>> chosen(QUICK) is QUICK
    True
    """
    if config is None:
        return settings()
    if not isinstance(config, Settings):
        raise TypeError(f"settings must be an imagerec.book.settings.Settings, got {type(config).__name__}")
    return config


def settings_for(name: str, config: Settings | None = None) -> Settings:
    """The settings the book trains network ``name`` with.

    The lessons' networks use ``config`` as it is; a network with ``epochs`` in the
    registry (the exercise networks) trains at most that many.

    Parameters
    ----------
    name : str
        One of :data:`imagerec.registry.NETWORKS`.
    config : Settings, optional
        Default :func:`settings` (from ``IMAGEREC_QUICK``).

    Examples
    --------
    >>> settings_for("D", FULL).epochs, settings_for("conv+", FULL).epochs
    (50, 5)
    >>> settings_for("conv+", QUICK).epochs
    3
    >>> settings_for("E", QUICK)
    Traceback (most recent call last):
    ...
    ValueError: unknown model 'E': choose one of 'mnist01', 'A', 'B', ...
    """
    config, limit = chosen(config), registry.network(name).epochs
    return config if limit is None else dataclasses.replace(config, epochs=min(config.epochs, limit))


def training_order(config: Settings | None = None) -> tuple[str, ...]:
    """The networks, longest to train first: the order the build trains them in.

    The time is estimated from the registry: epochs (:func:`settings_for`) times seeds, four
    times that for a convolutional network and a fifth for a binary one (it trains on the
    zeros and ones only): close to the order of the times ``benchmarks/README.md`` measured.

    >>> training_order(FULL)[:4]
    ('D', 'B', 'C', 'A')
    """
    def work(network):
        slower = 4 if network.convolutional else 0.2 if network.binary else 1
        return settings_for(network.name, config).epochs * network.seeds * slower

    return tuple(network.name for network in sorted(registry.NETWORKS.values(), key=work, reverse=True))
