"""The chapter-11 self-checks accept the worked solutions and reject typical slips with a hint."""

from __future__ import annotations

import math

import pytest

from lenet_lib.exercises import by_hand as exercises

from helpers import accepted, refused


def by_definition(scores):
    exponentials = [math.exp(s - max(scores)) for s in scores]
    return [e / sum(exponentials) for e in exponentials]


def test_scores_are_the_ones_the_chapter_asks_about():
    assert exercises.SCORES == (2.0, 1.0, 0.0)
    assert exercises.LARGE_SCORES == (1002.0, 1001.0, 1000.0)


@pytest.mark.parametrize("check", [exercises.check_softmax, exercises.check_large_softmax])
def test_softmax_checks_accept_the_solution_to_three_decimals(capsys, check):
    accepted(capsys, check([round(p, 3) for p in by_definition([2.0, 1.0, 0.0])]))


@pytest.mark.parametrize("answer, hint", [
    ([2 / 3, 1 / 3, 0.0], "exponentiates each score first"),
    ([math.e ** 2, math.e, 1.0], "add up to 1"),
    ([0.090, 0.245, 0.665], "order is reversed"),
    ([0.6, 0.3, 0.1], "Compute e^score"),
    ([0.5, 0.5], "3 numbers"),
    ("0.665", "3 numbers"),
    (["a", "b", "c"], "list of numbers"),
])
def test_softmax_rejects_slips_with_a_hint(capsys, answer, hint):
    refused(capsys, exercises.check_softmax(answer), hint, answer=answer, secret="0.665")


def test_large_softmax_explains_overflow(capsys):
    assert not exercises.check_large_softmax([math.nan, math.nan, math.nan])
    assert "overflows" in capsys.readouterr().out
    assert not exercises.check_large_softmax([math.inf, 0.0, 0.0])
    assert "overflows" in capsys.readouterr().out
