"""The book's figures: plots of data and results (:mod:`~imagerec.figures.plots`) and the
lessons' explanatory diagrams (:mod:`~imagerec.figures.diagrams`), each a function that
returns a :class:`matplotlib.figure.Figure`.

Plotting lives here only; the teaching modules compute, these modules draw.
"""

#: The accent colour of the figures: a kernel's outline, arrows, the steps of gradient descent.
ACCENT = "#1f5fbf"
