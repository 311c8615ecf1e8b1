"""Self-checks for the chapter *Convolution arithmetic*: output sizes, padding, pooling.

Every reference answer is computed here with ``lenet_lib.convolution``, the
same functions the chapter teaches, so the checks cannot drift from the lesson.
"""

from __future__ import annotations

import numpy as np

from lenet_lib.convolution import keras_output_size, output_size, pool2d, same_padding
from lenet_lib.exercises import Feedback, as_number, check_number, verdict

#: The 4×4 array of the pooling exercise (the chapter shows it from here).
POOLING_INPUT = np.array([[1, 3, 2, 0],
                          [5, -1, 0, 4],
                          [-2, 0, 6, 6],
                          [0, -6, 2, -2]], dtype=float)

#: Image side, kernel side and stride shared by the size exercises.
SIDE, KERNEL, STRIDE = 28, 5, 2


def _fraction(value: float) -> bool:
    return not float(value).is_integer()


#: A size counts whole windows.
_WHOLE_WINDOWS = (_fraction, "A size counts whole windows: round the division down before adding 1.")
_ROUNDED_UP = "You rounded up: a last window that would stick out of the image is dropped."


def check_stride_output(answer: object) -> Feedback:
    """Exercise: output side of a 5×5 convolution, stride 2, no padding, on 28×28."""
    right = output_size(SIDE, KERNEL, padding=0, stride=STRIDE)
    return check_number(
        answer, "the output side in pixels", right, f"({SIDE} − {KERNEL}) / {STRIDE} = 11.5, rounded down, plus 1.",
        [_WHOLE_WINDOWS,
         (output_size(SIDE, KERNEL), "That is the stride-1 size: the stride divides the span n − k."),
         (right + 1, _ROUNDED_UP),
         (keras_output_size(SIDE, KERNEL, STRIDE, "same"), "That is what padding='same' gives; here nothing is padded.")],
        "Use (n − k + 2p) / s + 1 with n = 28, k = 5, p = 0, s = 2, rounding the division down.")


def check_padded_output(answer: object) -> Feedback:
    """Exercise: the same convolution with 2 pixels of zero padding on every side."""
    right = output_size(SIDE, KERNEL, padding=2, stride=STRIDE)
    return check_number(
        answer, "the output side in pixels", right, "(28 − 5 + 4) / 2 = 13.5, rounded down, plus 1.",
        [_WHOLE_WINDOWS,
         (output_size(SIDE, KERNEL, padding=0, stride=STRIDE), "That is the size without padding: the padded image is wider."),
         (output_size(SIDE, KERNEL, padding=1, stride=STRIDE), "The padding goes on both sides: the image grows by 2p, not p."),
         (output_size(SIDE, KERNEL, padding=2, stride=1), "That is the stride-1 size: divide the span by the stride."),
         (right + 1, _ROUNDED_UP)],
        "Use (n − k + 2p) / s + 1 with n = 28, k = 5, p = 2, s = 2, rounding the division down.")


def check_same_padding(output: object, before: object, after: object) -> Feedback:
    """Exercise: ``padding="same"`` with stride 2: output side and the zeros added each side."""
    values = [as_number(v, what) for v, what in
              [(output, "the output side"), (before, "zeros before"), (after, "zeros after")]]
    if any(v is None for v in values):
        return Feedback(False)
    out, zeros_before, zeros_after = values
    right_out = keras_output_size(SIDE, KERNEL, STRIDE, "same")
    right_before, right_after = same_padding(SIDE, KERNEL, STRIDE)
    if out != right_out:
        if out == SIDE:
            hint = "'same' keeps the input size only at stride 1; with stride s the output is ⌈n / s⌉."
        else:
            hint = "With padding='same' the output side is ⌈n / s⌉, whatever the kernel size."
        return verdict(False, "", hint)
    if (zeros_before, zeros_after) == (right_before, right_after):
        return verdict(True, "3 zeros in all; the odd one goes after (bottom/right), as Keras does.", "")
    if zeros_before + zeros_after == right_before + right_after:
        hint = "The total is right; when it is odd, Keras puts the extra zero after (bottom/right)."
    elif (zeros_before, zeros_after) == same_padding(SIDE, KERNEL, 1):
        hint = ("That is the stride-1 padding; with stride 2 the last window starts at "
                "(out − 1)·s, so the total is (out − 1)·s + k − n.")
    else:
        hint = "Total zeros = (out − 1)·s + k − n; split it in two, the extra one after."
    return verdict(False, "", hint)


def _as_grid(answer: object, shape: tuple[int, ...], what: str) -> np.ndarray | None:
    """``answer`` as a float array of ``shape``, or ``None`` after saying what was expected."""
    try:
        grid = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        print(f"✗ Not yet. Give {what} as a list of rows of numbers, e.g. [[1, 2], [3, 4]].")
        return None
    if grid.shape != shape:
        print(f"✗ Not yet. {what.capitalize()} should be {'×'.join(map(str, shape))}, "
              f"not {'×'.join(map(str, grid.shape)) or 'a single number'}: 2×2 windows with "
              f"stride 2 turn 4×4 into 2×2.")
        return None
    return grid


def check_pooling(max_pooled: object, average_pooled: object) -> Feedback:
    """Exercise: 2×2 max and average pooling (stride 2) of ``POOLING_INPUT``."""
    ours_max = _as_grid(max_pooled, (2, 2), "the max-pooled map")
    if ours_max is None:
        return Feedback(False)
    ours_average = _as_grid(average_pooled, (2, 2), "the average-pooled map")
    if ours_average is None:
        return Feedback(False)
    right_max = pool2d(POOLING_INPUT, 2, mode="max")
    right_average = pool2d(POOLING_INPUT, 2, mode="average")
    max_ok = np.allclose(ours_max, right_max)
    average_ok = np.allclose(ours_average, right_average)
    if max_ok and average_ok:
        return verdict(True, "Max keeps the strongest value of each window; average blurs it, "
                             "and the bottom-left window, all ≤ 0, shows the difference most.", "")
    if np.allclose(ours_max, right_average) and np.allclose(ours_average, right_max):
        hint = "You swapped the two maps."
    elif max_ok:
        wrong = int((~np.isclose(ours_average, right_average)).sum())
        hint = (f"The max-pooled map is right; {wrong} average(s) are off: add the window's "
                f"four values, negatives included, and divide by 4.")
    elif average_ok:
        wrong = int((~np.isclose(ours_max, right_max)).sum())
        hint = (f"The average-pooled map is right; {wrong} maximum(s) are off: a maximum can be "
                f"0 or negative when the whole window is.")
    else:
        hint = ("Both maps have wrong values: the windows are rows 0–1 and 2–3 × columns 0–1 "
                "and 2–3, taken without overlap.")
    return verdict(False, "", hint)


__all__ = ["POOLING_INPUT", "check_padded_output", "check_pooling", "check_same_padding",
           "check_stride_output"]
