"""The Keras 3 builds of the tutorials' networks, one function each.

Each builder returns an uncompiled ``keras.Sequential`` whose layers match,
one to one, the layer list of the same name in ``lenet_lib.counting``; the
chapters display these functions' source with ``inspect.getsource``.
``build_digit_check`` is the course's own small second network, the one that
tells a digit from a mark that is not one (``lenet_lib.reading``).
"""

from __future__ import annotations

import keras
from keras import layers

from lenet_lib.counting import C3_TABLE
from lenet_lib.layers import EuclideanRBF, PartialConv2D, Subsampling, digit_codes, paper_uniform, scaled_tanh
from lenet_lib.saving import load_weights


def build_slides_lenet5(pooling: str = "average") -> keras.Sequential:
    """The lecture slides' LeNet-5: sigmoid convolutions, average pooling,
    61,706 parameters.

    C1 uses ``"same"`` padding so that a 28x28 MNIST digit gives the 28x28 maps
    a 32x32 input gives without padding. ``pooling="max"`` swaps both pooling
    layers for max pooling (an exercise of the slides' chapter).
    """
    pools = {"average": layers.AveragePooling2D, "max": layers.MaxPooling2D}
    if pooling not in pools:
        raise ValueError(f"pooling must be 'average' or 'max', not {pooling!r}")
    Pooling = pools[pooling]
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(6, 5, padding="same", activation="sigmoid", name="C1"),
        Pooling(2, name="S2"),
        layers.Conv2D(16, 5, activation="sigmoid", name="C3"),
        Pooling(2, name="S4"),
        layers.Conv2D(120, 5, activation="sigmoid", name="C5"),
        layers.Flatten(name="flatten"),
        layers.Dense(84, activation="sigmoid", name="F6"),
        layers.Dense(10, activation="softmax", name="output"),
    ], name="slides_lenet5")


def build_maxpool_lenet() -> keras.Sequential:
    """The Medium article's LeNet: ReLU convolutions with max pooling,
    dense 120, 51,902 parameters."""
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(6, 5, padding="same", activation="relu", name="C1"),
        layers.MaxPooling2D(2, name="S2"),
        layers.Conv2D(16, 5, activation="relu", name="C3"),
        layers.MaxPooling2D(2, name="S4"),
        layers.Flatten(name="flatten"),
        layers.Dense(120, activation="relu", name="F5"),
        layers.Dense(10, activation="softmax", name="output"),
    ], name="maxpool_lenet")


def build_classic_lenet5() -> keras.Sequential:
    """The engmrk article "LeNet-5, a classic CNN architecture", on 28x28 digits.

    The article's layers: C1 6@5x5 (``"same"`` padding to keep 28x28),
    average pooling, C3 16@5x5, average pooling, C5 120@5x5, F6 84, softmax.
    It names no activation; we use tanh, the paper's family of squashing
    functions.
    """
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(6, 5, padding="same", activation="tanh", name="C1"),
        layers.AveragePooling2D(2, name="S2"),
        layers.Conv2D(16, 5, activation="tanh", name="C3"),
        layers.AveragePooling2D(2, name="S4"),
        layers.Conv2D(120, 5, activation="tanh", name="C5"),
        layers.Flatten(name="flatten"),
        layers.Dense(84, activation="tanh", name="F6"),
        layers.Dense(10, activation="softmax", name="output"),
    ], name="classic_lenet5")


def build_tf_lenet() -> keras.Sequential:
    """The "LeNet with TensorFlow" tutorial: 32x32 zero-padded input, tanh
    convolutions, average pooling followed by a sigmoid, dense 84 tanh,
    softmax; 61,706 parameters."""
    return keras.Sequential([
        keras.Input(shape=(32, 32, 1)),
        layers.Conv2D(6, 5, activation="tanh", name="C1"),
        layers.AveragePooling2D(2, name="S2"),
        layers.Activation("sigmoid", name="S2_sigmoid"),
        layers.Conv2D(16, 5, activation="tanh", name="C3"),
        layers.AveragePooling2D(2, name="S4"),
        layers.Activation("sigmoid", name="S4_sigmoid"),
        layers.Conv2D(120, 5, activation="tanh", name="C5"),
        layers.Flatten(name="flatten"),
        layers.Dense(84, activation="tanh", name="F6"),
        layers.Dense(10, activation="softmax", name="output"),
    ], name="tf_lenet")


