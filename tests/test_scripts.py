"""The scripts that make the course's data files work (quick mode)."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from lenet_lib import models, saving
from lenet_lib.photo import prepare_photo

from helpers import ROOT, SHARED_MNIST


def run_script(name: str, *args: str, **env_vars: str) -> str:
    env = dict(os.environ, LENET_QUICK="1", **env_vars)
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / name), *args], env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_train_photo_model_quick(tmp_path):
    mnist = os.environ.get("LENET_MNIST") or (str(SHARED_MNIST) if SHARED_MNIST.is_file() else "")
    if not mnist:
        pytest.skip("no offline MNIST")
    output = tmp_path / "photo.weights.h5"
    printed = run_script("train_photo_model.py", "--output", str(output), LENET_MNIST=mnist)
    assert "quick mode" in printed and output.is_file()
    model = saving.load_weights(models.build_slides_lenet5(), output)
    probabilities = model.predict(np.zeros((2, 28, 28, 1), "float32"), verbose=0)
    assert probabilities.shape == (2, 10) and np.allclose(probabilities.sum(axis=1), 1, atol=1e-5)


def test_make_sample_photos(tmp_path):
    run_script("make_sample_photos.py", "--output-dir", str(tmp_path))
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in (ROOT / "data").glob("sample_digit_*.jpg"))
    model = saving.load_weights(models.build_slides_lenet5(), ROOT / "data" / "slides_lenet5.weights.h5")
    for name in made:
        label = int(name.split("_")[2][0])
        assert model.predict(prepare_photo(tmp_path / name), verbose=0).argmax() == label


def test_benchmark_times_one_example_steps():
    mnist = os.environ.get("LENET_MNIST") or (str(SHARED_MNIST) if SHARED_MNIST.is_file() else "")
    if not mnist:
        pytest.skip("no offline MNIST")
    printed = run_script("benchmark.py", "--one-example-steps", LENET_MNIST=mnist)
    milliseconds = float(printed.split(" ms per one-example step")[0].split()[-1])
    assert 0 < milliseconds < 100, printed
    assert "for the paper's 20 passes" in printed
