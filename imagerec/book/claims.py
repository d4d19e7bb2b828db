"""Claims the book's prose makes about results, checked when the book is built.

A sentence such as "the convolutional network beats every dense one" is only true if the
numbers say so. The chapters state such sentences through :func:`claim`, which checks the
condition on the results of the current build. In a full build a false claim stops the
build; in a quick build (a few epochs on a small subset) results are too noisy to support
the lessons' conclusions, so the claim is shown as not checked instead. Outside a build
(a reader running a chapter's notebook, whose training differs from the build's) a false
claim is not an error either: :func:`claim` warns, naming the numbers, and the notebook
goes on.

The sentence :func:`claim` returns is glued into the prose as an ordinary sentence; a
small mark, :data:`MARK`, says that this build checked it. When the build names a folder
in ``IMAGEREC_CLAIMS_DIR`` (``conf.py`` does), every claim is also recorded there, with
the numbers it rested on: the appendix "Checked claims" lists them, and a claim that
fails is printed on the build's console.
"""

import json
import os
import time
import warnings
from pathlib import Path

from imagerec._checks import fail

MARK = "\u2713"
"""The mark after a sentence this build checked (a check mark)."""


class ClaimError(AssertionError):
    """A claim made by the prose is contradicted by the results of this build."""


class ClaimWarning(UserWarning):
    """A claim of the prose does not hold for the results of a run outside the book's build."""


RECORDS_ENV = "IMAGEREC_CLAIMS_DIR"
"""Environment variable naming the folder where claims are recorded (one file per process)."""


def _record(statement: str, holds: bool, quick: bool, numbers: str) -> None:
    folder = os.environ.get(RECORDS_ENV, "").strip()
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    line = json.dumps({"statement": statement, "holds": holds, "quick": quick, "numbers": numbers,
                       "time": time.time()})
    with open(Path(folder) / f"claims-{os.getpid()}.jsonl", "a", encoding="utf-8") as file:
        file.write(line + "\n")


def records(folder) -> list[dict]:
    """The claims recorded in ``folder``, the latest record of each statement, oldest first.

    Examples
    --------
    >>> import tempfile
    >>> from unittest import mock
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     with mock.patch.dict(os.environ, {RECORDS_ENV: folder}):
    ...         _ = claim("2 is larger than 1", 2 > 1, numbers="2 against 1")
    ...     [(r["statement"], r["holds"], r["numbers"]) for r in records(folder)]
    [('2 is larger than 1', True, '2 against 1')]
    """
    latest = {}
    for path in sorted(Path(folder).glob("claims-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except ValueError:  # a line cut short by a process that was stopped
                continue
            if record["statement"] not in latest or latest[record["statement"]]["time"] <= record["time"]:
                latest[record["statement"]] = record
    return sorted(latest.values(), key=lambda record: record["time"])


def claim(statement, holds, *, quick=False, numbers=""):
    """Check a claim of the prose against this build's results.

    Parameters
    ----------
    statement : str
        The claim, as the prose states it.
    holds : bool
        Whether the results of this build support it.
    quick : bool, default=False
        True in a quick build, where results are not expected to support the lessons'
        conclusions: a false claim is then reported, not raised.
    numbers : str, optional
        The numbers the claim rests on, in words ("D 98.9 %, B 97.6 %"), for the appendix
        and for the message of a claim that fails.

    Returns
    -------
    str
        The statement as a sentence, ending in :data:`MARK` when it holds, or saying that
        this quick build does not support it.

    Raises
    ------
    ClaimError
        If the claim is false in a full build of the book (one that records its claims in
        ``IMAGEREC_CLAIMS_DIR``). Outside a build a false claim gives a
        :class:`ClaimWarning` instead, and the returned sentence says it did not hold.

    Examples
    --------
    >>> claim("2 is larger than 1", 2 > 1)
    '2 is larger than 1. ✓'
    >>> claim("1 is larger than 2", 1 > 2, quick=True)
    '1 is larger than 2 (not supported by this quick build; the full build checks it).'
    >>> import tempfile
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {RECORDS_ENV: tempfile.mkdtemp()}):
    ...     claim("1 is larger than 2", 1 > 2, numbers="1 against 2")
    Traceback (most recent call last):
    ...
    imagerec.book.claims.ClaimError: The text claims "1 is larger than 2", but this build's results contradict it (1 against 2).
    """
    if not isinstance(statement, str):
        raise fail(TypeError, "statement", "a str stating the claim", type(statement).__name__)
    if not statement:
        raise fail(ValueError, "statement", "a non-empty str stating the claim", "''")
    _record(statement, bool(holds), bool(quick), str(numbers))
    if bool(holds):
        return f"{statement}. {MARK}"
    if quick:
        return f"{statement} (not supported by this quick build; the full build checks it)."
    if not os.environ.get(RECORDS_ENV, "").strip():  # a reader's run, not the book's build
        warnings.warn(
            f'The text claims "{statement}", which this run\'s results do not support'
            + (f" ({numbers})" if numbers else "") + ": training differs from run to run.",
            ClaimWarning, stacklevel=2,
        )
        return f"{statement} (the book's build checked this; this run's results differ)."
    raise ClaimError(
        f'The text claims "{statement}", but this build\'s results contradict it'
        + (f" ({numbers})." if numbers else ".")
    )
