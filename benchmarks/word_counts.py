"""How long each chapter is to read: words on its main path, in folded blocks, in exercises.

Counts the rendered article of each built chapter (``_build/html/book/*.html`` by default),
a word being a run of letters and digits, in three parts:

* ``exercises``: the section "Exercises" and every exercise and solution box;
* ``folded``: what the reader must open to see: ``<details>`` blocks, dropdown admonitions
  ("Going further"), code cells shown folded;
* ``main path``: everything else in the article (prose, visible code and outputs).

It prints one row per chapter and a minutes column for the main path, at 200 words a
minute. The budgets (issue 20): a lesson's main path at most 7,000 words and its folded
blocks at most 2,500; "Looking inside the networks" at most 3,000 in all.

Usage::

    python benchmarks/word_counts.py                      # the full build, _build/html
    python benchmarks/word_counts.py _build/quick/html    # another build
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
WORD = re.compile(r"[^\W_]+")
WORDS_PER_MINUTE = 200
FOLDED = "details, div.dropdown, div.toggle-hidden"
EXERCISES = "section#exercises, div.exercise, div.solution"


def words(node) -> int:
    return len(WORD.findall(node.get_text(" ")))


def counts(html: str) -> dict[str, int]:
    """``{"main path": n, "folded": n, "exercises": n}`` for one page's article."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article") or soup
    for node in article.select("script, style, a.headerlink, .copybtn"):
        node.decompose()
    parts = {}
    for part, selector in (("exercises", EXERCISES), ("folded", FOLDED)):
        found = article.select(selector)
        outermost = [node for node in found if not any(parent in found for parent in node.parents)]
        parts[part] = sum(words(node) for node in outermost)
        for node in outermost:
            node.decompose()
    parts["main path"] = words(article)
    return {key: parts[key] for key in ("main path", "folded", "exercises")}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", nargs="?", default=str(ROOT / "_build" / "html"),
                        help="a built book's HTML folder (default _build/html)")
    args = parser.parse_args(argv)
    pages = sorted((Path(args.html) / "book").glob("*.html"))
    if not pages:
        parser.error(f"no chapters in {Path(args.html) / 'book'}: build the book first (make book)")
    print(f"{'chapter':12s} {'main path':>10s} {'minutes':>8s} {'folded':>8s} {'exercises':>10s}")
    for page in pages:
        row = counts(page.read_text(encoding="utf-8"))
        print(f"{page.stem:12s} {row['main path']:10,d} {row['main path'] / WORDS_PER_MINUTE:8.0f} "
              f"{row['folded']:8,d} {row['exercises']:10,d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
