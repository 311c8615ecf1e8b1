"""Checks for the exercises of chapter 10: reading digits from outside MNIST."""

from __future__ import annotations

from lenet_lib.exercises import Feedback, as_number, verdict

#: ``photo.center_digit`` fits a digit's longer side to this many pixels (MNIST's 20x20 box).
BOX = 20
#: The two sets of the chapter: 8x8 digits, and map digits 16 rows tall and 15 columns wide.
SMALL_SIDE, MAP_HEIGHT, MAP_WIDTH = 8, 16, 15


def check_pixel_size(answer: object) -> Feedback:
    """Exercise: how many MNIST pixels wide does one pixel of an 8x8 digit become once framed?"""
    value = as_number(answer, "MNIST pixels per 8x8 pixel")
    if value is None:
        return Feedback(False)
    if abs(value - BOX / SMALL_SIDE) < 0.01:
        return verdict(True, "Each pixel of an 8x8 digit becomes a block two and a half MNIST pixels "
                             "wide: coarse, soft steps where MNIST has smooth strokes.", "")
    if abs(value - 28 / SMALL_SIDE) < 0.01:
        hint = "The digit is fitted into the 20x20 box in the middle, not into the whole 28x28 field."
    elif abs(value - SMALL_SIDE / BOX) < 0.01:
        hint = "Your ratio is upside down: the digit is enlarged, so each pixel becomes more than one."
    elif value == 4:
        hint = "4x4 is how the original 32x32 scan was counted down to 8x8; the question is about framing."
    else:
        hint = "center_digit scales the digit so that its longer side spans the 20-pixel box."
    return verdict(False, "", hint)


def check_map_width(answer: object) -> Feedback:
    """Exercise: how wide is a 16x15 map digit once fitted into the 20x20 box (whole pixels)?"""
    value = as_number(answer, "a width in pixels")
    if value is None:
        return Feedback(False)
    exact = MAP_WIDTH * BOX / MAP_HEIGHT
    if abs(value - exact) <= 0.5:
        return verdict(True, "The height, the longer side, becomes 20; the width grows by the same "
                             "factor, so the digit keeps its shape.", "")
    if value == BOX:
        hint = "Only the longer side becomes 20: the aspect ratio is kept."
    elif value == MAP_WIDTH:
        hint = "The digit is enlarged to fit the box, so its width changes too."
    elif abs(value - MAP_HEIGHT * BOX / MAP_WIDTH) <= 0.5:
        hint = "The height (16 rows) is the longer side, not the width."
    else:
        hint = "Scale both sides by the factor that brings the longer side to 20 pixels."
    return verdict(False, "", hint)
