"""imagerec: the code of an executable textbook on image recognition.

Modules follow the ideas of the book:

``images``       images as arrays, and the demo images of Lesson 1
``losses``       penalties, cross-entropies and one-hot labels
``activations``  sigmoid, ReLU, softmax and predictions from logits
``data``         MNIST and the course photo, found locally or downloaded
``convolution``  filtering an image with a kernel, by hand and fast
``pooling``      max, average and global pooling in NumPy
``geometry``     output sizes and receptive fields of convolution and pooling layers
``models``       the networks of both lessons
``training``     training, evaluation and prediction
``drawing``      a digit drawn in the page, prepared as the MNIST digits were
``settings``     quick or full: the build's settings, and the book's networks
``seeds``        several seeds of a network, trained at once side by side
``experiments``  the book's runs: each network trained once and cached
``cache``        the cache of trained networks: keys, entries, integrity
``inspection``   confusion matrices, confident mistakes, kernels and feature maps
``notebook``     the chapters' hidden set-up cell
``claims``       the prose's claims about results, checked when the book is built
``plots``        figures: learning curves, image grids, penalties...
``diagrams``     the lessons' explanatory diagrams, drawn with code

Importing :mod:`imagerec` is cheap: TensorFlow loads only with the modules that need it.
"""

__version__ = "0.1.0"
