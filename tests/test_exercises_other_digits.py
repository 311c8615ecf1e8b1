"""The chapter-10 self-checks accept the worked solutions and reject typical slips with a hint."""

from __future__ import annotations

import numpy as np
import pytest

from lenet_lib import data, photo
from lenet_lib.exercises import other_digits as exercises

from helpers import accepted, refused


def test_the_checks_agree_with_the_sets_and_the_framing():
    small, _ = data.load_small_digits()
    maps, _ = data.load_map_digits()
    assert small.shape[1:] == (exercises.SMALL_SIDE,) * 2
    assert maps.shape[1:] == (exercises.MAP_HEIGHT, exercises.MAP_WIDTH)
    # a full 16x15 block of ink, framed: 20 rows tall and round(15 * 20 / 16) = 19 columns wide
    steps = {}
    photo.center_digit(np.ones((exercises.MAP_HEIGHT, exercises.MAP_WIDTH)), steps=steps)
    assert steps["fitted"].shape == (exercises.BOX, 19)


def test_pixel_size_accepts_the_solution(capsys):
    accepted(capsys, exercises.check_pixel_size(20 / 8))


@pytest.mark.parametrize("answer, hint", [
    (28 / 8, "20x20 box"),
    (8 / 20, "upside down"),
    (4, "original 32x32 scan"),
    (3, "longer side spans"),
    ("2.5", "Answer with a number"),
])
def test_pixel_size_rejects_slips_with_a_hint(capsys, answer, hint):
    refused(capsys, exercises.check_pixel_size(answer), hint, answer=answer, secret="2.5")


@pytest.mark.parametrize("answer", [19, 18.75])
def test_map_width_accepts_the_solution(capsys, answer):
    accepted(capsys, exercises.check_map_width(answer))


@pytest.mark.parametrize("answer, hint", [
    (20, "aspect ratio is kept"),
    (15, "enlarged"),
    (21, "height (16 rows) is the longer side"),
    (10, "Scale both sides"),
    (None, "Answer with a number"),
])
def test_map_width_rejects_slips_with_a_hint(capsys, answer, hint):
    refused(capsys, exercises.check_map_width(answer), hint, answer=answer, secret="19")
