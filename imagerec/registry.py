"""The book's networks, by name: one table that everything else reads.

Each network is one :class:`Network` in :data:`NETWORKS`: its name, the function of
:mod:`imagerec.models` that returns it as plain Keras, and what the build needs to know to
train it. The rest is derived from this table: :func:`imagerec.models.build` and
:func:`~imagerec.models.describe` (the parameters counted from the built network), each
network's settings and the order the build trains them in (:mod:`imagerec.book.settings`),
the seeds trained at once (:mod:`imagerec.book.experiments`), the choices of
``python -m imagerec train``, the networks a digit panel accepts (``_ext/panels.py``) and
the table of networks on the reference page (:mod:`imagerec.models`).

Adding a network is one function ``network_<name>`` in :mod:`imagerec.models` and one
entry here. This module imports no Keras: the settings and the command line read it before
TensorFlow is loaded.

Examples
--------
>>> names("course")
('mnist01', 'A', 'B', 'C', 'D')
>>> network("conv+")
Network(name='conv+', function='network_conv_plus', role='exercise', binary=False, convolutional=True, epochs=5, seeds=1)

The table, as :data:`NETWORKS` holds it now:
"""

from __future__ import annotations

import dataclasses

from imagerec import _checks

__all__ = ["NETWORKS", "ROLES", "Network", "names", "network"]

ROLES = ("course", "control", "exercise")
"""Why the book has a network: the course's lessons, a control that tests a claim, an exercise's solution."""


@dataclasses.dataclass(frozen=True)
class Network:
    """One of the book's networks.

    Attributes
    ----------
    name : str
        The name the chapters, the training cache and the command line know it by.
    function : str
        The function of :mod:`imagerec.models` that returns it, not compiled, as plain Keras
        (``"network_d"``); :func:`imagerec.models.build` calls it by this name.
    role : {"course", "control", "exercise"}, default "course"
        A network of the course's lessons, one the book adds to test a claim (``A-relu``),
        or the solution of an exercise (:data:`ROLES`).
    binary : bool, default False
        One logit that separates zeros from ones (``mnist01``), instead of ten logits for
        the ten digits.
    convolutional : bool, default False
        Whether it has convolutional layers; the process that trains it then uses
        TensorFlow's oneDNN kernels (:func:`imagerec.book.settings.onednn`), a choice made
        before Keras is imported, so it is stated here (a test checks it against the layers).
    epochs : int or None, default None
        At most this many epochs in the build (the exercise networks: fewer than the
        lessons' 50 keep the build short); None: the build's epochs.
    seeds : int, default 1
        Seeds trained at once, side by side (:func:`imagerec.book.experiments.run_seeds`).
    """

    name: str
    function: str
    role: str = "course"
    binary: bool = False
    convolutional: bool = False
    epochs: int | None = None
    seeds: int = 1

    def __post_init__(self):
        _checks.one_of(self.role, ROLES, "role")


NETWORKS = {network.name: network for network in (
    Network("mnist01", "network_mnist01", binary=True),
    Network("A", "network_a"),
    Network("B", "network_b", seeds=3),
    Network("C", "network_c", seeds=3),
    Network("D", "network_d", convolutional=True),
    Network("A-relu", "network_a_relu", role="control"),
    Network("dense+", "network_dense_plus", role="exercise", epochs=10),
    Network("conv+", "network_conv_plus", role="exercise", convolutional=True, epochs=5),
)}
"""The book's networks by name: the course's in the order the lessons introduce them, then
the control and the exercises' networks."""


def network(name) -> Network:
    """The entry of network ``name``; ValueError listing the known names if there is none.

    Examples
    --------
    >>> network("mnist01").binary, network("B").seeds
    (True, 3)
    >>> network("E")
    Traceback (most recent call last):
    ...
    ValueError: unknown model 'E': choose one of 'mnist01', 'A', 'B', ...
    """
    return NETWORKS[_checks.one_of(name, NETWORKS, "model")]


def names(role: str | None = None) -> tuple[str, ...]:
    """The names of the networks, in the table's order; only those of ``role`` if given.

    Examples
    --------
    >>> names("control")
    ('A-relu',)
    """
    return tuple(name for name, entry in NETWORKS.items() if role is None or entry.role == role)


def _table() -> str:
    """:data:`NETWORKS` as a table for the reference page (this module's docstring ends with it)."""
    rows = [("name", "function", "role", "outputs", "convolutional", "epochs", "seeds")] + [
        (f"``{n.name}``", f":func:`~imagerec.models.{n.function}`", n.role, "1 (zeros or ones)" if n.binary else "10",
         "yes" if n.convolutional else "no", str(n.epochs or "the build's"), str(n.seeds))
        for n in NETWORKS.values()
    ]
    cells = "".join("\n   * - " + "\n     - ".join(row) for row in rows)
    return f"\n.. list-table::\n   :header-rows: 1\n{cells}\n"


if __doc__:  # None under python -OO
    __doc__ += _table()
