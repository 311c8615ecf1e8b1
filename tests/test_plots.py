"""The book's figures: drawn in the book's style, without touching the reader's settings."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lenet_lib import plots


@pytest.fixture
def reader_settings():
    """A reader's own matplotlib settings, different from the book's, restored afterwards."""
    with plt.rc_context({"font.size": 20, "figure.titlesize": 30, "figure.titleweight": "normal"}):
        yield dict(plt.rcParams)


def test_figures_use_the_book_style_and_leave_rcparams_alone(reader_settings):
    fig = plots.show_grids([np.eye(3), -np.eye(3)], ["a", "b"], title="Two grids")
    assert fig._suptitle.get_fontsize() == plots.BOOK_STYLE["figure.titlesize"]
    assert fig._suptitle.get_fontweight() == "bold"
    assert fig.axes[0].xaxis.label.get_fontsize() == plots.BOOK_STYLE["font.size"]
    assert dict(plt.rcParams) == reader_settings
    assert not plt.get_fignums()  # pyplot no longer tracks it: the cell shows it once


def test_every_figure_function_is_styled():
    figure_functions = [name for name in dir(plots) if name.startswith("show_")]
    assert len(figure_functions) >= 7
    for name in figure_functions:
        assert getattr(plots, name).__wrapped__, f"{name} is not drawn in the book's style"


def test_a_failing_figure_leaves_rcparams_alone(reader_settings):
    with pytest.raises(ValueError, match="columns"):
        plots.show_digits(np.zeros((2, 28, 28)), columns=0)
    assert dict(plt.rcParams) == reader_settings
