"""Helpers for the LeNet-5 / MNIST course.

One module per concern, so that a reader can guess where a helper lives:

- ``runtime``     quick/full mode, seeds, quiet TensorFlow start-up
- ``data``        MNIST, offline-checked or downloaded by Keras
- ``convolution`` NumPy reference convolution and pooling, output-size arithmetic
- ``counting``    parameters and connections per layer, from a layer list
- ``models``      the Keras builds of each tutorial (and the paper's LeNet-5)
- ``layers``      the paper's own layers: subsampling, C3's table, RBF output, distortions
- ``training``    input scaling, quick-mode subsets, epoch timing, saved results
- ``evaluation``  confusion matrix, most confused pairs, worst mistakes
- ``plots``       every figure of the book, in one style
- ``photo``       a photo of a digit -> an MNIST-style 28x28 image
- ``saving``      loading models and weights with clear errors
- ``export``      a trained network for the in-browser "Draw a digit" page

Importing the package silences TensorFlow's native start-up logs (see
``runtime.quiet_native_logs``), so import it before TensorFlow or Keras.
"""

from lenet_lib.runtime import quiet_native_logs as _quiet_native_logs

_quiet_native_logs()

__version__ = "0.1.0"
