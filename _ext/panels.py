"""Panels a reader can try in the page, offline: draw a digit, convolve the photo.

Two directives place them in a chapter::

    ```{digit-panel} D
    ```

    ```{convolution-panel}
    ```

``digit-panel NAME`` shows a canvas to draw a digit on, the 28x28 image network NAME
receives (made from the strokes as :mod:`imagerec.drawing` describes) and the network's
ten probabilities. ``convolution-panel`` shows a 3x3 kernel the reader types, and the
course photo filtered with it as :func:`imagerec.convolution.convolve` does.

Both run in the browser, with the code in ``_static/panels/`` and no request to any other
host. What they need from the build is written next to the page when the build finishes:

* ``<page>-network-NAME.js``: the weights this build trained for NAME (from the training
  cache, :func:`imagerec.book.experiments.run`), as base64 float32 arrays, with the build mode
  (quick or full) the panel reports;
* ``<page>-photo.js``: the course photo (:func:`imagerec.data.load_image`) as a PNG data URL.

Both are scripts that assign a global (``window.imagerecPanels``) rather than JSON files:
browsers refuse ``fetch()`` of a file next to a page opened from ``file://``, and a photo
from a file would taint the canvas the panel reads its pixels from.
"""

from __future__ import annotations

import base64
import html
import io
import json
import posixpath
from pathlib import Path

import numpy as np
from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

# Layers the in-page forward pass (_static/panels/network.js) knows.
_ACTIVATIONS = {"linear", "relu", "sigmoid", "softmax"}
_SCRIPTS = (
    "panels/dom.js", "panels/network.js", "panels/drawing.js",
    "panels/digit-panel.js", "panels/convolution-panel.js",
)


def _panels(env) -> dict:
    """Per document: the networks its digit panels show, and whether it convolves the photo."""
    if not hasattr(env, "imagerec_panels"):
        env.imagerec_panels = {}
    return env.imagerec_panels


def _note(env, docname: str, what: str) -> None:
    _panels(env).setdefault(docname, set()).add(what)


def _data_script(docname: str, what: str) -> str:
    """Name of the data file of a panel, beside the page ``docname``."""
    return f"{posixpath.basename(docname)}-{what}.js"


def _panel(kind: str, title: str, noscript: str, data_src: str, attributes: str = "") -> nodes.raw:
    """The panel's container: a title, what it would show without JavaScript, and its data."""
    markup = (
        f'<section class="imagerec-panel imagerec-{kind}-panel" aria-label="{html.escape(title)}"{attributes}>\n'
        f'<p class="imagerec-panel-title">{html.escape(title)}</p>\n'
        f'<noscript><p>{html.escape(noscript)}</p></noscript>\n'
        f'<script src="{html.escape(data_src)}"></script>\n'
        "</section>\n"
    )
    return nodes.raw("", markup, format="html")


class DigitPanel(SphinxDirective):
    """``{digit-panel} NAME``: draw a digit, see what network NAME makes of it."""

    required_arguments = 1
    has_content = False

    def run(self):
        from imagerec import registry

        name = self.arguments[0]
        ten_digits = [n for n, network in registry.NETWORKS.items() if not network.binary]
        if name not in ten_digits:
            known = ", ".join(ten_digits)
            raise self.error(f"digit-panel: {name!r} is not a ten-digit network of the book; use one of {known}")
        _note(self.env, self.env.docname, f"network-{name}")
        noscript = (
            f"With JavaScript on, this panel lets you draw a digit with the mouse, a pen or a finger, "
            f"shows the 28 × 28 image network {name} receives, and the probability it gives to each "
            f"of the ten digits, computed in the page with the weights this build trained."
        )
        data = _data_script(self.env.docname, f"network-{name}")
        return [_panel("digit", f"Try it: draw a digit for network {name}", noscript, data,
                       f' data-network="{html.escape(name)}"')]


class ConvolutionPanel(SphinxDirective):
    """``{convolution-panel}``: type a 3x3 kernel, see the photo filtered with it."""

    required_arguments = 0
    has_content = False

    def run(self):
        _note(self.env, self.env.docname, "photo")
        noscript = (
            "With JavaScript on, this panel lets you type the nine weights of a 3 × 3 kernel (or "
            "pick sharpen, edges or blur) and shows the photo filtered with it, clipped to 0–255, "
            "next to the original."
        )
        data = _data_script(self.env.docname, "photo")
        return [_panel("convolution", "Try it: filter the photo with your own kernel", noscript, data)]


# --- the data files -------------------------------------------------------------------------


def _b64(array) -> str:
    """Little-endian float32 bytes of an array, in base64."""
    return base64.b64encode(np.ascontiguousarray(array, dtype="<f4").tobytes()).decode("ascii")


def _activation(layer) -> str:
    name = layer.get_config().get("activation", "linear")
    if name not in _ACTIVATIONS:
        raise ValueError(f"layer {layer.name}: activation {name!r} is not one the panel can compute")
    return name


