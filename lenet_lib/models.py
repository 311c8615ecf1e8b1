"""The Keras 3 builds of the tutorials' networks, one function each.

Each builder returns an uncompiled ``keras.Sequential`` whose layers match,
one to one, the layer list of the same name in ``lenet_lib.counting``; the
chapters display these functions' source with ``inspect.getsource``.
"""

from __future__ import annotations

import keras
from keras import layers


def build_slides_lenet5() -> keras.Sequential:
    """Seed 001 (lecture slides): sigmoid convolutions, average pooling, 61,706 parameters.

    C1 uses ``"same"`` padding so that a 28x28 MNIST digit gives the 28x28 maps
    a 32x32 input gives without padding.
    """
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(6, 5, padding="same", activation="sigmoid", name="C1"),
        layers.AveragePooling2D(2, name="S2"),
        layers.Conv2D(16, 5, activation="sigmoid", name="C3"),
        layers.AveragePooling2D(2, name="S4"),
        layers.Conv2D(120, 5, activation="sigmoid", name="C5"),
        layers.Flatten(name="flatten"),
        layers.Dense(84, activation="sigmoid", name="F6"),
        layers.Dense(10, activation="softmax", name="output"),
    ], name="slides_lenet5")


def build_maxpool_lenet() -> keras.Sequential:
    """Seed 000 (Medium): ReLU convolutions with max pooling, dense 120, 51,902 parameters."""
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


class LeNet:
    """Seed 004 (PyImageSearch): the tutorial's ``LeNet.build`` interface, in Keras 3.

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
            model.load_weights(weights_path)
        return model
