"""The book's accessibility helpers in ``_ext/``, on small inputs.

Their effect on the built book is checked in ``test_browser.py`` (axe-core, alt text);
here each helper is tested on the markup it rewrites.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from bs4 import BeautifulSoup
from sphinx.errors import ExtensionError

import accessibility  # the book's local Sphinx extensions (_ext/)
import gallery_alt

ROOT = Path(__file__).resolve().parents[1]
SIDEBAR = (
    '<ul><li><a href="gallery.html">Gallery of figures</a><details><summary>'
    '<span class="toctree-toggle" role="presentation"></span></summary><ul></ul></details></li>'
    '<li><details><summary><p class="caption">Lessons</p></summary><ul></ul></details></li></ul>'
)
EXAMPLE_RST = """\
.. image-sg:: /auto_examples/images/sphx_glr_plot_x_001.png
   :alt: First figure: a ramp
   :srcset: /auto_examples/images/sphx_glr_plot_x_001.png

.. image-sg:: /auto_examples/images/sphx_glr_plot_x_002.png
   :alt: Second figure: a step
   :srcset: /auto_examples/images/sphx_glr_plot_x_002.png
"""


def test_sidebar_toggles_are_named_after_their_entry():
    soup = accessibility.name_toggles(BeautifulSoup(SIDEBAR, "html.parser"))
    first, second = soup.find_all("summary")
    assert first["aria-label"] == "Pages in Gallery of figures"
    assert not second.has_attr("aria-label")  # its caption already names it


def test_thumbnail_alt_is_the_alt_of_the_figure_it_shows():
    assert gallery_alt.thumbnail_alt(EXAMPLE_RST, '"""Title"""\n') == "First figure: a ramp"
    script = '"""Title"""\n\n# sphinx_gallery_thumbnail_number = 2\n'
    assert gallery_alt.thumbnail_alt(EXAMPLE_RST, script) == "Second figure: a step"


def test_gallery_figure_without_alt_text_stops_the_build():
    plt.figure()
    with pytest.raises(ExtensionError, match=r"plot_x\.py: a figure has no alt text"):
        gallery_alt.matplotlib_scraper(None, {"src_file": "gallery/plot_x.py"}, {})
