"""Checks for the exercises of chapter 09: saving a network, and reading a photo of a digit."""

from __future__ import annotations

from lenet_lib.exercises import Feedback, Text, check_number

#: The phone photo of the exercise: 12 megapixels, wider than tall.
PHONE_WIDTH, PHONE_HEIGHT = 4032, 3024
#: Bytes per weight in a float32 weights file.
FLOAT32_BYTES = 4


def check_working_height(answer: object) -> Feedback:
    """Exercise: how tall is the grey working copy ``mnist_style`` makes of a 4032×3024 photo?"""
    from lenet_lib.photo import WORKING_SIZE

    return check_number(
        answer, Text("a height in pixels", "以像素为单位的高度"), round(PHONE_HEIGHT * WORKING_SIZE / PHONE_WIDTH),
        Text("The longer side becomes photo.WORKING_SIZE and the aspect ratio is kept.",
             "较长的一边变成 photo.WORKING_SIZE，宽高比保持不变。"),
        [(lambda v: v == PHONE_HEIGHT, Text("That is the original height: the working copy is shrunk first.",
                                            "这是原始高度：工作副本要先缩小。")),
         (lambda v: v == WORKING_SIZE,
          Text("photo.WORKING_SIZE is the length of the LONGER side; this photo is wider than tall.",
               "photo.WORKING_SIZE 是“较长”那一边的长度；这张照片的宽大于高。")),
         (lambda v: abs(v - PHONE_WIDTH * WORKING_SIZE / PHONE_HEIGHT) <= 1,
          Text("Your ratio is upside down: the height shrinks by the same factor as the width.",
               "你的比值倒过来了：高度和宽度按同一个比例缩小。")),
         (lambda v: v in (28, 20), Text("That is the size of the final MNIST image, not of the first, grey step.",
                                        "这是最终 MNIST 图像的尺寸，而不是第一步灰度副本的尺寸。"))],
        Text("Scale both sides by the same factor, the one that brings the longer side to photo.WORKING_SIZE.",
             "把两边按同一个比例缩放，这个比例让较长的一边变成 photo.WORKING_SIZE。"),
        abs_tol=0.5)


def slides_lenet5_parameters() -> int:
    """The number of weights of the slides' LeNet-5, from its layer list."""
    from lenet_lib.counting import SLIDES_LENET5, count_table

    return int(count_table(*SLIDES_LENET5).loc["total", "parameters"])


def check_weights_bytes(answer: object) -> Feedback:
    """Exercise: how many bytes of numbers does the slides' LeNet-5 weights file hold?"""
    parameters = slides_lenet5_parameters()
    in_bytes = Text("Answer in bytes, not kilobytes.", "请以字节为单位作答，而不是千字节。")
    return check_number(
        answer, Text("a number of bytes", "字节数"), FLOAT32_BYTES * parameters,
        Text("Every weight and bias is one 32-bit float, 4 bytes.",
             "每个权重和偏置都是一个 32 位浮点数，占 4 个字节。"),
        [(parameters, Text("That is the number of weights; how many bytes does one float32 take?",
                           "这是权重的个数；一个 float32 占多少个字节？")),
         (8 * parameters, Text("Keras stores the weights as float32, not float64.",
                               "Keras 用 float32 而不是 float64 存储权重。")),
         (FLOAT32_BYTES * parameters / 1000, in_bytes),
         (FLOAT32_BYTES * parameters / 1024, in_bytes)],
        Text("Count the network's parameters (weights and biases; chapter 02 shows how, or use "
             "model.count_params()), then multiply by the size of one float32.",
             "先数出网络的参数个数（权重和偏置；第 02 章讲了怎么数，也可以用 model.count_params()），"
             "再乘以一个 float32 的大小。"))
