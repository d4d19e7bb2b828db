"""A digit drawn by hand, turned into the 28x28 image an MNIST network reads.

The MNIST digits were written on paper, scanned as black-and-white images, and then
normalised in two steps: each digit was scaled to fit a 20x20 box, keeping its
aspect ratio (the scaling mixes black and white into gray levels), and the box was
placed in a 28x28 field so that the digit's centre of mass lies at the field's
centre. The book's "draw a digit" panels do the same with the strokes a reader draws,
in JavaScript (``_static/panels/drawing.js``); this module is the reference the browser
test compares the panel with, step by step:

1. :func:`rasterize`: the strokes become ink on a :data:`CANVAS_SIZE` square grid, every
   pixel within :data:`PEN_RADIUS` of a stroke;
2. :func:`fit_box`: the ink's bounding box is scaled to fit 20x20 pixels, keeping its
   aspect ratio; each pixel's gray level is the share of it covered by ink, 0..255;
3. :func:`centre`: the 20x20 box goes into a 28x28 field, shifted so that its centre of
   mass falls on the field's centre.

:func:`preprocess` chains the three. Every step is integer arithmetic, so that the
panel's JavaScript and this module give the same bytes, not just close ones.

>>> digit = preprocess([[(140, 40), (140, 240)]])   # one vertical stroke: a "1"
>>> digit.shape, digit.dtype
((28, 28), dtype('uint8'))
>>> [int(c) for c in np.nonzero(digit.sum(axis=0))[0]]   # the columns with ink
[12, 13, 14, 15]
"""

from __future__ import annotations

import numpy as np

from imagerec._checks import array, fail, integer, is_integer, validate_params

__all__ = ["CANVAS_SIZE", "PEN_RADIUS", "BOX", "FIELD", "rasterize", "fit_box", "centre", "preprocess"]

CANVAS_SIZE = 280
"""Width and height of the drawing grid, in pixels (ten per pixel of the network's input)."""

PEN_RADIUS = 12
"""Pixels within this distance of a stroke get ink: strokes are about 25 pixels wide."""

BOX = 20
"""The digit, ink's bounding box, is scaled to fit a square of this many pixels."""

FIELD = 28
"""Height and width of the image the network reads."""


def _check_strokes(strokes, size: int) -> list[np.ndarray]:
    """Return the strokes as (n, 2) int64 arrays of (x, y) points inside the grid."""
    what = "a list of strokes, each a list of (x, y) points, pairs of integers"
    if isinstance(strokes, (str, bytes)) or not hasattr(strokes, "__iter__"):
        raise fail(TypeError, "strokes", what, repr(strokes))
    checked = []
    for number, stroke in enumerate(strokes):
        try:
            points = [tuple(point) for point in stroke]
        except TypeError:
            raise fail(TypeError, "strokes", what, f"stroke {number} = {stroke!r}") from None
        if not points:
            raise fail(ValueError, "strokes", "strokes of at least one (x, y) point each",
                       f"stroke {number}, which has no points")
        if not all(len(point) == 2 and all(is_integer(v) for v in point) for point in points):
            raise fail(TypeError, "strokes", what, f"stroke {number} = {stroke!r}")
        points = np.array(points, dtype=np.int64)
        if points.min() < 0 or points.max() >= size:
            raise fail(ValueError, "strokes", f"points with coordinates in 0..{size - 1}",
                       f"stroke {number}, which leaves the {size}x{size} grid")
        checked.append(points)
    return checked


