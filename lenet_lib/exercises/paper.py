"""Checks for the exercises of chapter 11, the paper's LeNet-5."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from lenet_lib.exercises import Feedback, check_number, verdict

#: S2: six 14x14 maps, each unit adding a 2x2 window of C1 (4 inputs) plus a bias.
_S2_MAPS, _S2_SIDE, _S2_WINDOW = 6, 14, 4


def check_s2_connections(answer: object) -> Feedback:
    """Exercise: how many connections does the subsampling layer S2 have?"""
    units = _S2_MAPS * _S2_SIDE * _S2_SIDE
    return check_number(
        answer, "a count of connections", units * (_S2_WINDOW + 1),
        "Each of the 6 × 14 × 14 units reads its 2×2 window and its bias.",
        [(units * _S2_WINDOW, "Close: every unit also has a bias, and the paper counts it as a connection."),
         (2 * _S2_MAPS, "That is S2's number of trainable parameters; connections are counted per unit."),
         (units, "That is the number of units; how many inputs (with the bias) does each one read?")],
        "Count the units (maps × height × width of S2), then the inputs of each unit, bias included.")


def _closest_pair(codes: np.ndarray) -> frozenset[int]:
    squared = ((codes[:, None, :] - codes[None, :, :]) ** 2).sum(axis=-1)
    np.fill_diagonal(squared, np.inf)
    first, second = np.unravel_index(int(squared.argmin()), squared.shape)
    return frozenset((int(first), int(second)))


def check_closest_codes(answer: object) -> Feedback:
    """Exercise: which two digits have the closest RBF codes?  Answer with two digits, e.g. (1, 7)."""
    from lenet_lib.layers import digit_codes

    if isinstance(answer, (str, bytes)) or not isinstance(answer, Iterable):
        return verdict(False, "", f"Answer with two digits, e.g. (1, 7), not {answer!r}.")
    digits = list(answer)
    if (len(digits) != 2 or any(isinstance(d, bool) or not isinstance(d, (int, np.integer)) for d in digits)
            or not all(0 <= d <= 9 for d in digits) or digits[0] == digits[1]):
        return verdict(False, "", f"Answer with two different digits from 0 to 9, e.g. (1, 7), not {answer!r}.")
    pair = frozenset(int(d) for d in digits)
    if pair == _closest_pair(digit_codes()):
        return verdict(True, "Their bitmaps share the most pixels, so their codes are the nearest.", "")
    return verdict(False, "", "Not the nearest pair: compute the squared distance between every "
                              "two rows of layers.digit_codes() and take the smallest.")
