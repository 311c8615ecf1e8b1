"""The exporter writes only what the browser page can compute, and refuses the rest."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from lenet_lib import export


def network(layer, input_shape=(12, 12, 2)) -> keras.Model:
    return keras.Sequential([keras.Input(input_shape), layer, keras.layers.Flatten(),
                             keras.layers.Dense(3, activation="softmax")])


@pytest.mark.parametrize("layer, input_shape, message", [
    (keras.layers.Conv2D(4, 3, dilation_rate=2), (12, 12, 2), r"dilation_rate=\(2, 2\)"),
    (keras.layers.Conv2D(4, 3, groups=2), (12, 12, 2), "groups=2"),
    (keras.layers.Conv2D(4, 3, data_format="channels_first"), (2, 12, 12), "data_format='channels_first'"),
    (keras.layers.Conv2D(4, (3, 5)), (12, 12, 2), r"kernel_size=\(3, 5\)"),
    (keras.layers.Conv2D(4, 3, strides=(1, 2)), (12, 12, 2), r"strides=\(1, 2\)"),
    (keras.layers.MaxPooling2D((2, 3)), (12, 12, 2), r"pool_size=\(2, 3\)"),
    (keras.layers.AveragePooling2D(2, strides=(2, 1)), (12, 12, 2), r"strides=\(2, 1\)"),
    (keras.layers.MaxPooling2D(2, data_format="channels_first"), (2, 12, 12), "data_format='channels_first'"),
    (keras.layers.Conv2DTranspose(4, 3), (12, 12, 2), "Conv2DTranspose"),
    (keras.layers.BatchNormalization(), (12, 12, 2), "BatchNormalization"),
])
def test_what_the_page_cannot_compute_is_refused(layer, input_shape, message):
    model = network(layer, input_shape)
    with pytest.raises(ValueError, match=f"layer {model.layers[0].name}: {message}.*not supported by the page"):
        export.describe(model)


def test_layers_without_bias_export_a_bias_of_zeros():
    model = keras.Sequential([keras.Input((12, 12, 2)), keras.layers.Conv2D(4, 3, use_bias=False),
                              keras.layers.Flatten(), keras.layers.Dense(3, use_bias=False)])
    conv, _, dense = export.describe(model)["layers"]
    assert conv["bias"] == [0.0] * 4 and dense["bias"] == [0.0] * 3
    assert conv["kernel"] == [float(v) for v in model.layers[0].kernel.numpy().ravel()]
    assert dense["kernel"] == [float(v) for v in model.layers[2].kernel.numpy().ravel()]


def test_square_layers_export_their_settings():
    model = keras.Sequential([keras.Input((12, 12, 2)), keras.layers.Conv2D(4, 3, strides=2, padding="same"),
                              keras.layers.MaxPooling2D(2, strides=1), keras.layers.Flatten(),
                              keras.layers.Dense(3)])
    conv, pool, _, dense = export.describe(model)["layers"]
    assert (conv["kernel_size"], conv["strides"], conv["padding"]) == (3, 2, "same")
    assert (pool["type"], pool["pool_size"], pool["strides"]) == ("max_pooling2d", 2, 1)
    np.testing.assert_array_equal(np.array(dense["bias"], np.float32), model.layers[-1].bias.numpy())
