"""Every figure of the book, drawn one way: same fonts, colours and grey maps.

Each function returns a ``matplotlib.figure.Figure`` that pyplot no longer
tracks, so a notebook cell shows it exactly once (as the cell's result).
"""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

#: Digits, light on dark as in MNIST, everywhere in the book.
DIGIT_CMAP = "gray"
#: Signed values (the X pattern, kernels, feature maps): blue negative, red positive.
SIGNED_CMAP = "RdBu_r"
#: Train and validation curves.
TRAIN_COLOR, VALIDATION_COLOR = "#1f77b4", "#d62728"

plt.rcParams.update({
    "figure.dpi": 100,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "figure.titlesize": 12,
    "figure.titleweight": "bold",
})


def _finish(fig: Figure, title: str | None) -> Figure:
    if title:
        fig.suptitle(title)
    plt.close(fig)  # the notebook displays the returned figure; pyplot must not show it again
    return fig


def show_grids(grids: Sequence[np.ndarray], titles: Sequence[str], *,
               title: str | None = None, fmt: str | Sequence[str] = "{:.2f}",
               limit: float | None = None) -> Figure:
    """Small matrices side by side as colour images with their values written in.

    ``fmt`` is one format for all grids or one per grid.  Colours are symmetric
    around zero (``limit`` sets the range, default the largest absolute value)
    so that +1 and -1 look equally strong.
    """
    grids = [np.asarray(g, dtype=float) for g in grids]
    formats = [fmt] * len(grids) if isinstance(fmt, str) else list(fmt)
    limit = limit or max(float(np.abs(g).max()) for g in grids) or 1.0
    widths = [g.shape[1] for g in grids]
    fig, axes = plt.subplots(1, len(grids), figsize=(0.42 * sum(widths) + 0.6 * len(grids), 4.2),
                             layout="constrained",
                             gridspec_kw={"width_ratios": widths}, squeeze=False)
    for ax, grid, name, cell_format in zip(axes[0], grids, titles, formats):
        ax.imshow(grid, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
        for (row, col), value in np.ndenumerate(grid):
            ax.text(col, row, cell_format.format(value), ha="center", va="center", fontsize=7,
                    color="white" if abs(value) > 0.6 * limit else "black")
        ax.set_title(f"{name}\n{grid.shape[0]}×{grid.shape[1]}")
        ax.set_xticks(range(grid.shape[1]))
        ax.set_yticks(range(grid.shape[0]))
        ax.tick_params(labelsize=7, length=0)
        ax.set_xlabel("column")
    axes[0][0].set_ylabel("row")
    return _finish(fig, title)


def show_connection_table(table: Sequence[Sequence[int]], n_inputs: int, *,
                          title: str | None = None) -> Figure:
    """A connection table as a grid: row = input map, column = output map, X = connected.

    Drawn the way Table I of LeCun et al. (1998) is printed.
    """
    grid = np.zeros((n_inputs, len(table)))
    for out_map, inputs in enumerate(table):
        grid[list(inputs), out_map] = 1
    fig, ax = plt.subplots(layout="constrained", figsize=(0.4 * len(table) + 1.5, 0.4 * n_inputs + 1.2))
    ax.imshow(grid, cmap="Greys", vmin=0, vmax=1.6)
    for (row, col), value in np.ndenumerate(grid):
        if value:
            ax.text(col, row, "X", ha="center", va="center", fontsize=9, fontweight="bold")
    ax.set_xticks(range(len(table)))
    ax.set_yticks(range(n_inputs))
    ax.set_xlabel("output map")
    ax.set_ylabel("input map")
    ax.tick_params(length=0)
    return _finish(fig, title)


def show_digits(images: np.ndarray, titles: Sequence[str] | None = None, *, columns: int = 10,
                title: str | None = None, wrong: Sequence[bool] | None = None) -> Figure:
    """A grid of digits in the book's grey map; ``wrong`` outlines mistakes in red."""
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    rows = int(np.ceil(len(images) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(1.15 * columns, 1.35 * rows + 0.3),
                             squeeze=False, layout="constrained")
    for index, ax in enumerate(axes.ravel()):
        ax.set_xticks([])
        ax.set_yticks([])
        if index >= len(images):
            ax.axis("off")
            continue
        ax.imshow(images[index], cmap=DIGIT_CMAP)
        is_wrong = bool(wrong[index]) if wrong is not None else False
        if titles is not None:
            ax.set_title(titles[index], fontsize=8, fontweight="normal",
                         color=VALIDATION_COLOR if is_wrong else "black")
        for spine in ax.spines.values():
            spine.set_color(VALIDATION_COLOR if is_wrong else "#cccccc")
            spine.set_linewidth(2.5 if is_wrong else 0.8)
    return _finish(fig, title)


def show_history(history: dict[str, list[float]], *, title: str | None = None,
                 validation_name: str = "validation") -> Figure:
    """Loss and accuracy per epoch, training against validation."""
    fig, (loss_ax, accuracy_ax) = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
    epochs = np.arange(1, len(history["loss"]) + 1)
    for ax, key, label in [(loss_ax, "loss", "loss"), (accuracy_ax, "accuracy", "accuracy")]:
        ax.plot(epochs, history[key], "o-", color=TRAIN_COLOR, markersize=3, label="training")
        if f"val_{key}" in history:
            ax.plot(epochs, history[f"val_{key}"], "o-", color=VALIDATION_COLOR, markersize=3,
                    label=validation_name)
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.set_title(label.capitalize())
        ax.grid(alpha=0.3)
        ax.legend()
    return _finish(fig, title)


def show_confusion(counts: np.ndarray, *, title: str | None = None) -> Figure:
    """A confusion matrix with counts; the diagonal is in grey so that mistakes stand out."""
    counts = np.asarray(counts)
    mistakes = counts.astype(float).copy()
    np.fill_diagonal(mistakes, np.nan)
    fig, ax = plt.subplots(layout="constrained", figsize=(6.4, 5.6))
    image = ax.imshow(mistakes, cmap="Reds", vmin=0, vmax=max(np.nanmax(mistakes), 1))
    ax.imshow(np.where(np.eye(len(counts)), 1.0, np.nan), cmap="Greys", vmin=0, vmax=4)
    for (row, col), value in np.ndenumerate(counts):
        strong = row != col and value > 0.6 * np.nanmax(mistakes)
        ax.text(col, row, str(value), ha="center", va="center", fontsize=8,
                color="white" if strong else "black")
    ax.set_xticks(range(len(counts)))
    ax.set_yticks(range(len(counts)))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    fig.colorbar(image, ax=ax, label="mistakes", shrink=0.8)
    return _finish(fig, title)


def show_probabilities(images: np.ndarray, probabilities: np.ndarray, labels: np.ndarray, *,
                       title: str | None = None) -> Figure:
    """Each digit beside a bar chart of its ten class probabilities (true class in blue)."""
    fig, axes = plt.subplots(2, len(images), figsize=(1.6 * len(images), 3.6), squeeze=False,
                             layout="constrained",
                             gridspec_kw={"height_ratios": [1.2, 1]})
    for column, (image, probs, label) in enumerate(zip(images, probabilities, labels)):
        top, bottom = axes[0][column], axes[1][column]
        top.imshow(np.asarray(image).squeeze(), cmap=DIGIT_CMAP)
        top.set_xticks([])
        top.set_yticks([])
        guess = int(np.argmax(probs))
        top.set_title(f"true {label}\nsaid {guess} ({probs[guess]:.0%})", fontsize=8,
                      fontweight="normal", color=VALIDATION_COLOR if guess != label else "black")
        colours = [TRAIN_COLOR if digit == label else "#999999" for digit in range(len(probs))]
        bottom.bar(range(len(probs)), probs, color=colours)
        bottom.set_ylim(0, 1)
        bottom.set_xticks(range(len(probs)))
        bottom.tick_params(labelsize=6)
        if column:
            bottom.set_yticks([])
    axes[1][0].set_ylabel("probability")
    return _finish(fig, title)


def show_steps(steps: dict[str, np.ndarray], *, title: str | None = None) -> Figure:
    """Each stage of the photo pipeline as a small image, in order, titled by its name."""
    images = list(steps.values())
    fig, axes = plt.subplots(1, len(images), figsize=(1.9 * len(images), 2.4), squeeze=False,
                             layout="constrained")
    for ax, (name, image) in zip(axes[0], steps.items()):
        ax.imshow(image, cmap=DIGIT_CMAP)
        ax.set_title(f"{name}\n{image.shape[1]}×{image.shape[0]}", fontsize=8, fontweight="normal")
        ax.set_xticks([])
        ax.set_yticks([])
    return _finish(fig, title)
