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
    fig, axes = plt.subplots(1, len(grids), figsize=(0.42 * sum(widths) + 1.2 * len(grids), 4.2),
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
    fig.tight_layout()
    return _finish(fig, title)


def show_connection_table(table: Sequence[Sequence[int]], n_inputs: int, *,
                          title: str | None = None) -> Figure:
    """A connection table as a grid: row = input map, column = output map, X = connected.

    Drawn the way Table I of LeCun et al. (1998) is printed.
    """
    grid = np.zeros((n_inputs, len(table)))
    for out_map, inputs in enumerate(table):
        grid[list(inputs), out_map] = 1
    fig, ax = plt.subplots(figsize=(0.4 * len(table) + 1.5, 0.4 * n_inputs + 1.2))
    ax.imshow(grid, cmap="Greys", vmin=0, vmax=1.6)
    for (row, col), value in np.ndenumerate(grid):
        if value:
            ax.text(col, row, "X", ha="center", va="center", fontsize=9, fontweight="bold")
    ax.set_xticks(range(len(table)))
    ax.set_yticks(range(n_inputs))
    ax.set_xlabel("output map")
    ax.set_ylabel("input map")
    ax.tick_params(length=0)
    fig.tight_layout()
    return _finish(fig, title)
