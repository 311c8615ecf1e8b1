"""Checks for the training chapters (03-08): steps, losses, optimizers, parameter counts."""

from __future__ import annotations

import math

from lenet_lib.exercises import Feedback, check_number


def check_steps_per_epoch(answer: object, *, examples: int, batch_size: int) -> Feedback:
    """Steps in one epoch of ``examples`` digits in batches of ``batch_size`` (last batch may be smaller)."""
    right = math.ceil(examples / batch_size)
    return check_number(
        answer, "a whole number of steps", right, f"{examples:,} digits in batches of {batch_size} take {right:,} steps.",
        [(lambda v: v == examples // batch_size and examples % batch_size,
          "Close: the digits left over after the last full batch make one more, smaller batch."),
         (lambda v: v != int(v), "A step processes one whole batch, so the count is a whole number."),
         (lambda v: v == examples * batch_size or v > examples, "Each step uses a whole batch of digits: divide, don't multiply.")],
        "Divide the number of training digits by the batch size.")


def check_cross_entropy(answer: object, *, probability: float) -> Feedback:
    """The cross-entropy of one example whose true class gets ``probability``."""
    right = -math.log(probability)
    return check_number(
        answer, "the loss of one example", right, f"-ln {probability} = {right:.3f}.",
        [(-math.log10(probability), "That is the base-10 logarithm; cross-entropy uses the natural logarithm (ln)."),
         (math.log(probability), "Mind the sign: the loss is minus the log, so it is never negative."),
         (1 - probability, "The loss is not the probability itself: take the logarithm of the true class's probability."),
         (probability, "The loss is not the probability itself: take the logarithm of the true class's probability.")],
        "Only the probability of the true class matters: the loss is minus its natural logarithm.", rel_tol=1e-3)


def check_sigmoid_max_slope(answer: object) -> Feedback:
    """The largest value of the sigmoid's derivative (at 0)."""
    return check_number(
        answer, "the largest slope", 0.25,
        "σ'(x) = σ(x)(1 - σ(x)) is largest at x = 0, where it is 0.5 × 0.5 = 0.25.",
        [(0.5, "0.5 is the sigmoid's value at 0, not its slope: use σ'(x) = σ(x)(1 - σ(x))."),
         (1.0, "A slope of 1 is tanh's at 0; write the sigmoid's derivative as σ(x)(1 - σ(x)).")],
        "Write the derivative as σ(x)(1 - σ(x)) and find where it is largest.", rel_tol=1e-3)


def check_momentum_step(answer: object, *, learning_rate: float, momentum: float) -> Feedback:
    """How far SGD with momentum moves per step, in the long run, for a constant gradient of 1."""
    right = learning_rate / (1 - momentum)
    keep_adding = ("Keep adding: each step adds the gradient's step to momentum times the previous one "
                   "(a geometric series).")
    return check_number(
        answer, "a step size", right,
        f"The steps add up to {learning_rate} × (1 + {momentum} + {momentum}² + …) "
        f"= {learning_rate} / (1 - {momentum}) = {right:g}.",
        [(learning_rate, "That is the first step; the velocity keeps growing while the gradient stays the same."),
         (learning_rate * momentum, keep_adding),
         (learning_rate * (1 + momentum), keep_adding)],
        "Write the velocity after k steps as a geometric series in the momentum and let k grow.", rel_tol=1e-3)


def check_dense_parameters(answer: object, *, inputs: int, units: int) -> Feedback:
    """Parameters of a dense layer from ``inputs`` values to ``units`` units (weights and biases)."""
    right = inputs * units + units
    return check_number(
        answer, "a parameter count", right, f"{inputs:,} × {units:,} weights + {units:,} biases = {right:,}.",
        [(inputs * units, "Close: each unit also has a bias."),
         (inputs * units + inputs, "There is one bias per unit (output), not per input.")],
        "Every input connects to every unit with its own weight, and every unit has a bias.")


def check_speed_ratio(answer: object, *, batch_small: int, batch_large: int, examples: int) -> Feedback:
    """How many times fewer steps an epoch takes in batches of ``batch_large`` than of ``batch_small``."""
    small_steps, large_steps = math.ceil(examples / batch_small), math.ceil(examples / batch_large)
    right = small_steps / large_steps
    return check_number(
        answer, "a ratio", right, f"{small_steps:,} steps against {large_steps:,}: {right:.2f} times fewer.",
        [(1 / right, "Upside down: larger batches mean fewer steps, so the ratio is above 1.")],
        "Count the steps of one epoch for each batch size, then divide.", rel_tol=2e-3)
