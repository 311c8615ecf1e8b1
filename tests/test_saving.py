"""Saving and loading: identical predictions, clear errors for the wrong or a damaged file."""

from __future__ import annotations

import h5py
import keras
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


def same_weights(a, b) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a, b))


@pytest.mark.parametrize("other", [models.build_slides_lenet5, models.build_maxpool_lenet])
def test_failed_load_leaves_the_model_exactly_as_it_was(trained, tmp_path, other):
    """A file that fits some layers but not all used to replace those it fitted."""
    source = other()
    path = tmp_path / "other.weights.h5"
    source.save_weights(path)
    target = models.LeNet.build(1, 28, 28, 10)
    before = target.get_weights()
    with pytest.raises(ModelFileError):
        saving.load_weights(target, path)
    assert same_weights(target.get_weights(), before)


def test_failed_load_keeps_the_optimizer_state(trained, tmp_path):
    path = tmp_path / "net.weights.h5"
    trained.save_weights(path)  # weights and Adam's moments...
    trained.fit(X, np.arange(8) % 10, epochs=1, verbose=0)  # ...then both move on
    with h5py.File(path, "r+") as weights:  # and the file loses one layer's bias
        layers = [group for group in weights["layers"].values() if len(group["vars"]) == 2]
        del layers[-1]["vars"]["1"]
    before = [np.array(v) for v in trained.weights + trained.optimizer.variables]
    with pytest.raises(ModelFileError):
        saving.load_weights(trained, path)
    after = [np.array(v) for v in trained.weights + trained.optimizer.variables]
    assert same_weights(after, before)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_weights_are_refused(trained, tmp_path, bad):
    weights = trained.get_weights()
    weights[0] = weights[0].copy()
    weights[0].flat[3] = bad
    poisoned = models.build_maxpool_lenet()
    poisoned.set_weights(weights)
    path = tmp_path / "poisoned.weights.h5"
    poisoned.save_weights(path)
    target = models.build_maxpool_lenet()
    before = target.get_weights()
    with pytest.raises(ModelFileError, match="not finite"):
        saving.load_weights(target, path)
    assert same_weights(target.get_weights(), before)


def test_same_shapes_with_other_layer_names_are_refused(tmp_path):
    """Two networks with the same shapes cannot be told apart by Keras; the stored layer
    names can, when both sides name their layers."""
    def named(prefix):
        return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name=f"{prefix}_hidden"),
                                 keras.layers.Dense(2, name=f"{prefix}_out")])

    path = tmp_path / "age.weights.h5"
    age = named("age")
    age.save_weights(path)
    target = named("digit")
    before = target.get_weights()
    with pytest.raises(ModelFileError, match="saved from another network"):
        saving.load_weights(target, path)
    assert same_weights(target.get_weights(), before)
    automatic = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(2)])
    saving.load_weights(automatic, path)  # Keras' automatic names: loads, as Keras would
    assert same_weights(automatic.get_weights(), age.get_weights())


def test_weights_are_replaced_whole_or_not_at_all(trained, tmp_path, monkeypatch):
    """The scripts that ship weights write them beside the old file and rename: a failure
    while writing leaves the old weights whole and no partial file behind."""
    path = tmp_path / "deeper" / "net.weights.h5"
    saving.save_weights_atomically(trained, path)
    fresh = models.build_maxpool_lenet()
    assert np.array_equal(saving.load_weights(fresh, path).predict(X, verbose=0), trained.predict(X, verbose=0))
    before = path.read_bytes()
    monkeypatch.setattr(trained, "save_weights", lambda *args: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError, match="disk full"):
        saving.save_weights_atomically(trained, path)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["net.weights.h5"]


def test_replace_atomically_keeps_the_old_file_and_leaves_nothing_a_reader_would_pick_up(tmp_path):
    """A failed write leaves the old file whole and no temporary file behind; while writing, the
    temporary file's name matches no ``*.json`` (a killed run's leftover is never read as a result)."""
    target = tmp_path / "result.json"
    target.write_text('{"old": true}\n')
    seen = []

    def failing(temporary):
        seen.append(temporary)
        temporary.write_text('{"half')
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        saving.replace_atomically(target, failing)
    assert target.read_text() == '{"old": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.json"]
    assert seen and not seen[0].match("*.json") and seen[0].parent == tmp_path
    saving.replace_atomically(tmp_path / "new.json", lambda temporary: temporary.write_text("{}\n"))
    assert (tmp_path / "new.json").read_text() == "{}\n" and (tmp_path / "new.json").stat().st_mode & 0o777 == 0o644
