"""Tests of imagerec.figures.plots: the figures hold the expected axes, lines, images and labels."""

from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pytest

from imagerec.figures import plots

HISTORY = {
    "loss": [0.9, 0.5, 0.3, 0.25],
    "accuracy": [0.6, 0.8, 0.9, 0.93],
    "val_loss": [0.8, 0.6, 0.5, 0.55],
    "val_accuracy": [0.65, 0.78, 0.85, 0.84],
}


def _texts_inside(fig):
    """True when everything drawn (titles, labels, tick labels, texts) lies inside the figure."""
    fig.canvas.draw()
    drawn = fig.get_tightbbox(fig.canvas.get_renderer())  # inches
    width, height = fig.get_size_inches()
    tolerance = 0.02
    return (drawn.x0 >= -tolerance and drawn.y0 >= -tolerance
            and drawn.x1 <= width + tolerance and drawn.y1 <= height + tolerance)


# --- plot_history ----------------------------------------------------------------------------


def test_history_one_row_per_model():
    fig = plots.plot_history({"A": HISTORY, "B": HISTORY, "C": HISTORY})
    assert len(fig.axes) == 6
    grid = fig.axes[0].get_subplotspec().get_gridspec()
    assert (grid.nrows, grid.ncols) == (3, 2)


def test_history_loss_log_accuracy_linear_epochs_from_one():
    fig = plots.plot_history({"mnist A": HISTORY})
    loss, accuracy = fig.axes
    assert loss.get_yscale() == "log"
    assert accuracy.get_yscale() == "linear"
    assert loss.get_ylabel() == "loss" and accuracy.get_ylabel() == "accuracy"
    train, val = loss.lines
    assert train.get_xdata().tolist() == [1, 2, 3, 4]
    np.testing.assert_allclose(train.get_ydata(), HISTORY["loss"])
    np.testing.assert_allclose(val.get_ydata(), HISTORY["val_loss"])
    np.testing.assert_allclose(accuracy.lines[1].get_ydata(), HISTORY["val_accuracy"])
    for ax in fig.axes:
        assert ax.get_legend().get_title().get_text() == "mnist A"
        assert ax.get_xlabel() == "epoch"


def test_history_loss_axis_labelled_with_plain_numbers():
    fig = plots.plot_history({"A": {"loss": [2.1, 1.8, 1.6], "accuracy": [0.3, 0.5, 0.6]}})
    fig.canvas.draw()
    axis = fig.axes[0].yaxis
    labels = [t.get_text() for t in axis.get_ticklabels() + axis.get_ticklabels(minor=True) if t.get_text()]
    assert labels, "the loss axis has no tick labels"
    assert not any("$" in label or "e" in label for label in labels), labels  # no 10^k, no 1e-1
    assert {"1.6", "2"} <= set(labels)


def test_history_without_validation_draws_train_only():
    fig = plots.plot_history({"A": {"loss": [1.0, 0.5], "accuracy": [0.5, 0.7]}})
    assert [len(ax.lines) for ax in fig.axes] == [1, 1]


def test_history_accepts_keras_history_objects():
    fig = plots.plot_history({"A": SimpleNamespace(history=HISTORY)})
    np.testing.assert_allclose(fig.axes[1].lines[0].get_ydata(), HISTORY["accuracy"])


@pytest.mark.parametrize(
    "histories, error",
    [
        ({}, ValueError),
        ([HISTORY], TypeError),
        ({"A": [0.5, 0.4]}, TypeError),
        ({"A": {"loss": [0.5]}}, ValueError),
        ({"A": {"loss": [], "accuracy": []}}, ValueError),
        ({"A": {**HISTORY, "val_loss": [0.5]}}, ValueError),
    ],
    ids=["empty", "list", "not-a-dict", "no-accuracy", "no-epochs", "ragged"],
)
def test_history_bad_input(histories, error):
    with pytest.raises(error):
        plots.plot_history(histories)


def test_history_error_message_says_what_to_pass():
    with pytest.raises(ValueError, match="^histories "):
        plots.plot_history({})


# --- images and labels --------------------------------------------------------------------------


def test_images_grid_titles_and_hidden_cells():
    images = np.arange(5 * 4 * 4).reshape(5, 4, 4)
    fig = plots.plot_images(images, titles=[f"#{i}" for i in range(5)], ncols=3)
    assert len(fig.axes) == 6  # 2 rows x 3 columns
    used = [ax for ax in fig.axes if ax.images]
    assert len(used) == 5
    assert [ax.get_title() for ax in used] == ["#0", "#1", "#2", "#3", "#4"]
    np.testing.assert_array_equal(used[4].images[0].get_array(), images[4])
    assert used[0].images[0].get_cmap().name == "gray_r"
    assert not any(ax.axison for ax in fig.axes)


def test_images_few_images_use_few_columns_and_colour_is_kept():
    rgb = np.zeros((2, 3, 3, 3), dtype=np.uint8)
    fig = plots.plot_images(list(rgb), ncols=8)
    assert len(fig.axes) == 2
    assert fig.axes[0].images[0].get_array().shape == (3, 3, 3)


