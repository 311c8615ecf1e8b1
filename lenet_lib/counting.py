"""Count parameters and connections of a network from a plain layer list.

A layer list describes an architecture without any framework: the formulas
below give each layer's trainable parameters and its connections (the
multiply-adds one forward pass makes, bias included, as LeCun et al. 1998
count them), and the chapters check the parameter counts against Keras.

- convolution: (k*k*c_in + 1) * c_out parameters; every output pixel of a map
  makes k*k*c_in multiply-adds plus its bias, so connections = params * out_h * out_w;
  with a connection table, output map j reads only its listed input maps.
- pooling: no parameters; each output reads size*size inputs.  The paper's
  subsampling adds a trainable coefficient and bias per map (2 per map, +1
  connection per output).
- dense: (n_in + 1) * n_out, connections equal parameters.
- flatten, zero-padding, a separate activation: nothing to learn, no multiply-adds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Sequence, Union

from lenet_lib.convolution import keras_output_size

if TYPE_CHECKING:
    import pandas as pd

Shape = tuple[int, ...]

#: Table I of LeCun et al. (1998): the S2 maps each C3 map reads.
C3_TABLE: tuple[tuple[int, ...], ...] = (
    (0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5), (0, 4, 5), (0, 1, 5),
    (0, 1, 2, 3), (1, 2, 3, 4), (2, 3, 4, 5), (0, 3, 4, 5), (0, 1, 4, 5), (0, 1, 2, 5),
    (0, 1, 3, 4), (1, 2, 4, 5), (0, 2, 3, 5),
    (0, 1, 2, 3, 4, 5),
)


@dataclass(frozen=True)
class Conv:
    """A convolution: ``filters`` maps of ``kernel`` x ``kernel``.

    ``table[j]`` lists the input maps that output map j reads (all, if None).
    """
    name: str
    filters: int
    kernel: int
    stride: int = 1
    padding: Literal["valid", "same"] = "valid"
    table: tuple[tuple[int, ...], ...] | None = None


@dataclass(frozen=True)
class Pool:
    """Pooling over ``size`` x ``size`` windows: ``max``, ``average``, or the
    paper's ``subsample`` (sum x trainable coefficient + trainable bias per map)."""
    name: str
    size: int = 2
    stride: int | None = None
    kind: Literal["max", "average", "subsample"] = "max"
    padding: Literal["valid", "same"] = "valid"


@dataclass(frozen=True)
class ZeroPad:
    """Add ``pixels`` of zeros on every side (28x28 -> 32x32 with 2)."""
    name: str
    pixels: int


@dataclass(frozen=True)
class Activation:
    """A separate non-linearity layer: applied value by value, nothing to learn."""
    name: str


@dataclass(frozen=True)
class Flatten:
    """Reshape maps into one vector."""
    name: str


@dataclass(frozen=True)
class Dense:
    """A fully connected layer of ``units`` neurons, each with a bias."""
    name: str
    units: int


@dataclass(frozen=True)
class RBF:
    """The paper's output: one Euclidean radial-basis unit per class, fixed codes."""
    name: str
    units: int


Layer = Union[Conv, Pool, ZeroPad, Activation, Flatten, Dense, RBF]


@dataclass(frozen=True)
class LayerCount:
    """One row of a count table."""
    name: str
    output_shape: Shape
    params: int
    connections: int


def _size(shape: Shape) -> int:
    total = 1
    for n in shape:
        total *= n
    return total


def _spatial(shape: Shape, layer: Layer) -> tuple[int, int, int]:
    if len(shape) != 3:
        raise ValueError(f"{layer.name}: needs (height, width, maps) input, got {shape}")
    return shape  # type: ignore[return-value]


def count_layer(shape: Shape, layer: Layer) -> LayerCount:
    """Output shape, trainable parameters and connections of ``layer`` on input ``shape``."""
    if isinstance(layer, Conv):
        h, w, c_in = _spatial(shape, layer)
        table = layer.table or tuple(tuple(range(c_in)) for _ in range(layer.filters))
        if len(table) != layer.filters:
            raise ValueError(f"{layer.name}: table has {len(table)} rows for {layer.filters} filters")
        if any(not row or max(row) >= c_in or min(row) < 0 for row in table):
            raise ValueError(f"{layer.name}: table names input maps outside 0..{c_in - 1}")
        out = (keras_output_size(h, layer.kernel, layer.stride, layer.padding),
               keras_output_size(w, layer.kernel, layer.stride, layer.padding), layer.filters)
        params = sum(layer.kernel ** 2 * len(row) + 1 for row in table)
        return LayerCount(layer.name, out, params, params * out[0] * out[1])
    if isinstance(layer, Pool):
        h, w, c = _spatial(shape, layer)
        stride = layer.stride or layer.size
        out = (keras_output_size(h, layer.size, stride, layer.padding),
               keras_output_size(w, layer.size, stride, layer.padding), c)
        trainable = layer.kind == "subsample"
        per_output = layer.size ** 2 + (1 if trainable else 0)
        return LayerCount(layer.name, out, 2 * c if trainable else 0, per_output * _size(out))
    if isinstance(layer, ZeroPad):
        h, w, c = _spatial(shape, layer)
        return LayerCount(layer.name, (h + 2 * layer.pixels, w + 2 * layer.pixels, c), 0, 0)
    if isinstance(layer, Activation):
        return LayerCount(layer.name, tuple(shape), 0, 0)
    if isinstance(layer, Flatten):
        return LayerCount(layer.name, (_size(shape),), 0, 0)
    if isinstance(layer, Dense):
        params = (_size(shape) + 1) * layer.units
        return LayerCount(layer.name, (layer.units,), params, params)
    if isinstance(layer, RBF):
        return LayerCount(layer.name, (layer.units,), 0, _size(shape) * layer.units)
    raise TypeError(f"unknown layer {layer!r}")


