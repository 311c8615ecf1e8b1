"""Re-using recorded training runs (``lenet_lib.training_cache``): what is a hit, what is a
miss, and what happens to a damaged record.  Small networks on a little MNIST-shaped data."""

from __future__ import annotations

import importlib
import json
import sys
import textwrap

import keras
import numpy as np
import pytest

from lenet_lib import runtime, training, training_cache


@pytest.fixture
def cache(tmp_path):
    """A cache that records into a temporary folder and re-uses what it finds there."""
    cache = training_cache.enable(tmp_path / "records", reuse=True)
    yield cache
    training_cache.disable()


def digits(n: int = 96, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.random((n, 8, 8, 1), dtype=np.float32), keras.utils.to_categorical(rng.integers(0, 10, n), 10)


def small_model(units: int = 8, activation: str = "relu", extra=None) -> keras.Model:
    stack = [keras.Input((8, 8, 1)), keras.layers.Flatten()]
    stack += [extra] if extra is not None else []
    stack += [keras.layers.Dense(units, activation=activation), keras.layers.Dense(10, activation="softmax")]
    return keras.Sequential(stack)


def train(*, seed=0, units=8, optimizer=None, epochs=2, batch_size=16, data=None, callbacks=(),
          extra=None, **fit):
    """Seed, build, compile and fit as a chapter does; return (model, history)."""
    runtime.set_seed(seed)
    model = small_model(units, extra=extra)
    model.compile(optimizer=optimizer or keras.optimizers.Adam(learning_rate=0.01),
                  loss="categorical_crossentropy", metrics=["accuracy"])
    x, y = data or digits()
    history = model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0,
                        callbacks=list(callbacks), **fit)
    return model, history


def statuses(cache) -> list[str]:
    return [event["status"] for event in cache.events]


