"""Self-checks for the chapter *LeNet by hand*: softmax, and why it subtracts the maximum."""

from __future__ import annotations

import numpy as np

from lenet_lib.exercises import Feedback, verdict

#: The scores of the softmax exercise.
SCORES = (2.0, 1.0, 0.0)
#: The same scores shifted by 1000: naive exponentials overflow.
LARGE_SCORES = tuple(score + 1000 for score in SCORES)
#: How close a probability must be (the learner may round to three decimals).
TOLERANCE = 0.002


def _reference(scores: tuple[float, ...]) -> np.ndarray:
    exponentials = np.exp(np.asarray(scores) - max(scores))
    return exponentials / exponentials.sum()


def _as_probabilities(answer: object, n: int) -> np.ndarray | None:
    """``answer`` as ``n`` floats, or ``None`` after saying what was expected."""
    try:
        values = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        print(f"✗ Not yet. Give {n} probabilities as a list of numbers, one per score.")
        return None
    if values.shape != (n,):
        print(f"✗ Not yet. Softmax gives one probability per score: {n} numbers, "
              f"not shape {values.shape}.")
        return None
    return values


def _judge(values: np.ndarray, scores: tuple[float, ...]) -> tuple[bool, str]:
    right = _reference(scores)
    if np.allclose(values, right, atol=TOLERANCE):
        return True, ""
    if np.isnan(values).any() or np.isinf(values).any():
        return False, ("nan or inf is what e^1002 does in floating point (it overflows); "
                       "softmax itself has a finite answer: what does adding the same number to "
                       "every score change?")
    if not np.isclose(values.sum(), 1, atol=3 * TOLERANCE):
        return False, "Probabilities add up to 1: divide each exponential by the sum of all of them."
    if np.allclose(values, np.asarray(scores) / sum(scores), atol=TOLERANCE):
        return False, "You divided the scores by their sum; softmax exponentiates each score first."
    if np.allclose(values, right[::-1], atol=TOLERANCE):
        return False, "The order is reversed: the largest score gets the largest probability."
    return False, "Compute e^score for each score, then divide each by their sum."


def check_softmax(answer: object) -> Feedback:
    """Exercise: softmax of ``SCORES``, to three decimals."""
    values = _as_probabilities(answer, len(SCORES))
    if values is None:
        return Feedback(False)
    correct, hint = _judge(values, SCORES)
    return verdict(correct, "The largest score takes most of the probability, but not all of it.",
                   hint)


def check_large_softmax(answer: object) -> Feedback:
    """Exercise: softmax of ``LARGE_SCORES`` (the same scores plus 1000)."""
    values = _as_probabilities(answer, len(LARGE_SCORES))
    if values is None:
        return Feedback(False)
    correct, hint = _judge(values, LARGE_SCORES)
    return verdict(correct, "Adding a constant to every score cancels in the ratio, so "
                            "subtracting the maximum changes nothing but the overflow.", hint)


__all__ = ["LARGE_SCORES", "SCORES", "check_large_softmax", "check_softmax"]
