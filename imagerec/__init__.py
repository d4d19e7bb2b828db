"""imagerec: the code of an executable textbook on image recognition.

Modules follow the ideas of the book:

``images``       images as arrays, and the demo images of Lesson 1
``losses``       penalties, cross-entropies and one-hot labels
``activations``  sigmoid, ReLU, softmax and predictions from logits
``data``         MNIST and the course photo, found locally or downloaded
``convolution``  filtering an image with a kernel, by hand and fast
``pooling``      max, average and global pooling in NumPy
``models``       the networks of both lessons
``training``     training, evaluation and prediction
``seeds``        several seeds of a network, trained at once side by side
``experiments``  the book's runs: quick or full settings, trained once and cached
``inspection``   confusion matrices, confident mistakes, kernels and feature maps
``claims``       the prose's claims about results, checked when the book is built
``plots``        figures: learning curves, image grids, penalties...
``diagrams``     the lessons' explanatory diagrams, drawn with code

Importing :mod:`imagerec` is cheap: TensorFlow loads only with the modules that need it.
"""

__version__ = "0.1.0"