class LeNet:
    """PyImageSearch's LeNet: the tutorial's ``LeNet.build`` interface, in
    Keras 3.

    20 and 50 filters of 5x5 with ``"same"`` padding, max pooling, dense 500;
    1,256,080 parameters for 28x28 greyscale digits.
    """

    @staticmethod
    def build(num_channels: int, img_rows: int, img_cols: int, num_classes: int,
              activation: str = "relu", weights_path: str | None = None) -> keras.Sequential:
        """Build the network for Keras' current image data format.

        ``"channels_first"`` puts the channels before rows and columns, as
        Theano did; the default ``"channels_last"`` is what TensorFlow uses.
        With ``weights_path`` the saved weights are loaded into the new model.
        """
        if keras.backend.image_data_format() == "channels_first":
            input_shape = (num_channels, img_rows, img_cols)
        else:
            input_shape = (img_rows, img_cols, num_channels)
        model = keras.Sequential([
            keras.Input(shape=input_shape),
            layers.Conv2D(20, 5, padding="same", activation=activation, name="conv1"),
            layers.MaxPooling2D(2, name="pool1"),
            layers.Conv2D(50, 5, padding="same", activation=activation, name="conv2"),
            layers.MaxPooling2D(2, name="pool2"),
            layers.Flatten(name="flatten"),
            layers.Dense(500, activation=activation, name="fc1"),
            layers.Dense(num_classes, activation="softmax", name="output"),
        ], name="pyimagesearch_lenet")
        if weights_path is not None:
            load_weights(model, weights_path)
        return model


def build_paper_lenet5() -> keras.Sequential:
    """LeNet-5 as LeCun et al. (1998, section II-B) describe it: 60,000 trainable parameters.

    32x32 input; C1 6@5x5; S2 trainable subsampling; C3 16@5x5 reading the S2
    maps of Table I only; S4; C5 120@5x5; F6 84; every one followed by
    1.7159 tanh(2a/3); an output of 10 Euclidean RBF units with fixed +-1 codes
    (negated, so the largest output is the best class).  Weights start uniform
    in +-2.4 / fan-in, as in the paper.
    """
    return keras.Sequential([
        keras.Input(shape=(32, 32, 1)),
        layers.Conv2D(6, 5, activation=scaled_tanh, kernel_initializer=paper_uniform(25), name="C1"),
        Subsampling(2, coefficient_initializer=paper_uniform(4), activation=scaled_tanh, name="S2"),
        PartialConv2D(C3_TABLE, 5, activation=scaled_tanh, name="C3"),
        Subsampling(2, coefficient_initializer=paper_uniform(4), activation=scaled_tanh, name="S4"),
        layers.Conv2D(120, 5, activation=scaled_tanh, kernel_initializer=paper_uniform(400), name="C5"),
        layers.Flatten(name="flatten"),
        layers.Dense(84, activation=scaled_tanh, kernel_initializer=paper_uniform(120), name="F6"),
        EuclideanRBF(digit_codes(), name="output"),
    ], name="paper_lenet5")


def build_digit_check() -> keras.Sequential:
    """A network that answers one question about a 28x28 MNIST-style image: is it a
    digit at all?  Its one output is the probability that it is *not*.  The course network
    always names a digit; this one is trained on digits and on marks that are not digits
    (``scripts/train_digit_check.py``), and ``lenet_lib.reading.verdict`` consults both.
    Only layers the *Draw a digit* page can compute, so the page asks it the same question."""
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(16, 5, padding="same", activation="relu", name="C1"),
        layers.MaxPooling2D(2, name="S2"),
        layers.Conv2D(32, 5, activation="relu", name="C3"),
        layers.MaxPooling2D(2, name="S4"),
        layers.Flatten(name="flatten"),
        layers.Dense(64, activation="relu", name="F5"),
        layers.Dense(1, activation="sigmoid", name="not_a_digit"),
    ], name="digit_check")
