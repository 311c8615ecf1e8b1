"""The chapter-10 self-checks accept the worked solutions and reject typical slips with a hint."""

from __future__ import annotations

import numpy as np
import pytest

from lenet_lib.exercises import paper as exercises

from helpers import accepted, refused


def test_s2_connections_accepts_the_solution(capsys):
    accepted(capsys, exercises.check_s2_connections(5880))


@pytest.mark.parametrize("answer, hint", [
    (4704, "bias"),
    (12, "trainable parameters"),
    (1176, "number of units"),
    (5000, "Count the units"),
    ("5880", "Answer with a number"),
    (None, "Answer with a number"),
])
def test_s2_connections_rejects_slips_with_a_hint(capsys, answer, hint):
    refused(capsys, exercises.check_s2_connections(answer), hint, answer=answer, secret="5880")


@pytest.mark.parametrize("answer", [(0, 6), (6, 0), [np.int64(0), 6], {6, 0}])
def test_closest_codes_accepts_the_pair_in_any_order(capsys, answer):
    accepted(capsys, exercises.check_closest_codes(answer))


@pytest.mark.parametrize("answer, hint", [
    ((1, 7), "Not the nearest pair"),
    ((3, 8), "Not the nearest pair"),
    ((0, 0), "two different digits"),
    ((0, 6, 8), "two different digits"),
    ((0, 10), "two different digits"),
    ((0.0, 6.0), "two different digits"),
    ("06", "Answer with two digits"),
    (6, "Answer with two digits"),
])
def test_closest_codes_rejects_wrong_pairs_with_a_hint(capsys, answer, hint):
    assert not exercises.check_closest_codes(answer)
    out = capsys.readouterr().out
    assert out.startswith("✗") and hint in out
