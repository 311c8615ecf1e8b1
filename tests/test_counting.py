"""Parameter and connection counts, from formulas and against Keras."""

from __future__ import annotations

import keras
import pytest

from lenet_lib import models
from lenet_lib.counting import (C3_TABLE, MAXPOOL_LENET, PYIMAGESEARCH_LENET, RBF, SLIDES_LENET5,
                                SLIDES_TABLE, Conv, Dense, Flatten, Pool, ZeroPad,
                                check_against_keras, count_layer, count_layers)


def test_formulas_per_layer_type():
    conv = count_layer((32, 32, 1), Conv("c", 6, 5))
    assert (conv.output_shape, conv.params, conv.connections) == ((28, 28, 6), 156, 122304)
    pool = count_layer((28, 28, 6), Pool("p"))
    assert (pool.output_shape, pool.params, pool.connections) == ((14, 14, 6), 0, 4704)
    subsample = count_layer((28, 28, 6), Pool("s", kind="subsample"))
    assert (subsample.params, subsample.connections) == (12, 5880)
    dense = count_layer((120,), Dense("d", 84))
    assert (dense.params, dense.connections) == (10164, 10164)
    assert count_layer((5, 5, 16), Flatten("f")).output_shape == (400,)
    assert count_layer((28, 28, 1), ZeroPad("z", 2)).output_shape == (32, 32, 1)
    rbf = count_layer((84,), RBF("out", 10))
    assert (rbf.params, rbf.connections) == (0, 840)


def test_c3_connection_table():
    assert len(C3_TABLE) == 16 and sorted(len(row) for row in C3_TABLE) == [3] * 6 + [4] * 9 + [6]
    partial = count_layer((14, 14, 6), Conv("C3", 16, 5, table=C3_TABLE))
    assert (partial.params, partial.connections) == (1516, 151600)


@pytest.mark.parametrize("table, message", [
    (C3_TABLE[:15], "rows"),
    (C3_TABLE[:15] + ((0, 6),), "outside"),
    (C3_TABLE[:15] + ((),), "outside"),
])
def test_bad_connection_table(table, message):
    with pytest.raises(ValueError, match=message):
        count_layer((14, 14, 6), Conv("C3", 16, 5, table=table))


def test_convolution_needs_maps():
    with pytest.raises(ValueError, match="needs"):
        count_layer((400,), Conv("c", 6, 5))


@pytest.mark.parametrize("architecture, total", [
    (SLIDES_TABLE, 61706), (SLIDES_LENET5, 61706), (MAXPOOL_LENET, 51902), (PYIMAGESEARCH_LENET, 1256080)])
def test_totals(architecture, total):
    assert sum(row.params for row in count_layers(*architecture)) == total


@pytest.mark.parametrize("architecture, build", [
    (SLIDES_LENET5, models.build_slides_lenet5),
    (MAXPOOL_LENET, models.build_maxpool_lenet),
    (PYIMAGESEARCH_LENET, lambda: models.LeNet.build(1, 28, 28, 10)),
])
def test_keras_builds_match_their_layer_lists(architecture, build):
    check_against_keras(*architecture, build())


def test_check_against_keras_catches_a_difference():
    with pytest.raises(AssertionError, match="F5"):
        check_against_keras(*MAXPOOL_LENET, keras.Sequential([
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(6, 5, padding="same"), keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(16, 5), keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(), keras.layers.Dense(100), keras.layers.Dense(10)]))
    with pytest.raises(AssertionError, match="layers"):
        check_against_keras(*SLIDES_LENET5, models.build_maxpool_lenet())
