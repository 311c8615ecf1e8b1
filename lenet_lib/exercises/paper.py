"""Checks for the exercises of chapter 11, the paper's LeNet-5."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from lenet_lib.exercises import Feedback, Text, check_number, verdict

#: S2: six 14x14 maps, each unit adding a 2x2 window of C1 (4 inputs) plus a bias.
_S2_MAPS, _S2_SIDE, _S2_WINDOW = 6, 14, 4


def check_s2_connections(answer: object) -> Feedback:
    """Exercise: how many connections does the subsampling layer S2 have?"""
    units = _S2_MAPS * _S2_SIDE * _S2_SIDE
    return check_number(
        answer, Text("a count of connections", "连接数"), units * (_S2_WINDOW + 1),
        Text("Each of the 6 × 14 × 14 units reads its 2×2 window and its bias.",
             "6 × 14 × 14 个单元中，每一个都读取自己的 2×2 窗口和偏置。"),
        [(units * _S2_WINDOW, Text("Close: every unit also has a bias, and the paper counts it as a connection.",
                                   "很接近了：每个单元还有一个偏置，论文把它也算作一个连接。")),
         (2 * _S2_MAPS, Text("That is S2's number of trainable parameters; connections are counted per unit.",
                             "这是 S2 的可训练参数个数；连接数要按单元来数。")),
         (units, Text("That is the number of units; how many inputs (with the bias) does each one read?",
                      "这是单元的个数；每个单元要读取多少个输入（算上偏置）？"))],
        Text("Count the units (maps × height × width of S2), then the inputs of each unit, bias included.",
             "先数出单元的个数（S2 的特征图数 × 高 × 宽），再数每个单元的输入个数，偏置也算在内。"))


def _closest_pair(codes: np.ndarray) -> frozenset[int]:
    squared = ((codes[:, None, :] - codes[None, :, :]) ** 2).sum(axis=-1)
    np.fill_diagonal(squared, np.inf)
    first, second = np.unravel_index(int(squared.argmin()), squared.shape)
    return frozenset((int(first), int(second)))


def check_closest_codes(answer: object) -> Feedback:
    """Exercise: which two digits have the closest RBF codes?  Answer with two digits, e.g. (1, 7)."""
    from lenet_lib.layers import digit_codes

    if isinstance(answer, (str, bytes)) or not isinstance(answer, Iterable):
        return verdict(False, hint=Text(f"Answer with two digits, e.g. (1, 7), not {answer!r}.",
                                        f"请给出两个数字，例如 (1, 7)，而不是 {answer!r}。"))
    digits = list(answer)
    if (len(digits) != 2 or any(isinstance(d, bool) or not isinstance(d, (int, np.integer)) for d in digits)
            or not all(0 <= d <= 9 for d in digits) or digits[0] == digits[1]):
        return verdict(False, hint=Text(f"Answer with two different digits from 0 to 9, e.g. (1, 7), not {answer!r}.",
                                        f"请给出 0 到 9 之间两个不同的数字，例如 (1, 7)，而不是 {answer!r}。"))
    pair = frozenset(int(d) for d in digits)
    if pair == _closest_pair(digit_codes()):
        return verdict(True, Text("Their bitmaps share the most pixels, so their codes are the nearest.",
                                  "它们的位图重合的像素最多，所以它们的编码离得最近。"))
    return verdict(False, hint=Text("Not the nearest pair: compute the squared distance between every "
                                    "two rows of layers.digit_codes() and take the smallest.",
                                    "这不是离得最近的一对：算出 layers.digit_codes() 中每两行之间的平方距离，"
                                    "取最小的那一对。"))
