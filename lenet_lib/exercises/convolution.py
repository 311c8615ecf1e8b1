"""Self-checks for the chapter *Convolution arithmetic*: output sizes, padding, pooling.

Every reference answer is computed here with ``lenet_lib.convolution``, the
same functions the chapter teaches, so the checks cannot drift from the lesson.
"""

from __future__ import annotations

import numpy as np

from lenet_lib.convolution import keras_output_size, output_size, pool2d, same_padding
from lenet_lib.exercises import Feedback, Text, as_number, check_number, say, verdict

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
_WHOLE_WINDOWS = (_fraction, Text("A size counts whole windows: round the division down before adding 1.",
                                  "输出尺寸只计完整的窗口：先把除法的结果向下取整，再加 1。"))
_ROUNDED_UP = Text("You rounded up: a last window that would stick out of the image is dropped.",
                   "你向上取整了：超出图像边缘的最后一个窗口会被舍弃。")
_OUTPUT_SIDE = Text("the output side in pixels", "以像素为单位的输出边长")


def check_stride_output(answer: object) -> Feedback:
    """Exercise: output side of a 5×5 convolution, stride 2, no padding, on 28×28."""
    right = output_size(SIDE, KERNEL, padding=0, stride=STRIDE)
    return check_number(
        answer, _OUTPUT_SIDE, right,
        Text(f"({SIDE} − {KERNEL}) / {STRIDE} = 11.5, rounded down, plus 1.",
             f"({SIDE} − {KERNEL}) / {STRIDE} = 11.5，向下取整后再加 1。"),
        [_WHOLE_WINDOWS,
         (output_size(SIDE, KERNEL), Text("That is the stride-1 size: the stride divides the span n − k.",
                                          "这是步幅为 1 时的尺寸：跨度 n − k 要除以步幅。")),
         (right + 1, _ROUNDED_UP),
         (keras_output_size(SIDE, KERNEL, STRIDE, "same"),
          Text("That is what padding='same' gives; here nothing is padded.",
               "这是 padding='same' 的结果；这里没有任何填充。"))],
        Text("Use (n − k + 2p) / s + 1 with n = 28, k = 5, p = 0, s = 2, rounding the division down.",
             "用 (n − k + 2p) / s + 1 计算，其中 n = 28，k = 5，p = 0，s = 2，除法结果向下取整。"))


def check_padded_output(answer: object) -> Feedback:
    """Exercise: the same convolution with 2 pixels of zero padding on every side."""
    right = output_size(SIDE, KERNEL, padding=2, stride=STRIDE)
    return check_number(
        answer, _OUTPUT_SIDE, right,
        Text("(28 − 5 + 4) / 2 = 13.5, rounded down, plus 1.", "(28 − 5 + 4) / 2 = 13.5，向下取整后再加 1。"),
        [_WHOLE_WINDOWS,
         (output_size(SIDE, KERNEL, padding=0, stride=STRIDE),
          Text("That is the size without padding: the padded image is wider.",
               "这是不加填充时的尺寸：填充后的图像更宽。")),
         (output_size(SIDE, KERNEL, padding=1, stride=STRIDE),
          Text("The padding goes on both sides: the image grows by 2p, not p.",
               "填充加在两侧：图像增大 2p，而不是 p。")),
         (output_size(SIDE, KERNEL, padding=2, stride=1),
          Text("That is the stride-1 size: divide the span by the stride.",
               "这是步幅为 1 时的尺寸：跨度要除以步幅。")),
         (right + 1, _ROUNDED_UP)],
        Text("Use (n − k + 2p) / s + 1 with n = 28, k = 5, p = 2, s = 2, rounding the division down.",
             "用 (n − k + 2p) / s + 1 计算，其中 n = 28，k = 5，p = 2，s = 2，除法结果向下取整。"))


