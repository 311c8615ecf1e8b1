"""Self-checking exercises: a learner runs ``check_...(answer)`` and reads the verdict.

Each chapter's checks live in a module named after its topic (``exercises.convolution``,
``exercises.counting``, ...).  A check prints ``✓`` and a one-line confirmation when the
answer is right, or ``✗`` and a hint about what is wrong without giving the answer away,
and returns a ``Feedback`` that is true when the answer was right (so the tests, and a
curious reader, can use it) and that a notebook does not echo below the printed verdict.
"""

from __future__ import annotations

import math
import numbers
from typing import Callable, Sequence, Union

import numpy as np


class Feedback:
    """The outcome of a check: true when the answer was right.

    It compares equal to that bool, and shows nothing of its own in a notebook (the
    check has already printed its verdict), so a check can be a cell's last line.
    """

    def __init__(self, correct: bool):
        self.correct = bool(correct)

    def __bool__(self) -> bool:
        return self.correct

    def __eq__(self, other: object) -> bool:
        return self.correct == bool(other) if isinstance(other, (bool, Feedback)) else NotImplemented

    __hash__ = None  # mutable-looking value object: not meant as a dict key

    def __repr__(self) -> str:
        return f"Feedback(correct={self.correct})"

    def _ipython_display_(self) -> None:
        """Nothing to add below the printed verdict."""


def verdict(correct: bool, praise: str, hint: str) -> Feedback:
    """Print the feedback a learner sees and return it as a ``Feedback``."""
    print(f"✓ Correct. {praise}" if correct else f"✗ Not yet. {hint}")
    return Feedback(correct)


def as_number(answer: object, what: str) -> float | None:
    """``answer`` as a float, or ``None`` after telling the learner what was expected."""
    if isinstance(answer, bool) or not isinstance(answer, (numbers.Real, np.number)):
        print(f"✗ Not yet. Answer with a number ({what}), not {type(answer).__name__} {answer!r}.")
        return None
    if not math.isfinite(float(answer)):
        print(f"✗ Not yet. Answer with a finite number ({what}), not {float(answer)!r}.")
        return None
    return float(answer)


#: A typical wrong answer: the wrong value itself, or a test of the learner's value.
Slip = tuple[Union[float, Callable[[float], bool]], str]


def check_number(answer: object, what: str, right: float, praise: str, slips: Sequence[Slip],
                 otherwise: str, *, rel_tol: float = 0.0, abs_tol: float = 1e-9) -> Feedback:
    """The shape most checks share: read ``answer`` as a number (else say that ``what`` is
    expected), accept it when it is ``right`` within the tolerances, and otherwise give the
    hint of the first slip it matches, in order, or ``otherwise``."""
    value = as_number(answer, what)
    if value is None:
        return Feedback(False)

    def near(target: float) -> bool:
        return math.isclose(value, target, rel_tol=rel_tol, abs_tol=abs_tol)

    if near(right):
        return verdict(True, praise, "")
    for slip, hint in slips:
        if slip(value) if callable(slip) else near(slip):
            return verdict(False, "", hint)
    return verdict(False, "", otherwise)
