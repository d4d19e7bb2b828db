"""The in-page panels of the quick build, in Chromium: they compute what the package computes.

* draw a digit: strokes drawn with the mouse (and with the keyboard) become the 28x28 array
  :func:`imagerec.drawing.preprocess` makes of the same strokes, and the panel's label is
  :func:`imagerec.training.predict`'s; for 100 MNIST test digits the in-page network's
  probabilities equal the softmax of Keras's ``model.predict`` to 1e-4;
* convolve the photo: for kernels typed into the panel the filtered photo equals
  :func:`imagerec.convolution.convolve` to within one gray level.

The reference networks are those the quick build trained, loaded from its training cache.
Lesson 2 is opened from ``file://`` and Lesson 1 from a local server: the panels must work
both ways. Without JavaScript, the panels say what they would show.
"""

import base64
import os

import numpy as np
import pytest
from conftest import Visit

from imagerec import activations, convolution, data, drawing, training
from imagerec.book import experiments
from panels import network_spec  # the book's local Sphinx extension (_ext/)

DIGITS = 100


@pytest.fixture(scope="module")
def trained(quick_book_cache):
    """The networks B and D as the quick build trained them, from its training cache."""
    # a build made by hand (IMAGEREC_BOOK_HTML) used the usual cache
    cache = quick_book_cache or os.environ.get("IMAGEREC_CACHE_DIR", str(data.cache_base()))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IMAGEREC_CACHE_DIR", str(cache))
        results = {name: experiments.run(name, experiments.settings_for(name, experiments.QUICK))
                   for name in ("B", "D")}
    for name, result in results.items():
        assert result.from_cache, f"network {name} of the quick build is not in its cache {cache}"
    return {name: result.model for name, result in results.items()}


@pytest.fixture(scope="module")
def chapter(quick_book, site, browser):
    """Open a chapter once for all tests: Lesson 2 from file://, Lesson 1 from the server."""
    opened = {}

    def open_chapter(name):
        if name not in opened:
            page = quick_book / "book" / f"{name}.html"
            url = page.as_uri() if name == "lesson2" else f"{site}book/{name}.html"
            opened[name] = Visit(browser, url, wait_until="domcontentloaded")
        return opened[name]

    yield open_chapter
    for visit in opened.values():
        visit.context.close()


def _draw(page, pad, strokes):
    """Draw strokes (lists of (x, y) in the 280x280 grid) with the mouse on the pad."""
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    scale = box["width"] / drawing.CANVAS_SIZE
    for stroke in strokes:
        points = [(box["x"] + x * scale, box["y"] + y * scale) for x, y in stroke]
        page.mouse.move(*points[0])
        page.mouse.down()
        for point in points[1:]:
            page.mouse.move(*point, steps=4)
        page.mouse.up()


def _softmax(model, x):
    return activations.softmax(model.predict(x, verbose=0).astype(np.float64))


SEVEN = [[(60, 60), (210, 60), (170, 150), (130, 240)], [(110, 150), (200, 150)]]


@pytest.mark.parametrize("name, lesson", [("D", "lesson2"), ("B", "lesson1")])
def test_digit_panel_runs_the_builds_network(chapter, trained, name, lesson):
    model = trained[name]
    visit = chapter(lesson)
    page = visit.page
    page.wait_for_function(f"window.imagerecPanels && imagerecPanels.digit && imagerecPanels.digit[{name!r}]")
    pad = page.locator(f".imagerec-digit-panel[data-network='{name}'] canvas.imagerec-digit-pad")

    # drawn with the mouse: the panel's input is the package's preprocessing of its strokes
    _draw(page, pad, SEVEN)
    state = page.evaluate(f"imagerecPanels.digit[{name!r}]")
    strokes = state["strokes"]
    assert len(strokes) == 2
    for drawn, recorded in zip(SEVEN, strokes):
        assert np.abs(np.subtract(drawn[0], recorded[0])).max() <= 1
        assert np.abs(np.subtract(drawn[-1], recorded[-1])).max() <= 1
    drawn = drawing.preprocess(strokes)
    assert drawn.any()
    np.testing.assert_array_equal(np.array(state["lastInput"]).reshape(28, 28), drawn)
    shown = state["lastLabel"], state["lastProbabilities"]

    # drawn with the keyboard: Space puts the pen down and lifts it, arrows move it by 10
    page.get_by_role("button", name="Clear").click()
    assert page.evaluate(f"imagerecPanels.digit[{name!r}].strokes.length") == 0
    pad.focus()
    page.keyboard.press("Space")
    for key in ["ArrowUp"] * 8 + ["ArrowRight"] * 3:
        page.keyboard.press(key)
    page.keyboard.press("Space")
    state = page.evaluate(f"imagerecPanels.digit[{name!r}]")
    assert state["strokes"] == [[[140, 140 - 10 * k] for k in range(9)] + [[140 + 10 * k, 60] for k in (1, 2, 3)]]
    np.testing.assert_array_equal(np.array(state["lastInput"]).reshape(28, 28),
                                  drawing.preprocess(state["strokes"]))

    # 100 test digits fed as arrays
    (_, _), (x_test, _) = data.load_mnist()
    digits = x_test[:DIGITS]
    in_page = np.array(page.evaluate(  # the bytes travel as base64: far faster than a list
        "([name, text]) => { const bytes = Uint8Array.from(atob(text), c => c.charCodeAt(0));"
        " return Array.from({length: bytes.length / 784}, (_, i) => Array.from("
        "   imagerecPanels.network.probabilities(name, bytes.subarray(784 * i, 784 * (i + 1))))); }",
        [name, base64.b64encode(digits.tobytes()).decode("ascii")],
    ))

    # Keras on the drawn digit and the 100 test digits, in one call each
    batch = np.concatenate([drawn[None], digits])
    keras_probabilities = _softmax(model, batch)
    labels = training.predict(model, batch)
    assert shown[0] == labels[0]
    np.testing.assert_allclose(shown[1], keras_probabilities[0], atol=1e-4, rtol=0)
    np.testing.assert_allclose(in_page, keras_probabilities[1:], atol=1e-4, rtol=0)
    np.testing.assert_array_equal(in_page.argmax(axis=1), labels[1:])
    visit.check()


