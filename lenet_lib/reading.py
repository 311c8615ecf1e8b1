"""When a reader names a digit and when it says "not sure": one rule for the photo pipeline
and the *Draw a digit* page (whose JavaScript, ``_extra/lenet-draw/lenet.js``, repeats it).

A network trained on digits always answers with a digit: its ten probabilities add up to one,
whatever it is shown.  ``verdict`` names the digit only when the drawing is large enough to be
one and the network is sure enough of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: The page's canvas side, in pixels; a drawing whose ink fits in a square of
#: ``SMALLEST_SIDE`` of them (a seventh of the side) is a dot or a tick, too small for a digit.
CANVAS_SIDE, SMALLEST_SIDE = 280, 40
#: Below this probability the network gives the nine other digits together more weight
#: than its best one.
LOWEST_PROBABILITY = 0.5


@dataclass(frozen=True)
class Verdict:
    """What a reader says: ``sure`` and the ``digit``, or why not (``reason``)."""

    sure: bool
    reason: str  # "sure", "small", "doubtful", "empty"
    digit: int | None
    probability: float | None


def ink_box(ink: np.ndarray) -> tuple[int, int, int, int] | None:
    """(top, left, height, width) of the inked pixels (value > 0), or None when there are none."""
    rows, cols = np.flatnonzero(np.asarray(ink).max(axis=1) > 0), np.flatnonzero(np.asarray(ink).max(axis=0) > 0)
    if rows.size == 0:
        return None
    return int(rows[0]), int(cols[0]), int(rows[-1] - rows[0] + 1), int(cols[-1] - cols[0] + 1)


def probabilities(model, digit: np.ndarray) -> np.ndarray:
    """The network's ten probabilities for one 28x28 MNIST-style image."""
    batch = np.asarray(digit, dtype=np.float32).reshape(1, 28, 28, 1)
    return np.asarray(model(batch, training=False))[0]


def verdict(model, digit: np.ndarray | None, *, drawn_box: tuple[int, int, int, int] | None = None) -> Verdict:
    """Name the digit, or say why not.  ``digit`` is the 28x28 image the network reads (None:
    nothing drawn); ``drawn_box`` is ``ink_box`` of the page's canvas, for the size check."""
    if digit is None:
        return Verdict(False, "empty", None, None)
    p = probabilities(model, digit)
    best = int(np.argmax(p))
    if drawn_box is not None and max(drawn_box[2:]) < SMALLEST_SIDE:
        return Verdict(False, "small", best, float(p[best]))
    if p[best] < LOWEST_PROBABILITY:
        return Verdict(False, "doubtful", best, float(p[best]))
    return Verdict(True, "sure", best, float(p[best]))
