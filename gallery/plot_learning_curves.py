"""
Learning curves of the five networks
====================================

Loss and accuracy against epoch, on the training data and on the 20 % of it held out for
validation, for every network of the lessons: the 0-versus-1 classifier, the dense
networks A and B, B with dropout (C), and the convolutional network D. A validation curve
that stops improving while the training curve keeps going down is overfitting.

The networks are trained once by ``imagerec.book.experiments.run`` and then read from its
cache, so this script takes seconds after the first run.
"""

# %%
# Train, or load from the cache
# -----------------------------
# ``IMAGEREC_QUICK=1`` trains on a small subset for a few epochs (for tests and drafts);
# the default is the lessons' full settings: all of MNIST, 50 epochs.
# sphinx_gallery_thumbnail_number = 4
from imagerec.book.experiments import run, settings
from imagerec.models import MODEL_NAMES, count_trainable
from imagerec.figures.plots import plot_history

print(settings())
results = {name: run(name) for name in MODEL_NAMES}
for name, result in results.items():
    origin = "cache" if result.from_cache else f"trained in {result.seconds:.0f} s"
    print(f"{name:>8}: {origin}")


def histories(*names):
    """The training histories of some networks, titled as in the lessons."""
    return {f"mnist {name}" if name != "mnist01" else name: results[name].history for name in names}


# %%
# Zeros and ones
# --------------
# Two hidden neurons suffice: the accuracy is almost 1 after a few epochs. The training
# loss keeps falling while the validation loss levels off.
fig = plot_history(histories("mnist01"))
fig.set_label(
    "Learning curves of the 0-versus-1 classifier: training and validation loss "
    "(left, logarithmic) and accuracy (right) against epoch"
)

# %%
# All ten digits: A and B
# -----------------------
# B has more neurons than A; it reaches a higher accuracy but overfits more: its training
# and validation curves drift apart.
fig = plot_history(histories("A", "B"))
fig.set_label(
    "Learning curves of networks A and B, one row each: training and validation loss "
    "(left, logarithmic) and accuracy (right) against epoch"
)

# %%
# Dropout: C is B with dropout layers
# -----------------------------------
fig = plot_history(histories("A", "B", "C"))
fig.set_label(
    "Learning curves of networks A, B and C (B with dropout), one row each: training "
    "and validation loss (left, logarithmic) and accuracy (right) against epoch"
)

# %%
# One convolutional layer: D
# --------------------------
fig = plot_history(histories("A", "B", "C", "D"))
fig.set_label(
    "Learning curves of networks A, B, C and the convolutional network D, one row "
    "each: training and validation loss (left, logarithmic) and accuracy (right) "
    "against epoch"
)

# %%
# Results on the test data
# ------------------------
# The test images were never used in training nor for validation.
header = f"{'network':<8} {'parameters':>10} {'epochs':>6} {'test loss':>9} {'test accuracy':>13}"
print(header)
print("-" * len(header))
for name, result in results.items():
    epochs = len(result.history["loss"])
    params = count_trainable(result.model)
    test = result.test
    print(f"{name:<8} {params:>10,} {epochs:>6} {test['loss']:>9.4f} {test['accuracy']:>13.4f}")
