"""Shared fixtures for the unit tests."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from lenet_lib import data
from helpers import ROOT, script


@pytest.fixture(scope="session")
def mnist_arrays() -> dict[str, np.ndarray]:
    """The real MNIST arrays, got as every chapter gets them: ``load_mnist()`` reads
    ``LENET_MNIST`` or asks Keras (its cache, else a download).  Skips, saying why,
    only when neither can reach MNIST; a broken ``LENET_MNIST`` file fails."""
    try:
        (x_train, y_train), (x_test, y_test) = data.load_mnist()
    except data.MnistError as exc:
        if os.environ.get(data.MNIST_ENV, "").strip():
            pytest.fail(f"{data.MNIST_ENV} is set but does not load: {exc}")
        pytest.skip(f"MNIST is not reachable (no {data.MNIST_ENV}, no Keras cache, offline): {exc}")
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """Export the page's model and build both editions once, as `bash course.sh book` does:
    (return code, log, html folder; the Chinese edition in its zh/ folder)."""
    subprocess.run([sys.executable, str(ROOT / "scripts" / "export_page_model.py")], check=True,
                   capture_output=True)
    return script("build_book").build(tmp_path_factory.mktemp("book"), timeout=900)
