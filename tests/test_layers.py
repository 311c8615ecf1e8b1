"""The paper's layers compute what section II-B of LeCun et al. (1998) says."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from lenet_lib import counting, models
from lenet_lib.convolution import conv2d
from lenet_lib.layers import (A, S, EuclideanRBF, PartialConv2D, Subsampling, digit_codes, paper_loss,
                              scaled_tanh)

RNG = np.random.default_rng(98)


def numpy(x):
    return keras.ops.convert_to_numpy(x)


def test_scaled_tanh():
    values = np.array([-1.0, 0.0, 1.0, 3.0], "float32")
    np.testing.assert_allclose(numpy(scaled_tanh(values)), 1.7159 * np.tanh(2 * values / 3), rtol=1e-6)
    assert abs(numpy(scaled_tanh(np.float32(1.0))) - 1.0) < 1e-4  # f(1) = 1
    assert A == 1.7159 and S == pytest.approx(2 / 3)


def test_subsampling_is_sum_times_coefficient_plus_bias():
    x = RNG.normal(size=(2, 6, 6, 3)).astype("float32")
    layer = Subsampling(2)
    layer.build(x.shape)
    coefficient, bias = np.array([0.5, -1.0, 2.0], "float32"), np.array([0.1, 0.0, -0.2], "float32")
    layer.set_weights([coefficient, bias])
    sums = x.reshape(2, 3, 2, 3, 2, 3).sum(axis=(2, 4))
    np.testing.assert_allclose(numpy(layer(x)), sums * coefficient + bias, rtol=1e-5, atol=1e-5)
    assert layer.count_params() == 6


def test_partial_convolution_reads_only_its_table():
    x = RNG.normal(size=(1, 14, 14, 6)).astype("float32")
    layer = PartialConv2D(counting.C3_TABLE, 5)
    layer.build(x.shape)
    assert layer.count_params() == 1516
    full = numpy(layer.full_kernel())
    for out_map, inputs in enumerate(counting.C3_TABLE):
        unused = sorted(set(range(6)) - set(inputs))
        assert np.all(full[:, :, unused, out_map] == 0)
        assert np.all(full[:, :, list(inputs), out_map] != 0)
    bias = numpy(layer.bias)
    np.testing.assert_allclose(numpy(layer(x))[0], conv2d(x[0], full, bias), rtol=1e-4, atol=1e-4)


def test_partial_convolution_rejects_a_bad_table():
    with pytest.raises(ValueError, match="outside"):
        PartialConv2D([[0, 7]], 5).build((1, 14, 14, 6))


def test_rbf_outputs_negated_squared_distances():
    codes = digit_codes()
    assert codes.shape == (10, 84) and set(np.unique(codes)) == {-1.0, 1.0}
    x = RNG.normal(size=(4, 84)).astype("float32")
    expected = -((x[:, None, :] - codes[None, :, :]) ** 2).sum(axis=-1)
    np.testing.assert_allclose(numpy(EuclideanRBF(codes)(x)), expected, rtol=1e-4)
    assert numpy(EuclideanRBF(codes)(codes)).argmax(axis=1).tolist() == list(range(10))


def test_paper_loss_is_equation_nine():
    scores = -np.array([[1.0, 4.0, 9.0], [2.0, 0.5, 3.0]], "float32")  # negated distances y_i
    labels = np.array([0, 2])
    j = 1.5
    y = -scores
    expected = [y[n, labels[n]] + np.log(np.exp(-j) + np.exp(-y[n]).sum()) for n in range(2)]
    np.testing.assert_allclose(numpy(paper_loss(j)(labels, scores)), expected, rtol=1e-5)


def test_paper_lenet5_counts_and_saves(tmp_path):
    model = models.build_paper_lenet5()
    counting.check_against_keras(*counting.PAPER_LENET5, model)
    assert model.count_params() == 60000
    x = RNG.normal(size=(2, 32, 32, 1)).astype("float32")
    model.save(tmp_path / "paper.keras")
    again = keras.models.load_model(tmp_path / "paper.keras")
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