def check_same_padding(output: object, before: object, after: object) -> Feedback:
    """Exercise: ``padding="same"`` with stride 2: output side and the zeros added each side."""
    values = [as_number(v, what) for v, what in
              [(output, Text("the output side", "输出边长")), (before, Text("zeros before", "前侧补零的个数")),
               (after, Text("zeros after", "后侧补零的个数"))]]
    if any(v is None for v in values):
        return Feedback(False)
    out, zeros_before, zeros_after = values
    right_out = keras_output_size(SIDE, KERNEL, STRIDE, "same")
    right_before, right_after = same_padding(SIDE, KERNEL, STRIDE)
    if out != right_out:
        if out == SIDE:
            hint = Text("'same' keeps the input size only at stride 1; with stride s the output is ⌈n / s⌉.",
                        "只有步幅为 1 时，'same' 才保持输入尺寸；步幅为 s 时，输出边长是 ⌈n / s⌉。")
        else:
            hint = Text("With padding='same' the output side is ⌈n / s⌉, whatever the kernel size.",
                        "使用 padding='same' 时，无论卷积核多大，输出边长都是 ⌈n / s⌉。")
        return verdict(False, hint=hint)
    if (zeros_before, zeros_after) == (right_before, right_after):
        return verdict(True, Text("3 zeros in all; the odd one goes after (bottom/right), as Keras does.",
                                  "一共补 3 个零；多出的那个补在后面（下方/右侧），和 Keras 的做法一样。"))
    if zeros_before + zeros_after == right_before + right_after:
        hint = Text("The total is right; when it is odd, Keras puts the extra zero after (bottom/right).",
                    "总数对了；总数为奇数时，Keras 把多出的那个零补在后面（下方/右侧）。")
    elif (zeros_before, zeros_after) == same_padding(SIDE, KERNEL, 1):
        hint = Text("That is the stride-1 padding; with stride 2 the last window starts at "
                    "(out − 1)·s, so the total is (out − 1)·s + k − n.",
                    "这是步幅为 1 时的填充；步幅为 2 时，最后一个窗口从 (out − 1)·s 开始，"
                    "所以总数是 (out − 1)·s + k − n。")
    else:
        hint = Text("Total zeros = (out − 1)·s + k − n; split it in two, the extra one after.",
                    "补零总数 = (out − 1)·s + k − n；把它分成两份，多出的一个补在后面。")
    return verdict(False, hint=hint)


def _as_grid(answer: object, shape: tuple[int, ...], what: Text) -> np.ndarray | None:
    """``answer`` as a float array of ``shape``, or ``None`` after saying what was expected."""
    try:
        grid = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        say(False, Text(f"Give {what.en} as a list of rows of numbers, e.g. [[1, 2], [3, 4]].",
                        f"请把{what.zh}写成由若干行数字组成的列表，例如 [[1, 2], [3, 4]]。"))
        return None
    if grid.shape != shape:
        expected, given = '×'.join(map(str, shape)), '×'.join(map(str, grid.shape))
        got = Text(f"not {given}", f"而不是 {given}") if given else Text("not a single number", "而不是单个数字")
        say(False, Text(f"{what.en.capitalize()} should be {expected}, {got.en}: 2×2 windows with "
                        f"stride 2 turn 4×4 into 2×2.",
                        f"{what.zh}应为 {expected}，{got.zh}：步幅为 2 的 2×2 窗口会把 4×4 变成 2×2。"))
        return None
    return grid


def check_pooling(max_pooled: object, average_pooled: object) -> Feedback:
    """Exercise: 2×2 max and average pooling (stride 2) of ``POOLING_INPUT``."""
    ours_max = _as_grid(max_pooled, (2, 2), Text("the max-pooled map", "最大池化后的特征图"))
    if ours_max is None:
        return Feedback(False)
    ours_average = _as_grid(average_pooled, (2, 2), Text("the average-pooled map", "平均池化后的特征图"))
    if ours_average is None:
        return Feedback(False)
    right_max = pool2d(POOLING_INPUT, 2, mode="max")
    right_average = pool2d(POOLING_INPUT, 2, mode="average")
    max_ok = np.allclose(ours_max, right_max)
    average_ok = np.allclose(ours_average, right_average)
    if max_ok and average_ok:
        return verdict(True, Text("Max keeps the strongest value of each window; average blurs it, "
                                  "and the bottom-left window, all ≤ 0, shows the difference most.",
                                  "最大池化保留每个窗口中最大的值，平均池化则把它抹平；"
                                  "左下角的窗口全都 ≤ 0，两者的差别在那里最明显。"))
    if np.allclose(ours_max, right_average) and np.allclose(ours_average, right_max):
        hint = Text("You swapped the two maps.", "你把两个特征图弄反了。")
    elif max_ok:
        wrong = int((~np.isclose(ours_average, right_average)).sum())
        hint = Text(f"The max-pooled map is right; {wrong} average(s) are off: add the window's "
                    f"four values, negatives included, and divide by 4.",
                    f"最大池化的特征图是对的；有 {wrong} 个平均值不对：把窗口里的 4 个值"
                    f"（包括负数）相加，再除以 4。")
    elif average_ok:
        wrong = int((~np.isclose(ours_max, right_max)).sum())
        hint = Text(f"The average-pooled map is right; {wrong} maximum(s) are off: a maximum can be "
                    f"0 or negative when the whole window is.",
                    f"平均池化的特征图是对的；有 {wrong} 个最大值不对：如果整个窗口都是 0 或负数，"
                    f"最大值也可以是 0 或负数。")
    else:
        hint = Text("Both maps have wrong values: the windows are rows 0–1 and 2–3 × columns 0–1 "
                    "and 2–3, taken without overlap.",
                    "两个特征图都有错误的值：窗口是第 0–1 行和第 2–3 行 × 第 0–1 列和第 2–3 列，"
                    "彼此不重叠。")
    return verdict(False, hint=hint)


__all__ = ["POOLING_INPUT", "check_padded_output", "check_pooling", "check_same_padding",
           "check_stride_output"]
