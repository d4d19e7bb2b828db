"""Figures of the book: learning curves, image grids, penalties, filters...

Every function here builds a new :class:`matplotlib.figure.Figure` with
:func:`matplotlib.pyplot.subplots` and returns it; none calls ``plt.show()``.
A notebook cell or a sphinx-gallery script displays the figure; elsewhere save it
with ``fig.savefig(...)`` and free it with ``plt.close(fig)``.

The functions check their input first and raise :class:`ValueError` or
:class:`TypeError` with a message that says what was expected.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from imagerec._checks import array, class_labels, fail, function, integer, validate_params
from imagerec.images import check_image
from imagerec.figures import ACCENT as _ACCENT

__all__ = [
    "plot_history",
    "plot_images",
    "plot_label_counts",
    "plot_penalties",
    "plot_activations",
    "plot_channels",
    "plot_filtered",
    "plot_confusion_matrix",
    "plot_kernels",
    "plot_spread",
    "gradient_descent_path",
]

_CHANNEL_NAMES = ("red", "green", "blue")


# --- learning curves -----------------------------------------------------------------


def _history_dict(name, history) -> dict:
    """Return the history of one model as a dict of float arrays, checked."""
    history = getattr(history, "history", history)  # accept a keras History object
    if not isinstance(history, Mapping):
        raise fail(TypeError, f"histories[{name!r}]", "a dict like {'loss': [...], 'accuracy': [...]} "
                   "(or a keras History)", type(history).__name__)
    what = "one value per epoch, at least one epoch, for the loss and the accuracy"
    missing = [key for key in ("loss", "accuracy") if key not in history]
    if missing:
        raise fail(ValueError, f"histories[{name!r}]", what, f"the keys {sorted(history)}")
    curves = {key: np.asarray(values, dtype=float) for key, values in history.items()}
    length = len(curves["loss"])
    for key, values in curves.items():
        if length == 0 or values.shape != (length,):
            raise fail(ValueError, f"histories[{name!r}]", what,
                       f"{key!r} of shape {values.shape} beside 'loss' of shape ({length},)")
    return curves


def _plot_curves(ax, curves: dict, metric: str, name: str) -> None:
    """Draw the train and, if present, validation curve of one metric."""
    epochs = np.arange(1, len(curves[metric]) + 1)
    ax.plot(epochs, curves[metric], label=f"train {metric}")
    if f"val_{metric}" in curves:
        ax.plot(epochs, curves[f"val_{metric}"], label=f"validation {metric}")
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(metric)
    ax.grid(True, alpha=0.4)
    ax.legend(title=name)


def _plain_log_labels(ax) -> None:
    """Label a logarithmic y axis with plain numbers (0.5, 2) rather than powers of ten.

    Between the decades only some ticks get a label, fewer the wider the range, so that
    labels never crowd.
    """
    low, high = ax.get_ylim()
    span = high / low
    shown = set(range(1, 10)) if span < 3 else {2, 3, 5} if span < 10 else set()

    def minor(y, _):
        digit = round(y / 10 ** np.floor(np.log10(y)))
        return f"{y:g}" if digit in shown else ""

    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:g}"))
    ax.yaxis.set_minor_formatter(FuncFormatter(minor))


def plot_history(histories: Mapping[str, dict]) -> Figure:
    """Plot learning curves: loss and accuracy against epoch, one row per model.

    Parameters
    ----------
    histories : mapping of str to dict
        Model name -> training history, a dict with lists ``"loss"`` and ``"accuracy"``
        and, if validation was used, ``"val_loss"`` and ``"val_accuracy"`` (what
        :func:`imagerec.training.train` returns; a keras ``History`` works too).

    Returns
    -------
    matplotlib.figure.Figure
        ``2 * len(histories)`` axes: in each row the loss (logarithmic y axis) on the
        left and the accuracy on the right. Epochs are numbered from 1; the legend's
        title is the model's name.

    Raises
    ------
    ValueError
        If ``histories`` is empty, or a history lacks ``loss``/``accuracy`` or has
        curves of different lengths.

    Examples
    --------
    >>> history = {"loss": [0.9, 0.5, 0.4], "accuracy": [0.6, 0.8, 0.85],
    ...            "val_loss": [0.7, 0.6, 0.6], "val_accuracy": [0.7, 0.75, 0.76]}
    >>> fig = plot_history({"A": history, "B": history})
    >>> len(fig.axes), fig.axes[0].get_yscale(), fig.axes[0].get_legend().get_title().get_text()
    (4, 'log', 'A')
    >>> fig.axes[1].lines[0].get_xdata().tolist()
    [1, 2, 3]
    >>> plt.close(fig)
    """
    what = "a mapping {model name: history dict} of at least one network"
    if not isinstance(histories, Mapping):
        raise fail(TypeError, "histories", what, type(histories).__name__)
    if not histories:
        raise fail(ValueError, "histories", what, "an empty one")
    rows = [(str(name), _history_dict(name, history)) for name, history in histories.items()]
    fig, axs = plt.subplots(
        nrows=len(rows), ncols=2, figsize=(10, 3 * len(rows)), squeeze=False, layout="constrained"
    )
    for (name, curves), (ax_loss, ax_acc) in zip(rows, axs):
        _plot_curves(ax_loss, curves, "loss", name)
        ax_loss.set_yscale("log")
        _plain_log_labels(ax_loss)
        _plot_curves(ax_acc, curves, "accuracy", name)
    return fig


# --- images ------------------------------------------------------------------------------


_IMAGES = "an array of shape (n, H, W) or (n, H, W, 3), or a list of images, at least one"


def _image_stack(images) -> list[np.ndarray]:
    """Return the images as a list of 2-D or (H, W, 3|4) arrays, checked."""
    if isinstance(images, np.ndarray) and images.ndim in (3, 4):
        stack = list(images)
    elif isinstance(images, Sequence) and not isinstance(images, (str, bytes)):
        stack = [np.asarray(image) for image in images]
    else:
        raise fail(TypeError, "images", _IMAGES, f"{type(images).__name__} {getattr(images, 'shape', '')}")
    if not stack:
        raise fail(ValueError, "images", _IMAGES, "none")
    return [_picture(image, f"images[{i}]") for i, image in enumerate(stack)]


def _axes_grid(count: int, ncols: int, cell: tuple[float, float]):
    """A figure with ``count`` used axes on a grid of ``ncols`` columns; unused axes hidden."""
    ncols = max(1, min(ncols, count))
    nrows = math.ceil(count / ncols)
    fig, axs = plt.subplots(
        nrows=nrows, ncols=ncols, figsize=(cell[0] * ncols, cell[1] * nrows),
        squeeze=False, layout="constrained",
    )
    axs = axs.ravel()
    for ax in axs:
        ax.set_axis_off()
    return fig, axs[:count]


@validate_params(ncols=integer(low=1))
def plot_images(images, titles=None, *, ncols: int = 8, cmap: str = "gray_r",
                pixel_grid: bool = False, vmin=None, vmax=None) -> Figure:
    """Show images on a grid, axes off, with optional titles.

    Parameters
    ----------
    images : array of shape (n, H, W) or (n, H, W, 3), or a list of such images
        Gray images are drawn with ``cmap``; colour images as they are.
    titles : sequence of str, optional
        One title per image, e.g. the labels or the predictions.
    ncols : int, default 8
        Number of columns of the grid; the rows follow.
    cmap : str, default "gray_r"
        Colour map for gray images (``"gray_r"``: ink dark on white paper, like MNIST digits).
    pixel_grid : bool, default False
        Frame every image and draw the borders between its pixels, so that the pixels of a
        tiny image (a 3 x 3 cross) stay visible against the page. Images of more than 32
        pixels per side get only the frame.
    vmin, vmax : float, optional
        The values drawn as the darkest and the brightest colour of ``cmap``. By default
        Matplotlib's ``imshow`` stretches each gray image between its own minimum and
        maximum; pass ``vmin=0, vmax=255`` to show bytes as they are.

    Returns
    -------
    matplotlib.figure.Figure
        One visible axes per image (unused cells of the last row stay hidden).

    Examples
    --------
    >>> fig = plot_images(np.zeros((10, 28, 28)), titles=list("0123456789"), ncols=4)
    >>> len(fig.axes), sum(ax.get_visible() and ax.has_data() for ax in fig.axes)
    (12, 10)
    >>> fig.axes[3].get_title()
    '3'
    >>> plt.close(fig)

    A tiny image with its pixels outlined, drawn on a fixed byte scale:

    >>> fig = plot_images([np.eye(3) * 255], pixel_grid=True, vmin=0, vmax=255)
    >>> fig.axes[0].images[0].get_clim()
    (0.0, 255.0)
    >>> len(fig.axes[0].collections)  # the pixel borders and the frame
    2
    >>> plt.close(fig)
    """
    stack = _image_stack(images)
    if titles is not None:
        titles = [str(title) for title in titles]
        if len(titles) != len(stack):
            raise fail(ValueError, "titles", f"one title per image ({len(stack)})", f"{len(titles)} titles")
    fig, axs = _axes_grid(len(stack), ncols, cell=(1.25, 1.4 if titles else 1.25))
    for i, (ax, image) in enumerate(zip(axs, stack)):
        ax.imshow(image, cmap=cmap if image.ndim == 2 else None, vmin=vmin, vmax=vmax)
        if pixel_grid:
            _outline_pixels(ax, image.shape[:2])
        if titles is not None:
            ax.set_title(titles[i], fontsize=10)
    return fig


def _outline_pixels(ax, shape) -> None:
    """Draw the borders between the pixels of an image (up to 32 per side) and its frame."""
    height, width = shape
    ys, xs = np.arange(1, height) - 0.5, np.arange(1, width) - 0.5
    if max(height, width) > 32:
        ys, xs = ys[:0], xs[:0]
    inner = ([[(-0.5, y), (width - 0.5, y)] for y in ys]
             + [[(x, -0.5), (x, height - 0.5)] for x in xs])
    ax.add_collection(LineCollection(inner, colors="#808080", linewidths=0.8))
    frame = [[(-0.5, -0.5), (width - 0.5, -0.5), (width - 0.5, height - 0.5),
              (-0.5, height - 0.5), (-0.5, -0.5)]]
    ax.add_collection(LineCollection(frame, colors="#404040", linewidths=1.5, clip_on=False))


def _labels(y, name: str) -> np.ndarray:
    """``y`` as a 1-D array of class labels 0, 1, 2, ..., at least one."""
    y = class_labels(y, name)
    if y.size == 0:
        raise fail(ValueError, name, "at least one label, something to plot", "none")
    return y


def plot_label_counts(y_train, y_test) -> Figure:
    """Bar charts of how often each label occurs, in the training and in the test set.

    Parameters
    ----------
    y_train, y_test : 1-D arrays of int
        Class labels (0, 1, ...).

    Returns
    -------
    matplotlib.figure.Figure
        Two axes, ``train`` and ``test``; one bar per label seen in either set, its
        count written on top.

    Examples
    --------
    >>> fig = plot_label_counts([0, 1, 1, 2], [0, 2, 2])
    >>> [ax.get_title() for ax in fig.axes]
    ['train: 4 labels', 'test: 3 labels']
    >>> [int(bar.get_height()) for bar in fig.axes[1].patches]
    [1, 0, 2]
    >>> plt.close(fig)
    """
    y_train, y_test = _labels(y_train, "y_train"), _labels(y_test, "y_test")
    classes = np.arange(max(y_train.max(), y_test.max()) + 1)
    fig, axs = plt.subplots(ncols=2, figsize=(10, 4), sharey=False, layout="constrained")
    for ax, y, name, color in zip(axs, (y_train, y_test), ("train", "test"), ("C0", "C1")):
        counts = np.bincount(y, minlength=classes.size)
        bars = ax.bar(classes, counts, width=0.8, color=color)
        ax.bar_label(bars, fontsize=8)
        ax.set_xticks(classes)
        ax.set_xlabel("label")
        ax.set_ylabel("count")
        ax.set_title(f"{name}: {y.size} labels")
        ax.margins(y=0.12)
    return fig


# --- curves of the lessons -----------------------------------------------------------


def plot_penalties() -> Figure:
    r"""Compare the penalties of MSE and binary cross-entropy when the true class is 1.

    For a prediction ``q`` of the probability of class 1, MSE charges ``(1 - q)**2``
    (at most 1) while binary cross-entropy charges ``-log q``, which grows without
    bound as a confident prediction turns out wrong (``q -> 0``).

    Returns
    -------
    matplotlib.figure.Figure
        One axes with two lines, ``MSE`` and ``binary cross-entropy``, for ``0 < q < 1``.

    Examples
    --------
    >>> fig = plot_penalties()
    >>> len(fig.axes)
    1
    >>> print(*[line.get_label() for line in fig.axes[0].lines], sep="\n")
    MSE  $(1-q)^2$
    binary cross-entropy  $-\log q$
    >>> plt.close(fig)
    """
    from imagerec.losses import bce_penalty, mse_penalty

    q = np.linspace(1e-5, 1 - 1e-5, 400)
    fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    ax.plot(q, mse_penalty(q), label=r"MSE  $(1-q)^2$")
    ax.plot(q, bce_penalty(q), label=r"binary cross-entropy  $-\log q$")
    ax.set_xlabel("$q$, predicted probability of the true class 1")
    ax.set_ylabel("penalty")
    ax.set_ylim(0, 5)
    ax.grid(True, alpha=0.4)
    ax.legend()
    return fig


def plot_activations() -> Figure:
    """Plot the sigmoid and ReLU activation functions on ``[-5, 5]``.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with the lines ``sigmoid`` and ``ReLU``.

    Examples
    --------
    >>> fig = plot_activations()
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['sigmoid', 'ReLU']
    >>> float(fig.axes[0].lines[1].get_ydata()[-1])
    5.0
    >>> plt.close(fig)
    """
    from imagerec.activations import relu, sigmoid

    x = np.linspace(-5, 5, 201)
    fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    ax.plot(x, sigmoid(x), label="sigmoid")
    ax.plot(x, relu(x), label="ReLU")
    ax.set_xlabel("$z$")
    ax.set_ylabel("activation")
    ax.set_ylim(-0.2, 3)
    ax.grid(True, alpha=0.4)
    ax.legend()
    return fig


# --- colour images and filters -------------------------------------------------------


def _picture(image, name: str) -> np.ndarray:
    """Check: an image that ``imshow`` shows, grey (H, W) or colour (H, W, 3 or 4).

    That is :func:`imagerec.images.check_image` with three or four channels.
    """
    image = check_image(image, name)
    if image.ndim == 3 and image.shape[-1] not in (3, 4):
        raise fail(ValueError, name, "a grey (H, W) or colour (H, W, 3) image", f"shape {image.shape}")
    return image


def _colour(image, name: str) -> np.ndarray:
    """Check: a colour image (H, W, 3)."""
    image = check_image(image, name)
    if image.ndim != 3 or image.shape[-1] != 3:
        raise fail(ValueError, name, "a colour image of shape (H, W, 3)", f"shape {image.shape}")
    return image


def _versions(versions, name: str) -> dict:
    """Check: a non-empty mapping {title: image}."""
    if not isinstance(versions, Mapping) or not versions:
        raise fail(ValueError, name, "a non-empty mapping {title: filtered image}", repr(versions)[:60])
    return {str(title): _picture(image, f"{name}[{title!r}]") for title, image in versions.items()}


def _displayable(image: np.ndarray) -> np.ndarray:
    """Clip float colour images to [0, 1] so imshow shows them without complaint."""
    if image.ndim == 3 and np.issubdtype(image.dtype, np.floating):
        return np.clip(image, 0.0, 1.0)
    return image


@validate_params(image=_colour)
def plot_channels(image) -> Figure:
    """Show the red, green and blue channels of a colour image as gray images, then the colour image.

    Parameters
    ----------
    image : array of shape (H, W, 3)
        A colour image, uint8 or float in [0, 1].

    Returns
    -------
    matplotlib.figure.Figure
        Four axes titled ``red``, ``green``, ``blue`` and ``colour``.

    Examples
    --------
    >>> image = np.zeros((8, 8, 3), dtype=np.uint8); image[..., 0] = 255
    >>> fig = plot_channels(image)
    >>> [ax.get_title() for ax in fig.axes]
    ['red', 'green', 'blue', 'colour']
    >>> plt.close(fig)
    """
    fig, axs = plt.subplots(ncols=4, figsize=(14, 3.8), layout="constrained")
    top = 255 if np.issubdtype(image.dtype, np.integer) else 1.0
    for c, (ax, name) in enumerate(zip(axs, _CHANNEL_NAMES)):
        ax.imshow(image[..., c], cmap="gray", vmin=0, vmax=top)
        ax.set_title(name)
    axs[3].imshow(_displayable(image))
    axs[3].set_title("colour")
    for ax in axs:
        ax.set_axis_off()
    return fig


@validate_params(image=_picture, versions=_versions, ncols=integer(low=1))
def plot_filtered(image, versions: Mapping[str, np.ndarray], *, ncols: int = 2) -> Figure:
    """Show an image beside filtered versions of it, each titled, axes off.

    Parameters
    ----------
    image : array of shape (H, W) or (H, W, 3)
        The original.
    versions : mapping of str to array
        Title -> filtered image, e.g. ``{"sharpen": convolve(image, SHARPEN)}``.
        Float colour images are clipped to [0, 1] for display.
    ncols : int, default 2
        Columns of the grid (2: the original and three versions make a 2 x 2 grid).

    Returns
    -------
    matplotlib.figure.Figure
        ``1 + len(versions)`` visible axes: ``original`` first, then the versions in order.

    Examples
    --------
    >>> image = np.random.default_rng(0).random((6, 6, 3))
    >>> fig = plot_filtered(image, {"darker": image / 2, "brighter": image * 1.5})
    >>> [ax.get_title() for ax in fig.axes if ax.has_data()]
    ['original', 'darker', 'brighter']
    >>> plt.close(fig)
    """
    panels = {"original": image, **versions}
    fig, axs = _axes_grid(len(panels), ncols, cell=(5.5, 4.0))
    for ax, (title, picture) in zip(axs, panels.items()):
        ax.imshow(_displayable(picture), cmap="gray" if picture.ndim == 2 else None)
        ax.set_title(title)
    return fig


# --- later chapters: predictions and learned kernels ---------------------------------


def plot_confusion_matrix(y_true, y_pred, *, normalize: bool = False) -> Figure:
    """Draw the confusion matrix: how often true class ``i`` was predicted as ``j``.

    Parameters
    ----------
    y_true, y_pred : 1-D arrays of int
        True and predicted labels, same length.
    normalize : bool, default False
        Show each row as fractions of that true class instead of counts.

    Returns
    -------
    matplotlib.figure.Figure
        One axes (plus a colour bar) with the matrix as an image, rows = true label,
        columns = predicted label, each cell's value written in it.

    Examples
    --------
    >>> fig = plot_confusion_matrix([0, 0, 1, 2, 2], [0, 1, 1, 2, 0])
    >>> fig.axes[0].images[0].get_array().tolist()
    [[1, 1, 0], [0, 1, 0], [1, 0, 1]]
    >>> fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()
    ('predicted label', 'true label')
    >>> plt.close(fig)
    """
    from imagerec.inspection import confusion_matrix

    y_true, y_pred = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise fail(ValueError, "y_true and y_pred", "of the same length", f"{y_true.size} and {y_pred.size}")
    counts = confusion_matrix(y_true, y_pred)
    k = len(counts)
    matrix = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1) if normalize else counts
    fig, ax = plt.subplots(figsize=(1.0 + 0.6 * k, 0.6 + 0.6 * k), layout="constrained")
    shown = ax.imshow(matrix, cmap="Blues")
    fig.colorbar(shown, ax=ax, shrink=0.8)
    middle = matrix.max() / 2
    for (i, j), value in np.ndenumerate(matrix):
        text = f"{value:.2f}" if normalize else f"{value:d}"
        ax.text(j, i, text, ha="center", va="center", fontsize=8,
                color="white" if value > middle else "black")
    ax.set_xticks(range(k))
    ax.set_yticks(range(k))
    ax.set_xlabel("predicted label")
    ax.set_ylabel("true label")
    return fig


def plot_kernels(weights) -> Figure:
    """Show the kernels of a convolutional layer as small images.

    Parameters
    ----------
    weights : array of shape (kh, kw, cin, cout) or (kh, kw)
        Kernel weights as Keras stores them (``conv_layer.get_weights()[0]``).

    Returns
    -------
    matplotlib.figure.Figure
        ``cin`` rows by ``cout`` columns of axes, kernel ``j`` of input channel ``i`` at
        row ``i``, column ``j``; blue negative, red positive, one colour scale for all.

    Examples
    --------
    >>> fig = plot_kernels(np.random.default_rng(0).normal(size=(3, 3, 1, 4)))
    >>> len(fig.axes), fig.axes[0].images[0].get_array().shape, fig.axes[3].get_title()
    (4, (3, 3), 'kernel 3')
    >>> plt.close(fig)
    """
    weights = np.asarray(weights, dtype=float)
    if weights.ndim == 2:
        weights = weights[:, :, None, None]
    if weights.ndim != 4 or weights.size == 0:
        raise fail(ValueError, "weights", "kernels of shape (kh, kw, in_channels, out_channels) or (kh, kw)",
                   f"shape {np.shape(weights)}")
    _, _, cin, cout = weights.shape
    limit = float(np.abs(weights).max()) or 1.0
    fig, axs = plt.subplots(
        nrows=cin, ncols=cout, figsize=(1.3 * cout, 1.3 * cin + 0.3), squeeze=False, layout="constrained"
    )
    for i in range(cin):
        for j in range(cout):
            ax = axs[i, j]
            ax.imshow(weights[:, :, i, j], cmap="RdBu_r", vmin=-limit, vmax=limit)
            ax.set_xticks([])
            ax.set_yticks([])
            if i == 0:
                ax.set_title(f"kernel {j}", fontsize=9)
            if j == 0 and cin > 1:
                ax.set_ylabel(f"in {i}", fontsize=9)
    return fig


# --- one result per seed -----------------------------------------------------------

def plot_spread(results: dict, *, key: str, label: str, ax=None):
    """Dot plot of one result per seed, one row per network, with each network's mean.

    Parameters
    ----------
    results : dict
        ``{network: {seed: value}}``.
    key : str
        Not drawn; names the quantity in the title (e.g. ``"test accuracy"``).
    label : str
        Label of the x axis (with its unit).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = plot_spread({"B": {0: 95.1, 1: 95.4}, "C": {0: 95.0, 1: 95.6}},
    ...                   key="test accuracy", label="test accuracy (%)")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['B', 'C']
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 0.6 + 0.55 * len(results)))
    else:
        fig = ax.figure
    for row, (network, by_seed) in enumerate(results.items()):
        values = list(by_seed.values())
        ax.plot(values, [row] * len(values), "o", color=f"C{row}", alpha=0.7, label=f"{network}: one seed each")
        mean = statistics.fmean(values)
        ax.plot([mean, mean], [row - 0.3, row + 0.3], "-", color="black", linewidth=2)
    ax.set_yticks(range(len(results)), list(results))
    ax.set_ylim(-0.6, len(results) - 0.4)
    ax.set_xlabel(label)
    ax.set_title(f"{key} of each seed (dots) and their mean (bar)")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