def network_spec(model) -> list[dict]:
    """The layers of a Keras network as the in-page forward pass reads them.

    Rescaling, Reshape, Conv2D (stride 1, "same" or "valid"), MaxPooling2D, Flatten, Dense
    and Dropout (nothing at prediction time) are known; any other layer raises ValueError.
    Tensors are (height, width, channels) in row-major order, as Keras stores them.
    """
    layers = []
    for layer in model.layers:
        kind, config = type(layer).__name__, layer.get_config()
        if kind == "Rescaling":
            layers.append({"type": "rescaling", "scale": float(np.float32(config["scale"])),
                           "offset": float(np.float32(config["offset"]))})
        elif kind in ("Reshape", "Flatten", "Dropout"):
            continue  # the panel keeps every tensor flat, (height, width, channels) in order
        elif kind == "Conv2D":
            if tuple(config["strides"]) != (1, 1) or tuple(config["dilation_rate"]) != (1, 1):
                raise ValueError(f"layer {layer.name}: only strides and dilation 1 are supported")
            kernel, bias = layer.get_weights()
            layers.append({"type": "conv2d", "size": list(kernel.shape[:2]), "filters": int(kernel.shape[3]),
                           "padding": config["padding"], "activation": _activation(layer),
                           "kernel": _b64(kernel), "bias": _b64(bias)})
        elif kind == "MaxPooling2D":
            if config["padding"] != "valid":
                raise ValueError(f"layer {layer.name}: only 'valid' max pooling is supported")
            layers.append({"type": "maxpool", "size": list(config["pool_size"]),
                           "strides": list(config["strides"] or config["pool_size"])})
        elif kind == "Dense":
            kernel, bias = layer.get_weights()
            layers.append({"type": "dense", "units": int(kernel.shape[1]), "activation": _activation(layer),
                           "kernel": _b64(kernel), "bias": _b64(bias)})
        else:
            raise ValueError(f"layer {layer.name}: the in-page network has no {kind} layer")
    return layers


def _network_data(name: str) -> dict:
    from imagerec.book import experiments

    settings = experiments.settings_for(name)
    result = experiments.run(name, settings)
    (x_train, _), _ = experiments.dataset(name, settings)
    return {
        "name": name,
        "inputShape": [int(n) for n in result.model.input_shape[1:]],
        "quick": bool(settings.quick),
        "trainSize": len(x_train),
        "epochs": settings.epochs,
        "testAccuracy": float(result.test["accuracy"]),
        "layers": network_spec(result.model),
    }


def _photo_data() -> dict:
    from PIL import Image

    from imagerec import data

    photo = data.load_image("cats.jpg")
    buffer = io.BytesIO()
    Image.fromarray(photo).save(buffer, format="PNG", optimize=True)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return {"src": f"data:image/png;base64,{encoded}", "width": photo.shape[1], "height": photo.shape[0]}


def _script(key: str, name: str | None, value: dict) -> str:
    """A script that stores ``value`` under ``window.imagerecPanels[key]`` (or ``[key][name]``)."""
    target = f"panels.{key}" if name is None else f"(panels.{key} = panels.{key} || {{}})[{json.dumps(name)}]"
    return (
        "// Written by _ext/panels.py when the book was built: data for an in-page panel.\n"
        "(function () {\n"
        "  var panels = window.imagerecPanels = window.imagerecPanels || {};\n"
        f"  {target} = {json.dumps(value, separators=(',', ':'))};\n"
        "})();\n"
    )


def write_data(app, exception) -> None:
    """After an HTML build: write each panel's data file beside its page."""
    if exception is not None or app.builder.format != "html":
        return
    cache = {}
    for docname, needs in sorted(_panels(app.env).items()):
        if docname not in app.env.all_docs:
            continue
        folder = Path(app.outdir) / posixpath.dirname(docname)
        folder.mkdir(parents=True, exist_ok=True)
        for what in sorted(needs):
            if what not in cache:
                if what == "photo":
                    cache[what] = _script("photo", None, _photo_data())
                else:
                    name = what.removeprefix("network-")
                    cache[what] = _script("networks", name, _network_data(name))
            path = folder / _data_script(docname, what)
            path.write_text(cache[what], encoding="utf-8")
            logger.info("imagerec: wrote %s (%d kB)", path.relative_to(app.outdir), path.stat().st_size // 1024)


def _add_assets(app, pagename, templatename, context, doctree) -> None:
    """Load the panels' script and style only on the pages that have a panel."""
    if pagename in _panels(app.env):
        app.add_css_file("panels/panels.css")
        for script in _SCRIPTS:
            app.add_js_file(script, loading_method="defer")


def _purge(app, env, docname) -> None:
    _panels(env).pop(docname, None)


def _merge(app, env, docnames, other) -> None:
    for docname in docnames:
        if docname in _panels(other):
            _panels(env)[docname] = _panels(other)[docname]


def setup(app):
    app.add_directive("digit-panel", DigitPanel)
    app.add_directive("convolution-panel", ConvolutionPanel)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("html-page-context", _add_assets)
    app.connect("build-finished", write_data)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
