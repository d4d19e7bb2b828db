"""The lessons' explanatory diagrams, drawn with code.

The course illustrates convolution, padding, channels, pooling and dropout with static
pictures. Here each picture is a function that returns a :class:`matplotlib.figure.Figure`;
where a picture shows numbers (the pixel under a kernel, the results of pooling) they are
computed with :mod:`imagerec.convolution` and :mod:`imagerec.pooling`, so the drawing can
never disagree with the code the book explains.

All diagrams are drawn in data coordinates on axes with the frame turned off: grids of
numbered squares (:class:`matplotlib.patches.Rectangle`), text, and arrows.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patches
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from imagerec._checks import fail, integer, number, validate_params
from imagerec.figures import ACCENT as _ACCENT

__all__ = [
    "DEMO_IMAGE",
    "POOL_DEMO",
    "kernel_at_pixel",
    "zero_padding",
    "kernel_over_channels",
    "many_kernels",
    "pooling",
    "dropout_network",
    "dense_network",
]

#: The 4 x 4 gray image of the convolution diagrams. Pixel (1, 1) is 65; its neighbours
#: up, left, right and down are 18, 76, 3 and 89, as in the lesson.
DEMO_IMAGE = np.array(
    [[12, 18, 40, 7],
     [76, 65, 3, 120],
     [30, 89, 54, 200],
     [9, 150, 77, 33]],
    dtype=np.uint8,
)

#: The 4 x 4 array of the pooling diagram.
POOL_DEMO = np.array(
    [[1, 5, 2, 0],
     [3, 8, 4, 6],
     [7, 2, 9, 1],
     [0, 4, 3, 5]],
    dtype=float,
)

_WINDOW = "#cfe3ff"  # cells under the kernel
_CENTRE = "#7fb2f0"  # the pixel being computed
_ZERO = "#e6e6e6"  # padding cells
_CHANNEL_COLOURS = ("#e8756f", "#78c27a", "#6f9be8")  # red, green, blue layers
_BLOCK_COLOURS = ("#fde2b5", "#cde8c6", "#d3dcf5", "#f4cfe0")  # the four pooling windows


# --- drawing helpers -----------------------------------------------------------------------


def _canvas(ncols: int = 1, figsize=(8, 4)):
    """A figure with ``ncols`` frameless axes, equal aspect, y growing downwards (rows)."""
    fig, axs = plt.subplots(ncols=ncols, figsize=figsize, squeeze=False, layout="compressed")
    for ax in axs.ravel():
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.invert_yaxis()
    return fig, list(axs.ravel())


def _fit(fig, axs, width: float, extra: float = 0.3) -> None:
    """Give the figure the height its (equal-aspect) panels need at ``width`` inches."""
    ratios = [abs(np.diff(ax.get_ylim())[0] / np.diff(ax.get_xlim())[0]) for ax in axs]
    fig.set_size_inches(width, width / len(axs) * max(ratios) + extra)


def _format(value) -> str:
    """Numbers as people write them: 4, 4.25, not 4.0 or 4.250000."""
    return f"{float(value):g}"


def _draw_table(ax, values, x0: float, y0: float, *, colours=None, size: float = 1.0,
          fontsize: float = 12, bold=None, edge: str = "#444444") -> None:
    """Draw a table of numbered squares with its top-left corner at (x0, y0).

    ``values`` may hold strings (drawn as they are) or numbers; ``colours`` is an array of
    face colours of the same shape (default white); ``bold`` a boolean mask of cells whose
    text is bold.
    """
    values = np.asarray(values, dtype=object)
    for (r, c), value in np.ndenumerate(values):
        colour = "white" if colours is None else colours[r][c]
        ax.add_patch(patches.Rectangle((x0 + c * size, y0 + r * size), size, size,
                                       facecolor=colour, edgecolor=edge, linewidth=1))
        text = value if isinstance(value, str) else _format(value)
        weight = "bold" if bold is not None and bold[r][c] else "normal"
        ax.text(x0 + (c + 0.5) * size, y0 + (r + 0.5) * size, text, ha="center", va="center",
                fontsize=fontsize, fontweight=weight)


def _outline(ax, x0: float, y0: float, width: float, height: float, *,
             colour: str = _ACCENT, linewidth: float = 3, linestyle: str = "-") -> None:
    """A thick empty rectangle, e.g. the position of a kernel."""
    ax.add_patch(patches.Rectangle((x0, y0), width, height, fill=False, edgecolor=colour,
                                   linewidth=linewidth, linestyle=linestyle, zorder=5))


def _arrow(ax, start, end, *, text: str = "", colour: str = _ACCENT, rad: float = 0.0,
           fontsize: float = 11) -> None:
    """An arrow from ``start`` to ``end`` (data coordinates), optionally labelled at its middle."""
    ax.annotate("", xy=end, xytext=start,
                arrowprops=dict(arrowstyle="-|>", color=colour, linewidth=1.8,
                                mutation_scale=16, connectionstyle=f"arc3,rad={rad}"))
    if text:
        middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 - 0.35)
        ax.text(*middle, text, ha="center", va="bottom", fontsize=fontsize, color=colour)


def _shape(shape) -> str:
    """(4, 4) -> "4 × 4"."""
    return " × ".join(str(n) for n in shape)


# --- convolution --------------------------------------------------------------------------


def _neighbourhood(image: np.ndarray, kernel: np.ndarray, y: int, x: int) -> np.ndarray:
    """The pixels under a kernel centred at (y, x); the pixel must be an inner one."""
    half = kernel.shape[0] // 2
    return image[y - half:y + half + 1, x - half:x + half + 1]


def _weighted_sum_text(window: np.ndarray, kernel: np.ndarray) -> str:
    """Write the weighted sum the way the lesson does: ``5 × 65 − (18 + 76 + 3 + 89)``.

    Pixels sharing a weight are grouped; the centre's weight comes first, the others in
    reading order; zero weights are left out.
    """
    half = kernel.shape[0] // 2
    order = [(half, half)] + [rc for rc in np.ndindex(kernel.shape) if rc != (half, half)]
    groups: dict[float, list[str]] = {}
    for rc in order:
        if kernel[rc] != 0:
            groups.setdefault(float(kernel[rc]), []).append(_format(window[rc]))
    terms = []
    for weight, pixels in groups.items():
        inner = pixels[0] if len(pixels) == 1 else "(" + " + ".join(pixels) + ")"
        term = inner if abs(weight) == 1 else f"{_format(abs(weight))} × {inner}"
        sign = "−" if weight < 0 else "+"
        terms.append(f"{sign} {term}" if terms or weight < 0 else term)
    return " ".join(terms)


@validate_params(centre=integer(0, 255))
def kernel_at_pixel(centre: int = 65) -> Figure:
    """A 3 x 3 sharpen kernel applied at pixel (1, 1) of a 4 x 4 image.

    The drawing shows the image with the pixels under the kernel shaded, the kernel, and
    the new image whose pixel (1, 1) gets the weighted sum, written out below:
    ``5 × 65 − (18 + 76 + 3 + 89) = 139``. The new value is computed with
    :func:`imagerec.convolution.convolve` on :data:`DEMO_IMAGE` (not typed in); when it
    falls outside [0, 255] the figure also says to what it is clipped.

    Parameters
    ----------
    centre : int, default 65
        Value of pixel (1, 1), 0..255. The lesson's second example, 165, gives 639,
        clipped to 255.

    Returns
    -------
    matplotlib.figure.Figure
        One axes; its texts include the sum and its result.

    Examples
    --------
    >>> fig = kernel_at_pixel()
    >>> [t.get_text() for t in fig.axes[0].texts if "=" in t.get_text()]
    ['5 × 65 − (18 + 76 + 3 + 89) = 139']
    >>> [t.get_text() for t in kernel_at_pixel(165).axes[0].texts if "=" in t.get_text()]
    ['5 × 165 − (18 + 76 + 3 + 89) = 639,  clipped to 255']
    >>> plt.close("all")
    """
    from imagerec.convolution import SHARPEN, convolve

    image = DEMO_IMAGE.copy()
    image[1, 1] = centre
    y, x = 1, 1
    # convolve scales uint8 by 1/255; undo it to talk in pixel values.
    value = int(np.rint(convolve(image, SHARPEN, clip=False)[y, x] * 255))
    clipped = int(np.clip(value, 0, 255))

    fig, (ax,) = _canvas(figsize=(11, 4.6))
    colours = np.full(image.shape, "white", dtype=object)
    colours[0:3, 0:3] = _WINDOW
    colours[y, x] = _CENTRE
    _draw_table(ax, image, 0, 0, colours=colours)
    _outline(ax, x - 1, y - 1, 3, 3)
    ax.text(2, -0.35, "image", ha="center", fontsize=13)

    kx, ky = 5.6, 0.5
    _draw_table(ax, SHARPEN, kx, ky, colours=[[_WINDOW] * 3, [_WINDOW, _CENTRE, _WINDOW], [_WINDOW] * 3])
    _outline(ax, kx, ky, 3, 3)
    ax.text(kx + 1.5, ky - 0.35, "kernel (sharpen)", ha="center", fontsize=13)
    for corner_image, corner_kernel in (((x - 1 + 3, y - 1), (kx, ky)), ((x - 1 + 3, y + 2), (kx, ky + 3))):
        ax.plot(*zip(corner_image, corner_kernel), linestyle="--", color=_ACCENT, linewidth=1)

    ox = 10.8
    result = np.full(image.shape, "", dtype=object)
    result[y, x] = str(value)
    out_colours = np.full(image.shape, "#f4f4f4", dtype=object)
    out_colours[y, x] = _CENTRE
    _draw_table(ax, result, ox, 0, colours=out_colours)
    ax.text(ox + 2, -0.35, "new image", ha="center", fontsize=13)
    _arrow(ax, (kx + 3.1, ky + 1.5), (ox + x + 0.1, y + 0.5), text="weighted sum", rad=0.0)

    equation = f"{_weighted_sum_text(_neighbourhood(image, SHARPEN, y, x), SHARPEN)} = {value}"
    if clipped != value:
        equation += f",  clipped to {clipped}"
    ax.text(7.4, 4.9, equation, ha="center", va="center", fontsize=15)
    ax.set_xlim(-0.3, ox + 4.3)
    ax.set_ylim(5.4, -0.9)
    _fit(fig, [ax], 11)
    return fig


def _padded_panel(ax, image: np.ndarray, pad: int) -> None:
    """Draw ``image`` framed by ``pad`` rings of zeros (grey cells), top-left at (0, 0)."""
    height, width = image.shape
    values = np.zeros((height + 2 * pad, width + 2 * pad), dtype=int)
    values[pad:pad + height, pad:pad + width] = image
    colours = np.full(values.shape, _ZERO, dtype=object)
    colours[pad:pad + height, pad:pad + width] = "white"
    _draw_table(ax, values, 0, 0, colours=colours, fontsize=11)
    _outline(ax, pad, pad, width, height, colour="#444444", linewidth=2)


def zero_padding() -> Figure:
    """Where a 3 x 3 kernel fits: inside, at a corner with zero padding, and 'valid' only.

    Left: the kernel at pixel (1, 1) lies inside the 4 x 4 image. Middle: at pixel (0, 0)
    it sticks out; the image is framed by a ring of zeros (padding ``"same"``), so the
    output keeps the image's size. Right: without padding (``"valid"``) the kernel visits
    only the pixels where it fits, and the output shrinks by ``k - 1``. The output sizes
    in the titles come from :func:`imagerec.convolution.convolve`.

    Returns
    -------
    matplotlib.figure.Figure
        Three axes.

    Examples
    --------
    >>> fig = zero_padding()
    >>> [ax.get_title().splitlines()[0] for ax in fig.axes]
    ['kernel at pixel (1, 1)', 'kernel at pixel (0, 0)', "padding='valid'"]
    >>> fig.axes[2].get_title().splitlines()[1]
    'output 4 × 4 → 2 × 2'
    >>> plt.close(fig)
    """
    from imagerec.convolution import SHARPEN, convolve

    image = DEMO_IMAGE
    same = convolve(image, SHARPEN, padding="same").shape
    valid = convolve(image, SHARPEN, padding="valid").shape
    k = SHARPEN.shape[0]
    pad = k // 2
    fig, axs = _canvas(ncols=3, figsize=(13, 4.8))

    colours = np.full(image.shape, "white", dtype=object)
    colours[0:3, 0:3] = _WINDOW
    colours[1, 1] = _CENTRE
    _draw_table(axs[0], image, pad, pad, colours=colours, fontsize=11)
    _outline(axs[0], pad, pad, k, k)
    axs[0].set_title("kernel at pixel (1, 1)\ninside the image", fontsize=12)

    _padded_panel(axs[1], image, pad)
    axs[1].add_patch(patches.Rectangle((pad, pad), 1, 1, facecolor=_CENTRE, alpha=0.8, zorder=1.5))
    _outline(axs[1], 0, 0, k, k)
    sizes = f"{_shape(image.shape)} → {_shape(same)}"
    axs[1].set_title(f"kernel at pixel (0, 0)\nzero padding ('same'): output {sizes}", fontsize=12)

    colours = np.full(image.shape, "white", dtype=object)
    colours[pad:image.shape[0] - pad, pad:image.shape[1] - pad] = _CENTRE
    _draw_table(axs[2], image, pad, pad, colours=colours, fontsize=11)
    _outline(axs[2], pad, pad, k, k, linestyle="--", linewidth=2)
    _outline(axs[2], pad + image.shape[1] - k, pad + image.shape[0] - k, k, k, linestyle="--", linewidth=2)
    axs[2].set_title(f"padding='valid'\noutput {_shape(image.shape)} → {_shape(valid)}", fontsize=12)

    size = image.shape[0] + 2 * pad
    for ax in axs:
        ax.set_xlim(-0.2, size + 0.2)
        ax.set_ylim(size + 0.2, -0.2)
    _fit(fig, axs, 13, extra=0.7)
    return fig


# --- channels -------------------------------------------------------------------------------


def _draw_channel(ax, x0: float, y0: float, rows: int, cols: int, *, size: float, colour,
           highlight=None, highlight_colour=None) -> None:
    """One channel drawn as a grid of squares; ``highlight`` = (row, col, height, width)."""
    for r in range(rows):
        for c in range(cols):
            inside = (highlight is not None and highlight[0] <= r < highlight[0] + highlight[2]
                      and highlight[1] <= c < highlight[1] + highlight[3])
            ax.add_patch(patches.Rectangle((x0 + c * size, y0 + r * size), size, size,
                                           facecolor=highlight_colour if inside else colour,
                                           edgecolor="#555555", linewidth=0.7))


def _cards(ax, x0: float, y0: float, colours, rows: int, cols: int, *, size: float = 1.0,
           shift: float = 0.45, highlight=None, highlight_colours=None, labels=None) -> None:
    """Channels as cards one behind the other: ``colours[0]`` at the back, up and to the right.

    ``(x0, y0)`` is the top-left corner of the front card. With ``highlight`` =
    (row, col, height, width) the window is shaded on every card and outlined as a box
    going through every card.
    """
    n = len(colours)
    for i, colour in enumerate(colours):
        depth = n - 1 - i
        x, y = x0 + depth * shift, y0 - depth * shift
        _draw_channel(ax, x, y, rows, cols, size=size, colour=colour, highlight=highlight,
               highlight_colour=None if highlight_colours is None else highlight_colours[i])
        if labels is not None:  # in the card's top strip, the part the next card leaves visible
            ax.text(x + cols * size - 0.12, y + min(shift, size) / 2, labels[i], fontsize=9,
                    ha="right", va="center", color="#222222", zorder=7)
    if highlight is not None:
        r, c, h, w = highlight
        back = (n - 1) * shift
        front_box = (x0 + c * size, y0 + r * size, w * size, h * size)
        _outline(ax, *front_box, colour="black", linewidth=1.8)
        _outline(ax, front_box[0] + back, front_box[1] - back, w * size, h * size,
                 colour="black", linewidth=1.2, linestyle="--")
        for dx in (0, w * size):
            for dy in (0, h * size):
                ax.plot([front_box[0] + dx, front_box[0] + dx + back],
                        [front_box[1] + dy, front_box[1] + dy - back],
                        color="black", linewidth=1.0, linestyle="--", zorder=6)


def _tint(colour, amount: float) -> tuple:
    """Mix ``colour`` with white (amount 0: white, 1: the colour itself)."""
    from matplotlib.colors import to_rgb

    rgb = np.array(to_rgb(colour))
    return tuple(1 - amount * (1 - rgb))


def _caption(ax, x: float, y: float, text: str) -> None:
    ax.text(x, y, text, ha="center", va="top", fontsize=13)


def kernel_over_channels() -> Figure:
    """A 3-channel kernel slides over an RGB image and produces one 2-D output.

    The image has three channels (red, green, blue), drawn as cards one behind the other;
    the kernel has three 3 x 3 weight matrices, one per channel. At each pixel the kernel's weights
    multiply the pixels under them in all three channels and everything is summed into
    one number: one pixel of a single-channel output.

    Returns
    -------
    matplotlib.figure.Figure
        One axes.

    Examples
    --------
    >>> fig = kernel_over_channels()
    >>> len(fig.axes)
    1
    >>> [t.get_text() for t in fig.axes[0].texts if "×" in t.get_text()]
    ['image  H × W × 3', 'kernel  3 × 3 × 3', 'output  H × W × 1']
    >>> plt.close(fig)
    """
    fig, (ax,) = _canvas()
    rows = cols = 6
    shift = 0.9
    box = (1, 1, 3, 3)  # the kernel's window: rows 1-3, columns 1-3
    _cards(ax, 0, 0, [_tint(c, 0.3) for c in _CHANNEL_COLOURS], rows, cols, shift=shift,
           highlight=box, highlight_colours=[_tint(c, 0.75) for c in _CHANNEL_COLOURS],
           labels=["R", "G", "B"])
    _caption(ax, cols / 2 + shift, rows + 0.5, "image  H × W × 3")

    kx, ky = 11.0, 1.5
    _cards(ax, kx, ky, [_tint(c, 0.75) for c in _CHANNEL_COLOURS], 3, 3, shift=shift,
           labels=["R", "G", "B"])
    _caption(ax, kx + 1.5 + shift, rows + 0.5, "kernel  3 × 3 × 3")
    right = box[1] + box[3]
    for image_y, kernel_y in ((box[0], ky), (box[0] + box[2], ky + 3)):
        ax.plot([right, kx], [image_y, kernel_y], linestyle="--", color=_ACCENT, linewidth=1.2, zorder=6)

    ox = 19.5
    _draw_channel(ax, ox, 0, rows, cols, size=1.0, colour="#f0f0f0", highlight=(2, 2, 1, 1),
           highlight_colour="#666666")
    _caption(ax, ox + cols / 2, rows + 0.5, "output  H × W × 1")
    _arrow(ax, (kx + 3 + 2 * shift + 0.2, ky + 1.5), (ox + 1.9, 2.5), text="sum of 27 products")
    ax.set_xlim(-0.4, ox + cols + 0.4)
    ax.set_ylim(rows + 1.4, -2 * shift - 0.4)
    _fit(fig, [ax], 12)
    return fig


@validate_params(n=integer(1, 8))
def many_kernels(n: int = 4) -> Figure:
    """Several kernels, each producing one output channel: the number of channels grows.

    Every kernel spans all three input channels and gives one 2-D output; ``n`` kernels
    give an output of ``n`` channels, which is what a convolutional layer with ``n``
    filters does.

    Parameters
    ----------
    n : int, default 4
        Number of kernels, 1..8.

    Returns
    -------
    matplotlib.figure.Figure
        One axes.

    Examples
    --------
    >>> fig = many_kernels(3)
    >>> [t.get_text() for t in fig.axes[0].texts if "×" in t.get_text()]
    ['image  H × W × 3', '3 kernels  3 × 3 × 3', 'output  H × W × 3']
    >>> plt.close(fig)
    """
    palette = [f"C{i}" for i in (1, 2, 4, 5, 6, 8, 9, 3)][:n]
    rows = cols = 5
    step = 2.2  # vertical distance between kernels
    height = max(step * n, rows + 1)
    fig, (ax,) = _canvas()

    iy = (height - rows) / 2 + 0.4
    _cards(ax, 0, iy, [_tint(c, 0.3) for c in _CHANNEL_COLOURS], rows, cols, shift=0.5,
           labels=["R", "G", "B"])
    _caption(ax, cols / 2 + 0.5, height + 0.6, "image  H × W × 3")

    kx = 9.0
    kernel_size, kernel_shift = 0.5, 0.25
    targets = []
    for i, colour in enumerate(palette):
        ky = i * step + (height - step * n) / 2 + 0.8
        _cards(ax, kx, ky, [_tint(colour, a) for a in (0.45, 0.7, 1.0)], 3, 3, size=kernel_size,
               shift=kernel_shift)
        _arrow(ax, (cols + 1.3, iy + rows / 2), (kx - 0.15, ky + 0.75))
        targets.append((kx + 1.5 + 2 * kernel_shift + 0.15, ky + 0.75))
    plural = "s" if n > 1 else ""
    _caption(ax, kx + 1.0, height + 0.6, f"{n} kernel{plural}  3 × 3 × 3")

    ox, shift = 15.5, 0.6
    oy = (height - rows) / 2 + (n - 1) * shift / 2 + 0.4
    _cards(ax, ox, oy, [_tint(c, 0.55) for c in palette], rows, cols, shift=shift,
           labels=[str(i) for i in range(n)])
    for i, start in enumerate(targets):
        depth = n - 1 - i
        _arrow(ax, start, (ox + depth * shift - 0.1, oy - depth * shift + shift / 2 if depth else oy + 1))
    _caption(ax, ox + cols / 2 + (n - 1) * shift / 2, height + 0.6, f"output  H × W × {n}")
    ax.set_xlim(-0.4, ox + cols + (n - 1) * shift + 0.8)
    ax.set_ylim(height + 1.6, min(0.0, oy - (n - 1) * shift) - 0.4)
    _fit(fig, [ax], 12)
    return fig


# --- pooling --------------------------------------------------------------------------------


def _divides_4(size, name: str) -> int:
    """Check: a window size that divides the 4 x 4 demo array."""
    size = integer(1, 4)(size, name)
    if size not in (1, 2, 4):
        raise fail(ValueError, name, "a divisor of the 4 x 4 demo array's size (1, 2 or 4)", size)
    return size


def _layer_sizes(low: int = 1, high: int | None = None, most: int | None = None):
    """Check: a sequence of 2 (to ``most``) layer sizes, integers from ``low`` to ``high``."""
    what = (f"{'2' if most is None else f'2 to {most}'} layer sizes, integers >= {low}"
            + ("" if high is None else f" and <= {high}"))
    size = integer(low, high, what=what)

    def check(layers, name: str) -> tuple[int, ...]:
        if isinstance(layers, str) or not hasattr(layers, "__iter__"):
            raise fail(TypeError, name, what, repr(layers))
        layers = tuple(size(w, name) for w in layers)
        if len(layers) < 2 or (most is not None and len(layers) > most):
            raise fail(ValueError, name, what, repr(layers))
        return layers

    return check


@validate_params(size=_divides_4)
def pooling(size: int = 2) -> Figure:
    """Max pooling and average pooling of a 4 x 4 array with 2 x 2 windows.

    The windows do not overlap (stride = size); each is shaded in its own colour, and so
    is the output number it turns into. The outputs are computed with
    :func:`imagerec.pooling.max_pool` and :func:`imagerec.pooling.average_pool` on
    :data:`POOL_DEMO`; the maximum of each window is bold.

    Parameters
    ----------
    size : int, default 2
        Window size; must divide 4 (1, 2 or 4).

    Returns
    -------
    matplotlib.figure.Figure
        One axes.

    Examples
    --------
    >>> fig = pooling()
    >>> texts = [t.get_text() for t in fig.axes[0].texts]
    >>> first = texts.index("max pooling 2 × 2") + 1
    >>> texts[first:first + 4]
    ['8', '6', '7', '9']
    >>> first = texts.index("average pooling 2 × 2") + 1
    >>> texts[first:first + 4]
    ['4.25', '3', '3.25', '4.5']
    >>> plt.close(fig)
    """
    from imagerec.pooling import average_pool, max_pool

    data = POOL_DEMO
    maxima, means = max_pool(data, size), average_pool(data, size)
    blocks = np.arange(maxima.size).reshape(maxima.shape)
    block_of = np.kron(blocks, np.ones((size, size), dtype=int))
    palette = np.array([_BLOCK_COLOURS[i % len(_BLOCK_COLOURS)] for i in range(blocks.size)], dtype=object)
    is_max = data == np.kron(maxima, np.ones((size, size)))

    fig, (ax,) = _canvas(figsize=(9, 4.8))
    _draw_table(ax, data, 0, 0.5, colours=palette[block_of], bold=is_max, fontsize=13)
    for r in range(0, 4, size):
        for c in range(0, 4, size):
            _outline(ax, c, 0.5 + r, size, size, colour="#444444", linewidth=2.2)
    ax.text(2, 0.1, "input 4 × 4", ha="center", fontsize=13)

    cell = 1.0
    for (title, values, top) in (("max pooling", maxima, -0.5), ("average pooling", means, 3.0)):
        x0 = 8.0
        ax.text(x0 + values.shape[1] * cell / 2, top - 0.3,
                f"{title} {size} × {size}", ha="center", fontsize=12)
        _draw_table(ax, values, x0, top, colours=palette[blocks], size=cell, fontsize=13)
        _arrow(ax, (4.3, 2.5), (x0 - 0.15, top + values.shape[0] * cell / 2), rad=-0.15 if top < 1 else 0.15)
    ax.set_xlim(-0.3, 8.0 + maxima.shape[1] + 1.2)
    ax.set_ylim(3.0 + maxima.shape[0] + 0.4, -1.3)
    _fit(fig, [ax], 8)
    return fig


# --- dropout --------------------------------------------------------------------------------


def _dropped(layers, seed: int, rate: float) -> list[np.ndarray]:
    """Boolean masks (True = dropped) for each layer; only hidden layers drop, one always stays."""
    rng = np.random.default_rng(seed)
    masks = [np.zeros(layers[0], dtype=bool)]
    for width in layers[1:-1]:
        draws = rng.random(width)
        drop = draws < rate
        if drop.all():
            drop[np.argmax(draws)] = False
        masks.append(drop)
    return masks + [np.zeros(layers[-1], dtype=bool)]


def _draw_network(ax, layers, dropped, title: str) -> None:
    """Nodes as circles in columns, edges between neighbouring columns, dropped nodes crossed."""
    positions = [np.column_stack([np.full(w, i * 2.0), (np.arange(w) - (w - 1) / 2) * 1.0])
                 for i, w in enumerate(layers)]
    segments = [(a, b)
                for i in range(len(layers) - 1)
                for j, a in enumerate(positions[i]) if not dropped[i][j]
                for k, b in enumerate(positions[i + 1]) if not dropped[i + 1][k]]
    ax.add_collection(LineCollection(segments, colors="#8a8a8a", linewidths=0.9, zorder=1, label="edges"))
    every = np.concatenate(positions)
    gone = np.concatenate(dropped)
    ax.scatter(*every[~gone].T, s=420, c="#6fa8dc", edgecolors="#1f4e79", linewidths=1.5, zorder=2,
               label="kept")
    ax.scatter(*every[gone].T, s=420, c="#e5e5e5", edgecolors="#a0a0a0", linewidths=1.5, zorder=2,
               label="dropped")
    ax.scatter(*every[gone].T, s=200, marker="x", c="#c0392b", linewidths=2.2, zorder=3)
    names = ["input"] + [f"hidden {i}" for i in range(1, len(layers) - 1)] + ["output"]
    bottom = max(layers) / 2 + 0.3
    for i, name in enumerate(names):
        ax.text(i * 2.0, bottom, name, ha="center", va="top", fontsize=10)
    ax.set_title(title, fontsize=13)
    ax.set_xlim(-0.7, 2.0 * (len(layers) - 1) + 0.7)
    ax.set_ylim(bottom + 0.7, -max(layers) / 2 - 0.2)


@validate_params(seed=integer(low=0), rate=number(0, 1, include_high=False), layers=_layer_sizes())
def dropout_network(seed: int = 0, rate: float = 0.5, layers=(4, 6, 6, 3)) -> Figure:
    """A small dense network before and after dropout.

    The right panel is the thinned network of one training image: Keras draws a new
    one for every image of a batch. Each hidden neuron is switched off with
    probability ``rate`` (drawn with
    ``numpy.random.default_rng(seed)``); a dropped neuron is greyed and crossed and all its
    edges disappear. Input and output neurons always stay, as do at least one neuron per
    hidden layer.

    Parameters
    ----------
    seed : int, default 0
        Seed of the draw: another seed, another thinned network.
    rate : float, default 0.5
        Probability of dropping a hidden neuron, in [0, 1).
    layers : sequence of int, default (4, 6, 6, 3)
        Neurons per layer, input first; at least two layers.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes, ``before dropout`` and ``after dropout``. In each the edges are the
        :class:`~matplotlib.collections.LineCollection` labelled ``"edges"`` and the nodes
        the scatter collections labelled ``"kept"`` and ``"dropped"``.

    Examples
    --------
    >>> fig = dropout_network(seed=0)
    >>> [ax.get_title() for ax in fig.axes]
    ['before dropout', 'after dropout (rate 0.5)']
    >>> def edges(ax):
    ...     return next(len(c.get_segments()) for c in ax.collections if c.get_label() == "edges")
    >>> edges(fig.axes[0]), edges(fig.axes[1]) < edges(fig.axes[0])
    (78, True)
    >>> plt.close(fig)
    """
    keep_all = [np.zeros(w, dtype=bool) for w in layers]
    fig, axs = plt.subplots(ncols=2, figsize=(11, 0.8 + 0.75 * max(layers)), layout="compressed")
    _draw_network(axs[0], layers, keep_all, "before dropout")
    _draw_network(axs[1], layers, _dropped(layers, seed, rate), f"after dropout (rate {rate:g})")
    for ax in axs:
        ax.set_aspect("equal")
        ax.set_axis_off()
    _fit(fig, axs, 11, extra=0.5)
    return fig


# --- the network ------------------------------------------------------------------------------


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _subscript(i: int) -> str:
    return str(i).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


@validate_params(layers=_layer_sizes(1, 8, most=5))
def dense_network(layers=(3, 2, 1)) -> Figure:
    """A small dense network, one neuron's weights and bias written out, parameters counted.

    Inputs :math:`x_i` on the left, hidden neurons :math:`h_j` in the middle, output logits
    on the right; every neuron is connected to every neuron of the previous layer. The
    edges into the first hidden neuron are highlighted and labelled with their weights
    :math:`w_{i1}` (weight ``W[i, j]`` connects input ``i`` to neuron ``j``, as in a Keras
    ``Dense`` kernel of shape ``(n, m)``), and the formula of that neuron is written below.
    Under each layer of neurons its parameter count is given as ``n·m + m``.

    Parameters
    ----------
    layers : sequence of int, default (3, 2, 1)
        Neurons per layer, input first; two to five layers of 1 to 8 neurons.

    Returns
    -------
    matplotlib.figure.Figure
        One frameless axes; the edges are the
        :class:`~matplotlib.collections.LineCollection` labelled ``"edges"``.

    Examples
    --------
    >>> fig = dense_network()
    >>> texts = [t.get_text() for t in fig.axes[0].texts]
    >>> [t for t in texts if "parameters" in t]
    ['3·2 + 2 = 8 parameters', '2·1 + 1 = 3 parameters']
    >>> [t for t in texts if t.startswith("h₁ =")]
    ['h₁ = σ(x₁w₁₁ + x₂w₂₁ + x₃w₃₁ + b₁)']
    >>> plt.close(fig)
    """
    gap = 3.2
    positions = [np.column_stack([np.full(w, i * gap), (np.arange(w) - (w - 1) / 2) * 1.3])
                 for i, w in enumerate(layers)]
    fig, (ax,) = _canvas(figsize=(9, 5))
    plain, bold = [], []
    for i in range(len(layers) - 1):
        for j, a in enumerate(positions[i]):
            for k, b in enumerate(positions[i + 1]):
                (bold if i == 0 and k == 0 else plain).append((a, b))
    ax.add_collection(LineCollection(plain + bold, colors=["#b0b0b0"] * len(plain)
                                     + [_ACCENT] * len(bold),
                                     linewidths=[1.0] * len(plain) + [2.2] * len(bold),
                                     zorder=1, label="edges"))
    n_hidden = len(layers) - 2
    for i, column in enumerate(positions):
        for j, (x, y) in enumerate(column):
            if i == 0:
                name, face = f"x{_subscript(j + 1)}", "#f4f4f4"
            elif i == len(layers) - 1:
                name, face = (f"z{_subscript(j + 1)}" if layers[-1] > 1 else "z"), "#fde2b5"
            else:
                prefix = "h" if n_hidden == 1 else "h" + str(i).translate(_SUPERSCRIPT)
                name, face = f"{prefix}{_subscript(j + 1)}", "#cfe3ff"
            ax.add_patch(patches.Circle((x, y), 0.42, facecolor=face, edgecolor="#444444",
                                        linewidth=1.5, zorder=2))
            ax.text(x, y, name, ha="center", va="center", fontsize=13, zorder=3)
    target = positions[1][0]
    for i, source in enumerate(positions[0]):  # weight labels on the highlighted edges
        where = source + 0.32 * (target - source)
        ax.text(*where, f"w{_subscript(i + 1)}{_subscript(1)}", fontsize=11, color=_ACCENT,
                ha="center", va="bottom", zorder=4,
                bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none"))
    ax.text(target[0] + 0.5, target[1] - 0.5, f"+ b{_subscript(1)}", fontsize=11,
            color=_ACCENT, ha="left", va="bottom", zorder=4)
    top = min(c[:, 1].min() for c in positions) - 0.9
    bottom = max(c[:, 1].max() for c in positions) + 0.8
    names = ["input"] + ["hidden layer"] * n_hidden + ["output layer"]
    for i, name in enumerate(names):
        ax.text(i * gap, top, name, ha="center", va="bottom", fontsize=12)
        if i:
            n, m = layers[i - 1], layers[i]
            ax.text(i * gap, bottom, f"{n}·{m} + {m} = {n * m + m} parameters",
                    ha="center", va="top", fontsize=11)
    sum_text = " + ".join(f"x{_subscript(i + 1)}w{_subscript(i + 1)}{_subscript(1)}"
                          for i in range(layers[0]))
    first = "h₁" if n_hidden == 1 else ("h¹₁" if n_hidden else "z₁" if layers[-1] > 1 else "z")
    activation = "σ" if n_hidden else ""
    inner = f"{sum_text} + b{_subscript(1)}"
    formula = f"{first} = {activation}({inner})" if activation else f"{first} = {inner}"
    ax.text((len(layers) - 1) * gap / 2, bottom + 0.7, formula, ha="center", va="top",
            fontsize=13, color=_ACCENT)
    ax.set_xlim(-0.9, (len(layers) - 1) * gap + 1.5)
    ax.set_ylim(bottom + 1.3, top - 0.2)
    _fit(fig, [ax], 9)
    return fig