def _filtered(page):
    state = page.evaluate(
        "(() => { const c = imagerecPanels.convolution; let text = '';"
        " for (let i = 0; i < c.lastOutput.length; i += 8192)"
        "   text += String.fromCharCode.apply(null, c.lastOutput.subarray(i, i + 8192));"
        " return {kernel: c.lastKernel, width: c.width, height: c.height, pixels: btoa(text)}; })()"
    )
    pixels = np.frombuffer(base64.b64decode(state["pixels"]), dtype=np.uint8)
    return np.array(state["kernel"]), pixels.reshape(state["height"], state["width"], 3)


def _close_to_package(output, kernel):
    filtered = convolution.convolve(data.load_image("cats.jpg"), kernel)  # floats in [0, 1]
    expected = np.rint(filtered * 255)
    return int(np.abs(output.astype(int) - expected.astype(int)).max())


def test_convolution_panel_filters_the_photo_as_convolve(chapter):
    visit = chapter("lesson2")
    page = visit.page
    page.wait_for_function("window.imagerecPanels && imagerecPanels.convolution && imagerecPanels.convolution.ready")
    kernel, output = _filtered(page)  # the panel opens with the sharpen kernel
    np.testing.assert_array_equal(kernel.reshape(3, 3), convolution.SHARPEN)
    assert _close_to_package(output, convolution.SHARPEN) <= 1

    inputs = page.locator(".imagerec-convolution-grid input")
    typed = {
        "sobel": (["1", "0", "-1", "2", "0", "-2", "1", "0", "-1"], [[1, 0, -1], [2, 0, -2], [1, 0, -1]]),
        "mixed": (["1/9", "0.25", "-0.5", "1/9", "1.5", "1/9", "0", "-.125", "1/9"],
                  [[1 / 9, 0.25, -0.5], [1 / 9, 1.5, 1 / 9], [0, -0.125, 1 / 9]]),
    }
    for name, (texts, expected_kernel) in typed.items():
        for index, text in enumerate(texts):
            inputs.nth(index).fill(text)
        kernel, output = _filtered(page)
        np.testing.assert_allclose(kernel.reshape(3, 3), expected_kernel, err_msg=name)
        assert _close_to_package(output, expected_kernel) <= 1, name
        assert page.locator("select").first.input_value() == "own"

    # a weight that is not a number is marked, and the picture keeps the last valid kernel
    inputs.nth(4).fill("two")
    assert inputs.nth(4).get_attribute("aria-invalid") == "true"
    np.testing.assert_allclose(_filtered(page)[0].reshape(3, 3), typed["mixed"][1])
    visit.check()


def test_panels_say_what_they_would_show_without_javascript(quick_book, browser):
    quiet = Visit(browser, (quick_book / "book" / "lesson2.html").as_uri(), wait_until="domcontentloaded",
                  java_script_enabled=False)
    for panel in (".imagerec-digit-panel", ".imagerec-convolution-panel"):
        text = quiet.page.locator(panel).inner_text()
        assert "JavaScript" in text and len(text) > 100, text
    quiet.context.close()


def test_preprocess_keeps_the_aspect_ratio_and_refuses_bad_strokes():
    bar = drawing.preprocess([[(20, 100), (260, 100)]])  # a long horizontal bar
    rows, cols = np.nonzero(bar)
    assert cols.max() - cols.min() + 1 == drawing.BOX  # as wide as the box
    assert rows.max() - rows.min() + 1 <= 4  # and thin: the 25-pixel pen over 265 pixels
    with pytest.raises(ValueError, match="leaves the 280x280 grid"):
        drawing.preprocess([[(0, 0), (280, 5)]])
    with pytest.raises(TypeError, match="pairs of integers"):
        drawing.preprocess([[(0.5, 3)]])
    with pytest.raises(ValueError, match="has no points"):
        drawing.preprocess([[]])


def test_network_spec_lists_the_layers_the_page_computes_and_refuses_others():
    import keras

    from imagerec import models

    spec = network_spec(models.build("D"))
    assert [layer["type"] for layer in spec] == ["rescaling", "conv2d", "maxpool", "dense", "dense"]
    assert spec[1]["activation"] == "relu" and spec[-1]["activation"] == "linear"
    assert len(base64.b64decode(spec[3]["kernel"])) == 4 * 14 * 14 * 4 * 20  # float32 weights
    other = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.AveragePooling2D(2)])
    with pytest.raises(ValueError, match="no AveragePooling2D layer"):
        network_spec(other)
