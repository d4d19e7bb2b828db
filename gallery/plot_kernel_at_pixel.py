"""
A kernel at one pixel
=====================

How a 3 x 3 kernel computes one new pixel: the weighted sum of the pixel and its
neighbours. The numbers in the diagram are computed with
``imagerec.convolution.convolve``.
"""

# %%
# The sharpen kernel at pixel (1, 1)
# ----------------------------------
# Pixel (1, 1) holds 65; its neighbours above, left, right and below hold 18, 76, 3 and 89.
# The sharpen kernel weighs the pixel by 5 and each of these neighbours by -1.
from imagerec.figures.diagrams import kernel_at_pixel

fig = kernel_at_pixel()
fig.set_label(
    "Diagram: a 4 x 4 image with the 3 x 3 patch around pixel (1, 1) shaded, the sharpen "
    "kernel (5 at the centre, -1 above, below, left and right, 0 in the corners), and "
    "the new image whose pixel (1, 1) is 5 x 65 - (18 + 76 + 3 + 89) = 139"
)

# %%
# The same number from the package
# --------------------------------
# ``imagerec.convolution.convolve`` divides bytes by 255 unless told otherwise;
# ``scale=1`` keeps the pixel values 0..255. With ``clip=False`` we see the raw
# sums, also those outside [0, 255].
import numpy as np

from imagerec.convolution import SHARPEN, convolve
from imagerec.figures.diagrams import DEMO_IMAGE

raw = convolve(DEMO_IMAGE, SHARPEN, clip=False, scale=1)
print("image:\n", DEMO_IMAGE)
print("sharpened, before clipping:\n", raw.astype(int))

# %%
# Values out of range are clipped
# -------------------------------
# Had the pixel been 165, the sum would be 639, far above the largest byte, 255. To get
# an image again the result is clipped into [0, 255].
fig = kernel_at_pixel(165)
fig.set_label(
    "The same diagram with pixel (1, 1) set to 165: the weighted sum is 639, above the "
    "largest byte, and is clipped to 255"
)
