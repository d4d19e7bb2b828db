"""
Kernels at the border: zero padding
===================================

At a pixel on the border part of the kernel hangs outside the image. Either the image is
framed by zeros (padding ``'same'``: the output keeps the image's size) or the kernel is
used only where it fits (padding ``'valid'``: the output shrinks).
"""

# %%
# Inside, at the corner, and 'valid' only
# ---------------------------------------
from imagerec.figures.diagrams import zero_padding

fig = zero_padding()
fig.set_label(
    "Three panels: a 3 x 3 kernel inside a 4 x 4 image at pixel (1, 1); at the corner "
    "pixel (0, 0) sticking out over a ring of zeros (padding 'same', the output stays "
    "4 x 4); and only where it fits (padding 'valid', the output shrinks to 2 x 2)"
)

# %%
# The padded image and the output sizes
# -------------------------------------
# ``imagerec.convolution.zero_pad`` frames an image with zeros; a 3 x 3 kernel needs a
# frame of one pixel. With ``padding='valid'`` a k x k kernel shrinks each side by k - 1:
# a 28 x 28 MNIST digit becomes 26 x 26 with a 3 x 3 kernel and 24 x 24 with a 5 x 5 one.
import numpy as np

from imagerec.convolution import GAUSSIAN_BLUR, SHARPEN, convolve, zero_pad
from imagerec.figures.diagrams import DEMO_IMAGE

print(zero_pad(DEMO_IMAGE, 1).astype(int))
digit = np.zeros((28, 28), dtype=np.uint8)
for name, kernel in (("3 x 3 sharpen", SHARPEN), ("5 x 5 blur", GAUSSIAN_BLUR)):
    same = convolve(digit, kernel, padding="same").shape
    valid = convolve(digit, kernel, padding="valid").shape
    print(f"{name}: image {digit.shape}, 'same' -> {same}, 'valid' -> {valid}")
