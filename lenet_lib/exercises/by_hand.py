"""Self-checks for the chapter *LeNet by hand*: softmax, and why it subtracts the maximum."""

from __future__ import annotations

import numpy as np

from lenet_lib.exercises import Feedback, Text, say, verdict

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
        say(False, Text(f"Give {n} probabilities as a list of numbers, one per score.",
                        f"请给出 {n} 个概率，写成一个数字列表，每个分数对应一个。"))
        return None
    if values.shape != (n,):
        say(False, Text(f"Softmax gives one probability per score: {n} numbers, not shape {values.shape}.",
                        f"softmax 为每个分数给出一个概率：应是 {n} 个数，而不是形状为 {values.shape} 的数组。"))
        return None
    return values


def _judge(values: np.ndarray, scores: tuple[float, ...]) -> Text | None:
    """``None`` when ``values`` is the softmax of ``scores``, else the hint for the slip."""
    right = _reference(scores)
    if np.allclose(values, right, atol=TOLERANCE):
        return None
    if np.isnan(values).any() or np.isinf(values).any():
        return Text("nan or inf is what e^1002 does in floating point (it overflows); "
                    "softmax itself has a finite answer: what does adding the same number to "
                    "every score change?",
                    "nan 或 inf 是用浮点数计算 e^1002 的结果（它溢出了）；softmax 本身的答案是有限的："
                    "给每个分数都加上同一个数，会改变什么？")
    if not np.isclose(values.sum(), 1, atol=3 * TOLERANCE):
        return Text("Probabilities add up to 1: divide each exponential by the sum of all of them.",
                    "概率之和为 1：把每个指数值除以所有指数值之和。")
    if np.allclose(values, np.asarray(scores) / sum(scores), atol=TOLERANCE):
        return Text("You divided the scores by their sum; softmax exponentiates each score first.",
                    "你直接用分数除以了它们的和；softmax 要先对每个分数取指数。")
    if np.allclose(values, right[::-1], atol=TOLERANCE):
        return Text("The order is reversed: the largest score gets the largest probability.",
                    "顺序反了：最大的分数应得到最大的概率。")
    return Text("Compute e^score for each score, then divide each by their sum.",
                "对每个分数计算 e^score，再把每个结果除以它们的和。")


def check_softmax(answer: object) -> Feedback:
    """Exercise: softmax of ``SCORES``, to three decimals."""
    values = _as_probabilities(answer, len(SCORES))
    if values is None:
        return Feedback(False)
    hint = _judge(values, SCORES)
    return verdict(hint is None, Text("The largest score takes most of the probability, but not all of it.",
                                      "最大的分数拿走了大部分概率，但不是全部。"), hint)


def check_large_softmax(answer: object) -> Feedback:
    """Exercise: softmax of ``LARGE_SCORES`` (the same scores plus 1000)."""
    values = _as_probabilities(answer, len(LARGE_SCORES))
    if values is None:
        return Feedback(False)
    hint = _judge(values, LARGE_SCORES)
    return verdict(hint is None, Text("Adding a constant to every score cancels in the ratio, so "
                                      "subtracting the maximum changes nothing but the overflow.",
                                      "给每个分数加上同一个常数，在比值中会相互抵消；"
                                      "所以减去最大值除了避免溢出，什么也不改变。"), hint)


__all__ = ["LARGE_SCORES", "SCORES", "check_large_softmax", "check_softmax"]
