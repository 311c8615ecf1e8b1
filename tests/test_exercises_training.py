"""The training chapters' self-checks accept the reference answers and give hints for typical mistakes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lenet_lib.exercises import training as checks


def run(check, answer, capsys, **kwargs):
    ok = check(answer, **kwargs)
    return ok, capsys.readouterr().out


@pytest.mark.parametrize("answer, ok, hint", [
    (1875, True, ""), (1875.0, True, ""), (np.int64(1875), True, ""),
    (1874, False, "Divide"), (60000 * 32, False, "divide, don't multiply"),
    ("1875", False, "Answer with a number"), (None, False, "Answer with a number"),
])
def test_steps_per_epoch_exact(capsys, answer, ok, hint):
    result, out = run(checks.check_steps_per_epoch, answer, capsys, examples=60_000, batch_size=32)
    assert result == ok and bool(result) is ok
    assert out.startswith("✓" if ok else "✗") and hint in out
    if not ok and not isinstance(answer, str):  # a hint never gives the answer away
        assert "1875" not in out.replace(",", "")


def test_steps_per_epoch_with_a_partial_batch(capsys):
    assert run(checks.check_steps_per_epoch, 469, capsys, examples=60_000, batch_size=128)[0]
    ok, out = run(checks.check_steps_per_epoch, 468, capsys, examples=60_000, batch_size=128)
    assert not ok and "smaller batch" in out
    ok, out = run(checks.check_steps_per_epoch, 468.75, capsys, examples=60_000, batch_size=128)
    assert not ok and "whole number" in out


def test_cross_entropy(capsys):
    assert run(checks.check_cross_entropy, -math.log(0.9), capsys, probability=0.9)[0]
    for wrong, hint in [(-math.log10(0.9), "natural logarithm"), (math.log(0.9), "sign"),
                        (0.1, "not the probability"), (2.0, "minus its natural logarithm")]:
        ok, out = run(checks.check_cross_entropy, wrong, capsys, probability=0.9)
        assert not ok and hint in out and "0.105" not in out


def test_sigmoid_slope(capsys):
    assert run(checks.check_sigmoid_max_slope, 0.25, capsys)[0]
    for wrong, hint in [(0.5, "value at 0"), (1, "tanh"), (0.1, "derivative")]:
        ok, out = run(checks.check_sigmoid_max_slope, wrong, capsys)
        assert not ok and hint in out and "0.25" not in out


def test_momentum_step(capsys):
    assert run(checks.check_momentum_step, 0.1, capsys, learning_rate=0.01, momentum=0.9)[0]
    for wrong, hint in [(0.01, "first step"), (0.019, "geometric"), (0.5, "geometric")]:
        ok, out = run(checks.check_momentum_step, wrong, capsys, learning_rate=0.01, momentum=0.9)
        assert not ok and hint in out


def test_dense_parameters(capsys):
    assert run(checks.check_dense_parameters, 625_500, capsys, inputs=1250, units=500)[0]
    for wrong, hint in [(625_000, "bias"), (626_250, "one bias per unit"), (1750, "own weight")]:
        ok, out = run(checks.check_dense_parameters, wrong, capsys, inputs=1250, units=500)
        assert not ok and hint in out and "625,500" not in out


def test_speed_ratio(capsys):
    right = 1875 / 469
    assert run(checks.check_speed_ratio, right, capsys, batch_small=32, batch_large=128, examples=60_000)[0]
    assert run(checks.check_speed_ratio, round(right, 2), capsys, batch_small=32, batch_large=128,
               examples=60_000)[0]
    ok, out = run(checks.check_speed_ratio, 1 / right, capsys, batch_small=32, batch_large=128, examples=60_000)
    assert not ok and "Upside down" in out
    ok, out = run(checks.check_speed_ratio, 4.5, capsys, batch_small=32, batch_large=128, examples=60_000)
    assert not ok and "Count the steps" in out


def test_feedback_is_true_only_for_a_right_answer_and_shows_nothing_itself(capsys):
    from lenet_lib.exercises import Feedback

    right = checks.check_steps_per_epoch(469, examples=60_000, batch_size=128)
    wrong = checks.check_steps_per_epoch(1, examples=60_000, batch_size=128)
    capsys.readouterr()
    assert isinstance(right, Feedback) and right and not wrong
    assert right == True and wrong == False  # noqa: E712 - comparing with bools is the point
    assert right._ipython_display_() is None and capsys.readouterr().out == ""
