"""Alt text for the gallery's figures, written by the scripts themselves.

sphinx-gallery's Matplotlib scraper takes a figure's alt text from its titles, or else
from its file name ("plot learning curves"), neither of which says what the figure
shows. With :func:`matplotlib_scraper` (``image_scrapers`` in ``conf.py``) a gallery
script states it as the figure's label, which Matplotlib keeps but does not draw::

    fig = plot_history(histories("A", "B"))
    fig.set_label("Learning curves of networks A and B: ...")

A figure without a label stops the build with a message that says so. The thumbnails
of the gallery's index page, which sphinx-gallery gives an empty alt, get the alt text of
the figure they show (:func:`name_thumbnails`).
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx_gallery.scrapers import matplotlib_scraper as _sphinx_gallery_scraper

THUMBNAIL = re.compile(r"/thumb/sphx_glr_(\w+)_thumb\.\w+$")
THUMBNAIL_NUMBER = re.compile(r"^# sphinx_gallery_thumbnail_number = (\d+)", re.M)
FIGURE_ALT = re.compile(
    r"^[ *]*\.\. image-sg:: \S*sphx_glr_\w+?_(\d{3})\.\w+\n\s+:alt: (.*)$", re.M
)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def matplotlib_scraper(block, block_vars, gallery_conf, **kwargs):
    """sphinx-gallery's Matplotlib scraper, with each figure's label as its alt text."""
    import matplotlib.pyplot as plt

    numbers = plt.get_fignums()
    alts = [_one_line(plt.figure(n).get_label()) for n in numbers]
    script = Path(block_vars.get("src_file", "a gallery script")).name
    if not all(alts):
        raise ExtensionError(
            f"{script}: a figure has no alt text; set it with fig.set_label('what the "
            "figure shows') before the end of the code block"
        )
    rst = _sphinx_gallery_scraper(block, block_vars, gallery_conf, **kwargs)
    lines = iter(alts)
    return re.sub(r"(:alt: ).*", lambda m: m[1] + next(lines), rst)


def thumbnail_alt(example_rst: str, script: str) -> str | None:
    """The alt text of the figure that an example's thumbnail shows, or None.

    ``example_rst`` is the page sphinx-gallery wrote for the example, ``script`` the
    example's source, whose ``# sphinx_gallery_thumbnail_number = N`` picks the figure
    (default: the first).
    """
    number = THUMBNAIL_NUMBER.search(script)
    alts = {int(n): alt for n, alt in FIGURE_ALT.findall(example_rst)}
    return alts.get(int(number[1]) if number else 1)


def name_thumbnails(app, doctree):
    """``doctree-read``: give each gallery thumbnail the alt text of its figure."""
    conf = app.config.sphinx_gallery_conf
    source = Path(app.srcdir, conf["examples_dirs"])
    output = Path(app.srcdir, conf["gallery_dirs"])
    for image in doctree.findall(nodes.image):
        match = THUMBNAIL.search(image.get("uri", ""))
        if image.get("alt") or not match:
            continue
        name = match[1]
        example, script = output / f"{name}.rst", source / f"{name}.py"
        if example.is_file() and script.is_file():
            alt = thumbnail_alt(example.read_text("utf-8"), script.read_text("utf-8"))
            if alt:
                image["alt"] = f"Thumbnail: {alt}"


def setup(app):
    app.connect("doctree-read", name_thumbnails)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
