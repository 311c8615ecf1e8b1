"""Shared training helpers: input scaling, subsets, results files, evaluation."""

from __future__ import annotations

import json

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


def test_results_are_saved_per_mode_and_seed(monkeypatch, tmp_path):
    monkeypatch.setattr(training, "RESULTS_DIR", tmp_path)
    monkeypatch.setattr(training, "machine", lambda: "test machine")
    monkeypatch.setenv("LENET_QUICK", "1")
    monkeypatch.delenv("LENET_SEED", raising=False)
    path = training.save_result("x", test_accuracy=0.5)
    assert path == tmp_path / "quick" / "x.json"
    assert json.loads(path.read_text()) == {"tutorial": "x", "mode": "quick", "seed": 0,
                                            "machine": "test machine", "test_accuracy": 0.5}
    assert training.load_results() == [json.loads(path.read_text())]
    monkeypatch.setenv("LENET_SEED", "3")
    assert training.save_result("x", test_accuracy=0.6) == tmp_path / "quick-seed3" / "x.json"
    with pytest.raises(FileNotFoundError, match="run the training chapters first"):
        training.load_results("full")


def test_seed_from_environment(monkeypatch):
    monkeypatch.setenv("LENET_SEED", "7")
    assert runtime.seed() == 7
    monkeypatch.setenv("LENET_SEED", "seven")
    with pytest.raises(ValueError, match="LENET_SEED"):
        runtime.seed()


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
