"""Shared fixtures for the unit tests."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import SHARED_MNIST


@pytest.fixture(scope="session")
def mnist_arrays() -> dict[str, np.ndarray]:
    """The real MNIST arrays, from ../shared (CI and developers have it)."""
    if not SHARED_MNIST.is_file():
        pytest.skip(f"{SHARED_MNIST} is not here")
    with np.load(SHARED_MNIST) as npz:
        return {name: npz[name] for name in npz.files}
