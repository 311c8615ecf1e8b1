"""The NumPy reference convolution and pooling agree with Keras on random inputs."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from lenet_lib.convolution import (conv2d, diagonal_kernel, keras_output_size, output_size, pool2d,
                                   same_padding, truncate, x_pattern)

RNG = np.random.default_rng(1998)


def keras_out(layer, x: np.ndarray) -> np.ndarray:
    return keras.ops.convert_to_numpy(layer(x[None].astype("float32")))[0]


@pytest.mark.parametrize("size", [(9, 9), (28, 28), (13, 17)])
@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv2d_matches_keras(size, stride, padding):
    c_in, c_out, k = int(RNG.integers(1, 4)), int(RNG.integers(1, 5)), int(RNG.choice([3, 5]))
    x = RNG.normal(size=(*size, c_in))
    kernels = RNG.normal(size=(k, k, c_in, c_out))
    bias = RNG.normal(size=c_out)
    layer = keras.layers.Conv2D(c_out, k, strides=stride, padding=padding)
    layer.build((1, *size, c_in))
    layer.set_weights([kernels.astype("float32"), bias.astype("float32")])
    ours = conv2d(x, kernels, bias, stride=stride, padding=padding)
    theirs = keras_out(layer, x)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("size", [(7, 7), (28, 28), (10, 15)])
@pytest.mark.parametrize("pool, stride", [(2, 2), (3, 2), (2, 1), (3, 3)])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("mode, layer_class", [("max", keras.layers.MaxPooling2D),
                                                ("average", keras.layers.AveragePooling2D)])
def test_pool2d_matches_keras(size, pool, stride, padding, mode, layer_class):
    x = RNG.normal(size=(*size, 3)) - 2  # mostly negative: padding with zeros would show
    ours = pool2d(x, pool, stride, padding=padding, mode=mode)
    theirs = keras_out(layer_class(pool, strides=stride, padding=padding), x)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)


def test_two_d_input_and_kernel_give_two_d_map():
    assert conv2d(x_pattern(9), diagonal_kernel(3)).shape == (7, 7)
    assert pool2d(np.zeros((7, 7)), 2, padding="same").shape == (4, 4)


def test_slides_numbers():
    feature_map = conv2d(x_pattern(9), diagonal_kernel(3)) / 9
    assert truncate(feature_map[0, 0]) == 0.77 and truncate(feature_map[3, 3]) == 0.55
    assert truncate(feature_map[1, 1]) == 1.0
    assert np.isclose(feature_map[0, 0], 7 / 9)


def test_output_size_formula():
    assert output_size(6, 3) == 4
    assert output_size(32, 5) == 28 and output_size(28, 2, stride=2) == 14
    assert output_size(28, 5, padding=2) == 28
    assert output_size(7, 2, stride=2) == 3  # the last partial window is dropped
    with pytest.raises(ValueError, match="does not fit"):
        output_size(3, 5)


def test_keras_output_size_and_same_padding():
    assert keras_output_size(7, 2, 2, "same") == 4 and keras_output_size(7, 2, 2, "valid") == 3
    assert same_padding(28, 5, 1) == (2, 2)
    assert same_padding(7, 2, 2) == (0, 1)  # odd total: the extra pixel goes after
    with pytest.raises(ValueError, match="padding"):
        keras_output_size(28, 5, 1, "full")


def test_truncate_cuts_towards_zero():
    values = np.array([7 / 9, 5 / 9, -1 / 9, 1.0, -5 / 9, 0.0])
    np.testing.assert_array_equal(truncate(values, 2), [0.77, 0.55, -0.11, 1.0, -0.55, 0.0])


@pytest.mark.parametrize("call, message", [
    (lambda: conv2d(np.zeros((5, 5, 2)), np.zeros((3, 3, 1, 4))), "channels"),
    (lambda: conv2d(np.zeros((5,)), np.zeros((3, 3))), "shape"),
    (lambda: conv2d(np.zeros((5, 5)), np.zeros((3, 2))), "kernels"),
    (lambda: pool2d(np.zeros((4, 4)), 2, mode="median"), "mode"),
    (lambda: pool2d(np.zeros((4, 4)), 2, padding="reflect"), "padding"),
])
def test_bad_arguments_raise_clear_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
