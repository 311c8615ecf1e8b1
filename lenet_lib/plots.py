"""Every figure of the book, drawn one way: same fonts, colours and grey maps.

Each function returns a ``matplotlib.figure.Figure`` that pyplot no longer
tracks, so a notebook cell shows it exactly once (as the cell's result).  The
style (``BOOK_STYLE``) applies inside each function only; importing the module
changes no global setting.
"""

from __future__ import annotations

import functools
import random
import textwrap
from typing import Callable, Sequence, TypeVar

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

#: Digits, light on dark as in MNIST, everywhere in the book.
DIGIT_CMAP = "gray"
#: Signed values (the X pattern, kernels, feature maps): blue negative, red positive.
SIGNED_CMAP = "RdBu_r"
#: Train and validation curves.
TRAIN_COLOR, VALIDATION_COLOR = "#1f77b4", "#d62728"

#: The book's fonts and sizes, applied inside each figure function (``plt.rc_context``)
#: so that importing this module leaves the reader's own ``plt.rcParams`` alone.
BOOK_STYLE = {
    "figure.dpi": 100,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "figure.titlesize": 12,
    "figure.titleweight": "bold",
}

_Draw = TypeVar("_Draw", bound=Callable[..., Figure])


def _book_style(draw: _Draw) -> _Draw:
    """Draw the figure in the book's style without changing the global rcParams."""

    @functools.wraps(draw)
    def styled(*args, **kwargs):
        with plt.rc_context(BOOK_STYLE):
            return draw(*args, **kwargs)

    return styled  # type: ignore[return-value]


def _finish(fig: Figure, title: str | None) -> Figure:
    if title:  # wrapped to the figure's width: a wider title would shrink the whole figure on a phone
        fig.suptitle(textwrap.fill(title, max(24, int(10 * fig.get_figwidth()))))
    plt.close(fig)  # the notebook displays the returned figure; pyplot must not show it again
    return fig


