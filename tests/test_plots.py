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


BUILDERS = ["build_slides_lenet5", "build_maxpool_lenet", "build_classic_lenet5", "build_tf_lenet",
            "build_paper_lenet5", "build_digit_check", "LeNet.build"]


@pytest.mark.parametrize("builder", BUILDERS)
def test_the_architecture_figure_is_drawn_from_the_model_itself(builder):
    """One row per layer plus the input, each naming the layer and its output shape as Keras
    computes it; the parameters of the rows add up to the model's."""
    from lenet_lib import models

    model = (models.LeNet.build(num_channels=1, img_rows=28, img_cols=28, num_classes=10)
             if builder == "LeNet.build" else getattr(models, builder)())
    rows = plots.describe_layers(model)
    assert [row["name"] for row in rows] == ["input"] + [layer.name for layer in model.layers]
    for row, layer in zip(rows[1:], model.layers):
        shape = [int(d) for d in layer.output.shape[1:]]
        expected = f"{shape[2]}@{shape[0]}×{shape[1]}" if len(shape) == 3 else f"{shape[0]} values"
        assert row["shape"] == expected, (layer.name, row)
    assert sum(int(row["parameters"].replace(",", "") or 0) for row in rows) == model.count_params()
    changed = [model.layers[0].name]
    fig = plots.show_architecture(model, title=model.name, changed=changed)
    texts = [text.get_text() for text in fig.axes[0].texts]
    for row in rows:
        assert any(text.startswith(f"{row['name']}:  {row['shape']}") for text in texts), row
    assert sum("(changed)" in text for text in texts) == 1
    small = min(text.get_fontsize() for text in fig.axes[0].texts)
    width_px = fig.get_figwidth() * 100
    assert small * 100 / 72 * 390 / width_px >= 9, "text under 9 px on a 390-px phone screen"


def test_the_architecture_figure_marks_what_differs_from_another_model():
    from lenet_lib import models

    import random

    variant = models.build_slides_lenet5(pooling="max")
    before = random.getstate()
    fig = plots.show_architecture(variant, compared_with=models.build_slides_lenet5)
    assert random.getstate() == before  # later models of a chapter start from the same weights
    changed = [text.get_text().split(":")[0] for text in fig.axes[0].texts if "(changed)" in text.get_text()]
    assert changed == ["S2", "S4"]
    fig = plots.show_architecture(models.build_slides_lenet5(), compared_with=models.build_slides_lenet5)
    assert not any("(changed)" in text.get_text() for text in fig.axes[0].texts)


def test_the_architecture_figure_refuses_an_unknown_layer():
    from lenet_lib import models

    with pytest.raises(ValueError, match="no layer named C9"):
        plots.show_architecture(models.build_slides_lenet5(), changed=["C9"])


def test_activation_panels_draw_each_function_over_its_range():
    fig = plots.show_activations({"ReLU": lambda z: np.maximum(0, z), "tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z))})
    drawn = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in drawn] == ["ReLU", "tanh", "sigmoid"]
    x, y = drawn[0].lines[-1].get_data()
    assert x.min() == -5 and x.max() == 5 and np.array_equal(y, np.maximum(0, x))
    assert len(fig.axes) == 4 and not fig.axes[3].axison  # two to a row; the spare panel hidden


def test_the_chain_shows_each_value_and_its_gradient():
    fig = plots.show_chain([("w", 0.3), ("loss", 0.474)], [-0.755, 1.0])
    texts = [text.get_text() for text in fig.axes[0].texts]
    assert "w = 0.300" in texts and "loss = 0.474" in texts and "-0.755" in texts and "+1.000" in texts
    with pytest.raises(ValueError, match="2 steps but 1 gradients"):
        plots.show_chain([("w", 0.3), ("loss", 0.474)], [1.0])
