"""Checks for the training chapters (03-08): steps, losses, optimizers, parameter counts."""

from __future__ import annotations

import math

from lenet_lib.exercises import Feedback, as_number, verdict


def check_steps_per_epoch(answer: object, *, examples: int, batch_size: int) -> Feedback:
    """Steps in one epoch of ``examples`` digits in batches of ``batch_size`` (last batch may be smaller)."""
    value = as_number(answer, "a whole number of steps")
    if value is None:
        return Feedback(False)
    right = math.ceil(examples / batch_size)
    if value == right:
        return verdict(True, f"{examples:,} digits in batches of {batch_size} take {right:,} steps.", "")
    if value == examples // batch_size and examples % batch_size:
        hint = "Close: the digits left over after the last full batch make one more, smaller batch."
    elif value != int(value):
        hint = "A step processes one whole batch, so the count is a whole number."
    elif value == examples * batch_size or value > examples:
        hint = "Each step uses a whole batch of digits: divide, don't multiply."
    else:
        hint = "Divide the number of training digits by the batch size."
    return verdict(False, "", hint)


def check_cross_entropy(answer: object, *, probability: float) -> Feedback:
    """The cross-entropy of one example whose true class gets ``probability``."""
    value = as_number(answer, "the loss of one example")
    if value is None:
        return Feedback(False)
    right = -math.log(probability)
    if math.isclose(value, right, rel_tol=1e-3):
        return verdict(True, f"-ln {probability} = {right:.3f}.", "")
    if math.isclose(value, -math.log10(probability), rel_tol=1e-3):
        hint = "That is the base-10 logarithm; cross-entropy uses the natural logarithm (ln)."
    elif math.isclose(value, math.log(probability), rel_tol=1e-3):
        hint = "Mind the sign: the loss is minus the log, so it is never negative."
    elif math.isclose(value, 1 - probability, rel_tol=1e-3) or math.isclose(value, probability, rel_tol=1e-3):
        hint = "The loss is not the probability itself: take the logarithm of the true class's probability."
    else:
        hint = "Only the probability of the true class matters: the loss is minus its natural logarithm."
    return verdict(False, "", hint)


def check_sigmoid_max_slope(answer: object) -> Feedback:
    """The largest value of the sigmoid's derivative (at 0)."""
    value = as_number(answer, "the largest slope")
    if value is None:
        return Feedback(False)
    if math.isclose(value, 0.25, rel_tol=1e-3):
        return verdict(True, "σ'(x) = σ(x)(1 - σ(x)) is largest at x = 0, where it is 0.5 × 0.5 = 0.25.", "")
    if math.isclose(value, 0.5, rel_tol=1e-3):
        hint = "0.5 is the sigmoid's value at 0, not its slope: use σ'(x) = σ(x)(1 - σ(x))."
    elif math.isclose(value, 1.0, rel_tol=1e-3):
        hint = "A slope of 1 is tanh's at 0; write the sigmoid's derivative as σ(x)(1 - σ(x))."
    else:
        hint = "Write the derivative as σ(x)(1 - σ(x)) and find where it is largest."
    return verdict(False, "", hint)


def check_momentum_step(answer: object, *, learning_rate: float, momentum: float) -> Feedback:
    """How far SGD with momentum moves per step, in the long run, for a constant gradient of 1."""
    value = as_number(answer, "a step size")
    if value is None:
        return Feedback(False)
    right = learning_rate / (1 - momentum)
    if math.isclose(value, right, rel_tol=1e-3):
        return verdict(True, f"The steps add up to {learning_rate} × (1 + {momentum} + {momentum}² + …) "
                             f"= {learning_rate} / (1 - {momentum}) = {right:g}.", "")
    if math.isclose(value, learning_rate, rel_tol=1e-3):
        hint = "That is the first step; the velocity keeps growing while the gradient stays the same."
    elif math.isclose(value, learning_rate * momentum, rel_tol=1e-3) or math.isclose(
            value, learning_rate * (1 + momentum), rel_tol=1e-3):
        hint = "Keep adding: each step adds the gradient's step to momentum times the previous one (a geometric series)."
    else:
        hint = "Write the velocity after k steps as a geometric series in the momentum and let k grow."
    return verdict(False, "", hint)


def check_dense_parameters(answer: object, *, inputs: int, units: int) -> Feedback:
    """Parameters of a dense layer from ``inputs`` values to ``units`` units (weights and biases)."""
    value = as_number(answer, "a parameter count")
    if value is None:
        return Feedback(False)
    right = inputs * units + units
    if value == right:
        return verdict(True, f"{inputs:,} × {units:,} weights + {units:,} biases = {right:,}.", "")
    if value == inputs * units:
        hint = "Close: each unit also has a bias."
    elif value == inputs * units + inputs:
        hint = "There is one bias per unit (output), not per input."
    else:
        hint = "Every input connects to every unit with its own weight, and every unit has a bias."
    return verdict(False, "", hint)


def check_speed_ratio(answer: object, *, batch_small: int, batch_large: int, examples: int) -> Feedback:
    """How many times fewer steps an epoch takes in batches of ``batch_large`` than of ``batch_small``."""
    value = as_number(answer, "a ratio")
    if value is None:
        return Feedback(False)
    right = math.ceil(examples / batch_small) / math.ceil(examples / batch_large)
    if math.isclose(value, right, rel_tol=2e-3):
        return verdict(True, f"{math.ceil(examples / batch_small):,} steps against "
                             f"{math.ceil(examples / batch_large):,}: {right:.2f} times fewer.", "")
    if math.isclose(value, 1 / right, rel_tol=2e-3):
        hint = "Upside down: larger batches mean fewer steps, so the ratio is above 1."
    else:
        hint = "Count the steps of one epoch for each batch size, then divide."
    return verdict(False, "", hint)