def test_images_pixel_grid_outlines_every_pixel_and_the_frame():
    fig = plots.plot_images([np.zeros((3, 4))], pixel_grid=True)
    ax = fig.axes[0]
    inner, frame = (c.get_segments() for c in ax.collections)
    assert len(inner) == (3 - 1) + (4 - 1)  # the borders between rows and between columns
    np.testing.assert_allclose(frame[0][[0, 2]], [[-0.5, -0.5], [3.5, 2.5]])  # around the image
    assert (ax.get_xlim(), ax.get_ylim()) == ((-0.5, 3.5), (2.5, -0.5))  # nothing added around


def test_images_pixel_grid_on_a_large_image_is_only_a_frame():
    fig = plots.plot_images([np.zeros((28, 40))], pixel_grid=True)
    inner, frame = (c.get_segments() for c in fig.axes[0].collections)
    assert len(inner) == 0 and len(frame) == 1


def test_images_default_scale_is_each_images_range_and_vmin_vmax_fix_it():
    dim = np.array([[1, 17]], dtype=np.uint8)
    assert plots.plot_images([dim]).axes[0].images[0].get_clim() == (1.0, 17.0)
    fixed = plots.plot_images([dim], vmin=0, vmax=255).axes[0].images[0]
    assert fixed.get_clim() == (0.0, 255.0)


@pytest.mark.parametrize(
    "images, kwargs",
    [
        (np.zeros((0, 4, 4)), {}),
        (np.zeros((4, 4)), {}),
        ([np.zeros((4, 4, 5))], {}),
        (np.zeros((3, 4, 4)), {"titles": ["a", "b"]}),
        (np.zeros((3, 4, 4)), {"ncols": 0}),
    ],
    ids=["empty", "single-2d", "five-channels", "titles-count", "ncols"],
)
def test_images_bad_input(images, kwargs):
    with pytest.raises((ValueError, TypeError)):
        plots.plot_images(images, **kwargs)


def test_label_counts_bars_match_bincount():
    y_train = np.array([0, 1, 1, 3, 3, 3])
    y_test = np.array([1, 2])
    fig = plots.plot_label_counts(y_train, y_test)
    train, test = fig.axes
    assert [bar.get_height() for bar in train.patches] == [1, 2, 0, 3]
    assert [bar.get_height() for bar in test.patches] == [0, 1, 1, 0]
    assert train.get_title() == "train: 6 labels"


@pytest.mark.parametrize(
    "y_train", [np.zeros((3, 3), int), np.array([0, -1]), np.array([0.5, 1.0]), np.array([], int)],
    ids=["2d", "negative", "fractional", "empty"],
)
def test_label_counts_bad_labels(y_train):
    with pytest.raises(ValueError):
        plots.plot_label_counts(y_train, [0, 1])


# --- curves of the lessons ---------------------------------------------------------------------------


def test_penalties_lines_are_mse_and_bce():
    fig = plots.plot_penalties()
    (ax,) = fig.axes
    mse, bce = ax.lines
    q = mse.get_xdata()
    assert 0 < q.min() and q.max() < 1
    np.testing.assert_allclose(mse.get_ydata(), (1 - q) ** 2)
    np.testing.assert_allclose(bce.get_ydata(), -np.log(q))
    assert mse.get_ydata().max() <= 1 < bce.get_ydata().max()
    assert "MSE" in mse.get_label() and "cross-entropy" in bce.get_label()


def test_activations_lines_are_sigmoid_and_relu():
    fig = plots.plot_activations()
    sigmoid, relu = fig.axes[0].lines
    x = sigmoid.get_xdata()
    assert (x.min(), x.max()) == (-5, 5)
    np.testing.assert_allclose(sigmoid.get_ydata(), 1 / (1 + np.exp(-x)))
    np.testing.assert_allclose(relu.get_ydata(), np.maximum(x, 0))


# --- channels and filters -------------------------------------------------------------------------------


def test_channels_show_each_channel_then_colour():
    image = np.random.default_rng(1).integers(0, 256, (5, 6, 3), dtype=np.uint8)
    fig = plots.plot_channels(image)
    assert [ax.get_title() for ax in fig.axes] == ["red", "green", "blue", "colour"]
    for c in range(3):
        shown = fig.axes[c].images[0]
        np.testing.assert_array_equal(shown.get_array(), image[..., c])
        assert shown.get_clim() == (0, 255)
    np.testing.assert_array_equal(fig.axes[3].images[0].get_array(), image)


@pytest.mark.parametrize("image", [np.zeros((4, 4)), np.zeros((4, 4, 4)), np.zeros((0, 4, 3))])
def test_channels_refuse_non_rgb(image):
    with pytest.raises(ValueError, match="^image "):
        plots.plot_channels(image)


