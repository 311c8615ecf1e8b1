"""Saving and loading: identical predictions, clear errors for the wrong or a damaged file."""

from __future__ import annotations

import numpy as np
import pytest

from lenet_lib import models, saving
from lenet_lib.saving import ModelFileError

X = np.random.default_rng(5).random((8, 28, 28, 1)).astype("float32")


@pytest.fixture
def trained(tmp_path):
    model = models.build_maxpool_lenet()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(X, np.arange(8) % 10, epochs=1, verbose=0)  # a few steps so the weights are not initial
    return model


def test_whole_model_round_trip_is_bit_identical(trained, tmp_path):
    trained.save(tmp_path / "net.keras")
    loaded = saving.load_model(tmp_path / "net.keras")
    assert np.array_equal(loaded.predict(X, verbose=0), trained.predict(X, verbose=0))


def test_weights_round_trip_into_a_fresh_build(trained, tmp_path):
    trained.save_weights(tmp_path / "net.weights.h5")
    fresh = saving.load_weights(models.build_maxpool_lenet(), tmp_path / "net.weights.h5")
    assert np.array_equal(fresh.predict(X, verbose=0), trained.predict(X, verbose=0))


def test_pyimagesearch_build_loads_weights(tmp_path):
    model = models.LeNet.build(1, 28, 28, 10)
    model.save_weights(tmp_path / "lenet.weights.h5")
    again = models.LeNet.build(1, 28, 28, 10, weights_path=tmp_path / "lenet.weights.h5")
    assert np.array_equal(again.predict(X, verbose=0), model.predict(X, verbose=0))


@pytest.mark.parametrize("other", [models.build_slides_lenet5, lambda: models.LeNet.build(1, 28, 28, 10)])
def test_weights_of_another_architecture(trained, tmp_path, other):
    path = tmp_path / "net.weights.h5"
    trained.save_weights(path)
    target = other()
    with pytest.raises(ModelFileError) as error:
        saving.load_weights(target, path)
    assert str(path) in str(error.value) and target.name in str(error.value)


def test_truncated_weights_file(trained, tmp_path):
    path = tmp_path / "net.weights.h5"
    trained.save_weights(path)
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(ModelFileError, match="net.weights.h5"):
        saving.load_weights(models.build_maxpool_lenet(), path)


@pytest.mark.parametrize("cut", [0.5, 0.99])
def test_truncated_model_file(trained, tmp_path, cut):
    path = tmp_path / "net.keras"
    trained.save(path)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(ModelFileError, match="net.keras"):
        saving.load_model(path)


def test_corrupted_model_file(trained, tmp_path):
    path = tmp_path / "net.keras"
    trained.save(path)
    data = bytearray(path.read_bytes())
    data[100:400] = bytes(300)
    path.write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match="net.keras"):
        saving.load_model(path)


def test_missing_and_misnamed_files(tmp_path):
    with pytest.raises(ModelFileError, match="no such file"):
        saving.load_model(tmp_path / "nothing.keras")
    with pytest.raises(ModelFileError, match="'.keras'"):
        saving.load_model(tmp_path / "mnist.h5")
    with pytest.raises(ModelFileError, match="'.weights.h5'"):
        saving.load_weights(models.build_maxpool_lenet(), tmp_path / "weights.hdf5")
