"""Checks for the training chapters (03-08): steps, losses, optimizers, parameter counts."""

from __future__ import annotations

import math

from lenet_lib.exercises import Feedback, Text, check_number


def check_steps_per_epoch(answer: object, *, examples: int, batch_size: int) -> Feedback:
    """Steps in one epoch of ``examples`` digits in batches of ``batch_size`` (last batch may be smaller)."""
    right = math.ceil(examples / batch_size)
    return check_number(
        answer, Text("a whole number of steps", "步数，应为整数"), right,
        Text(f"{examples:,} digits in batches of {batch_size} take {right:,} steps.",
             f"{examples:,} 个数字、每批 {batch_size} 个，共需 {right:,} 步。"),
        [(lambda v: v == examples // batch_size and examples % batch_size,
          Text("Close: the digits left over after the last full batch make one more, smaller batch.",
               "很接近了：最后一个完整批量之后剩下的数字，还会组成一个更小的批量。")),
         (lambda v: v != int(v), Text("A step processes one whole batch, so the count is a whole number.",
                                      "每一步处理一整个批量，所以步数是整数。")),
         (lambda v: v == examples * batch_size or v > examples,
          Text("Each step uses a whole batch of digits: divide, don't multiply.",
               "每一步用掉一整个批量的数字：应该做除法，而不是乘法。"))],
        Text("Divide the number of training digits by the batch size.", "用训练数字的个数除以批量大小。"))


#: Both ways of confusing the loss with a probability get the same hint.
_NOT_THE_PROBABILITY = Text(
    "The loss is not the probability itself: take the logarithm of the true class's probability.",
    "损失不是概率本身：要对真实类别的概率取对数。")


def check_cross_entropy(answer: object, *, probability: float) -> Feedback:
    """The cross-entropy of one example whose true class gets ``probability``."""
    right = -math.log(probability)
    return check_number(
        answer, Text("the loss of one example", "单个样本的损失"), right,
        Text(f"-ln {probability} = {right:.3f}.", f"交叉熵 = -ln {probability} = {right:.3f}。"),
        [(-math.log10(probability),
          Text("That is the base-10 logarithm; cross-entropy uses the natural logarithm (ln).",
               "这是以 10 为底的对数；交叉熵用的是自然对数（ln）。")),
         (math.log(probability), Text("Mind the sign: the loss is minus the log, so it is never negative.",
                                      "注意符号：损失是对数的相反数，所以它永远不会是负数。")),
         (1 - probability, _NOT_THE_PROBABILITY),
         (probability, _NOT_THE_PROBABILITY)],
        Text("Only the probability of the true class matters: the loss is minus its natural logarithm.",
             "只有真实类别的概率才起作用：损失就是它的自然对数的相反数。"), rel_tol=1e-3)


def check_sigmoid_max_slope(answer: object) -> Feedback:
    """The largest value of the sigmoid's derivative (at 0)."""
    return check_number(
        answer, Text("the largest slope", "最大斜率"), 0.25,
        Text("σ'(x) = σ(x)(1 - σ(x)) is largest at x = 0, where it is 0.5 × 0.5 = 0.25.",
             "σ'(x) = σ(x)(1 - σ(x)) 在 x = 0 处最大，此时等于 0.5 × 0.5 = 0.25。"),
        [(0.5, Text("0.5 is the sigmoid's value at 0, not its slope: use σ'(x) = σ(x)(1 - σ(x)).",
                    "0.5 是 sigmoid 在 0 处的函数值，而不是它的斜率：请用 σ'(x) = σ(x)(1 - σ(x))。")),
         (1.0, Text("A slope of 1 is tanh's at 0; write the sigmoid's derivative as σ(x)(1 - σ(x)).",
                    "斜率为 1 的是 tanh 在 0 处的斜率；把 sigmoid 的导数写成 σ(x)(1 - σ(x))。"))],
        Text("Write the derivative as σ(x)(1 - σ(x)) and find where it is largest.",
             "把导数写成 σ(x)(1 - σ(x))，再找出它在哪里取得最大值。"), rel_tol=1e-3)


def check_momentum_step(answer: object, *, learning_rate: float, momentum: float) -> Feedback:
    """How far SGD with momentum moves per step, in the long run, for a constant gradient of 1."""
    right = learning_rate / (1 - momentum)
    keep_adding = Text("Keep adding: each step adds the gradient's step to momentum times the previous one "
                       "(a geometric series).",
                       "继续累加：每一步都等于梯度带来的一步，加上动量乘以上一步（这是一个等比级数）。")
    return check_number(
        answer, Text("a step size", "每一步移动的距离"), right,
        Text(f"The steps add up to {learning_rate} × (1 + {momentum} + {momentum}² + …) "
             f"= {learning_rate} / (1 - {momentum}) = {right:g}.",
             f"各步累加起来是 {learning_rate} × (1 + {momentum} + {momentum}² + …) "
             f"= {learning_rate} / (1 - {momentum}) = {right:g}。"),
        [(learning_rate, Text("That is the first step; the velocity keeps growing while the gradient stays the same.",
                              "这是第一步；只要梯度不变，速度就会不断增大。")),
         (learning_rate * momentum, keep_adding),
         (learning_rate * (1 + momentum), keep_adding)],
        Text("Write the velocity after k steps as a geometric series in the momentum and let k grow.",
             "把 k 步之后的速度写成以动量为公比的等比级数，再让 k 不断增大。"), rel_tol=1e-3)


def check_dense_parameters(answer: object, *, inputs: int, units: int) -> Feedback:
    """Parameters of a dense layer from ``inputs`` values to ``units`` units (weights and biases)."""
    right = inputs * units + units
    return check_number(
        answer, Text("a parameter count", "参数的个数"), right,
        Text(f"{inputs:,} × {units:,} weights + {units:,} biases = {right:,}.",
             f"{inputs:,} × {units:,} 个权重 + {units:,} 个偏置 = {right:,}。"),
        [(inputs * units, Text("Close: each unit also has a bias.", "很接近了：每个单元还有一个偏置。")),
         (inputs * units + inputs, Text("There is one bias per unit (output), not per input.",
                                        "偏置是每个单元（输出）一个，而不是每个输入一个。"))],
        Text("Every input connects to every unit with its own weight, and every unit has a bias.",
             "每个输入都通过各自的权重连接到每个单元，每个单元还有一个偏置。"))


def check_speed_ratio(answer: object, *, batch_small: int, batch_large: int, examples: int) -> Feedback:
    """How many times fewer steps an epoch takes in batches of ``batch_large`` than of ``batch_small``."""
    small_steps, large_steps = math.ceil(examples / batch_small), math.ceil(examples / batch_large)
    right = small_steps / large_steps
    return check_number(
        answer, Text("a ratio", "一个比值"), right,
        Text(f"{small_steps:,} steps against {large_steps:,}: {right:.2f} times fewer.",
             f"{small_steps:,} 步对 {large_steps:,} 步：前者是后者的 {right:.2f} 倍。"),
        [(1 / right, Text("Upside down: larger batches mean fewer steps, so the ratio is above 1.",
                          "比值倒过来了：批量越大，步数越少，所以这个比值大于 1。"))],
        Text("Count the steps of one epoch for each batch size, then divide.",
             "分别数出两种批量大小下一轮的步数，再相除。"), rel_tol=2e-3)
