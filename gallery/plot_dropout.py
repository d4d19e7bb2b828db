"""
Dropout
=======

Dropout switches off hidden neurons at random during training, each with probability
``rate`` and drawn anew for every training image (every sample of a batch): for that image a
dropped neuron sends nothing, and nothing flows back through its connections. Every training
image thus trains its own thinned network, and all of them share the weights.
"""

# %%
# A network before and after dropout, for one training image
# -----------------------------------------------------------
from imagerec.figures.diagrams import dropout_network

fig = dropout_network(seed=0, rate=0.5)
fig.set_label(
    "A dense network with 4 inputs, two hidden layers of 6 neurons and 3 outputs, fully "
    "connected on the left; on the right the same network after dropout with rate 0.5, as "
    "one training image sees it: "
    "some hidden neurons are greyed and crossed out and their connections are gone"
)

# %%
# The next training image draws again
# ------------------------------------
# Even within one batch, the next image gets its own mask.
fig = dropout_network(seed=1, rate=0.5)
fig.set_label(
    "The same network before and after dropout for the next training image: another "
    "random set of hidden neurons is crossed out"
)

# %%
# Dropout as multiplication by a random mask
# ------------------------------------------
# For a layer's outputs ``y`` for one image, each neuron gets a random ``d`` that is 0 with
# probability ``rate`` and 1 otherwise; the next image draws its own ``d``. Keras also divides the kept outputs by ``1 - rate`` so that
# their sum stays the same on average; at prediction time dropout does nothing.
import numpy as np

rate = 0.5
rng = np.random.default_rng(0)
y = np.array([0.3, 1.2, 0.0, 0.8, 2.1, 0.5])
d = (rng.random(y.size) >= rate).astype(float)
print("outputs     ", y)
print("mask        ", d)
print("after dropout", y * d / (1 - rate))
