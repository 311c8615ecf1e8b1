"""Export a trained Keras LeNet for the book's in-browser page (``draw.md``, ``_extra/lenet-draw/``).

Format ``lenet-course/1`` (JSON): ``{"format", "input_shape", "layers": [...]}``,
one entry per Keras layer, in order:

- ``conv2d``: ``filters, kernel_size, strides, padding ("valid"|"same"), activation,
  kernel`` (flat, Keras' (k, k, c_in, c_out) order, C order), ``bias``;
- ``max_pooling2d`` / ``average_pooling2d``: ``pool_size, strides, padding``;
- ``flatten``;
- ``dense``: ``units, activation, kernel`` (flat, (n_in, units), C order), ``bias``.

With a digit check (``reading.DigitCheck``), the entry ``"check"`` holds the check network in
the same format and its ``"threshold"``: the page asks it the question the photo reader asks
(``reading.verdict``).

Activations: ``linear, relu, sigmoid, tanh, softmax``.  Numbers are the float32
weights written exactly (shortest round-trip decimal).  A ``.js`` file holds the
same JSON as ``window.LENET_MODEL = {...};`` so a page opened from disk can load it
with a plain ``<script>`` tag (browsers refuse ``fetch`` on ``file://``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keras
import numpy as np

FORMAT = "lenet-course/1"
ACTIVATIONS = {"linear", "relu", "sigmoid", "tanh", "softmax"}


def _floats(array) -> list[float]:
    return [float(v) for v in np.asarray(array, dtype=np.float32).ravel()]


def _activation(layer) -> str:
    name = getattr(layer.activation, "__name__", type(layer.activation).__name__)
    if name not in ACTIVATIONS:
        raise ValueError(f"layer {layer.name}: activation {name!r} is not supported by the page")
    return name


def _refuse(layer, what: str) -> None:
    raise ValueError(f"layer {layer.name}: {what} is not supported by the page")


def _check_layout(layer) -> None:
    """The page computes channels-last with square, undilated, ungrouped windows only."""
    if getattr(layer, "data_format", "channels_last") != "channels_last":
        _refuse(layer, f"data_format={layer.data_format!r} (only 'channels_last')")
    for attribute in ("kernel_size", "pool_size", "strides"):
        value = getattr(layer, attribute, None)
        if value is not None and len(set(value)) != 1:
            _refuse(layer, f"{attribute}={tuple(value)} (only square ones)")
    if tuple(getattr(layer, "dilation_rate", (1, 1))) != (1, 1):
        _refuse(layer, f"dilation_rate={tuple(layer.dilation_rate)} (only 1)")
    if getattr(layer, "groups", 1) != 1:
        _refuse(layer, f"groups={layer.groups} (only 1)")


def _kernel_and_bias(layer) -> tuple[list[float], list[float]]:
    """The layer's kernel and bias; a layer built with ``use_bias=False`` gets a bias of zeros."""
    kernel = layer.kernel.numpy()
    bias = layer.bias.numpy() if layer.use_bias else np.zeros(kernel.shape[-1], np.float32)
    return _floats(kernel), _floats(bias)


def describe(model: keras.Model) -> dict:
    """The model as a ``lenet-course/1`` dictionary; what the page cannot compute raises ``ValueError``."""
    entries = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D):
            if type(layer) is not keras.layers.Conv2D:  # e.g. Conv2DTranspose
                _refuse(layer, type(layer).__name__)
            _check_layout(layer)
            kernel, bias = _kernel_and_bias(layer)
            entries.append({"name": layer.name, "type": "conv2d", "filters": layer.filters,
                            "kernel_size": layer.kernel_size[0], "strides": layer.strides[0],
                            "padding": layer.padding, "activation": _activation(layer),
                            "kernel": kernel, "bias": bias})
        elif isinstance(layer, (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D)):
            _check_layout(layer)
            kind = "max_pooling2d" if isinstance(layer, keras.layers.MaxPooling2D) else "average_pooling2d"
            entries.append({"name": layer.name, "type": kind, "pool_size": layer.pool_size[0],
                            "strides": layer.strides[0], "padding": layer.padding})
        elif isinstance(layer, keras.layers.Flatten):
            _check_layout(layer)
            entries.append({"name": layer.name, "type": "flatten"})
        elif isinstance(layer, keras.layers.Dense):
            kernel, bias = _kernel_and_bias(layer)
            entries.append({"name": layer.name, "type": "dense", "units": layer.units,
                            "activation": _activation(layer), "kernel": kernel, "bias": bias})
        else:
            _refuse(layer, type(layer).__name__)
    return {"format": FORMAT, "name": model.name, "input_shape": list(model.input_shape[1:]),
            "layers": entries}


def export_model(model: keras.Model, path: str | os.PathLike, check=None) -> Path:
    """Write the model (and the digit check ``check``, a ``reading.DigitCheck``, if given) for the
    page: JSON, or a ``.js`` file defining ``window.LENET_MODEL``."""
    path = Path(path)
    described = describe(model)
    if check is not None:
        described["check"] = {**describe(check.model), "threshold": float(check.threshold)}
    text = json.dumps(described, separators=(",", ":"))
    if path.suffix == ".js":
        text = f"window.LENET_MODEL = {text};\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
