"""Shared fixtures for the unit tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import ROOT, SHARED_MNIST


@pytest.fixture(scope="session")
def mnist_arrays() -> dict[str, np.ndarray]:
    """The real MNIST arrays, from ../shared (CI and developers have it)."""
    if not SHARED_MNIST.is_file():
        pytest.skip(f"{SHARED_MNIST} is not here")
    with np.load(SHARED_MNIST) as npz:
        return {name: npz[name] for name in npz.files}


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """Export the page's model and build the book once: (return code, log, html folder)."""
    subprocess.run([sys.executable, str(ROOT / "scripts" / "export_page_model.py")], check=True,
                   capture_output=True)
    output = tmp_path_factory.mktemp("book")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [str(jupyter_book) if jupyter_book.exists() else shutil.which("jupyter-book"),
               "build", str(ROOT), "--path-output", str(output), "-W", "-n", "--keep-going", "--all"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    return result.returncode, result.stdout[-5000:] + result.stderr[-5000:], output / "_build" / "html"
