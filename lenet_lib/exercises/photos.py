"""Checks for the exercises of chapter 09: saving a network, and reading a photo of a digit."""

from __future__ import annotations

from lenet_lib.exercises import Feedback, as_number, verdict

#: The phone photo of the exercise: 12 megapixels, wider than tall.
PHONE_WIDTH, PHONE_HEIGHT = 4032, 3024
#: Bytes per weight in a float32 weights file.
FLOAT32_BYTES = 4


def check_working_height(answer: object) -> Feedback:
    """Exercise: how tall is the grey working copy ``mnist_style`` makes of a 4032×3024 photo?"""
    from lenet_lib.photo import WORKING_SIZE

    value = as_number(answer, "a height in pixels")
    if value is None:
        return Feedback(False)
    correct = round(PHONE_HEIGHT * WORKING_SIZE / PHONE_WIDTH)
    if abs(value - correct) <= 0.5:
        return verdict(True, "The longer side becomes photo.WORKING_SIZE and the aspect ratio is kept.", "")
    if value == PHONE_HEIGHT:
        hint = "That is the original height: the working copy is shrunk first."
    elif value == WORKING_SIZE:
        hint = "photo.WORKING_SIZE is the length of the LONGER side; this photo is wider than tall."
    elif abs(value - PHONE_WIDTH * WORKING_SIZE / PHONE_HEIGHT) <= 1:
        hint = "Your ratio is upside down: the height shrinks by the same factor as the width."
    elif value == 28 or value == 20:
        hint = "That is the size of the final MNIST image, not of the first, grey step."
    else:
        hint = "Scale both sides by the same factor, the one that brings the longer side to photo.WORKING_SIZE."
    return verdict(False, "", hint)


def slides_lenet5_parameters() -> int:
    """The number of weights of the slides' LeNet-5, from its layer list."""
    from lenet_lib.counting import SLIDES_LENET5, count_table

    return int(count_table(*SLIDES_LENET5).loc["total", "parameters"])


def check_weights_bytes(answer: object) -> Feedback:
    """Exercise: how many bytes of numbers does the slides' LeNet-5 weights file hold?"""
    value = as_number(answer, "a number of bytes")
    if value is None:
        return Feedback(False)
    parameters = slides_lenet5_parameters()
    if value == FLOAT32_BYTES * parameters:
        return verdict(True, "Every weight and bias is one 32-bit float, 4 bytes.", "")
    if value == parameters:
        hint = "That is the number of weights; how many bytes does one float32 take?"
    elif value == 8 * parameters:
        hint = "Keras stores the weights as float32, not float64."
    elif value == FLOAT32_BYTES * parameters / 1000 or value == FLOAT32_BYTES * parameters / 1024:
        hint = "Answer in bytes, not kilobytes."
    else:
        hint = ("Count the network's parameters (weights and biases; chapter 02 shows how, or use "
                "model.count_params()), then multiply by the size of one float32.")
    return verdict(False, "", hint)
