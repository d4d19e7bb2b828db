"""Tests of imagerec.figures.diagrams: the drawn numbers agree with the package's computations."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import LineCollection

from imagerec.figures import diagrams
from imagerec.convolution import EDGES, SHARPEN, convolve
from imagerec.pooling import average_pool, max_pool


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def _equation(fig):
    (line,) = [text for text in _texts(fig.axes[0]) if "=" in text]
    return line


# --- kernel_at_pixel ------------------------------------------------------------------------------


def test_demo_image_has_the_lessons_neighbourhood():
    image = diagrams.DEMO_IMAGE
    assert image.shape == (4, 4) and image.dtype == np.uint8
    assert (image[1, 1], image[0, 1], image[1, 0], image[1, 2], image[2, 1]) == (65, 18, 76, 3, 89)


def test_kernel_at_pixel_writes_the_lessons_sum():
    fig = diagrams.kernel_at_pixel()
    assert _equation(fig) == "5 × 65 − (18 + 76 + 3 + 89) = 139"
    assert "139" in _texts(fig.axes[0])  # the new pixel is drawn in the output grid


def test_kernel_at_pixel_result_is_the_convolution():
    image = diagrams.DEMO_IMAGE.copy()
    for centre in (0, 40, 65, 200):
        image[1, 1] = centre
        expected = round(float(np.sum(image[0:3, 0:3] * SHARPEN)))
        assert round(float(convolve(image, SHARPEN, clip=False)[1, 1] * 255)) == expected
        assert _equation(diagrams.kernel_at_pixel(centre)).split("=")[1].split(",")[0].strip() == str(expected)


def test_kernel_at_pixel_says_when_the_value_is_clipped():
    assert _equation(diagrams.kernel_at_pixel(165)).endswith("= 639,  clipped to 255")
    assert _equation(diagrams.kernel_at_pixel(0)).endswith("= -186,  clipped to 0")
    assert "clipped" not in _equation(diagrams.kernel_at_pixel(65))


@pytest.mark.parametrize("centre, error", [(-1, ValueError), (256, ValueError), (6.5, TypeError), ("65", TypeError)])
def test_kernel_at_pixel_refuses_non_pixel_values(centre, error):
    with pytest.raises(error, match="^centre "):
        diagrams.kernel_at_pixel(centre)


def test_weighted_sum_text_groups_equal_weights():
    window = np.arange(1, 10).reshape(3, 3)
    assert diagrams._weighted_sum_text(window, EDGES) == "8 × 5 − (1 + 2 + 3 + 4 + 6 + 7 + 8 + 9)"
    kernel = np.array([[0, 0, 0], [2, 1, -3], [0, 0, 0]])
    assert diagrams._weighted_sum_text(window, kernel) == "5 + 2 × 4 − 3 × 6"


# --- padding --------------------------------------------------------------------------------------------


def test_zero_padding_panels_and_output_sizes():
    fig = diagrams.zero_padding()
    titles = [ax.get_title() for ax in fig.axes]
    assert len(titles) == 3
    assert titles[0].startswith("kernel at pixel (1, 1)")
    assert titles[1].startswith("kernel at pixel (0, 0)")
    assert "4 × 4 → 4 × 4" in titles[1]
    assert titles[2].endswith("4 × 4 → 2 × 2")
    padded = _texts(fig.axes[1])
    assert len(padded) == 36 and padded.count("0") == 20  # a ring of zeros around 4 x 4 pixels
    assert padded[7] == "12"  # pixel (0, 0) sits one row and one column in


# --- channels ---------------------------------------------------------------------------------------------


def test_kernel_over_channels_one_output_channel():
    fig = diagrams.kernel_over_channels()
    assert len(fig.axes) == 1
    texts = _texts(fig.axes[0])
    assert {"image  H × W × 3", "kernel  3 × 3 × 3", "output  H × W × 1"} <= set(texts)
    assert texts.count("R") == 2  # image and kernel each have a red layer


@pytest.mark.parametrize("n", [1, 4, 8])
def test_many_kernels_output_has_n_channels(n):
    texts = _texts(diagrams.many_kernels(n).axes[0])
    assert f"output  H × W × {n}" in texts
    assert [str(i) for i in range(n)] == [t for t in texts if t.isdigit()]


@pytest.mark.parametrize("n, error", [(0, ValueError), (9, ValueError), (2.0, TypeError)])
def test_many_kernels_bad_n(n, error):
    with pytest.raises(error, match="^n "):
        diagrams.many_kernels(n)


# --- pooling ---------------------------------------------------------------------------------------------


def _after(texts, title, count):
    start = texts.index(title) + 1
    return texts[start:start + count]


def test_pooling_numbers_come_from_the_pooling_module():
    fig = diagrams.pooling()
    texts = _texts(fig.axes[0])
    data = diagrams.POOL_DEMO
    assert texts[:16] == [f"{v:g}" for v in data.ravel()]
    assert _after(texts, "max pooling 2 × 2", 4) == [f"{v:g}" for v in max_pool(data, 2).ravel()]
    assert _after(texts, "average pooling 2 × 2", 4) == [f"{v:g}" for v in average_pool(data, 2).ravel()]
    bold = [t.get_text() for t in fig.axes[0].texts[:16] if t.get_fontweight() == "bold"]
    assert sorted(bold) == ["6", "7", "8", "9"]  # the maximum of each window


def test_pooling_whole_array_window():
    texts = _texts(diagrams.pooling(4).axes[0])
    assert _after(texts, "max pooling 4 × 4", 1) == ["9"]
    assert _after(texts, "average pooling 4 × 4", 1) == [f"{diagrams.POOL_DEMO.mean():g}"]


def test_pooling_refuses_window_that_does_not_divide():
    with pytest.raises(ValueError, match="^size "):
        diagrams.pooling(3)


# --- dropout ---------------------------------------------------------------------------------------------------


def _collection(ax, label):
    (found,) = [c for c in ax.collections if c.get_label() == label]
    return found


def _network(fig, panel):
    ax = fig.axes[panel]
    edges = _collection(ax, "edges")
    assert isinstance(edges, LineCollection)
    kept = _collection(ax, "kept").get_offsets()
    dropped = _collection(ax, "dropped").get_offsets()
    return len(edges.get_segments()), np.asarray(kept), np.asarray(dropped)


def test_dropout_before_is_fully_connected():
    fig = diagrams.dropout_network(layers=(3, 5, 4, 2))
    edges, kept, dropped = _network(fig, 0)
    assert edges == 3 * 5 + 5 * 4 + 4 * 2
    assert len(kept) == 14 and len(dropped) == 0


def test_dropout_after_removes_the_edges_of_dropped_nodes():
    layers = (3, 5, 4, 2)
    fig = diagrams.dropout_network(seed=0, rate=0.5, layers=layers)
    edges, kept, dropped = _network(fig, 1)
    assert len(dropped) > 0 and len(kept) + len(dropped) == sum(layers)
    columns = [np.sum(np.isclose(kept[:, 0], 2.0 * i)) for i in range(len(layers))]
    assert columns[0] == layers[0] and columns[-1] == layers[-1]  # input and output stay
    assert edges == sum(a * b for a, b in zip(columns, columns[1:]))


def test_dropout_is_reproducible_and_depends_on_seed():
    def dropped(seed):
        return _network(diagrams.dropout_network(seed=seed), 1)[2].tolist()

    assert dropped(3) == dropped(3)
    assert any(dropped(seed) != dropped(0) for seed in range(1, 5))


def test_dropout_rate_zero_drops_nothing_and_high_rate_keeps_one_per_layer():
    assert len(_network(diagrams.dropout_network(rate=0.0), 1)[2]) == 0
    _, kept, _ = _network(diagrams.dropout_network(rate=0.999, layers=(2, 6, 6, 2)), 1)
    assert len(kept) == 2 + 1 + 1 + 2


@pytest.mark.parametrize("kwargs", [{"rate": 1.0}, {"rate": -0.1}, {"layers": (4,)}, {"layers": (3, 0, 2)}])
def test_dropout_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        diagrams.dropout_network(**kwargs)


# --- dense_network --------------------------------------------------


def test_dense_network_counts_parameters_per_layer_and_draws_every_edge():
    fig = diagrams.dense_network((4, 3, 2))
    texts = _texts(fig.axes[0])
    assert [t for t in texts if "parameters" in t] == ["4·3 + 3 = 15 parameters",
                                                        "3·2 + 2 = 8 parameters"]
    edges = _collection(fig.axes[0], "edges")
    assert len(edges.get_segments()) == 4 * 3 + 3 * 2


def test_dense_network_writes_the_first_neurons_formula_with_every_input():
    texts = _texts(diagrams.dense_network((4, 3, 3, 2)).axes[0])
    (formula,) = [t for t in texts if "σ(" in t]
    assert formula == "h¹₁ = σ(x₁w₁₁ + x₂w₂₁ + x₃w₃₁ + x₄w₄₁ + b₁)"
    assert {"h¹₁", "h²₃", "z₂"} <= set(texts)  # layer as superscript, neuron as subscript
    (linear,) = [t for t in _texts(diagrams.dense_network((3, 1)).axes[0]) if t.startswith("z =")]
    assert linear == "z = x₁w₁₁ + x₂w₂₁ + x₃w₃₁ + b₁"  # no activation, no σ


@pytest.mark.parametrize("layers", [(3,), (3, 0, 1), (9, 2), (1, 1, 1, 1, 1, 1)])
def test_dense_network_bad_layers(layers):
    with pytest.raises(ValueError, match="^layers "):
        diagrams.dense_network(layers)


@pytest.mark.parametrize("kwargs, error", [({"layers": (4, 4.9)}, TypeError), ({"layers": (4, 0)}, ValueError),
                                           ({"rate": 1.0}, ValueError), ({"rate": True}, TypeError)])
def test_dropout_network_bad_arguments(kwargs, error):
    with pytest.raises(error, match=f"^{next(iter(kwargs))} "):
        diagrams.dropout_network(**kwargs)


# --- every diagram -----------------------------------------------------------------------------------------------


ALL = {
    "kernel_at_pixel": diagrams.kernel_at_pixel,
    "zero_padding": diagrams.zero_padding,
    "kernel_over_channels": diagrams.kernel_over_channels,
    "many_kernels": diagrams.many_kernels,
    "pooling": diagrams.pooling,
    "dropout_network": diagrams.dropout_network,
    "dense_network": diagrams.dense_network,
}


@pytest.mark.parametrize("name", sorted(ALL))
def test_diagram_is_a_frameless_figure_with_nothing_cut_off(name):
    fig = ALL[name]()
    assert isinstance(fig, plt.Figure)
    assert not any(ax.axison for ax in fig.axes)
    fig.canvas.draw()
    width, height = fig.canvas.get_width_height()
    for ax in fig.axes:
        assert ax.get_aspect() == 1.0
        for text in [*ax.texts, ax.title]:
            if text.get_text():
                box = text.get_window_extent()
                assert -1 <= box.x0 and box.x1 <= width + 1, f"{text.get_text()!r} cut off"
                assert -1 <= box.y0 and box.y1 <= height + 1, f"{text.get_text()!r} cut off"
