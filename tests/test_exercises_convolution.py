"""The chapter-01 self-checks accept the worked solutions and reject typical slips with a hint."""

from __future__ import annotations

import pytest

from lenet_lib.exercises import convolution as exercises

from helpers import accepted, refused


def test_stride_output_accepts_the_solution(capsys):
    accepted(capsys, exercises.check_stride_output(12))


@pytest.mark.parametrize("answer, hint", [
    (24, "stride-1 size"),
    (12.5, "round the division down"),
    (13, "You rounded up"),
    (14, "padding='same'"),
    (7, "Use (n − k + 2p) / s + 1"),
    ("12", "Answer with a number"),
    (True, "Answer with a number"),
])
def test_stride_output_rejects_slips_with_a_hint(capsys, answer, hint):
    refused(capsys, exercises.check_stride_output(answer), hint, answer=answer, secret="12")


def test_padded_output_accepts_the_solution_and_explains_slips(capsys):
    accepted(capsys, exercises.check_padded_output(14))
    for answer, hint in [(12, "without padding"), (13, "both sides"), (28, "stride-1"),
                         (15, "rounded up"), (14.5, "round the division down")]:
        refused(capsys, exercises.check_padded_output(answer), hint)


def test_same_padding_accepts_the_solution(capsys):
    accepted(capsys, exercises.check_same_padding(14, 1, 2))


@pytest.mark.parametrize("output, before, after, hint", [
    (28, 2, 2, "only at stride 1"),
    (12, 0, 0, "⌈n / s⌉"),
    (14, 2, 1, "extra zero after"),
    (14, 2, 2, "stride-1 padding"),
    (14, 0, 0, "Total zeros"),
    (14, None, 2, "Answer with a number"),
])
def test_same_padding_rejects_slips_with_a_hint(capsys, output, before, after, hint):
    refused(capsys, exercises.check_same_padding(output, before, after), hint)


MAX = [[5, 4], [0, 6]]
AVERAGE = [[2, 1.5], [-2, 3]]


def test_pooling_accepts_the_solution(capsys):
    accepted(capsys, exercises.check_pooling(MAX, AVERAGE))


@pytest.mark.parametrize("max_pooled, average_pooled, hint", [
    (AVERAGE, MAX, "swapped"),
    (MAX, [[2, 1.5], [0, 3]], "1 average(s) are off"),  # negatives left out of an average
    ([[5, 4], [-2, 6]], AVERAGE, "1 maximum(s) are off"),
    ([[5, 3, 4], [5, 6, 6], [0, 6, 6]], AVERAGE, "should be 2×2, not 3×3"),  # stride 1
    ([[1, 2], [3, 4]], [[0, 0], [0, 0]], "without overlap"),
    ("five", AVERAGE, "list of rows"),
])
def test_pooling_rejects_slips_with_a_hint(capsys, max_pooled, average_pooled, hint):
    assert not exercises.check_pooling(max_pooled, average_pooled)
    out = capsys.readouterr().out
    assert out.startswith("✗") and hint in out
