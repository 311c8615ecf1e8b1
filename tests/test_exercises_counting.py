"""The chapter-02 self-checks accept the worked solutions and reject typical slips with a hint."""

from __future__ import annotations

import pytest

from lenet_lib.exercises import counting as exercises

from helpers import accepted, refused


def test_c1_variant_accepts_the_solution(capsys):
    # C1 (25 + 1)·10 = 260 and C3 (25·10 + 1)·16 = 4,016 replace 156 and 2,416
    accepted(capsys, exercises.check_c1_variant(61706 - 156 - 2416 + 260 + 4016))


@pytest.mark.parametrize("answer, hint", [
    (61706, "slides' own total"),
    (61706 + 104, "C3 reads C1's maps"),
    (61706 + 1600, "C1 itself also has more kernels"),
    (63400, "each of C1's kernels has a bias"),
    (60000, "Recount the two layers"),
    ("63410", "Answer with a number"),
])
def test_c1_variant_rejects_slips_with_a_hint(capsys, answer, hint):
    assert not exercises.check_c1_variant(answer)
    out = capsys.readouterr().out
    assert out.startswith("✗") and hint in out
    assert "63410" not in out.replace(repr(answer), "") and "63,410" not in out


def test_c1_connections_accepts_the_solution(capsys):
    accepted(capsys, exercises.check_c1_connections(156 * 28 * 28))


@pytest.mark.parametrize("answer, hint", [
    (156, "parameter count"),
    (150 * 28 * 28, "bias"),
    (156 * 32 * 32, "output positions"),
    (26 * 28 * 28, "one map"),
    (1, "parameters × output height × output width"),
])
def test_c1_connections_rejects_slips_with_a_hint(capsys, answer, hint):
    refused(capsys, exercises.check_c1_connections(answer), hint)


def test_c3_savings_accepts_the_solution(capsys):
    accepted(capsys, exercises.check_c3_savings(2416 - 1516, 241600 - 151600))


@pytest.mark.parametrize("parameters, connections, hint", [
    (1516, 151600, "the difference"),
    (2416, 241600, "the difference"),
    (800, 80000, "Recount the parameters"),
    (900, 900, "10×10 output positions"),
    (900, 9000, "connections = parameters × 10 × 10"),
    (900, "many", "Answer with a number"),
])
def test_c3_savings_rejects_slips_with_a_hint(capsys, parameters, connections, hint):
    refused(capsys, exercises.check_c3_savings(parameters, connections), hint)


@pytest.mark.parametrize("answer", [float("inf"), float("-inf"), float("nan")])
def test_a_number_that_is_not_finite_is_refused_saying_why(capsys, answer):
    assert not exercises.check_c1_variant(answer)
    out = capsys.readouterr().out
    assert out.startswith("✗") and "finite number" in out