def count_layers(input_shape: Shape, layers: Sequence[Layer]) -> list[LayerCount]:
    """Count every layer in order, feeding each one's output shape to the next."""
    rows, shape = [], tuple(input_shape)
    for layer in layers:
        row = count_layer(shape, layer)
        rows.append(row)
        shape = row.output_shape
    return rows


def count_table(input_shape: Shape, layers: Sequence[Layer]) -> "pd.DataFrame":
    """The counts as a pandas table with a total row, for display."""
    import pandas as pd

    rows = count_layers(input_shape, layers)
    table = pd.DataFrame(
        {"output shape": ["×".join(map(str, r.output_shape)) for r in rows],
         "parameters": [r.params for r in rows],
         "connections": [r.connections for r in rows]},
        index=pd.Index([r.name for r in rows], name="layer"))
    table.loc["total"] = ["", table["parameters"].sum(), table["connections"].sum()]
    return table


def keras_counts(model) -> list[tuple[str, Shape, int]]:
    """(layer name, output shape without the batch axis, count_params()) per Keras layer."""
    return [(layer.name, tuple(layer.output.shape[1:]), layer.count_params())
            for layer in model.layers]


def check_against_keras(input_shape: Shape, layers: Sequence[Layer], model) -> None:
    """Raise ``AssertionError`` unless ``model`` has the same layers, shapes and
    parameter counts as the layer list (compared in order, one to one)."""
    ours = count_layers(input_shape, layers)
    theirs = keras_counts(model)
    if len(ours) != len(theirs):
        raise AssertionError(f"{len(ours)} layers in the list, {len(theirs)} in the Keras model")
    for row, (name, shape, params) in zip(ours, theirs):
        if (row.output_shape, row.params) != (shape, params):
            raise AssertionError(
                f"{row.name} vs Keras {name}: ours {row.output_shape}, {row.params} params; "
                f"Keras {shape}, {params} params")


# ---------------------------------------------------------------------------
# The tutorials' architectures as layer lists: (input shape, layers).
# The Keras builds in ``lenet_lib.models`` are checked against these.

#: The slides' parameter table: 32x32 input, no padding.
SLIDES_TABLE = ((32, 32, 1), (
    Conv("C1", 6, 5), Pool("S2", kind="average"),
    Conv("C3", 16, 5), Pool("S4", kind="average"),
    Conv("C5", 120, 5), Dense("F6", 84), Dense("output", 10)))

#: The slides' Keras build: 28x28 input, C1 with "same" padding.
SLIDES_LENET5 = ((28, 28, 1), (
    Conv("C1", 6, 5, padding="same"), Pool("S2", kind="average"),
    Conv("C3", 16, 5), Pool("S4", kind="average"),
    Conv("C5", 120, 5), Flatten("flatten"), Dense("F6", 84), Dense("output", 10)))

#: The max-pooling LeNet of the Medium article.
MAXPOOL_LENET = ((28, 28, 1), (
    Conv("C1", 6, 5, padding="same"), Pool("S2"),
    Conv("C3", 16, 5), Pool("S4"),
    Flatten("flatten"), Dense("F5", 120), Dense("output", 10)))

#: The PyImageSearch LeNet: 20 and 50 filters, "same" padding, dense 500.
PYIMAGESEARCH_LENET = ((28, 28, 1), (
    Conv("conv1", 20, 5, padding="same"), Pool("pool1"),
    Conv("conv2", 50, 5, padding="same"), Pool("pool2"),
    Flatten("flatten"), Dense("fc1", 500), Dense("output", 10)))

#: The "classic LeNet-5" of the engmrk article on 28x28 inputs: the
#: slides' layers (tanh instead of sigmoid does not change any count).
CLASSIC_LENET5 = SLIDES_LENET5

#: "LeNet with TensorFlow": 32x32 (zero-padded) input, sigmoid after each pooling.
TF_LENET = ((32, 32, 1), (
    Conv("C1", 6, 5), Pool("S2", kind="average"), Activation("S2_sigmoid"),
    Conv("C3", 16, 5), Pool("S4", kind="average"), Activation("S4_sigmoid"),
    Conv("C5", 120, 5), Flatten("flatten"), Dense("F6", 84), Dense("output", 10)))

#: LeNet-5 as the 1998 paper builds it: trainable subsampling, C3's table, RBF output.
PAPER_LENET5 = ((32, 32, 1), (
    Conv("C1", 6, 5), Pool("S2", kind="subsample"),
    Conv("C3", 16, 5, table=C3_TABLE), Pool("S4", kind="subsample"),
    Conv("C5", 120, 5), Flatten("flatten"), Dense("F6", 84), RBF("output", 10)))
