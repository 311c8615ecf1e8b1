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
import re
import tempfile
from pathlib import Path
from typing import Callable

import h5py
import keras
import numpy as np


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

    All or nothing: if the file is damaged, does not fit, or holds a weight that is
    not finite (NaN, inf), ``ModelFileError`` names the file and the model, and the
    model keeps exactly the weights (and optimizer state) it had.

    Keras matches weights by the layers' order and shapes, not by meaning, so the
    weights of a *different* network whose layers have the same types and shapes
    load without error; in general nothing can tell them apart.  The file also stores
    each layer's name: when the file and the model both use names of their own
    (not Keras' automatic ``conv2d_1``-style names) and these differ, the file is refused.
    """
    path = _existing(path, ".weights.h5")
    _check_layer_names(model, path)
    variables = list(model.weights)
    if getattr(model, "optimizer", None) is not None:
        variables += list(model.optimizer.variables)
    before = [np.array(variable) for variable in variables]
    try:
        model.load_weights(path)
        bad = [w.path for w in model.weights if not np.isfinite(np.array(w)).all()]
        if bad:
            raise ModelFileError(f"{path}: weights that are not finite (NaN or inf) in {bad}")
    except Exception as exc:
        for variable, value in zip(variables, before):
            variable.assign(value)
        if isinstance(exc, ModelFileError):
            raise
        raise ModelFileError(f"{path}: cannot load these weights into model '{model.name}' "
                             f"(saved from another architecture, or a damaged file): "
                             f"{type(exc).__name__}: {exc}") from exc
    return model


def replace_atomically(output: str | os.PathLike, write: Callable[[Path], None], suffix: str = ".tmp") -> None:
    """Call ``write`` on a temporary file beside ``output`` (folders made as needed), then
    rename it over ``output``: a failed or interrupted write leaves the old file whole,
    never half-written.  The temporary name ends in ``suffix`` (``.tmp``: no ``*.json`` reader
    picks up one a killed run left behind; Keras wants ``.weights.h5``)."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=".partial-", suffix=suffix)
    os.close(handle)
    try:
        write(Path(temporary))
        os.chmod(temporary, output.stat().st_mode & 0o777 if output.exists() else 0o644)  # mkstemp's is 0600
        os.replace(temporary, output)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def save_weights_atomically(model: keras.Model, output: str | os.PathLike) -> None:
    """Save ``model``'s weights to ``output`` through ``replace_atomically``."""
    replace_atomically(output, lambda temporary: model.save_weights(temporary), suffix=".weights.h5")


def _automatic_name(name: str, model: keras.Model) -> bool:
    """Is ``name`` one Keras makes up (``conv2d``, ``dense_3``) for a layer class of ``model``?"""
    classes = {re.sub(r"([a-z])([A-Z])", r"\1_\2", re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2",
                                                          type(layer).__name__)).lower()
               for layer in model.layers}
    return re.sub(r"_\d+$", "", name) in classes


def _check_layer_names(model: keras.Model, path: Path) -> None:
    try:
        with h5py.File(path, "r") as weights:
            layers = weights.get("layers")
            stored = {str(group["vars"].attrs.get("name", "")) for group in layers.values()
                      if "vars" in group} if layers is not None else set()
    except Exception as exc:
        raise ModelFileError(f"{path}: not a readable weights file (truncated or damaged?): "
                             f"{type(exc).__name__}: {exc}") from exc
    names = {layer.name for layer in model.layers}
    only_in_file = sorted(n for n in stored - names if n and not _automatic_name(n, model))
    only_in_model = sorted(n for n in names - stored if not _automatic_name(n, model))
    if only_in_file and only_in_model:
        raise ModelFileError(f"{path}: saved from another network: its layers {only_in_file} "
                             f"are not in model '{model.name}', whose layers {only_in_model} "
                             "are not in the file")