@validate_params(size=integer(low=1), radius=integer(low=0))
def rasterize(strokes, *, size: int = CANVAS_SIZE, radius: int = PEN_RADIUS) -> np.ndarray:
    """The ink of some strokes on a square grid.

    A stroke is a polyline: the pen went straight from each point to the next. A
    pixel ``(y, x)`` gets ink when its distance to a segment of a stroke is at most
    ``radius``; a stroke of one point is a round dot. The test is done on integers
    (squared distances times the squared segment length), so the browser's
    JavaScript finds exactly the same pixels.

    Parameters
    ----------
    strokes : list of lists of (x, y)
        Integer points, ``0 <= x, y < size``; x runs to the right, y downwards.
    size : int, default :data:`CANVAS_SIZE`
        Width and height of the grid.
    radius : int, default :data:`PEN_RADIUS`
        Half the pen's width, in pixels.

    Returns
    -------
    numpy.ndarray
        Boolean array of shape (size, size), True where there is ink.

    Raises
    ------
    TypeError
        Strokes that are not lists of integer pairs.
    ValueError
        An empty stroke, or a point outside the grid.

    Examples
    --------
    >>> rasterize([[(2, 2)]], size=5, radius=1).astype(int)
    array([[0, 0, 0, 0, 0],
           [0, 0, 1, 0, 0],
           [0, 1, 1, 1, 0],
           [0, 0, 1, 0, 0],
           [0, 0, 0, 0, 0]])
    >>> rasterize([[(0, 0), (4, 0)]], size=5, radius=0).astype(int)[:2]
    array([[1, 1, 1, 1, 1],
           [0, 0, 0, 0, 0]])
    >>> rasterize([[(5, 0)]], size=5)
    Traceback (most recent call last):
    ...
    ValueError: strokes must be points with coordinates in 0..4, got stroke 0, which leaves the 5x5 grid
    """
    ink = np.zeros((size, size), dtype=bool)
    ys, xs = np.mgrid[0:size, 0:size]
    for points in _check_strokes(strokes, size):
        # a one-point stroke is a segment from the point to itself
        ends = points if len(points) == 1 else points[1:]
        for (ax, ay), (bx, by) in zip(points, ends):
            # only the pixels of the segment's bounding box, widened by the radius
            y0, y1 = max(min(ay, by) - radius, 0), min(max(ay, by) + radius, size - 1)
            x0, x1 = max(min(ax, bx) - radius, 0), min(max(ax, bx) + radius, size - 1)
            px, py = xs[y0 : y1 + 1, x0 : x1 + 1] - ax, ys[y0 : y1 + 1, x0 : x1 + 1] - ay
            dx, dy = bx - ax, by - ay
            length2 = dx * dx + dy * dy
            dot = px * dx + py * dy  # where the pixel projects onto the segment, times length2
            to_a = px * px + py * py
            to_b = (px - dx) ** 2 + (py - dy) ** 2
            r2 = radius * radius
            near = np.where(
                dot <= 0, to_a <= r2,  # closest to the start A
                np.where(dot >= length2, to_b <= r2,  # closest to the end B
                         to_a * length2 - dot * dot <= r2 * length2),  # closest to the segment's inside
            )
            ink[y0 : y1 + 1, x0 : x1 + 1] |= near
    return ink


def _coverage(length: int, box: int) -> np.ndarray:
    """How much of each of ``length`` source pixels falls in each of ``box`` target pixels.

    Measured in units of 1/box of a source pixel, i.e. 1/length of a target pixel: a
    (box, length) integer matrix whose rows sum to ``length`` and columns to ``box``.
    """
    edges_target = np.arange(box + 1) * length  # target pixel i spans [i*length, (i+1)*length)
    edges_source = np.arange(length + 1) * box  # source pixel r spans [r*box, (r+1)*box)
    low = np.maximum(edges_target[:-1, None], edges_source[None, :-1])
    high = np.minimum(edges_target[1:, None], edges_source[None, 1:])
    return np.maximum(high - low, 0).astype(np.int64)


