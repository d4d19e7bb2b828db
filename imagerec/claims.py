"""Claims the book's prose makes about results, checked when the book is built.

A sentence such as "the convolutional network beats every dense one" is only true if the
numbers say so. The chapters state such sentences through :func:`claim`, which checks the
condition on the results of the current build. In a full build a false claim stops the
build; in a quick build (a few epochs on a small subset) results are too noisy to support
the lessons' conclusions, so the claim is shown as not checked instead.

The sentence :func:`claim` returns is glued into the prose as an ordinary sentence; a
small mark, :data:`MARK`, says that this build checked it.
"""

MARK = "\u2713"
"""The mark after a sentence this build checked (a check mark)."""


class ClaimError(AssertionError):
    """A claim made by the prose is contradicted by the results of this build."""


def claim(statement, holds, *, quick=False):
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

    Returns
    -------
    str
        The statement as a sentence, ending in :data:`MARK` when it holds, or saying that
        this quick build does not support it.

    Raises
    ------
    ClaimError
        If the claim is false in a full build.

    Examples
    --------
    >>> claim("2 is larger than 1", 2 > 1)
    '2 is larger than 1. ✓'
    >>> claim("1 is larger than 2", 1 > 2, quick=True)
    '1 is larger than 2 (not supported by this quick build; the full build checks it).'
    >>> claim("1 is larger than 2", 1 > 2)
    Traceback (most recent call last):
    ...
    imagerec.claims.ClaimError: The text claims "1 is larger than 2", but this build's results contradict it.
    """
    if not isinstance(statement, str) or not statement:
        raise TypeError("statement must be a non-empty string stating the claim")
    if bool(holds):
        return f"{statement}. {MARK}"
    if quick:
        return f"{statement} (not supported by this quick build; the full build checks it)."
    raise ClaimError(
        f'The text claims "{statement}", but this build\'s results contradict it.'
    )
