"""Shared training helpers: input scaling, subsets, results files, evaluation."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import numpy as np
import pytest

from lenet_lib import evaluation, runtime, training


def test_scale_images():
    digits = np.array([[[0, 255], [51, 102]]], dtype=np.uint8)
    scaled = training.scale_images(digits)
    assert scaled.shape == (1, 2, 2, 1) and scaled.dtype == np.float32
    np.testing.assert_allclose(scaled[0, :, :, 0], [[0, 1], [0.2, 0.4]])
    padded = training.scale_images(digits, pad=2)
    assert padded.shape == (1, 6, 6, 1) and padded[0, 0, 0, 0] == 0 and padded[0, 2, 3, 0] == 1
    with pytest.raises(ValueError, match="shape"):
        training.scale_images(np.zeros((28, 28)))


def test_paper_scaling_maps_background_and_ink():
    digits = np.zeros((2, 28, 28), np.uint8)
    digits[:, 10:18, 12:16] = 255
    scaled = training.paper_scale_images(digits)
    assert scaled.shape == (2, 32, 32, 1)
    assert np.isclose(scaled.min(), -0.1) and np.isclose(scaled.max(), 1.175)


def test_subset():
    x, y = np.arange(10), np.arange(10) * 2
    assert training.subset(x, y, None)[0] is x
    sx, sy = training.subset(x, y, 3)
    assert sx.tolist() == [0, 1, 2] and sy.tolist() == [0, 2, 4]


@pytest.fixture
def results(monkeypatch, tmp_path):
    """save_result writing under tmp_path, on a named machine, after set_seed(0)."""
    monkeypatch.setattr(training, "RESULTS_DIR", tmp_path)
    monkeypatch.setattr(training, "machine", lambda: "test machine")
    monkeypatch.setattr(runtime, "_seed_in_use", 0)
    monkeypatch.delenv("LENET_SEED", raising=False)
    monkeypatch.setenv("LENET_QUICK", "0")
    return tmp_path


def test_results_are_saved_per_mode_and_seed_used(monkeypatch, results):
    today = datetime.date.today().isoformat()
    path = training.save_result("x", test_accuracy=0.5)
    assert path == results / "full" / "x.json"
    assert json.loads(path.read_text()) == {"tutorial": "x", "mode": "full", "seed": 0, "date": today,
                                            "machine": "test machine", "test_accuracy": 0.5}
    assert training.load_results() == [json.loads(path.read_text())]
    # a chapter that seeds itself with 3 while LENET_SEED says 7 is labelled 3, not 7
    monkeypatch.setenv("LENET_SEED", "7")
    monkeypatch.setattr(runtime, "_seed_in_use", 3)
    path = training.save_result("x", test_accuracy=0.6)
    assert path == results / "full-seed3" / "x.json" and json.loads(path.read_text())["seed"] == 3
    monkeypatch.setenv("LENET_QUICK", "1")
    path = training.save_result("x", test_accuracy=0.7)
    assert path == results / "quick" / "x.json"
    assert json.loads(path.read_text())["mode"] == "quick" and json.loads(path.read_text())["seed"] == 3
    assert json.loads((results / "full" / "x.json").read_text())["test_accuracy"] == 0.5  # untouched
    with pytest.raises(FileNotFoundError, match="run the training chapters first"):
        training.load_results("full-seed9")


def test_an_unseeded_run_saves_no_result(monkeypatch, results):
    monkeypatch.setattr(runtime, "_seed_in_use", None)
    with pytest.raises(RuntimeError, match="set_seed"):
        training.save_result("x", test_accuracy=0.5)
    assert not list(results.rglob("*"))


@pytest.mark.parametrize("tutorial, fields, message", [
    ("../x", {}, "plain name"), ("", {}, "plain name"), (".x", {}, "plain name"),
    ("x", {"seed": 5}, "seed"), ("x", {"mode": "full", "date": "today"}, "date, mode"),
])
def test_bad_result_names_and_fields_are_refused(results, tutorial, fields, message):
    with pytest.raises(ValueError, match=message):
        training.save_result(tutorial, **fields)
    assert not list(results.rglob("*"))


def test_a_failed_write_leaves_the_previous_result_whole(monkeypatch, results):
    path = training.save_result("x", test_accuracy=0.5)
    before = path.read_bytes()
    with pytest.raises(TypeError):
        training.save_result("x", test_accuracy=object())  # cannot be written as JSON
    monkeypatch.setattr(training.os, "replace", lambda *args: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError, match="disk full"):
        training.save_result("x", test_accuracy=0.9)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["x.json"]  # no temporary file left


def test_result_folders():
    assert training.result_folder("full", 0) == training.RESULTS_DIR / "full"
    assert training.result_folder("full", 12) == training.RESULTS_DIR / "full-seed12"
    assert training.result_folder("quick", 12) == training.RESULTS_DIR / "quick"
    with pytest.raises(ValueError, match="'fast'"):
        training.result_folder("fast", 0)


def test_confusion_matrix_and_most_confused():
    y_true = np.array([0, 0, 1, 1, 1, 2, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 2, 2, 2, 1, 1, 1])
    counts = evaluation.confusion_matrix(y_true, y_pred, classes=3)
    assert counts.tolist() == [[1, 1, 0], [0, 1, 2], [0, 3, 1]]
    top = evaluation.most_confused(counts, top=2)
    assert top.values.tolist() == [[2, 1, 3], [1, 2, 2]]
    with pytest.raises(ValueError, match="labels"):
        evaluation.confusion_matrix(y_true, y_pred[:-1])


def test_worst_mistakes_are_the_most_confident_wrong_answers():
    probabilities = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.05, 0.95]])
    labels = np.array([0, 0, 1, 0])
    assert evaluation.worst_mistakes(probabilities, labels, top=2).tolist() == [3, 1]


def test_seed_table_reads_the_study_and_summarises_full_runs_only(tmp_path, monkeypatch):
    import json

    monkeypatch.setattr(training, "SEED_STUDY_DIR", tmp_path)
    (tmp_path / "demo.json").write_text(json.dumps([
        {"seed": 2, "test_error": 0.012}, {"seed": 1, "test_error": 0.010}]))
    assert [r["seed"] for r in training.load_seed_study("demo")] == [1, 2]

    full = training.seed_table("demo", {"seed": 0, "mode": "full", "test_error": 0.011},
                               {"test_error": "error"}, published={"test_error": 0.0095})
    assert list(full.index) == ["seed 0 (this page)", "seed 1", "seed 2", "mean of the full runs",
                                "range", "published"]
    assert full.loc["mean of the full runs", "error"] == "1.10%"
    assert full.loc["range", "error"] == "1.00% to 1.20%"
    assert full.loc["published", "error"] == "0.95%"

    quick = training.seed_table("demo", {"seed": 0, "mode": "quick", "test_error": 0.5},
                                {"test_error": "error"})
    assert quick.loc["seed 0 (this page, quick run)", "error"] == "50.00%"
    assert quick.loc["mean of the full runs", "error"] == "1.10%"  # the quick run is left out
    assert "published" not in quick.index


def test_seed_table_without_a_study_names_the_script(tmp_path, monkeypatch):
    monkeypatch.setattr(training, "SEED_STUDY_DIR", tmp_path)
    with pytest.raises(FileNotFoundError, match="seed_study.py"):
        training.seed_table("missing", {"seed": 0, "mode": "full", "x": 0.1}, {"x": "x"})


class _FixedModel:
    """Stands in for a trained network: returns the probabilities it was given."""

    def __init__(self, probabilities):
        self.probabilities = np.asarray(probabilities, dtype=float)

    def predict(self, x, verbose=0):
        return self.probabilities[: len(x)]


def test_evaluate_counts_right_answers_and_confusions():
    probabilities = np.eye(10)[[3, 3, 5, 7]] * 0.9 + 0.01
    result = evaluation.evaluate(_FixedModel(probabilities), np.zeros((4, 28, 28, 1)), np.array([3, 5, 5, 7]))
    assert result.test_accuracy == 0.75
    assert result.counts[5, 3] == 1 and result.counts[3, 3] == 1 and np.trace(result.counts) == 3
    assert list(result.predicted) == [3, 3, 5, 7]


def test_evaluate_refuses_outputs_that_are_not_ten_probabilities():
    with pytest.raises(ValueError, match=r"\(n, 10\)"):
        evaluation.evaluate(_FixedModel(np.ones((3, 9))), np.zeros((3, 28, 28, 1)), np.array([1, 2, 3]))


def test_slides_lenet5_with_max_pooling_has_the_same_shapes_and_counts():
    from lenet_lib import models

    average, maximum = models.build_slides_lenet5(), models.build_slides_lenet5(pooling="max")
    assert [type(layer).__name__ for layer in maximum.layers if "Pooling" in type(layer).__name__] == [
        "MaxPooling2D", "MaxPooling2D"]
    assert [layer.output.shape for layer in average.layers] == [layer.output.shape for layer in maximum.layers]
    assert average.count_params() == maximum.count_params() == 61706
    with pytest.raises(ValueError, match="pooling"):
        models.build_slides_lenet5(pooling="min")


def test_each_augmentation_recipe_builds_its_steps_and_is_identity_in_use():
    import keras

    steps = {"distortions": "RandomDistortion", "strokes": "RandomStrokeWidth",
             "low resolution": "RandomLowResolution"}
    x = np.random.default_rng(0).uniform(size=(4, 28, 28, 1)).astype("float32")
    for recipe, names in training.AUGMENTATIONS.items():
        augmentation = training.build_augmentation(recipe, seed=0)
        assert [type(layer).__name__ for layer in augmentation.layers] == ([steps[n] for n in names] or ["Identity"])
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(augmentation(x)), x)
        trained = keras.ops.convert_to_numpy(augmentation(x, training=True))
        assert np.array_equal(trained, x) == (recipe == "none")
    with pytest.raises(ValueError, match="unknown augmentation 'rotations'"):
        training.build_augmentation("rotations")


def test_choose_recipe_takes_the_best_on_the_choosing_half_above_the_mnist_floor():
    records = [
        {"recipe": "a", "seed": 0, "mnist_test": 0.990, "small_digits_choosing": 0.86},
        {"recipe": "a", "seed": 1, "mnist_test": 0.988, "small_digits_choosing": 0.88},
        {"recipe": "b", "seed": 0, "mnist_test": 0.986, "small_digits_choosing": 0.93},
        {"recipe": "b", "seed": 1, "mnist_test": 0.980, "small_digits_choosing": 0.95},  # mean 98.3 %
        {"recipe": "c", "seed": 0, "mnist_test": 0.970, "small_digits_choosing": 0.99},  # below any floor
    ]
    assert training.choose_recipe(records, mnist_floor=0.983) == "b"
    assert training.choose_recipe(records, mnist_floor=0.9831) == "a"
    with pytest.raises(ValueError, match="no recipe"):
        training.choose_recipe(records, mnist_floor=0.995)


def test_machine_names_the_processor():
    described = training.machine()
    assert described.startswith(("CPU: ", "GPU: "))
    model = training.cpu_model()
    assert model and model in described or described.startswith("GPU")
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file() and "model name" in cpuinfo.read_text():
        names = {line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                 if line.startswith("model name")}
        assert model in names


def test_write_json_atomically_replaces_whole_or_not_at_all(tmp_path, monkeypatch):
    path = tmp_path / "deeper" / "records.json"
    training.write_json_atomically(path, [{"a": np.float32(0.5)}])
    assert json.loads(path.read_text()) == [{"a": 0.5}]
    monkeypatch.setattr(training.os, "replace", lambda *args: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError, match="disk full"):
        training.write_json_atomically(path, [{"a": 1}])
    assert json.loads(path.read_text()) == [{"a": 0.5}]
    assert [p.name for p in path.parent.iterdir()] == ["records.json"]


@pytest.mark.parametrize("y_true, y_pred, message", [
    ([0, 1, 10], [0, 1, 2], "labels must lie in 0..9; found 10"),
    ([0, 1, 2], [0, -1, 2], "predictions must lie in 0..9; found -1"),
    ([0.0, 1.0], [0, 1], "labels must be whole class numbers"),
    (np.eye(10)[[1, 2]], np.eye(10)[[1, 2]], "labels must be whole class numbers"),
])
def test_confusion_matrix_refuses_what_it_would_silently_leave_out(y_true, y_pred, message):
    with pytest.raises(ValueError, match=message):
        evaluation.confusion_matrix(np.asarray(y_true), np.asarray(y_pred))


def test_report_shows_the_random_digits_only_when_asked(monkeypatch):
    """``report`` shows curves, confusion matrix, random digits and surest mistakes; with
    ``samples=0`` (the chapters after the first) the random digits are left out."""
    import IPython.display
    from matplotlib.figure import Figure

    from lenet_lib import evaluation, models

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objects: shown.extend(objects))
    model = models.build_slides_lenet5()  # untrained: it makes mistakes to show
    digits = np.random.default_rng(0).random((40, 28, 28, 1)).astype("float32")
    labels = np.arange(40) % 10
    history = {"loss": [2.3, 2.2], "accuracy": [0.1, 0.12]}
    for samples, figures in ((16, 4), (0, 3)):
        shown.clear()
        evaluation.report(model, digits, labels, history, samples=samples)
        titles = [figure._suptitle.get_text() for figure in shown if isinstance(figure, Figure)]
        assert len(titles) == figures, titles
        assert ("Random test digits and the network's answers" in titles) == bool(samples)
