"""Checks for the exercises of chapter 10: reading digits from outside MNIST."""

from __future__ import annotations

from lenet_lib.exercises import Feedback, check_number

#: ``photo.center_digit`` fits a digit's longer side to this many pixels (MNIST's 20x20 box).
BOX = 20
#: The two sets of the chapter: 8x8 digits, and map digits 16 rows tall and 15 columns wide.
SMALL_SIDE, MAP_HEIGHT, MAP_WIDTH = 8, 16, 15


def check_pixel_size(answer: object) -> Feedback:
    """Exercise: how many MNIST pixels wide does one pixel of an 8x8 digit become once framed?"""
    return check_number(
        answer, "MNIST pixels per 8x8 pixel", BOX / SMALL_SIDE,
        "Each pixel of an 8x8 digit becomes a block two and a half MNIST pixels wide: coarse, "
        "soft steps where MNIST has smooth strokes.",
        [(28 / SMALL_SIDE, "The digit is fitted into the 20x20 box in the middle, not into the whole 28x28 field."),
         (SMALL_SIDE / BOX, "Your ratio is upside down: the digit is enlarged, so each pixel becomes more than one."),
         (4, "4x4 is how the original 32x32 scan was counted down to 8x8; the question is about framing.")],
        "center_digit scales the digit so that its longer side spans the 20-pixel box.", abs_tol=0.01)


def check_map_width(answer: object) -> Feedback:
    """Exercise: how wide is a 16x15 map digit once fitted into the 20x20 box (whole pixels)?"""
    return check_number(
        answer, "a width in pixels", MAP_WIDTH * BOX / MAP_HEIGHT,
        "The height, the longer side, becomes 20; the width grows by the same factor, so the "
        "digit keeps its shape.",
        [(BOX, "Only the longer side becomes 20: the aspect ratio is kept."),
         (MAP_WIDTH, "The digit is enlarged to fit the box, so its width changes too."),
         (MAP_HEIGHT * BOX / MAP_WIDTH, "The height (16 rows) is the longer side, not the width.")],
        "Scale both sides by the factor that brings the longer side to 20 pixels.", abs_tol=0.5)
