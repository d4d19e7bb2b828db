"""MyST Markdown to the plain Markdown that Jupyter and Colab render.

The chapters' text cells are MyST: roles such as ``{glue:text}`name``` and ``{term}`word```,
directives such as ``{exercise}`` and ``{package-code}``, labels such as ``(name)=``. A
notebook shows all of that as raw markup. :class:`Converter` rewrites it, using what the
build knows (:class:`Context`): glued values become the numbers of this build, terms and
cross-references become plain text (or links to the published pages, when their address is
known), citations become "(Author, year)" with the references listed at the end, an
admonition becomes a quotation, a folded block an HTML ``<details>`` block, an exercise a
heading, a listing the code it shows, an in-page panel a sentence linking the page.

Markup it does not know raises :class:`UnknownMarkup`, so that a chapter which starts using
a new role or directive fails the build instead of leaking raw markup into the notebooks.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Callable

import editions

ROLE = re.compile(r"\{(?P<name>[a-z][\w:-]*)\}`(?P<content>[^`]*)`")
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}[ \t]*(?P<args>.*)$")
TARGET = re.compile(r"^\([\w-]+\)=\s*$")
MATH_LABEL = re.compile(r"^(?P<body>.*\$\$)[ \t]*\((?P<label>[\w-]+)\)[ \t]*$")

SOLUTION_NOTE = f"*{editions.NOTE}*"  # where the student edition had a solution

PANEL_TEXT = {
    "digit-panel": "draw a digit with the mouse and see what the book's networks predict for it",
    "convolution-panel": "filter the photo with a 3 by 3 kernel of your own",
}


class UnknownMarkup(ValueError):
    """A MyST role or directive that :class:`Converter` has no rule for."""


@dataclasses.dataclass
class Context:
    """What the build knows that the plain text needs.

    Parameters
    ----------
    glue : callable
        ``glue(name, mime)`` returns the glued value ``name`` as a string of type ``mime``
        (``"text/plain"`` or ``"text/markdown"``).
    title : callable
        ``title(kind, target)`` returns ``(text, url)`` for a cross-reference: ``kind`` is
        ``"ref"`` (a label) or ``"doc"`` (a page); ``url`` is None when the published
        address is unknown.
    equation : callable
        ``equation(label)`` returns the number of a labelled equation.
    cite : callable
        ``cite(keys, textual)`` returns the in-text citation of the bibliography ``keys``.
    code : callable
        ``code(dotted)`` returns the code that ``{package-code} dotted`` shows.
    exercise : callable
        ``exercise(label)`` returns the number the book gives the exercise ``label`` (the
        pages number exercises across the book), or None: then exercises are numbered in
        the order they come.
    page_url : str or None
        The published address of the page, for the panels' sentences.
    """

    glue: Callable[[str, str], str]
    title: Callable[[str, str], tuple[str, str | None]]
    equation: Callable[[str], str]
    cite: Callable[[list[str], bool], str]
    code: Callable[[str], str]
    exercise: Callable[[str], str | None] = lambda label: None
    page_url: str | None = None


class Converter:
    """Rewrite MyST text for Jupyter; exercises are numbered in the order they come."""

    def __init__(self, context: Context, *, student: bool = False):
        self.context = context
        self.student = student  # the student edition: solutions left out
        self.exercises: dict[str, int] = {}

    # --- text -------------------------------------------------------------------------
    def convert(self, text: str) -> str:
        """The plain Markdown of the MyST ``text`` (one notebook cell)."""
        lines = text.splitlines()
        out: list[str] = []
        prose: list[str] = []  # lines of text, whose roles may run over a line break

        def flush():
            if prose:
                out.append(self.roles("\n".join(prose)))
                prose.clear()

        index = 0
        while index < len(lines):
            line = lines[index]
            match = FENCE.match(line)
            plain = re.match(r"^ *(`{3,}|~{3,})", line)
            if match or plain:
                flush()
                if match:
                    end = _closing(lines, index, match["fence"])
                    body = [l[len(match["indent"]):] for l in lines[index + 1:end]]
                    out.extend(self._directive(match["name"], match["args"].strip(), body))
                else:  # an ordinary code block: copied as it is
                    end = _closing(lines, index, plain[1])
                    out.extend(lines[index:end + 1])
                index = end + 1
                continue
            index += 1
            if TARGET.match(line) or line.lstrip().startswith("% ") or line.strip() in ("%", "+++"):
                continue
            math = MATH_LABEL.match(line)
            if math:
                body = math["body"][:-2].rstrip()
                tag = rf"\tag{{{self.context.equation(math['label'])}}}"
                prose.extend([body, tag, "$$"] if body else [tag, "$$"])
            else:
                prose.append(line)
        flush()
        return _tidy("\n".join(out))

    def roles(self, text: str) -> str:
        """``text`` with every MyST role replaced by plain text."""
        return ROLE.sub(lambda match: self._role(match["name"], match["content"]), text)

    def _role(self, name: str, content: str) -> str:
        content = " ".join(content.split())  # a role may run over a line break
        explicit = re.match(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", content, re.S)
        text, target = (explicit["text"], explicit["target"]) if explicit else (None, content)
        if name in ("glue", "glue:text"):
            key, _, spec = content.partition(":")
            return _format(self.context.glue(key, "text/plain"), spec)
        if name == "glue:md":
            key, _, fmt = content.partition(":")
            value = self.context.glue(key, "text/markdown")
            return self.convert(value) if fmt == "myst" else value
        if name == "term":
            return text if text is not None else content
        if name in ("ref", "doc"):
            title, url = self.context.title(name, target)
            shown = text if text else title
            return f"[{shown}]({url})" if url else shown
        if name == "eq":
            return f"({self.context.equation(target)})"
        if name.startswith("cite"):
            return self.context.cite([k.strip() for k in content.split(",")], name == "cite:t")
        if name == "math":
            return f"${content}$"
        raise UnknownMarkup(f"no plain-Markdown rule for the role {{{name}}} (`{content}`)")

    # --- directives --------------------------------------------------------------------
    def _directive(self, name: str, args: str, body: list[str]) -> list[str]:
        options, body = _options(body)
        content = self.convert("\n".join(body)) if body else ""
        if name in ("admonition", "note", "tip", "important", "warning", "hint", "seealso"):
            title = self.roles(args) if args else name.capitalize()
            if "dropdown" in options.get("class", ""):
                return ["<details>", f"<summary>{title}</summary>", "", content, "", "</details>", ""]
            return [f"> **{title}**", ">", *_quoted(content), ""]
        if name == "exercise":
            label = options.get("label", f"exercise-{len(self.exercises) + 1}")
            number = self.context.exercise(label) or len(self.exercises) + 1
            self.exercises[label] = number
            heading = f"### Exercise {number}" + (f": {self.roles(args)}" if args else "")
            return [heading, "", content, ""]
        if name == "solution" and self.student:
            return [SOLUTION_NOTE, ""]
        if name in ("solution-start", "solution"):
            number = self.exercises.get(args)
            heading = f"#### Solution to Exercise {number}" if number else "#### Solution"
            return [heading, "", content, ""] if content else [heading, ""]
        if name == "solution-end":
            return []
        if name == "glue:md" or name == "glue":
            key = args
            value = self.context.glue(key, "text/markdown" if name == "glue:md" else "text/plain")
            return [self.convert(value) if options.get("format") == "myst" else value, ""]
        if name == "package-code":
            code = self.context.code(args).rstrip()
            return ["```python", code, "```", "", f"*The code of `{args}`, without its docstring.*", ""]
        if name in PANEL_TEXT:
            where = f"[the book's page]({self.context.page_url})" if self.context.page_url else "the book's web page"
            return [f"> *On {where}, a panel here lets you {PANEL_TEXT[name]}. It runs in the "
                    "browser, not in this notebook.*", ""]
        if name == "math":
            return ["$$", "\n".join(body).strip(), "$$", ""]
        if name in ("code-block", "code"):
            return [f"```{args}", *body, "```", ""]
        raise UnknownMarkup(f"no plain-Markdown rule for the directive {{{name}}} {args}")


def _closing(lines: list[str], start: int, fence: str) -> int:
    """The index of the line closing the fence opened at ``start`` (same character, as long)."""
    char = fence[0]
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped and set(stripped) == {char} and len(stripped) >= len(fence):
            return index
    raise UnknownMarkup(f"the fence {fence!r} opened by {lines[start]!r} is never closed")


def _options(body: list[str]) -> tuple[dict, list[str]]:
    """A directive's options (``:key: value`` lines or a ``---`` YAML block) and the rest."""
    options = {}
    if body and body[0].strip() == "---":
        end = body.index("---", 1)
        for line in body[1:end]:
            key, _, value = line.partition(":")
            options[key.strip()] = value.strip()
        return options, body[end + 1:]
    index = 0
    while index < len(body) and re.match(r"^:[\w-]+:", body[index]):
        key, _, value = body[index][1:].partition(":")
        options[key] = value.strip()
        index += 1
    return options, body[index:]


def _format(text: str, spec: str) -> str:
    """A glued text/plain value as myst-nb's ``{glue:text}`` shows it (quotes removed)."""
    import ast

    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if not spec:
        return str(value)
    kind = spec[-1]
    if kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    else:
        value = str(value)
    return format(value, spec)


def _quoted(text: str) -> list[str]:
    return [f"> {line}" if line else ">" for line in text.splitlines()]


def _tidy(text: str) -> str:
    """No runs of blank lines, none at either end."""
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")
