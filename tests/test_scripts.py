"""The scripts that make the course's data files work (quick mode)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np

from lenet_lib import models, saving
from lenet_lib.photo import read_labelled_photos

from helpers import ROOT, script, train_photo_model


def run_script(name: str, *args: str, **env_vars: str) -> str:
    env = dict(os.environ, LENET_QUICK="1", **env_vars)
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / name), *args], env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def mnist_env() -> dict[str, str]:
    """LENET_MNIST for the script if the tests have it; else the script asks Keras as load_mnist() does."""
    mnist = os.environ.get("LENET_MNIST", "")
    return {"LENET_MNIST": mnist} if mnist else {}


def test_train_photo_model_quick(tmp_path, mnist_arrays):
    output = tmp_path / "photo.weights.h5"
    printed = run_script("train_photo_model.py", "--output", str(output), **mnist_env())
    assert "quick mode" in printed and output.is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["photo.weights.h5"]  # no temporary file left
    model = saving.load_weights(models.build_slides_lenet5(), output)
    digits = mnist_arrays["x_test"][..., None].astype("float32") / 255
    accuracy = float(np.mean(model.predict(digits, verbose=0).argmax(axis=1) == mnist_arrays["y_test"]))
    # Measured (seed 0, 2026-11): 65.1 % after two epochs on 10,000 digits with the shipped
    # augmentation; one epoch left it at chance (10.3 %; all "1" would be 11.35 %).  30 % shows it learned.
    assert accuracy > 0.30, accuracy
    assert f"MNIST test accuracy {accuracy:.2%}" in printed, printed
    assert f"recipe {train_photo_model().SHIPPED_RECIPE!r}, seed 0" in printed, printed


def test_train_photo_model_writes_each_shipped_file_only_with_its_own_recipe():
    for args in (["--recipe", "none"], ["--seed", "3"],
                 ["--output", str(ROOT / "data" / "slides_lenet5_mnist_only.weights.h5")],
                 ["--output", str(ROOT / "data" / "slides_lenet5.weights.h5"), "--recipe", "none"]):
        result = subprocess.run([sys.executable, str(ROOT / "scripts" / "train_photo_model.py"), *args],
                                env=dict(os.environ, LENET_QUICK="0"), capture_output=True, text=True,
                                timeout=600)
        assert result.returncode == 2 and "give --output another file for another recipe or seed" in \
            result.stderr, (args, result.stderr[-2000:])


def test_choose_augmentation_quick_records_each_network(tmp_path, mnist_arrays):
    record = tmp_path / "recipes.json"
    record.write_text(json.dumps([{"recipe": "distortions", "seed": 5, "mode": "full", "mnist_test": 0.99,
                                   "small_digits_choosing": 0.9}]))  # kept: another recipe and seed
    printed = run_script("choose_augmentation.py", "--recipes", "none", "--seeds", "0", "--record", str(record),
                         "--weights-dir", str(tmp_path / "weights"), **mnist_env())
    records = json.loads(record.read_text())
    assert [(r["recipe"], r["seed"], r["mode"]) for r in records] == [("distortions", 5, "full"), ("none", 0, "quick")]
    new = records[1]
    assert 0 <= new["small_digits_choosing"] <= 1 and new["seconds"] > 0 and new["machine"].startswith("CPU")
    assert (tmp_path / "weights" / "none.seed0.weights.h5").is_file()
    assert f"MNIST test {new['mnist_test']:.2%}" in printed and "no recipe chosen" in printed, printed
    committed = ROOT / "results" / "augmentation" / "recipes.json"
    before = committed.read_bytes()
    for args in ([], ["--record", str(committed)]):
        result = subprocess.run([sys.executable, str(ROOT / "scripts" / "choose_augmentation.py"), *args],
                                env=dict(os.environ, LENET_QUICK="1"), capture_output=True, text=True,
                                timeout=600)
        assert result.returncode == 2 and "never writes the committed record" in result.stderr, result.stderr
    assert committed.read_bytes() == before


def test_quick_mode_never_writes_the_shipped_weights():
    shipped = ROOT / "data" / "slides_lenet5.weights.h5"
    before = shipped.read_bytes()
    for args in ([], ["--output", str(shipped)]):
        result = subprocess.run([sys.executable, str(ROOT / "scripts" / "train_photo_model.py"), *args],
                                env=dict(os.environ, LENET_QUICK="1"), capture_output=True, text=True,
                                timeout=600)
        assert result.returncode == 2 and "never writes the shipped" in result.stderr, result.stderr[-2000:]
    assert shipped.read_bytes() == before


def test_make_sample_photos(tmp_path):
    run_script("make_sample_photos.py", "--output-dir", str(tmp_path))
    made = sorted(p.name for p in tmp_path.glob("*.jpg"))
    assert made == sorted(p.name for p in (ROOT / "data").glob("sample_digit_*.jpg"))
    assert (tmp_path / "labels.csv").read_text() == (ROOT / "data" / "labels.csv").read_text()
    model = saving.load_weights(models.build_slides_lenet5(), ROOT / "data" / "slides_lenet5.weights.h5")
    photos = read_labelled_photos(tmp_path)
    assert sorted(p.path.name for p in photos) == made
    for listed in photos:
        assert listed.label == int(listed.path.name.split("_")[2][0])  # sample_digit_<label>...
        assert model.predict(listed.digit[None, :, :, None], verbose=0).argmax() == listed.label


def test_benchmark_times_one_example_steps(mnist_arrays):
    printed = run_script("benchmark.py", "--one-example-steps", **mnist_env())
    milliseconds = float(printed.split(" ms per one-example step")[0].split()[-1])
    assert 0 < milliseconds < 100, printed
    assert "for the paper's 20 passes" in printed


def test_train_digit_check_quick(tmp_path, mnist_arrays):
    """Quick mode trains a barely trained check into another file and says what it measured; the
    threshold it prints is the held-out quantile it promises (1 % of held-out digits above it)."""
    output = tmp_path / "check.weights.h5"
    printed = run_script("train_digit_check.py", "--output", str(output), **mnist_env())
    assert output.is_file() and [p.name for p in tmp_path.iterdir()] == ["check.weights.h5"]
    record = json.loads(printed.strip().splitlines()[-1])  # the script prints its record last
    assert record["mode"] == "quick" and 0 < record["threshold"] < 1
    check = saving.load_weights(models.build_digit_check(), output)
    held_out = mnist_arrays["x_train"][50_000:][..., None].astype("float32") / 255
    scores = check.predict(held_out, verbose=0, batch_size=1024)[:, 0]
    assert abs(np.mean(scores > record["threshold"]) - 0.01) < 0.002, np.mean(scores > record["threshold"])


def test_train_digit_check_never_writes_the_shipped_check_in_quick_mode():
    shipped = ROOT / "data" / "digit_check.weights.h5"
    before = shipped.read_bytes()
    for env, args in (("1", []), ("0", ["--seed", "3"])):
        result = subprocess.run([sys.executable, str(ROOT / "scripts" / "train_digit_check.py"), *args],
                                env=dict(os.environ, LENET_QUICK=env), capture_output=True, text=True, timeout=600)
        assert result.returncode == 2 and "give --output another file" in result.stderr, result.stderr[-2000:]
    assert shipped.read_bytes() == before


def test_keras2_control_program_is_the_chapters_network_and_runs_on_keras3(monkeypatch):
    """The control's program (the TensorFlow tutorial's code) runs here on Keras 3 in quick mode
    and builds chapter 06's network; the committed record is a full run of it on both stacks,
    with the same TensorFlow, seed 0, 40 epochs each."""
    keras2_control = script("keras2_control")
    monkeypatch.setenv("LENET_QUICK", "1")
    monkeypatch.setenv("LENET_MNIST", os.environ.get("LENET_MNIST", ""))
    result = keras2_control.run(Path(sys.executable), legacy=False, seed=0)
    assert result["keras"] == keras.__version__ and len(result["history"]["loss"]) == 1
    assert result["parameters"] == models.build_tf_lenet().count_params()
    assert 0 <= result["test_accuracy"] <= 1

    record = json.loads(keras2_control.RECORD.read_text())
    assert record["mode"] == "full" and record["seed"] == 0
    runs = record["runs"]
    assert runs["keras 2"]["keras"].startswith("2.") and runs["keras 3"]["keras"].startswith("3.")
    assert runs["keras 2"]["tensorflow"] == runs["keras 3"]["tensorflow"]
    for run in runs.values():
        assert len(run["history"]["val_accuracy"]) == 40 and run["parameters"] == result["parameters"]
