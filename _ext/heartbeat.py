"""Say on the console what the build is doing while a chapter executes.

myst-nb executes a chapter while Sphinx reads it, for up to a minute, and its log lines
("Executing notebook ...") do not show the wait: with ``-j N`` Sphinx's reading processes
keep every log line until their whole chunk of pages is read. So this extension writes
straight to the console (standard error): a line when an executed chapter starts, one
every :data:`EVERY` seconds while it runs, and one when it is done. Pages without code
cells say nothing.
"""

from __future__ import annotations

import sys
import threading
import time

EVERY = 15.0
"""Seconds between the lines while a chapter executes."""


class Heartbeat:
    """The lines of one chapter's execution; :meth:`beat` writes one when it is due.

    Examples
    --------
    >>> import io
    >>> ticks, out = iter([0, 10, 16, 40]), io.StringIO()
    >>> heart = Heartbeat("book/lesson1", clock=lambda: next(ticks), stream=out)
    >>> heart.beat(); heart.beat(); heart.done()
    >>> print(out.getvalue(), end="")
    imagerec: executing book/lesson1
    imagerec: still executing book/lesson1 (16 s)
    imagerec: executed book/lesson1 in 40 s
    """

    def __init__(self, docname: str, *, every: float = EVERY, clock=time.monotonic, stream=None):
        self.docname, self.every, self.clock, self.stream = docname, every, clock, stream
        self.start = self.last = clock()
        self._say(f"executing {docname}")

    def _say(self, text: str) -> None:
        print(f"imagerec: {text}", file=self.stream or sys.stderr, flush=True)

    def beat(self) -> None:
        now = self.clock()
        if now - self.last >= self.every:
            self.last = now
            self._say(f"still executing {self.docname} ({now - self.start:.0f} s)")

    def done(self) -> None:
        self._say(f"executed {self.docname} in {self.clock() - self.start:.0f} s")


_running: dict[str, tuple[Heartbeat, threading.Event]] = {}


def _beat_until(heart: Heartbeat, stop: threading.Event) -> None:
    while not stop.wait(1.0):
        heart.beat()


def start(app, docname: str, source: list[str]) -> None:
    """``source-read``: start the lines of an executed chapter (in the process that reads it)."""
    if "```{code-cell}" in source[0] and docname not in _running:  # myst-nb executes it
        heart, stop = Heartbeat(docname), threading.Event()
        threading.Thread(target=_beat_until, args=(heart, stop), daemon=True).start()
        _running[docname] = heart, stop


def finish(app, doctree) -> None:
    """``doctree-read``: the chapter is executed and read."""
    entry = _running.pop(app.env.docname, None)
    if entry is not None:
        heart, stop = entry
        stop.set()
        heart.done()


def setup(app):
    app.connect("source-read", start)
    app.connect("doctree-read", finish)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
