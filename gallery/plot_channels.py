"""
Channels: colour images and convolution kernels
===============================================

A colour image is a stack of three gray images, its red, green and blue channels. A kernel
of a convolutional layer spans all channels at once, and a layer holds many kernels.
"""

# sphinx_gallery_thumbnail_number = 2

# %%
# A colour image is three gray images
# -----------------------------------
# The demo image of Lesson 1: red grows down the rows, green along the columns and blue
# along the anti-diagonals.
from imagerec.images import rgb_gradient
from imagerec.figures.plots import plot_channels

image = rgb_gradient()
print("shape:", image.shape)
fig = plot_channels(image)
fig.set_label(
    "The demo image's red, green and blue channels as three gray images, red brightening "
    "down the rows, green along the columns and blue along the anti-diagonals, and the "
    "colour image they make together"
)

# %%
# One kernel over three channels
# ------------------------------
# The kernel holds a 3 x 3 matrix of weights for each channel. At every pixel it multiplies
# the 27 pixels under it by its 27 weights and adds everything up: one number, so the
# output is a single 2-D channel.
from imagerec.figures.diagrams import kernel_over_channels

fig = kernel_over_channels()
fig.set_label(
    "Diagram: a 3 x 3 x 3 kernel laid over the same 3 x 3 patch of the red, green and blue "
    "channels of an H x W x 3 image gives one pixel of an H x W x 1 output"
)

# %%
# In numbers: filter each channel with its own slice of the kernel and add the three
# results.
import numpy as np

from imagerec.convolution import convolve

rng = np.random.default_rng(0)
kernel = rng.normal(size=(3, 3, 3))  # height, width, input channels
output = sum(convolve(image[..., c], kernel[..., c], clip=False) for c in range(3))
print("one kernel", kernel.shape, "->", output.shape)

# %%
# Many kernels, many output channels
# ----------------------------------
# Each kernel gives one output channel, so ``n`` kernels turn 3 channels into ``n``.
from imagerec.figures.diagrams import many_kernels

fig = many_kernels(4)
fig.set_label(
    "Diagram: four 3 x 3 x 3 kernels over an H x W x 3 image each give one output channel, "
    "so the output is H x W x 4"
)

kernels = rng.normal(size=(3, 3, 3, 4))  # height, width, input channels, kernels
outputs = np.stack(
    [sum(convolve(image[..., c], kernels[..., c, k], clip=False) for c in range(3)) for k in range(4)],
    axis=-1,
)
print("four kernels", kernels.shape, "->", outputs.shape)
