"""The chapter-09 self-checks accept the worked solutions and reject typical slips with a hint."""

from __future__ import annotations

import pytest

from lenet_lib import models, photo
from lenet_lib.exercises import photos as exercises

from helpers import accepted, refused


def test_the_exercise_counts_the_same_weights_as_keras():
    assert exercises.slides_lenet5_parameters() == models.build_slides_lenet5().count_params()


def test_working_height_accepts_the_solution(capsys):
    accepted(capsys, exercises.check_working_height(3024 * photo.WORKING_SIZE / 4032))


@pytest.mark.parametrize("answer, hint", [
    (3024, "original height"),
    (photo.WORKING_SIZE, "LONGER side"),
    (round(4032 * photo.WORKING_SIZE / 3024), "upside down"),
    (28, "final MNIST image"),
    (300, "Scale both sides"),
    ("384", "Answer with a number"),
])
def test_working_height_rejects_slips_with_a_hint(capsys, answer, hint):
    correct = str(round(3024 * photo.WORKING_SIZE / 4032))
    refused(capsys, exercises.check_working_height(answer), hint, answer=answer, secret=correct)


def test_weights_bytes_accepts_the_solution(capsys):
    accepted(capsys, exercises.check_weights_bytes(4 * models.build_slides_lenet5().count_params()))


@pytest.mark.parametrize("factor, hint", [
    (1, "number of weights"),
    (8, "float32, not float64"),
    (4 / 1000, "not kilobytes"),
    (2, "Count the network's parameters"),
])
def test_weights_bytes_rejects_slips_with_a_hint(capsys, factor, hint):
    answer = factor * exercises.slides_lenet5_parameters()
    assert not exercises.check_weights_bytes(answer)
    out = capsys.readouterr().out
    assert out.startswith("✗") and hint in out
    assert str(4 * exercises.slides_lenet5_parameters()) not in out


def test_weights_bytes_refuses_text(capsys):
    assert not exercises.check_weights_bytes("246 kB")
    assert "Answer with a number" in capsys.readouterr().out
