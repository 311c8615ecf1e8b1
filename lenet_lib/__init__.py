"""Helpers for the LeNet-5 / MNIST course.

One module per concern, so that a reader can guess where a helper lives:

- ``runtime``     quick/full mode and seeds
- ``data``        MNIST, offline-checked or downloaded by Keras; the 8x8 and map digits from outside it
- ``convolution`` NumPy reference convolution and pooling, output-size arithmetic
- ``counting``    parameters and connections per layer, from a layer list
- ``models``      the Keras builds of each tutorial (and the paper's LeNet-5)
- ``layers``      the paper's own layers (subsampling, C3's table, RBF output, distortions) and
                  the course network's augmentations (stroke width, low resolution)
- ``training``    input scaling, quick-mode subsets, progress, saved results, augmentation recipes
- ``training_cache`` the book's recorded training runs, re-used by its runner when nothing changed
- ``evaluation``  confusion matrix, most confused pairs, worst mistakes
- ``plots``       every figure of the book, in one style
- ``photo``       a photo of a digit -> an MNIST-style 28x28 image; framing other digit sets alike
- ``reading``     when a reader names the digit and when it says "not sure"
- ``synthetic``   photos and drawings the course makes itself, and the ways real photos differ
- ``saving``      loading models and weights with clear errors
- ``export``      a trained network for the in-browser "Draw a digit" page
- ``sources``     the tutorials and the paper the course cites, with the figures they publish

Importing the package changes nothing global: no environment variable, no
redirected output, no plotting style.  (To keep TensorFlow's native start-up
lines out of a notebook, set ``TF_CPP_MIN_LOG_LEVEL=2`` before importing it.)
"""

__version__ = "0.1.0"
