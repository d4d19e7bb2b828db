"""
Max pooling and average pooling
===============================

Pooling shrinks each channel on its own: a window slides over it without overlapping,
and each window becomes one number, its maximum or its mean.
"""

# %%
# 2 x 2 windows on a 4 x 4 array
# ------------------------------
# The numbers are computed with ``imagerec.pooling.max_pool`` and
# ``imagerec.pooling.average_pool``; the maximum of each window is bold.
from imagerec.figures.diagrams import POOL_DEMO, pooling

fig = pooling()
fig.set_label(
    "A 4 x 4 array split into four 2 x 2 windows, each in its own colour, and the two 2 x 2 "
    "outputs: max pooling keeps the largest number of each window, average pooling "
    "its mean"
)

# %%
# Shapes through pooling
# ----------------------
# Pooling acts on every channel separately: a (100, 100, 32) stack becomes (50, 50, 32)
# with 2 x 2 windows, and global pooling keeps one number per channel.
import numpy as np

from imagerec.pooling import average_pool, global_average_pool, global_max_pool, max_pool

print("max pooling:\n", max_pool(POOL_DEMO, 2))
print("average pooling:\n", average_pool(POOL_DEMO, 2))

stack = np.random.default_rng(0).random((100, 100, 32))
print("input", stack.shape)
print("2 x 2 max pooling", max_pool(stack, 2).shape)
print("global max pooling", global_max_pool(stack).shape)
print("global average pooling", global_average_pool(stack).shape)