@validate_params(ink=array(kinds="biuf", ndim=2, what="a 2-D grid"), box=integer(low=1))
def fit_box(ink, box: int = BOX) -> np.ndarray:
    """Scale the ink's bounding box to fit a ``box`` x ``box`` square, keeping its aspect ratio.

    The bounding box (h x w pixels) is centred in a square of side ``m = max(h, w)``,
    which is resized to ``box`` x ``box`` by area: each new pixel's gray level is the
    share of its area covered by ink, times 255, rounded half up.

    Parameters
    ----------
    ink : array_like of bool
        A square 2-D grid, as :func:`rasterize` returns.
    box : int, default :data:`BOX`
        Side of the result.

    Returns
    -------
    numpy.ndarray
        uint8 array of shape (box, box); all zeros when there is no ink.

    Examples
    --------
    A bar of ink 4 pixels tall and 2 wide fills the middle columns of a 4x4 box:

    >>> ink = np.zeros((10, 10), bool)
    >>> ink[3:7, 5:7] = True
    >>> fit_box(ink, box=4)
    array([[  0, 255, 255,   0],
           [  0, 255, 255,   0],
           [  0, 255, 255,   0],
           [  0, 255, 255,   0]], dtype=uint8)
    >>> fit_box(ink, box=3)   # a target pixel covers 4/3 source pixels: gray edges
    array([[ 64, 255,  64],
           [ 64, 255,  64],
           [ 64, 255,  64]], dtype=uint8)
    """
    ink = ink.astype(bool)
    rows, cols = np.nonzero(ink.any(axis=1))[0], np.nonzero(ink.any(axis=0))[0]
    if rows.size == 0:
        return np.zeros((box, box), dtype=np.uint8)
    cropped = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    h, w = cropped.shape
    m = max(h, w)
    square = np.zeros((m, m), dtype=np.int64)
    top, left = (m - h) // 2, (m - w) // 2
    square[top : top + h, left : left + w] = cropped
    weights = _coverage(m, box)
    covered = weights @ square @ weights.T  # ink area of each target pixel, of m*m in all
    return ((510 * covered + m * m) // (2 * m * m)).astype(np.uint8)  # round(255 * share)


@validate_params(digit=array(), field=integer(low=1))
def centre(digit, field: int = FIELD) -> np.ndarray:
    """Place a square digit in a larger field so that its centre of mass is in the middle.

    The digit goes first into the middle of the field, then moves by whole pixels
    so that its centre of mass (gray levels as masses) lands as near as possible to
    the field's centre, ``(field - 1) / 2`` in pixel coordinates (a shift of half a
    pixel is rounded up: down or to the right). It never moves further than to the field's edge, so no ink is lost.

    Parameters
    ----------
    digit : array_like
        Square 2-D uint8 image, at most ``field`` pixels wide.
    field : int, default :data:`FIELD`
        Side of the result.

    Returns
    -------
    numpy.ndarray
        uint8 array of shape (field, field).

    Examples
    --------
    A dot in the corner of a 2x2 digit moves to the centre of a 5x5 field:

    >>> centre(np.array([[255, 0], [0, 0]], np.uint8), field=5)
    array([[  0,   0,   0,   0,   0],
           [  0,   0,   0,   0,   0],
           [  0,   0, 255,   0,   0],
           [  0,   0,   0,   0,   0],
           [  0,   0,   0,   0,   0]], dtype=uint8)
    """
    if digit.ndim != 2 or digit.shape[0] != digit.shape[1] or digit.shape[0] > field:
        raise fail(ValueError, "digit", f"a square 2-D image of at most {field}x{field} pixels",
                   f"shape {digit.shape}")
    size = digit.shape[0]
    start = (field - size) // 2
    shifts = []
    for axis in (0, 1):
        profile = digit.sum(axis=1 - axis, dtype=np.int64)  # mass of each row (axis 0) or column
        mass = int(profile.sum())
        if mass == 0:
            shifts.append(0)
            continue
        moment = int((profile * (start + np.arange(size))).sum())  # centre of mass = moment / mass
        # round((field - 1) / 2 - moment / mass), halves rounded up, in integers
        shifts.append((field * mass - 2 * moment) // (2 * mass))
    # never past the field's edge
    top, left = (start + min(max(shift, -start), field - size - start) for shift in shifts)
    result = np.zeros((field, field), dtype=np.uint8)
    result[top : top + size, left : left + size] = digit
    return result


def preprocess(strokes, *, size: int = CANVAS_SIZE, radius: int = PEN_RADIUS) -> np.ndarray:
    """The 28x28 image an MNIST network reads, from strokes drawn on the panel's grid.

    :func:`rasterize`, then :func:`fit_box` into 20x20, then :func:`centre` in 28x28,
    as the MNIST digits were made. Where a digit is drawn does not matter, nor how
    large; a digit drawn small gets thicker strokes once scaled up, a large one thinner.

    Parameters
    ----------
    strokes : list of lists of (x, y)
        Integer points in ``0..size-1``, as the panel records them.
    size, radius : int
        The drawing grid and the pen, as in :func:`rasterize`.

    Returns
    -------
    numpy.ndarray
        uint8 array of shape (28, 28), white (255) digit on black (0), like MNIST.

    Examples
    --------
    The same stroke drawn in two places gives the same image:

    >>> left = preprocess([[(30, 30), (30, 120)]])
    >>> right = preprocess([[(200, 150), (200, 240)]])
    >>> bool((left == right).all()), int(left.max())
    (True, 255)
    >>> preprocess([]).any()   # nothing drawn: a black image
    np.False_
    """
    return centre(fit_box(rasterize(strokes, size=size, radius=radius)))