@_book_style
def show_grids(grids: Sequence[np.ndarray], titles: Sequence[str], *,
               title: str | None = None, fmt: str | Sequence[str] = "{:.2f}",
               limit: float | None = None, columns: int | None = None) -> Figure:
    """Small matrices as colour images with their values written in, ``columns`` per row
    (default: all in one row).

    ``fmt`` is one format for all grids or one per grid.  Colours are symmetric
    around zero (``limit`` sets the range, default the largest absolute value over all
    grids) so that +1 and -1 look equally strong, in every row alike.
    """
    grids = [np.asarray(g, dtype=float) for g in grids]
    formats = [fmt] * len(grids) if isinstance(fmt, str) else list(fmt)
    limit = limit or max(float(np.abs(g).max()) for g in grids) or 1.0
    columns = min(columns or len(grids), len(grids))
    rows = int(np.ceil(len(grids) / columns))
    # a panel is as wide as its widest grid, or as its title needs (about 0.3 grid columns a letter)
    widths = [max(max(g.shape[1] for g in grids[c::columns]), 0.26 * max(len(t) for t in titles[c::columns]))
              for c in range(columns)]
    heights = [max(g.shape[0] for g in grids[r * columns:(r + 1) * columns]) for r in range(rows)]
    fig, axes = plt.subplots(rows, columns, squeeze=False, layout="constrained",
                             figsize=(0.4 * sum(widths) + 0.45 * columns, sum(0.42 * h + 1.1 for h in heights)),
                             gridspec_kw={"width_ratios": widths, "height_ratios": [0.42 * h + 1.1 for h in heights]})
    for index, ax in enumerate(axes.ravel()):
        if index >= len(grids):
            ax.axis("off")
            continue
        grid, name, cell_format = grids[index], titles[index], formats[index]
        ax.imshow(grid, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
        for (row, col), value in np.ndenumerate(grid):
            ax.text(col, row, cell_format.format(value), ha="center", va="center", fontsize=9,
                    color="white" if abs(value) > 0.6 * limit else "black")
        ax.set_title(f"{name}\n{grid.shape[0]}×{grid.shape[1]}")
        ax.set_xticks(range(grid.shape[1]))
        ax.set_yticks(range(grid.shape[0]))
        ax.tick_params(labelsize=9, length=0)
        if index // columns == rows - 1 or index + columns >= len(grids):
            ax.set_xlabel("column")
        if index % columns == 0:
            ax.set_ylabel("row")
    return _finish(fig, title)


@_book_style
def show_connection_table(table: Sequence[Sequence[int]], n_inputs: int, *,
                          title: str | None = None) -> Figure:
    """A connection table as a grid: row = input map, column = output map, X = connected.

    Drawn the way Table I of LeCun et al. (1998) is printed.
    """
    grid = np.zeros((n_inputs, len(table)))
    for out_map, inputs in enumerate(table):
        grid[list(inputs), out_map] = 1
    # large type in small cells: shrunk to a phone's width, a 16-column table keeps about 9-px text
    fig, ax = plt.subplots(layout="constrained", figsize=(0.4 * len(table) + 0.9, 0.4 * n_inputs + 1.1))
    ax.imshow(grid, cmap="Greys", vmin=0, vmax=2.8)  # a light grey behind each black X
    for (row, col), value in np.ndenumerate(grid):
        if value:
            ax.text(col, row, "X", ha="center", va="center", fontsize=14, fontweight="bold")
    ax.set_xticks(range(len(table)))
    ax.set_yticks(range(n_inputs))
    ax.set_xlabel("output map", fontsize=13)
    ax.set_ylabel("input map", fontsize=13)
    ax.tick_params(length=0, labelsize=13)
    return _finish(fig, title)


def _image_cells(count: int, columns: int, cell_width: float, cell_height: float):
    """A figure of ``count`` image cells, ``columns`` per row, without ticks; spare cells hidden."""
    columns = max(1, min(columns, count))
    rows = int(np.ceil(count / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(cell_width * columns, cell_height * rows + 0.3),
                             squeeze=False, layout="constrained")
    cells = []
    for index, ax in enumerate(axes.ravel()):
        ax.set_xticks([])
        ax.set_yticks([])
        if index < count:
            cells.append(ax)
        else:
            ax.axis("off")
    return fig, cells


def _caption(ax, text: str, *, wrong: bool = False, fontsize: int = 8) -> None:
    """A cell's title, and a red frame when it shows a mistake."""
    ax.set_title(text, fontsize=fontsize, fontweight="normal", color=VALIDATION_COLOR if wrong else "black")
    for spine in ax.spines.values():
        spine.set_color(VALIDATION_COLOR if wrong else "#888888")  # a frame even white ink cannot hide
        spine.set_linewidth(2.5 if wrong else 1.0)


@_book_style
def show_digits(images: np.ndarray, titles: Sequence[str] | None = None, *, columns: int = 10,
                title: str | None = None, wrong: Sequence[bool] | None = None) -> Figure:
    """A grid of digits in the book's grey map; ``wrong`` outlines mistakes in red."""
    if columns < 1:
        raise ValueError(f"columns must be at least 1, not {columns}")
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    fig, cells = _image_cells(len(images), columns, 1.15, 1.35)
    for index, ax in enumerate(cells):
        ax.imshow(images[index], cmap=DIGIT_CMAP)
        _caption(ax, titles[index] if titles is not None else "",
                 wrong=bool(wrong[index]) if wrong is not None else False)
    return _finish(fig, title)


@_book_style
def show_history(history: dict[str, list[float]], *, title: str | None = None,
                 validation_name: str = "validation") -> Figure:
    """Loss and accuracy per epoch, training against validation."""
    fig, (loss_ax, accuracy_ax) = plt.subplots(1, 2, figsize=(7, 3.2), layout="constrained")
    epochs = np.arange(1, len(history["loss"]) + 1)
    for ax, key, label in [(loss_ax, "loss", "loss"), (accuracy_ax, "accuracy", "accuracy")]:
        ax.plot(epochs, history[key], "o-", color=TRAIN_COLOR, markersize=3, label="training")
        if f"val_{key}" in history:
            ax.plot(epochs, history[f"val_{key}"], "o-", color=VALIDATION_COLOR, markersize=3,
                    label=validation_name)
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(label)
        ax.set_title(label.capitalize())
        ax.grid(alpha=0.3)
        ax.legend()
    return _finish(fig, title)


@_book_style
def show_confusion(counts: np.ndarray, *, title: str | None = None) -> Figure:
    """A confusion matrix with counts; the diagonal is in grey so that mistakes stand out."""
    counts = np.asarray(counts)
    mistakes = counts.astype(float).copy()
    np.fill_diagonal(mistakes, np.nan)
    fig, ax = plt.subplots(layout="constrained", figsize=(5.0, 4.4))  # 10-pt counts stay 9 px on a phone
    image = ax.imshow(mistakes, cmap="Reds", vmin=0, vmax=max(np.nanmax(mistakes), 1))
    ax.imshow(np.where(np.eye(len(counts)), 1.0, np.nan), cmap="Greys", vmin=0, vmax=4)
    for (row, col), value in np.ndenumerate(counts):
        strong = row != col and value > 0.6 * np.nanmax(mistakes)
        ax.text(col, row, str(value), ha="center", va="center", fontsize=10 if value < 1000 else 8,
                color="white" if strong else "black")
    ax.set_xticks(range(len(counts)))
    ax.set_yticks(range(len(counts)))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    fig.colorbar(image, ax=ax, label="mistakes", shrink=0.8)
    return _finish(fig, title)


@_book_style
def show_probabilities(images: np.ndarray, probabilities: np.ndarray, labels: np.ndarray, *,
                       columns: int = 8, title: str | None = None) -> Figure:
    """Each digit above a bar chart of its ten class probabilities: the true class in blue, on a
    pale blue band and named below its bar (a confident mistake leaves that bar too short to
    see), the network's answer in its own colour and named too; ``columns`` digits per row, so
    a long list wraps instead of growing wide."""
    count = len(images)
    rows = max(1, int(np.ceil(count / columns)))
    columns = min(columns, max(count, 1))
    fig, axes = plt.subplots(2 * rows, columns, figsize=(1.3 * columns, 3.0 * rows + 0.3),
                             squeeze=False, layout="constrained",
                             gridspec_kw={"height_ratios": [1.2, 1] * rows})
    for index in range(rows * columns):
        top, bottom = axes[2 * (index // columns)][index % columns], axes[2 * (index // columns) + 1][index % columns]
        if index >= count:
            top.axis("off")
            bottom.axis("off")
            continue
        image, probs, label = images[index], probabilities[index], labels[index]
        top.imshow(np.asarray(image).squeeze(), cmap=DIGIT_CMAP)
        top.set_xticks([])
        top.set_yticks([])
        guess = int(np.argmax(probs))
        top.set_title(f"true {label}\nsaid {guess} ({probs[guess]:.0%})", fontsize=9,
                      fontweight="normal", color=VALIDATION_COLOR if guess != label else "black")
        colours = [TRAIN_COLOR if digit == label else VALIDATION_COLOR if digit == guess else "#999999"
                   for digit in range(len(probs))]
        bottom.axvspan(label - 0.5, label + 0.5, color=TRAIN_COLOR, alpha=0.15, linewidth=0)  # where the true bar is
        bottom.bar(range(len(probs)), probs, color=colours)
        bottom.set_ylim(0, 1.22)  # room above a full bar for the answer's name
        bottom.set_yticks([0, 0.5, 1])
        bottom.set_xlim(-0.5, len(probs) - 0.5)
        bottom.set_xticks([label])
        bottom.set_xticklabels([f"▲{label}"], color=TRAIN_COLOR, fontweight="bold")
        if guess != label:  # the answer named on top of its bar, where it never meets the true label
            bottom.text(guess, probs[guess] + 0.02, str(guess), ha="center", va="bottom",
                        fontsize=9, fontweight="bold", color=VALIDATION_COLOR)
        bottom.tick_params(labelsize=9, length=0, pad=2)
        if index % columns:
            bottom.set_yticks([])
        else:
            bottom.set_ylabel("probability")
    return _finish(fig, title)


@_book_style
def show_steps(steps: dict[str, np.ndarray], *, title: str | None = None,
               columns: int | None = None) -> Figure:
    """Each stage of the photo pipeline as a small image, in order, titled by its number, name
    and size, ``columns`` per row (default: all in one row)."""
    names, images = list(steps), list(steps.values())
    fig, cells = _image_cells(len(images), columns or len(images), 1.9, 2.3)
    for index, ax in enumerate(cells):
        ax.imshow(images[index], cmap=DIGIT_CMAP)
        ax.set_title(f"{index + 1}. {names[index]}\n{images[index].shape[1]}×{images[index].shape[0]}",
                     fontsize=8, fontweight="normal")
    return _finish(fig, title)


@_book_style
def show_photos(images: Sequence[np.ndarray], titles: Sequence[str], *, columns: int = 7,
                wrong: Sequence[bool] | None = None, title: str | None = None) -> Figure:
    """Photos of any sizes as they are (grey, aspect kept), ``columns`` per row; ``wrong``
    frames mistakes in red."""
    fig, cells = _image_cells(len(images), columns, 1.0, 1.25)
    for index, ax in enumerate(cells):
        ax.imshow(images[index], cmap="gray", vmin=0, vmax=255)
        _caption(ax, titles[index], wrong=bool(wrong[index]) if wrong is not None else False, fontsize=7)
    return _finish(fig, title)


@_book_style
def show_digit_sets(rows: dict[str, Sequence[np.ndarray]], *, title: str | None = None) -> Figure:
    """One row of digits per set, named on the left; each image at its own size (ink light on
    black, values in [0, 1]), so that sets of different resolution can be compared at a glance."""
    if not rows or any(len(images) == 0 for images in rows.values()):
        raise ValueError("show_digit_sets needs at least one set, each with at least one image")
    columns = max(len(images) for images in rows.values())
    fig, axes = plt.subplots(len(rows), columns, figsize=(1.05 * columns + 0.9, 1.1 * len(rows) + 0.3),
                             squeeze=False, layout="constrained")
    for row_axes, (name, images) in zip(axes, rows.items()):
        for index, ax in enumerate(row_axes):
            ax.set_xticks([])
            ax.set_yticks([])
            if index < len(images):
                ax.imshow(np.asarray(images[index]), cmap=DIGIT_CMAP, vmin=0, vmax=1)
            else:
                ax.axis("off")
        row_axes[0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=9)
    return _finish(fig, title)


@_book_style
def show_padding(digit: np.ndarray, pad: int, *, title: str | None = None) -> Figure:
    """A digit before and after zero padding, the added border tinted so it shows against black."""
    from matplotlib.patches import Rectangle

    digit = np.asarray(digit, dtype=float)
    digit = digit / max(digit.max(), 1e-9)
    padded = np.pad(digit, pad)
    fig, axes = plt.subplots(1, 2, figsize=(5.2, 2.9), layout="constrained",
                             gridspec_kw={"width_ratios": [digit.shape[1], padded.shape[1]]})
    axes[0].imshow(digit, cmap=DIGIT_CMAP, vmin=0, vmax=1)
    axes[0].set_title(f"{digit.shape[1]}×{digit.shape[0]}", fontsize=9, fontweight="normal")
    axes[1].imshow(padded, cmap=DIGIT_CMAP, vmin=0, vmax=1)
    border = np.zeros(padded.shape + (4,))
    border[..., 2] = 1.0
    border[..., 3] = 0.45
    border[pad:-pad, pad:-pad, 3] = 0
    axes[1].imshow(border)
    axes[1].add_patch(Rectangle((pad - 0.5, pad - 0.5), digit.shape[1], digit.shape[0], fill=False,
                                edgecolor=VALIDATION_COLOR, linestyle="--", linewidth=1.2))
    axes[1].set_title(f"{padded.shape[1]}×{padded.shape[0]}: {pad}-pixel border (blue)", fontsize=9,
                      fontweight="normal")
    for ax, size in ((axes[0], digit.shape[0]), (axes[1], padded.shape[0])):
        ax.set_xticks([0, size - 1])
        ax.set_yticks([0, size - 1])
        ax.tick_params(labelsize=7)
    return _finish(fig, title)


@_book_style
def show_results(published, reproduced, seconds_per_epoch, *, title: str | None = None) -> Figure:
    """Per network (pandas Series sharing one index): published against reproduced test accuracy
    (left; no bar where nothing was published) and seconds per epoch (right), stacked for a narrow page."""
    names = list(reproduced.index)
    positions = np.arange(len(names))
    fig, (accuracy_ax, time_ax) = plt.subplots(2, 1, figsize=(4.6, 6.2), layout="constrained",
                                               gridspec_kw={"height_ratios": [1.3, 1]})
    height = 0.38
    published_values = np.array([np.nan if published[n] is None else float(published[n]) for n in names])
    accuracy_ax.barh(positions - height / 2, 100 * published_values, height, color="#999999",
                     label="published")
    accuracy_ax.barh(positions + height / 2, 100 * np.asarray(reproduced, dtype=float), height,
                     color=TRAIN_COLOR, label="this run")
    for y, value in zip(positions, np.asarray(reproduced, dtype=float)):
        accuracy_ax.text(100 * value, y + height / 2, f" {value:.2%}", va="center", fontsize=9)
    shown = 100 * np.concatenate([np.asarray(reproduced, dtype=float), published_values])
    low = np.floor(np.nanmin(shown) - 0.5)  # bars start near the values, so differences show
    high = np.nanmax(shown) + 0.15 * (np.nanmax(shown) - low) + 0.3
    for y, value in zip(positions, published_values):
        if np.isnan(value):
            accuracy_ax.text(low, y - height / 2, " none published", va="center", fontsize=9, color="#666666")
        else:
            accuracy_ax.text(100 * value, y - height / 2, f" {value:.2%}", va="center", fontsize=9,
                             color="#666666")
    accuracy_ax.set_xlim(low, high)
    accuracy_ax.xaxis.set_major_locator(MaxNLocator(5))
    accuracy_ax.set_xlabel(f"test accuracy (%): the axis starts at {low:.0f} %, not 0")
    accuracy_ax.set_title("Test accuracy: published (grey), this run (blue)")
    time_ax.barh(positions, np.asarray(seconds_per_epoch, dtype=float), 0.6, color=VALIDATION_COLOR)
    for y, value in zip(positions, np.asarray(seconds_per_epoch, dtype=float)):
        time_ax.text(value, y, f" {value:.1f} s", va="center", fontsize=9)
    time_ax.set_xlabel("seconds per epoch (median)")
    time_ax.set_title("Cost of one epoch")
    time_ax.set_xlim(0, 1.25 * float(np.nanmax(np.asarray(seconds_per_epoch, dtype=float))))
    for ax in (accuracy_ax, time_ax):  # 4.6 inches wide, 9-point text: about 9 px on a phone
        ax.set_yticks(positions)
        ax.set_yticklabels([textwrap.fill(name, 14) for name in names])
        ax.tick_params(labelsize=9)
        ax.title.set_fontsize(10)
        ax.xaxis.label.set_fontsize(9)
        ax.invert_yaxis()
        ax.grid(axis="x", alpha=0.3)
    return _finish(fig, title)


def describe_layers(model) -> list[dict[str, str]]:
    """One row per layer of a built Keras model, input first: ``name``, ``what`` (kind, window,
    activation), ``shape`` (maps@height×width, or a count of values) and ``parameters``."""

    def shape_text(shape) -> str:
        dims = [int(d) for d in shape[1:]]
        return f"{dims[2]}@{dims[0]}×{dims[1]}" if len(dims) == 3 else "×".join(map(str, dims)) + " values"

    def activation(layer) -> str:
        function = getattr(layer, "activation", None)
        name = getattr(function, "__name__", "") if function is not None else ""
        return {"linear": "", "scaled_tanh": "scaled tanh"}.get(name, name)

    def what(layer) -> str:
        kind = type(layer).__name__
        window = getattr(layer, "kernel_size", None) or getattr(layer, "pool_size", None)
        window = (window, window) if isinstance(window, int) else window
        size = f" {window[0]}×{window[1]}" if window is not None else ""
        words = {"Conv2D": "convolution", "PartialConv2D": "partial convolution",
                 "MaxPooling2D": "max pooling", "AveragePooling2D": "average pooling",
                 "Subsampling": "trainable subsampling", "Flatten": "flatten", "Dense": "fully connected",
                 "EuclideanRBF": "Euclidean RBF units, fixed codes", "Activation": "activation only"}.get(kind, kind)
        return ", ".join(part for part in (words + size, activation(layer)) if part)

    rows = [{"name": "input", "what": "a digit's pixels", "shape": shape_text(model.inputs[0].shape),
             "parameters": ""}]
    for layer in model.layers:
        rows.append({"name": layer.name, "what": what(layer), "shape": shape_text(layer.output.shape),
                     "parameters": f"{layer.count_params():,}" if layer.count_params() else ""})
    return rows


@_book_style
def show_architecture(model, *, title: str | None = None, changed: Sequence[str] = (),
                      compared_with=None) -> Figure:
    """The model's layers from input (top) to output (bottom), one row each: a stack of squares
    for maps (up to six drawn, side in proportion to the map's size) or a bar for a vector, then
    the layer's name, kind and output shape.  Layers named in ``changed`` are drawn in orange:
    what a chapter's variant does differently; with ``compared_with`` (another model's builder,
    called with no arguments), every layer whose kind, activation or shape differs from the
    same-named layer there, or that it lacks, counts as changed.  Drawn tall and narrow, so it
    stays legible on a phone."""
    rows = describe_layers(model)
    if compared_with is not None:
        # Keras draws each unseeded initializer's seed from Python's `random`: building the
        # comparison must not change the weights of the models a chapter builds after the figure.
        state = random.getstate()
        try:
            reference_model = compared_with()
        finally:
            random.setstate(state)
        reference = {row["name"]: (row["what"], row["shape"]) for row in describe_layers(reference_model)}
        changed = list(changed) + [row["name"] for row in rows
                                   if reference.get(row["name"]) != (row["what"], row["shape"])]
    unknown = set(changed) - {row["name"] for row in rows}
    if unknown:
        raise ValueError(f"no layer named {', '.join(sorted(unknown))} in {model.name}")
    fig, ax = plt.subplots(figsize=(4.4, 0.82 * len(rows) + 0.3), layout="constrained")
    ax.set_xlim(0, 10)
    ax.set_ylim(len(rows) - 0.4, -0.6)
    ax.axis("off")
    largest = max(int(model.inputs[0].shape[1]), 1)
    for y, (row, layer) in enumerate(zip(rows, [None] + list(model.layers))):
        colour = "#e07b00" if row["name"] in changed else "#1f4e79"
        shape = (model.inputs[0] if layer is None else layer.output).shape
        if len(shape) == 4:  # maps: a stack of up to six squares
            side = 0.25 + 0.5 * int(shape[1]) / largest
            count = min(int(shape[3]), 6)
            for k in reversed(range(count)):
                ax.add_patch(plt.Rectangle((0.2 + 0.12 * k, y - side / 2 + 0.05 * k - 0.1), side * 1.9, side,
                                           facecolor="white", edgecolor=colour, linewidth=1.2))
        else:  # a vector: a bar whose length grows with the number of values
            length = 0.4 + 0.35 * np.log10(max(int(np.prod(shape[1:])), 1))
            ax.add_patch(plt.Rectangle((0.2, y - 0.08), length, 0.16, facecolor=colour, edgecolor=colour))
        ax.text(2.5, y - 0.22, f"{row['name']}:  {row['shape']}" + ("  (changed)" if row["name"] in changed else ""),
                fontsize=11, va="center", color=colour, fontweight="bold")
        ax.text(2.5, y + 0.06, row["what"], fontsize=11, color="#333333", va="center")
        if row["parameters"]:
            ax.text(2.5, y + 0.32, f"{row['parameters']} parameters", fontsize=11, color="#333333", va="center")
        if y:
            ax.annotate("", xy=(0.9, y - 0.33), xytext=(0.9, y - 0.67),
                        arrowprops={"arrowstyle": "->", "color": "#777777"})
    return _finish(fig, title)


@_book_style
def show_activations(functions: dict[str, Callable[[np.ndarray], np.ndarray]], *, low: float = -5.0,
                     high: float = 5.0, title: str | None = None) -> Figure:
    """Each activation function on its own small panel over [low, high], stacked two to a row so
    that the curves stay readable on a phone."""
    x = np.linspace(low, high, 401)
    columns = min(2, len(functions))
    rows = -(-len(functions) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, 2.5 * rows), layout="constrained",
                             squeeze=False)
    for ax, (name, function) in zip(axes.flat, functions.items()):
        ax.axhline(0, color="#999999", linewidth=0.8)
        ax.axvline(0, color="#999999", linewidth=0.8)
        ax.plot(x, function(x), color=TRAIN_COLOR, linewidth=2)
        ax.set_title(name)
        ax.set_xlabel("input z")
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(functions):]:
        ax.axis("off")
    return _finish(fig, title)


@_book_style
def show_chain(steps: Sequence[tuple[str, float]], gradients: Sequence[float], *,
               title: str | None = None) -> Figure:
    """Backpropagation in one picture: a chain of computations drawn top to bottom, each box with
    its value from the forward pass (left) and, beside it, the gradient of the loss with respect
    to it from the backward pass (right, in red), so the reader follows the numbers both ways."""
    if len(steps) != len(gradients):
        raise ValueError(f"{len(steps)} steps but {len(gradients)} gradients")
    fig, ax = plt.subplots(figsize=(5.0, 1.0 * len(steps) + 0.4), layout="constrained")
    ax.set_xlim(0, 10)
    ax.set_ylim(len(steps) - 0.4, -0.9)
    ax.axis("off")
    ax.text(2.4, -0.65, "forward: value", ha="center", fontsize=10, color=TRAIN_COLOR, fontweight="bold")
    ax.text(7.6, -0.65, "backward: ∂loss/∂·", ha="center", fontsize=10, color=VALIDATION_COLOR, fontweight="bold")
    for y, ((label, value), gradient) in enumerate(zip(steps, gradients)):
        ax.add_patch(plt.Rectangle((0.3, y - 0.3), 4.2, 0.6, facecolor="white", edgecolor=TRAIN_COLOR))
        ax.text(2.4, y, f"{label} = {value:.3f}", ha="center", va="center", fontsize=11)
        ax.text(7.6, y, f"{gradient:+.3f}", ha="center", va="center", fontsize=11, color=VALIDATION_COLOR)
        if y:
            ax.annotate("", xy=(1.6, y - 0.3), xytext=(1.6, y - 0.7),
                        arrowprops={"arrowstyle": "->", "color": TRAIN_COLOR})
            ax.annotate("", xy=(7.6, y - 0.7), xytext=(7.6, y - 0.3),
                        arrowprops={"arrowstyle": "->", "color": VALIDATION_COLOR})
    return _finish(fig, title)
