"""Saving and loading trained networks, with errors that name the file and the problem.

Keras 3 has two formats:

- ``.keras``: the whole model (architecture, weights, optimizer state) in one
  zip file; ``keras.models.load_model`` rebuilds it without any Python code.
- ``.weights.h5``: the weights alone; the code that builds the architecture
  must build an identical network first, then ``load_weights`` fills it.

The legacy ``.h5`` whole-model format of Keras 2 is not used.
"""

from __future__ import annotations

import os
from pathlib import Path

import keras


class ModelFileError(ValueError):
    """A model or weights file is missing, damaged, or does not fit the network."""


def _existing(path: str | os.PathLike, suffix: str) -> Path:
    path = Path(path)
    if not path.name.endswith(suffix):
        raise ModelFileError(f"{path}: expected a '{suffix}' file")
    if not path.is_file():
        raise ModelFileError(f"{path}: no such file")
    return path


def load_model(path: str | os.PathLike) -> keras.Model:
    """Load a whole model saved with ``model.save("name.keras")``."""
    path = _existing(path, ".keras")
    try:
        return keras.models.load_model(path)
    except Exception as exc:  # Keras raises many types for a damaged zip or config
        raise ModelFileError(f"{path}: not a loadable Keras model file "
                             f"(truncated or damaged?): {type(exc).__name__}: {exc}") from exc


def load_weights(model: keras.Model, path: str | os.PathLike) -> keras.Model:
    """Fill ``model`` with weights saved by ``save_weights("name.weights.h5")``.

    The file must come from a network with the same layers and shapes; a
    mismatch or a damaged file raises ``ModelFileError`` naming both.
    """
    path = _existing(path, ".weights.h5")
    try:
        model.load_weights(path)
    except Exception as exc:
        raise ModelFileError(f"{path}: cannot load these weights into model '{model.name}' "
                             f"(saved from another architecture, or a damaged file): "
                             f"{type(exc).__name__}: {exc}") from exc
    return model
