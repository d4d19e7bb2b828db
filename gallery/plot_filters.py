"""
Filtering a photograph with kernels
===================================

A kernel is a small matrix of weights. Laid over a pixel and its neighbours, it gives the
new pixel as the weighted sum of the pixels under it. Three classic kernels sharpen the
photo, find its edges, and blur it.
"""

# %%
# The photo
# ---------
# ``imagerec.data.load_image`` reads the course's photo of cats as an array of bytes:
# height x width x three colour channels.
from imagerec.convolution import KERNELS, convolve
from imagerec.data import load_image
from imagerec.figures.plots import plot_filtered

image = load_image("cats.jpg")
print("shape:", image.shape, " dtype:", image.dtype)

# %%
# The kernels
# -----------
# The sharpen kernel weighs the pixel by 5 and subtracts its four neighbours; the edge
# kernel subtracts all eight neighbours from eight times the pixel, so flat regions
# become 0; the Gaussian blur averages a 5 x 5 neighbourhood with weights that sum to 1.
import numpy as np

for name, kernel in KERNELS.items():
    if np.array_equal(kernel, np.round(kernel)):
        print(f"{name}:\n{kernel.astype(int)}\n")
    else:
        print(f"{name} (weights x 256):\n{np.rint(kernel * 256).astype(int)}\n")

# %%
# Filtered versions
# -----------------
# ``imagerec.convolution.convolve`` applies the 2-D kernel to each colour channel,
# pads the border with zeros and clips the result to [0, 1].
versions = {name: convolve(image, kernel) for name, kernel in KERNELS.items()}
fig = plot_filtered(image, versions)
fig.set_label(
    "The photo of cats in a 2 x 2 grid: the original, sharpened (crisper fur and edges), "
    "the edge kernel's output (outlines on black) and the Gaussian blur (softer)"
)
