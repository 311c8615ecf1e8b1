"""Checks for the exercises of chapter 09: saving a network, and reading a photo of a digit."""

from __future__ import annotations

from lenet_lib.exercises import Feedback, check_number

#: The phone photo of the exercise: 12 megapixels, wider than tall.
PHONE_WIDTH, PHONE_HEIGHT = 4032, 3024
#: Bytes per weight in a float32 weights file.
FLOAT32_BYTES = 4


def check_working_height(answer: object) -> Feedback:
    """Exercise: how tall is the grey working copy ``mnist_style`` makes of a 4032×3024 photo?"""
    from lenet_lib.photo import WORKING_SIZE

    return check_number(
        answer, "a height in pixels", round(PHONE_HEIGHT * WORKING_SIZE / PHONE_WIDTH),
        "The longer side becomes photo.WORKING_SIZE and the aspect ratio is kept.",
        [(lambda v: v == PHONE_HEIGHT, "That is the original height: the working copy is shrunk first."),
         (lambda v: v == WORKING_SIZE, "photo.WORKING_SIZE is the length of the LONGER side; this photo is wider than tall."),
         (lambda v: abs(v - PHONE_WIDTH * WORKING_SIZE / PHONE_HEIGHT) <= 1,
          "Your ratio is upside down: the height shrinks by the same factor as the width."),
         (lambda v: v in (28, 20), "That is the size of the final MNIST image, not of the first, grey step.")],
        "Scale both sides by the same factor, the one that brings the longer side to photo.WORKING_SIZE.",
        abs_tol=0.5)


def slides_lenet5_parameters() -> int:
    """The number of weights of the slides' LeNet-5, from its layer list."""
    from lenet_lib.counting import SLIDES_LENET5, count_table

    return int(count_table(*SLIDES_LENET5).loc["total", "parameters"])


def check_weights_bytes(answer: object) -> Feedback:
    """Exercise: how many bytes of numbers does the slides' LeNet-5 weights file hold?"""
    parameters = slides_lenet5_parameters()
    return check_number(
        answer, "a number of bytes", FLOAT32_BYTES * parameters, "Every weight and bias is one 32-bit float, 4 bytes.",
        [(parameters, "That is the number of weights; how many bytes does one float32 take?"),
         (8 * parameters, "Keras stores the weights as float32, not float64."),
         (FLOAT32_BYTES * parameters / 1000, "Answer in bytes, not kilobytes."),
         (FLOAT32_BYTES * parameters / 1024, "Answer in bytes, not kilobytes.")],
        "Count the network's parameters (weights and biases; chapter 02 shows how, or use "
        "model.count_params()), then multiply by the size of one float32.")
