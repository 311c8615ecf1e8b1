"""When a reader names a digit and when it says "not sure": one rule for the photo pipeline
and the *Draw a digit* page (whose JavaScript, ``_extra/lenet-draw/lenet.js``, repeats it).

A network trained on digits always answers with a digit: its ten probabilities add up to one,
whatever it is shown, and it is often sure of a star or a letter.  ``verdict`` names the digit
only when the drawing is large enough to be one, a second network, the *digit check*
(``models.build_digit_check``, trained by ``scripts/train_digit_check.py`` on digits and on
marks that are not digits), does not call it a mark, and the course network is sure enough of
its digit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

_ROOT = Path(__file__).resolve().parents[1]
#: The shipped digit check and the record of its training (threshold included).
CHECK_WEIGHTS = _ROOT / "data" / "digit_check.weights.h5"
CHECK_RECORD = _ROOT / "results" / "digit_check.json"

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
    reason: str  # "sure", "empty", "small", "not a digit", "doubtful"
    digit: int | None
    probability: float | None

    def __str__(self) -> str:
        """The sentence the *Draw a digit* page shows for this verdict (``page.js``, ``say``)."""
        fixed = {"empty": "Not sure: nothing is drawn yet.",
                 "small": "Not sure: this is too small to be a digit. Draw it bigger.",
                 "not a digit": "Not sure: this does not look like a digit."}
        if self.reason in fixed:
            return fixed[self.reason]
        named = f"{'an' if self.digit == 8 else 'a'} {self.digit} ({100 * self.probability:.1f} %)"
        return f"Not sure: perhaps {named}." if self.reason == "doubtful" else f"It is {named}."


def ink_box(ink: np.ndarray) -> tuple[int, int, int, int] | None:
    """(top, left, height, width) of the inked pixels (value > 0), or None when there are none."""
    rows, cols = np.flatnonzero(np.asarray(ink).max(axis=1) > 0), np.flatnonzero(np.asarray(ink).max(axis=0) > 0)
    if rows.size == 0:
        return None
    return int(rows[0]), int(cols[0]), int(rows[-1] - rows[0] + 1), int(cols[-1] - cols[0] + 1)


def probabilities(model, digit: np.ndarray) -> np.ndarray:
    """The network's outputs (the course network's ten probabilities) for one 28x28 MNIST-style image."""
    batch = np.asarray(digit, dtype=np.float32).reshape(1, 28, 28, 1)
    return np.asarray(model(batch, training=False))[0]


@dataclass(frozen=True)
class DigitCheck:
    """The digit check and the probability of "not a digit" above which it calls a drawing a mark
    (chosen by ``scripts/train_digit_check.py`` to leave 1 % of held-out MNIST digits unread)."""

    model: object
    threshold: float

    def not_a_digit(self, digit: np.ndarray) -> float:
        """The check's probability that the 28x28 image is not a digit."""
        return float(probabilities(self.model, digit)[0])

    @staticmethod
    @lru_cache(maxsize=1)
    def shipped() -> "DigitCheck":
        """The course's check (``data/digit_check.weights.h5``) with its recorded threshold."""
        from lenet_lib import models, saving  # keras is imported when a check is first needed

        record = json.loads(CHECK_RECORD.read_text())
        return DigitCheck(saving.load_weights(models.build_digit_check(), CHECK_WEIGHTS), float(record["threshold"]))


def verdict(model, digit: np.ndarray | None, *, drawn_box: tuple[int, int, int, int] | None = None,
            check: DigitCheck | None = None) -> Verdict:
    """Name the digit, or say why not.  ``digit`` is the 28x28 image the network reads (None:
    nothing drawn); ``drawn_box`` is ``ink_box`` of the page's canvas, for the size check;
    ``check`` the digit check (default: the shipped one)."""
    if digit is None:
        return Verdict(False, "empty", None, None)
    p = probabilities(model, digit)
    best = int(np.argmax(p))
    if drawn_box is not None and max(drawn_box[2:]) < SMALLEST_SIDE:
        return Verdict(False, "small", best, float(p[best]))
    check = DigitCheck.shipped() if check is None else check
    if check.not_a_digit(digit) > check.threshold:
        return Verdict(False, "not a digit", best, float(p[best]))
    if p[best] < LOWEST_PROBABILITY:
        return Verdict(False, "doubtful", best, float(p[best]))
    return Verdict(True, "sure", best, float(p[best]))