# --- gradient descent on one weight ---------------------------------------------------

@validate_params(loss=function, path=array())
def gradient_descent_path(loss, path, *, span=None) -> Figure:
    """The curve of a loss against one weight, and the steps of gradient descent on it.

    Parameters
    ----------
    loss : callable
        The loss as a function of the weight (one float in, one float out).
    path : sequence of float
        The weight before training and after each step, as
        :func:`imagerec.losses.gradient_descent` returns it.
    span : (float, float), optional
        The range of weights to draw; by default the path's range widened by half on
        each side.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: the curve (the line labelled ``"loss"``), the visited points
        (labelled ``"steps"``) joined by arrows, and the start marked.

    Examples
    --------
    >>> from imagerec.losses import gradient_descent
    >>> parabola = lambda w: (w - 3) ** 2
    >>> fig = gradient_descent_path(parabola, gradient_descent(parabola, 0.0,
    ...                             learning_rate=0.25, steps=4))
    >>> steps = next(l for l in fig.axes[0].lines if l.get_label() == "steps")
    >>> steps.get_xdata().round(4).tolist(), steps.get_ydata().round(4).tolist()
    ([0.0, 1.5, 2.25, 2.625, 2.8125], [9.0, 2.25, 0.5625, 0.1406, 0.0352])
    >>> plt.close(fig)
    """
    path = path.ravel()
    if path.size < 2:
        raise fail(ValueError, "path", "at least two weights: the start and one step", f"{path.size}")
    if span is None:
        width = max(np.ptp(path), 1e-3)
        span = (path.min() - width / 2, path.max() + width / 2)
    grid = np.linspace(span[0], span[1], 301)
    fig, ax = plt.subplots(figsize=(6.5, 3.6), layout="constrained")
    ax.plot(grid, [loss(w) for w in grid], color="#444444", linewidth=2, label="loss")
    heights = np.array([loss(w) for w in path])
    ax.plot(path, heights, "o", color=_ACCENT, markersize=7, zorder=3, label="steps")
    for (w0, l0), (w1, l1) in zip(zip(path, heights), zip(path[1:], heights[1:])):
        ax.annotate("", xy=(w1, l1), xytext=(w0, l0),
                    arrowprops=dict(arrowstyle="-|>", color=_ACCENT, linewidth=1.4,
                                    shrinkA=4, shrinkB=4))
    ax.annotate("start", (path[0], heights[0]), textcoords="offset points", xytext=(8, 4),
                fontsize=11)
    ax.set_xlabel("weight w")
    ax.set_ylabel("loss")
    ax.grid(alpha=0.4)
    return fig