def test_filtered_original_first_titles_in_order_and_clipped():
    image = np.random.default_rng(2).random((6, 7, 3))
    fig = plots.plot_filtered(image, {"too bright": image * 3, "gray": image[..., 0]})
    used = [ax for ax in fig.axes if ax.images]
    assert [ax.get_title() for ax in used] == ["original", "too bright", "gray"]
    bright = used[1].images[0].get_array()
    assert bright.max() <= 1.0 and bright.min() >= 0.0
    assert used[2].images[0].get_cmap().name == "gray"
    assert not any(ax.axison for ax in fig.axes)


@pytest.mark.parametrize("versions", [{}, {"bad": np.zeros((2, 2, 2, 2))}, [np.zeros((3, 3))]])
def test_filtered_bad_versions(versions):
    with pytest.raises(ValueError):
        plots.plot_filtered(np.zeros((3, 3)), versions)


# --- confusion matrix and kernels ---------------------------------------------------------------------


def test_confusion_matrix_counts_and_texts():
    y_true = [0, 0, 1, 1, 1, 2]
    y_pred = [0, 1, 1, 1, 2, 2]
    fig = plots.plot_confusion_matrix(y_true, y_pred)
    ax = fig.axes[0]
    expected = [[1, 1, 0], [0, 2, 1], [0, 0, 1]]
    assert ax.images[0].get_array().tolist() == expected
    assert [t.get_text() for t in ax.texts] == [str(v) for row in expected for v in row]
    assert len(fig.axes) == 2  # the matrix and its colour bar


def test_confusion_matrix_normalized_rows_sum_to_one():
    fig = plots.plot_confusion_matrix([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 2, 2], normalize=True)
    matrix = np.asarray(fig.axes[0].images[0].get_array())
    np.testing.assert_allclose(matrix.sum(axis=1), 1.0)
    assert fig.axes[0].texts[1].get_text() == "0.50"


def test_confusion_matrix_length_mismatch():
    with pytest.raises(ValueError, match="^y_true and y_pred "):
        plots.plot_confusion_matrix([0, 1, 1], [0, 1])


def test_kernels_grid_and_symmetric_colour_scale():
    weights = np.random.default_rng(3).normal(size=(3, 3, 2, 5))
    fig = plots.plot_kernels(weights)
    assert len(fig.axes) == 10
    shown = fig.axes[5 + 2].images[0]  # input channel 1, kernel 2
    np.testing.assert_allclose(shown.get_array(), weights[:, :, 1, 2])
    limit = np.abs(weights).max()
    assert shown.get_clim() == pytest.approx((-limit, limit))


def test_kernels_accept_a_single_2d_kernel_and_refuse_3d():
    assert len(plots.plot_kernels(np.eye(3)).axes) == 1
    with pytest.raises(ValueError, match="^weights "):
        plots.plot_kernels(np.zeros((3, 3, 4)))


# --- all functions ---------------------------------------------------------------------------------------


ALL_FIGURES = {
    "history": lambda: plots.plot_history({"A": HISTORY, "B": HISTORY}),
    "images": lambda: plots.plot_images(np.zeros((20, 8, 8)), titles=[str(i) for i in range(20)]),
    "label_counts": lambda: plots.plot_label_counts(np.arange(100) % 10, np.arange(30) % 10),
    "penalties": plots.plot_penalties,
    "activations": plots.plot_activations,
    "channels": lambda: plots.plot_channels(np.zeros((8, 8, 3))),
    "filtered": lambda: plots.plot_filtered(np.zeros((8, 8, 3)), {"a": np.zeros((8, 8, 3))}),
    "confusion": lambda: plots.plot_confusion_matrix(np.arange(50) % 10, np.arange(50) % 7),
    "kernels": lambda: plots.plot_kernels(np.ones((3, 3, 1, 4))),
}


@pytest.mark.parametrize("name", sorted(ALL_FIGURES))
def test_returns_figure_without_showing_and_nothing_cut_off(name, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("plots must not call plt.show()")

    monkeypatch.setattr(plt, "show", forbidden)
    fig = ALL_FIGURES[name]()
    assert isinstance(fig, plt.Figure)
    assert _texts_inside(fig)


# --- gradient_descent_path ---------------------------------------------------------------


def test_gradient_descent_path_marks_each_position_on_the_curve():
    from imagerec.losses import gradient_descent

    def loss(w):
        return (w - 1.0) ** 2 + 0.5

    path = gradient_descent(loss, -2.0, learning_rate=0.3, steps=5)
    fig = plots.gradient_descent_path(loss, path)
    lines = {line.get_label(): line for line in fig.axes[0].lines}
    np.testing.assert_allclose(lines["steps"].get_xdata(), path)
    np.testing.assert_allclose(lines["steps"].get_ydata(), [loss(w) for w in path])
    curve = lines["loss"].get_xdata()
    assert curve.min() < path.min() and curve.max() > path.max()


@pytest.mark.parametrize("path", [[0.0], [0.0, np.nan]])
def test_gradient_descent_path_needs_two_finite_positions(path):
    with pytest.raises(ValueError, match="^path "):
        plots.gradient_descent_path(lambda w: w * w, path)
