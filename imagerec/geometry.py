"""The geometry of convolution and pooling layers: output sizes and receptive fields.

A convolution or pooling layer moves a ``k x k`` window over its input in steps
of ``s`` pixels (the *stride*), after framing the input with ``p`` rows and
columns of zeros (the *padding*).  Along each axis an input of ``n`` pixels
then gives

    floor((n + 2p - k) / s) + 1

outputs (:func:`output_size`).  Stacking such layers makes each unit depend on
a growing square of input pixels, its *receptive field*: a layer with window
``k`` adds ``(k - 1)`` times the product of the strides before it
(:func:`receptive_fields`).

>>> output_size(28, 3, padding=1)          # Conv2D(3x3, padding="same")
28
>>> output_size(28, 2, stride=2)           # MaxPooling2D(2)
14
>>> [field.size for field in receptive_fields([(3, 1, 1), (2, 2, 0)])]
[3, 4]
"""

from __future__ import annotations

from typing import NamedTuple

from imagerec._checks import fail, integer, is_integer, validate_params

__all__ = ["Field", "output_size", "receptive_fields", "window_layers"]


def _window_fits(arguments) -> None:
    """Relation: the window fits into the padded input."""
    n, kernel, padding = arguments["n"], arguments["kernel"], arguments["padding"]
    if kernel > n + 2 * padding:
        raise fail(ValueError, "kernel", f"at most the padded input, n + 2*padding = {n + 2 * padding}",
                   f"{kernel}; use a smaller kernel or more padding")


_TRIPLES = "a sequence of (kernel, stride, padding) triples of integers, kernel and stride >= 1, padding >= 0"


def _triples(layers, name: str) -> list[tuple[int, int, int]]:
    """Check: (kernel, stride, padding) triples of integers, as a list."""
    try:
        triples = [tuple(layer) for layer in layers]
    except TypeError:
        raise fail(TypeError, name, _TRIPLES, repr(layers)) from None
    for triple in triples:
        if not all(is_integer(value) for value in triple):
            raise fail(TypeError, name, _TRIPLES, f"{triple!r}")
        if len(triple) != 3 or min(triple[:2]) < 1 or triple[2] < 0:
            raise fail(ValueError, name, _TRIPLES, f"{triple!r}")
    return triples


@validate_params(_window_fits, n=integer(low=1), kernel=integer(low=1), padding=integer(low=0),
                 stride=integer(low=1))
def output_size(n: int, kernel: int, *, padding: int = 0,
                stride: int = 1) -> int:
    """How many positions a window of ``kernel`` pixels takes along an axis of ``n``.

    Parameters
    ----------
    n : int
        Input size along one axis (height or width), ``>= 1``.
    kernel : int
        Window size ``k`` (kernel or pooling window), ``>= 1``.
    padding : int
        Zeros added on *each* side, ``p >= 0``.
    stride : int
        Step ``s`` between two windows, ``>= 1``.

    Returns
    -------
    int
        ``floor((n + 2p - k) / s) + 1``.

    Raises
    ------
    ValueError
        If the window is larger than the padded input (no position fits).

    Examples
    --------
    Keras's ``padding="valid"`` is ``p = 0``; ``padding="same"`` with stride
    1 and an odd ``k`` is ``p = (k - 1) / 2``:

    >>> output_size(28, 3), output_size(28, 3, padding=1), output_size(28, 5, padding=2)
    (26, 28, 28)
    >>> output_size(7, 2, stride=2)  # the last row, alone, is dropped
    3
    >>> output_size(10, 3, padding=1, stride=2)
    5
    """
    return (n + 2 * padding - kernel) // stride + 1


class Field(NamedTuple):
    """The receptive field of the units of one layer, along one axis.

    Unit ``i`` of the layer depends on the input pixels ``start + i * jump``
    to ``start + i * jump + size - 1`` (those outside the image are padding).
    """

    size: int
    """How many input pixels one unit sees."""
    jump: int
    """How far apart, in input pixels, the fields of neighbouring units are."""
    start: int
    """The first input pixel seen by unit 0 (negative: it lies in the padding)."""


@validate_params(layers=_triples)
def receptive_fields(layers) -> list[Field]:
    """The receptive field of every layer of a stack of windowed layers.

    Parameters
    ----------
    layers : sequence of (kernel, stride, padding)
        One triple of integers per convolution or pooling layer, input first.

    Returns
    -------
    list of Field
        One :class:`Field` per layer: ``size = size_before + (kernel - 1) * jump_before``,
        ``jump = jump_before * stride``, ``start = start_before - padding * jump_before``,
        starting from a single input pixel (size 1, jump 1, start 0).

    Examples
    --------
    Model D: a 3 x 3 convolution with ``"same"`` padding, then 2 x 2 max
    pooling.  A unit after pooling sees 4 x 4 pixels, and its neighbour's
    field starts 2 pixels further:

    >>> receptive_fields([(3, 1, 1), (2, 2, 0)])
    [Field(size=3, jump=1, start=-1), Field(size=4, jump=2, start=-1)]
    """
    size, jump, start = 1, 1, 0
    fields = []
    for kernel, stride, padding in layers:
        size += (kernel - 1) * jump
        start -= padding * jump
        jump *= stride
        fields.append(Field(size, jump, start))
    return fields


def window_layers(model) -> list[tuple[str, int, int, int]]:
    """The convolution and pooling layers of a Keras model, as (name, kernel, stride, padding).

    Only square windows and equal strides along both axes are read (as in
    every network of the book); ``padding="same"`` is supported with stride 1
    and an odd window, where it adds ``(k - 1) / 2`` zeros on each side.

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((28, 28, 1)),
    ...                           keras.layers.Conv2D(4, 3, padding="same"),
    ...                           keras.layers.MaxPooling2D(2)])
    >>> [row[1:] for row in window_layers(model)]
    [(3, 1, 1), (2, 2, 0)]
    """
    import keras

    windowed = (keras.layers.Conv2D, keras.layers.MaxPooling2D, keras.layers.AveragePooling2D)
    rows = []
    for layer in model.layers:
        if not isinstance(layer, windowed):
            continue
        window = layer.kernel_size if isinstance(layer, keras.layers.Conv2D) else layer.pool_size
        (kernel, other), (stride, other_stride) = window, layer.strides
        if kernel != other or stride != other_stride:
            raise fail(ValueError, "model", "made of square windows with equal strides",
                       f"layer {layer.name} with window {window} and strides {layer.strides}")
        padding = 0
        if layer.padding == "same":
            if stride != 1 or kernel % 2 == 0:
                raise fail(ValueError, "model", "padded ('same') only at stride 1 with odd windows",
                           f"layer {layer.name} with window {kernel} and stride {stride}")
            padding = (kernel - 1) // 2
        rows.append((layer.name, int(kernel), int(stride), padding))
    return rows
