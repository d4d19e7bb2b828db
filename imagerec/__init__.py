"""imagerec: the code of an executable textbook on image recognition.

Modules follow the ideas of the book:

``images``       images as arrays, and the demo images of Lesson 1
``losses``       penalties, cross-entropies and one-hot labels
``activations``  sigmoid, ReLU, softmax and predictions from logits
``data``         MNIST and the course photo, found locally or downloaded
``convolution``  filtering an image with a kernel, by hand and fast
``pooling``      max, average and global pooling in NumPy
``geometry``     output sizes and receptive fields of convolution and pooling layers
``registry``     the table of the book's networks, by name
``models``       the networks of both lessons
``training``     training, evaluation and prediction
``drawing``      a digit drawn in the page, prepared as the MNIST digits were
``inspection``   confusion matrices, confident mistakes, kernels and feature maps

Two subpackages hold what the book draws and how it is built:

``figures``      plots (learning curves, image grids, penalties...) and the lessons' diagrams
``book``         the build's machinery: settings, the cached runs, seeds, claims, notebooks

Importing :mod:`imagerec` is cheap: TensorFlow loads only with the modules that need it.
"""

__version__ = "0.1.0"
