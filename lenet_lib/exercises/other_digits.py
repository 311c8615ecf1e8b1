"""Checks for the exercises of chapter 10: reading digits from outside MNIST."""

from __future__ import annotations

from lenet_lib.exercises import Feedback, Text, check_number

#: ``photo.center_digit`` fits a digit's longer side to this many pixels (MNIST's 20x20 box).
BOX = 20
#: The two sets of the chapter: 8x8 digits, and map digits 16 rows tall and 15 columns wide.
SMALL_SIDE, MAP_HEIGHT, MAP_WIDTH = 8, 16, 15


def check_pixel_size(answer: object) -> Feedback:
    """Exercise: how many MNIST pixels wide does one pixel of an 8x8 digit become once framed?"""
    return check_number(
        answer, Text("MNIST pixels per 8x8 pixel", "8x8 数字的一个像素合多少个 MNIST 像素"), BOX / SMALL_SIDE,
        Text("Each pixel of an 8x8 digit becomes a block two and a half MNIST pixels wide: coarse, "
             "soft steps where MNIST has smooth strokes.",
             "8x8 数字的每个像素都变成两个半 MNIST 像素宽的方块：MNIST 中平滑的笔画，"
             "在这里成了粗糙而模糊的台阶。"),
        [(28 / SMALL_SIDE,
          Text("The digit is fitted into the 20x20 box in the middle, not into the whole 28x28 field.",
               "数字被放进中间 20x20 的方框里，而不是整个 28x28 的画面。")),
         (SMALL_SIDE / BOX,
          Text("Your ratio is upside down: the digit is enlarged, so each pixel becomes more than one.",
               "你的比值倒过来了：数字被放大了，所以每个像素会变成不止一个像素。")),
         (4, Text("4x4 is how the original 32x32 scan was counted down to 8x8; the question is about framing.",
                  "4x4 是原始的 32x32 扫描图按块计数、缩成 8x8 时用的块大小；这道题问的是放进方框这一步。"))],
        Text("center_digit scales the digit so that its longer side spans the 20-pixel box.",
             "center_digit 会缩放数字，使它较长的一边正好撑满 20 像素的方框。"), abs_tol=0.01)


def check_map_width(answer: object) -> Feedback:
    """Exercise: how wide is a 16x15 map digit once fitted into the 20x20 box (whole pixels)?"""
    return check_number(
        answer, Text("a width in pixels", "以像素为单位的宽度"), MAP_WIDTH * BOX / MAP_HEIGHT,
        Text("The height, the longer side, becomes 20; the width grows by the same factor, so the "
             "digit keeps its shape.",
             "较长的一边，即高度，变成 20；宽度按同样的比例放大，所以数字的形状保持不变。"),
        [(BOX, Text("Only the longer side becomes 20: the aspect ratio is kept.",
                    "只有较长的一边变成 20：宽高比保持不变。")),
         (MAP_WIDTH, Text("The digit is enlarged to fit the box, so its width changes too.",
                          "数字会被放大到适合方框的大小，所以宽度也会变。")),
         (MAP_HEIGHT * BOX / MAP_WIDTH, Text("The height (16 rows) is the longer side, not the width.",
                                             "较长的一边是高度（16 行），而不是宽度。"))],
        Text("Scale both sides by the factor that brings the longer side to 20 pixels.",
             "把两边都乘以同一个比例，这个比例让较长的一边变成 20 像素。"), abs_tol=0.5)