def test_the_same_run_again_is_re_used_with_the_trained_weights_history_and_times(cache):
    trained, first = train()
    progress = training.ProgressTable(every=1)
    reused, second = train(callbacks=[progress])
    assert statuses(cache) == ["trained", "re-used"]
    for a, b in zip(trained.weights, reused.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    for a, b in zip(trained.optimizer.variables, reused.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert second.history == first.history and second.epoch == first.epoch == [0, 1]
    assert reused.history is second
    x, y = digits()
    assert reused.evaluate(x, y, verbose=0) == trained.evaluate(x, y, verbose=0)
    # the progress table shows the recorded run: its rows and its own epoch times
    record = json.loads(next(cache.folder.glob("*/record.json")).read_text())
    assert progress.seconds == record["epoch_seconds"] and len(progress.rows) == 2
    assert progress.rows[-1]["loss"] == first.history["loss"][-1]
    assert cache.events[1]["seconds"] == record["seconds"] and cache.events[1]["machine"] == record["machine"]


def test_a_re_used_model_trains_on_as_the_trained_one_would(cache):
    trained, _ = train()
    reused, _ = train()
    x, y = digits(seed=5)
    runtime.set_seed(3)
    trained.fit(x, y, epochs=1, batch_size=16, verbose=0)
    runtime.set_seed(3)
    reused.fit(x, y, epochs=1, batch_size=16, verbose=0)
    assert statuses(cache) == ["trained", "re-used", "trained", "re-used"]
    np.testing.assert_array_equal(trained.get_weights()[0], reused.get_weights()[0])


def test_without_reuse_it_records_but_always_trains(tmp_path):
    cache = training_cache.enable(tmp_path, reuse=False)
    try:
        train()
        train()
    finally:
        training_cache.disable()
    assert statuses(cache) == ["trained", "trained"]
    assert len(list(tmp_path.glob("*/record.json"))) == 1


@pytest.mark.parametrize("change", [
    pytest.param(dict(units=9), id="layer width"),
    pytest.param(dict(extra=keras.layers.Dropout(0.1)), id="an added layer"),
    pytest.param(dict(optimizer=keras.optimizers.Adam(learning_rate=0.02)), id="learning rate"),
    pytest.param(dict(optimizer=keras.optimizers.SGD(learning_rate=0.01)), id="optimizer"),
    pytest.param(dict(optimizer=keras.optimizers.Adam(learning_rate=0.01, beta_1=0.8)), id="optimizer setting"),
    pytest.param(dict(seed=1), id="seed"),
    pytest.param(dict(epochs=3), id="epochs"),
    pytest.param(dict(batch_size=32), id="batch size"),
    pytest.param(dict(shuffle=False), id="shuffle"),
    pytest.param(dict(validation_split=0.25), id="validation split"),
    pytest.param(dict(data=digits(seed=2)), id="data"),
    pytest.param(dict(data=(digits()[0][::-1].copy(), digits()[1][::-1].copy())), id="data order"),
    pytest.param(dict(callbacks=[keras.callbacks.LearningRateScheduler(lambda epoch: 0.01 / (epoch + 1))]),
                 id="learning-rate schedule"),
])
def test_anything_that_determines_the_run_is_a_miss(cache, change):
    train()
    train(**change)
    assert statuses(cache) == ["trained", "trained"]


def test_a_changed_data_file_is_a_miss(cache, tmp_path):
    x, y = digits()
    np.save(tmp_path / "x.npy", x)
    train(data=(np.load(tmp_path / "x.npy"), y))
    changed = x.copy()
    changed[0, 0, 0, 0] += 0.5  # one pixel of one image
    np.save(tmp_path / "x.npy", changed)
    train(data=(np.load(tmp_path / "x.npy"), y))
    assert statuses(cache) == ["trained", "trained"]


def test_a_library_version_is_a_miss(cache, monkeypatch):
    train()
    versions = training_cache.library_versions()
    monkeypatch.setattr(training_cache, "library_versions", lambda: {**versions, "keras": "3.99.0"})
    train()
    assert statuses(cache) == ["trained", "trained"]


def test_a_schedule_giving_the_same_rates_is_a_hit(cache):
    rates = [0.01, 0.005]
    train(callbacks=[keras.callbacks.LearningRateScheduler(lambda epoch: rates[epoch])])
    train(callbacks=[keras.callbacks.LearningRateScheduler(lambda epoch, rate: [0.01, 0.005][epoch])])
    assert statuses(cache) == ["trained", "re-used"]


def test_presentation_changes_are_hits(cache):
    """Names of layers (which depend on how many were built before), verbosity, a progress
    callback: none changes what is computed."""
    train()
    small_model()  # shifts Keras' automatic layer names
    train(callbacks=[training.ProgressTable(every=2)])
    assert statuses(cache) == ["trained", "re-used"]


LAYER_MODULE = '''
import keras
SCALE = {scale}

def helper(x):
    return x * SCALE

def plot_it():
    return "{plot}"

class Scaled(keras.layers.Layer):
    """A layer that multiplies by SCALE."""
    def call(self, x):
        return helper(x)
'''


def custom_layer_module(tmp_path, monkeypatch, scale=1.0, plot="a plot"):
    """A layer in a module file of its own, written with ``scale`` and a ``plot`` text."""
    (tmp_path / "custom_layers.py").write_text(LAYER_MODULE.format(scale=scale, plot=plot))
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("custom_layers", None)
    return importlib.import_module("custom_layers")


def test_the_code_of_a_custom_layer_is_part_of_the_key_but_not_the_rest_of_its_module(
        cache, tmp_path, monkeypatch):
    module = custom_layer_module(tmp_path, monkeypatch)
    train(extra=module.Scaled())
    module = custom_layer_module(tmp_path, monkeypatch, plot="another plot")  # not used by the layer
    train(extra=module.Scaled())
    module = custom_layer_module(tmp_path, monkeypatch, scale=1.5)  # a constant its helper uses
    train(extra=module.Scaled())
    assert statuses(cache) == ["trained", "re-used", "trained"]


def test_a_callback_that_cannot_be_replayed_trains_and_is_not_recorded(cache):
    train(callbacks=[keras.callbacks.EarlyStopping(monitor="loss", patience=1)])
    train(callbacks=[keras.callbacks.EarlyStopping(monitor="loss", patience=1)])
    assert statuses(cache) == ["trained", "trained"]
    assert "EarlyStopping cannot be replayed" in cache.events[0]["note"]
    assert not list(cache.folder.glob("*/record.json"))


def only_record(cache):
    (folder,) = [path for path in cache.folder.iterdir() if path.is_dir()]
    return folder


@pytest.mark.parametrize("damage, message", [
    (lambda f: (f / "weights.npz").write_bytes((f / "weights.npz").read_bytes()[:100]), "digest differs"),
    (lambda f: (f / "weights.npz").unlink(), "missing"),
    (lambda f: (f / "record.json").write_text('{"key": '), "cannot be read"),
    (lambda f: (f / "record.json").write_text(json.dumps(
        {k: v for k, v in json.loads((f / "record.json").read_text()).items() if k != "history"})), "lacks history"),
    (lambda f: (f / "record.json").write_text(json.dumps(
        {**json.loads((f / "record.json").read_text()), "key": "0" * 64})), "holds another run"),
], ids=["truncated weights", "no weights", "unreadable record", "partial record", "another run's record"])
def test_a_damaged_record_is_refused_with_a_clear_message_and_retrained(cache, damage, message):
    trained, first = train()
    folder = only_record(cache)
    damage(folder)
    again, second = train()
    assert statuses(cache) == ["trained", "trained"]
    assert message in cache.events[1]["note"] and str(folder) in cache.events[1]["note"]
    assert second.history == first.history  # a real run again, seeded as before
    train()  # the retrained run replaced the damaged record
    assert statuses(cache)[-1] == "re-used"


def test_a_record_with_non_finite_weights_is_refused(cache):
    train()
    folder = only_record(cache)
    with np.load(folder / "weights.npz") as stored:
        arrays = {name: stored[name] for name in stored.files}
    arrays["weight_0"][0, 0] = np.nan
    np.savez_compressed(folder / "weights.npz", **arrays)
    record = json.loads((folder / "record.json").read_text())
    record["weights_sha256"] = training_cache._file_sha256(folder / "weights.npz")
    (folder / "record.json").write_text(json.dumps(record))
    train()
    assert statuses(cache) == ["trained", "trained"]
    assert "not finite" in cache.events[1]["note"]


def test_without_a_seed_the_run_is_not_recorded(cache, monkeypatch):
    monkeypatch.setattr(runtime, "_seed_in_use", None)
    model = small_model()
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model.fit(*digits(), epochs=1, verbose=0)
    assert "no seed" in cache.events[0]["note"]


def test_disable_gives_keras_its_own_fit_back(tmp_path):
    original = keras.Model.fit
    training_cache.enable(tmp_path)
    assert keras.Model.fit is not original
    training_cache.disable()
    assert keras.Model.fit is original and "fit" not in keras.Model.__dict__


def test_results_name_the_recorded_run_they_come_from(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(training, "RESULTS_DIR", tmp_path / "results")
    train()
    record = json.loads(next(cache.folder.glob("*/record.json")).read_text())
    record["date"], record["machine"] = "2000-01-01", "CPU: an older machine"
    (next(cache.folder.glob("*/record.json"))).write_text(json.dumps(record))
    train()
    saved = json.loads(training.save_result("tiny", test_accuracy=0.5).read_text())
    assert (saved["date"], saved["machine"]) == ("2000-01-01", "CPU: an older machine")


def test_importing_the_module_changes_nothing_global():
    import subprocess

    code = textwrap.dedent("""
        import keras
        before = keras.Model.fit
        import lenet_lib.training_cache
        import lenet_lib.training
        assert keras.Model.fit is before
    """)
    subprocess.run([sys.executable, "-c", code], check=True)


# --- the book's runner ---------------------------------------------------------------------

TINY_CHAPTER = [
    "import keras\nimport numpy as np\nfrom lenet_lib import runtime, training\nruntime.set_seed()",
    "rng = np.random.default_rng(1)\nx = rng.random((64, 8, 8, 1), dtype=np.float32)\n"
    "y = keras.utils.to_categorical(rng.integers(0, 10, 64), 10)\n"
    "model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(), keras.layers.Dense(10, activation='softmax')])\n"
    "model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])\n"
    "progress = training.ProgressTable(every=1)\n"
    "history = model.fit(x, y, batch_size=16, epochs=2, verbose=0, callbacks=[progress])",
    "print([round(v, 6) for v in history.history['loss']], model.evaluate(x, y, verbose=0))",
]


def test_the_runner_records_then_re_uses_and_the_notebook_shows_the_same(tmp_path, monkeypatch):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from helpers import script

    run_notebooks = script("run_notebooks")

    monkeypatch.setenv("LENET_QUICK", "0")
    source = tmp_path / "tiny.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(code) for code in TINY_CHAPTER]), source)
    records = tmp_path / "records"
    run_notebooks.execute(source, tmp_path / "cold.ipynb", reuse=False, records=records)
    run_notebooks.execute(source, tmp_path / "warm.ipynb", reuse=True, records=records)
    cold, warm = (nbformat.read(tmp_path / name, as_version=4) for name in ("cold.ipynb", "warm.ipynb"))
    cold_runs, warm_runs = cold.metadata.lenet_course.training, warm.metadata.lenet_course.training
    assert [run["status"] for run in cold_runs] == ["trained"]
    assert [run["status"] for run in warm_runs] == ["re-used"]
    assert warm_runs[0]["key"] == cold_runs[0]["key"] and warm_runs[0]["seconds"] == cold_runs[0]["seconds"]
    for a, b in zip(cold.cells[1:], warm.cells[1:]):  # the progress table and the printed numbers
        assert a.outputs == b.outputs
    assert cold.cells[2].outputs[0].text.startswith("[")
    # the page of timings names where each chapter's training came from
    table = run_notebooks.timings_table([tmp_path / "cold.ipynb", tmp_path / "warm.ipynb"])
    assert "1 run trained in this build" in table
    assert f"1 of 1 runs re-used: recorded on {cold_runs[0]['date']} ({cold_runs[0]['machine']})" in table
