"""``_ext/plain_markdown.py`` turns the chapters' MyST into the Markdown Jupyter renders."""

from pathlib import Path

import pytest

import plain_markdown  # a module of the book's local Sphinx extensions (_ext/)

ROOT = Path(__file__).resolve().parents[1]
GLUE = {
    ("acc", "text/plain"): "97.53",
    ("name", "text/plain"): "'model D'",
    ("table", "text/markdown"): "| a | b |\n|---|---|\n| {term}`x <y>` | 2 |",
}


def _converter(page_url=None, student=False):
    context = plain_markdown.Context(
        glue=lambda key, mime: GLUE[key, mime],
        title=lambda kind, target: (f"Title of {target}", None),
        equation=lambda label: {"loss": "3"}[label],
        cite=lambda keys, textual: "Smith (2020)" if textual else "(Smith, 2020)",
        code=lambda dotted: f"def {dotted.rpartition('.')[2]}():\n    return 1\n",
        page_url=page_url,
    )
    return plain_markdown.Converter(context, student=student)


def test_roles_become_text_with_this_builds_values():
    text = (
        "Accuracy {glue:text}`acc:.1f` % for {glue:text}`name`; a {term}`logit` and "
        "{term}`epochs <epoch>`, see {ref}`the loss <l1-loss>`, {doc}`glossary`, {eq}`loss` "
        "and {cite:p}`smith2020`; {cite:t}`smith2020` says so."
    )
    assert _converter().convert(text) == (
        "Accuracy 97.5 % for model D; a logit and epochs, see the loss, Title of glossary, (3) "
        "and (Smith, 2020); Smith (2020) says so."
    )


def test_labels_comments_and_equation_labels():
    text = "(l1-loss)=\n% a comment\n## Loss\n\n$$\nL = 1\n$$ (loss)\n"
    assert _converter().convert(text) == "## Loss\n\n$$\nL = 1\n\\tag{3}\n$$"


def test_admonitions_folds_and_listings():
    text = "\n".join([
        ":::{admonition} Going further: depth",
        ":class: dropdown",
        "",
        "Folded {term}`text`.",
        ":::",
        "",
        "```{admonition} Note",
        "Quoted.",
        "```",
        "",
        "```{package-code} imagerec.models.network_d",
        "```",
    ])
    out = _converter().convert(text)
    assert "<details>\n<summary>Going further: depth</summary>\n\nFolded text.\n\n</details>" in out
    assert "> **Note**\n>\n> Quoted." in out
    assert "```python\ndef network_d():\n    return 1\n```" in out
    assert "{" not in out and ":::" not in out


def test_glued_markdown_is_converted_too():
    out = _converter().convert("```{glue:md} table\n:format: myst\n```")
    assert out == "| a | b |\n|---|---|\n| x | 2 |"


def test_exercises_are_numbered_and_solutions_headed():
    converter = _converter()
    out = converter.convert(
        "```{exercise}\n:label: ex-a\n\nFirst.\n```\n\n```{exercise} Harder\n:label: ex-b\n\nSecond.\n```"
    )
    assert out == "### Exercise 1\n\nFirst.\n\n### Exercise 2: Harder\n\nSecond."
    assert converter.convert("```{solution-start} ex-b\n:class: dropdown\n```") == "#### Solution to Exercise 2"
    assert converter.convert("```{solution-end}\n```") == ""


def test_the_student_edition_drops_a_whole_solution_directive():
    out = _converter(student=True).convert("```{solution} ex-a\nThe answer is 4.\n```")
    assert "4" not in out and "teacher's edition" in out


def test_panels_become_a_sentence_linking_the_page():
    assert "https://book.example/lesson1.html" in _converter("https://book.example/lesson1.html").convert(
        "```{digit-panel}\n:network: B\n```"
    )
    assert "web page" in _converter().convert("```{convolution-panel}\n```")


def test_code_blocks_are_copied_untouched():
    text = "```python\nprint('{term}`x`')\n```"
    assert _converter().convert(text) == text


@pytest.mark.parametrize("text", ["{abbr}`CNN (convolutional network)`", "```{figure} a.png\n```"])
def test_unknown_markup_is_an_error_not_raw_text(text):
    with pytest.raises(plain_markdown.UnknownMarkup, match="abbr|figure"):
        _converter().convert(text)


def test_an_unclosed_fence_is_an_error():
    with pytest.raises(plain_markdown.UnknownMarkup, match="never closed"):
        _converter().convert("```{exercise}\nNo end")


def test_a_role_may_run_over_a_line_break():
    assert _converter().convert("See {ref}`the network\nabove <l1-net>` and {term}`a\nlogit <logit>`.") == (
        "See the network above and a logit.")


def test_exercises_take_the_numbers_the_book_gives_them():
    converter = _converter()
    converter.context.exercise = {"ex-a": 7}.get
    out = converter.convert("```{exercise}\n:label: ex-a\n\nText.\n```\n\n```{solution-start} ex-a\n```")
    assert out == "### Exercise 7\n\nText.\n\n#### Solution to Exercise 7"
