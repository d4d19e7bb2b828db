"""
Where the two lessons lead
==========================

Lesson 2 filters a photograph with a kernel chosen by hand and then trains network D, whose
kernels are learnt from the data. This page shows both ends: the photo with its edges found
by a 3 x 3 kernel, and network D reading handwritten digits it never saw in training, with
the probability it gives its answer. The front page of the book shows this figure.
"""

# %%
# A kernel chosen by hand
# -----------------------
# The edge kernel weighs a pixel by 8 and subtracts its eight neighbours, so flat regions
# become 0 (black) and edges light up.
import matplotlib.pyplot as plt
import numpy as np

from imagerec.convolution import KERNELS, convolve
from imagerec.data import load_image
from imagerec.book.experiments import dataset, run
from imagerec.activations import softmax

photo = load_image("cats.jpg")
edges = convolve(photo, KERNELS["edges"])

# %%
# Kernels learnt from data
# ------------------------
# Network D is trained once by ``imagerec.book.experiments.run`` and read from its cache
# afterwards. It outputs ten logits per image; softmax turns them into probabilities.
# Its predictions for the first eight test digits, with the probability of each answer:
result = run("D")
(_, _), (x_test, y_test) = dataset("D")
digits = x_test[:8]
probabilities = softmax(result.model.predict(digits, verbose=0))
labels = probabilities.argmax(axis=1)
for label, truth, p in zip(labels, y_test[:8], probabilities.max(axis=1)):
    print(f"true {truth}, predicted {label} with probability {p:.3f}")

# %%
# Both in one figure
# ------------------
# The sphinx-gallery figure below is the one on the book's front page.
fig = plt.figure(figsize=(9, 3.6), layout="constrained")
left, right = fig.subfigures(1, 2, width_ratios=[1.1, 1])
photo_axes = left.subplots(1, 2)
for ax, image, title in zip(photo_axes, (photo, edges), ("photo", "edges kernel")):
    ax.imshow(image)
    ax.set_title(title)
    ax.set_axis_off()
digit_axes = right.subplots(2, 4)
for ax, digit, label, p in zip(digit_axes.flat, digits, labels, probabilities.max(axis=1)):
    ax.imshow(digit, cmap="gray_r")
    ax.set_title(f"{label} ({100 * p:.0f} %)", fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
right.suptitle("network D: predicted digit (probability)", fontsize=11)
fig.set_label(
    "Left, the course's photo of two kittens and the same photo filtered with a 3 by 3 "
    "edge kernel, which leaves bright outlines on black. Right, eight handwritten test "
    "digits, each titled with the digit network D predicts and the probability it gives."
)
