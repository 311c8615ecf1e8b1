"""The browser page's JavaScript agrees with Keras and with lenet_lib (run under Node)."""

from __future__ import annotations

import json
import shutil
import subprocess

import cv2
import numpy as np
import pytest

from lenet_lib import export, models, reading, saving, synthetic
from lenet_lib.photo import center_digit

from helpers import ROOT

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")
RUNNER = ROOT / "tests" / "js" / "run_lenet.js"
WEIGHTS = ROOT / "data" / "slides_lenet5.weights.h5"


def node(*args) -> list:
    result = subprocess.run([NODE, str(RUNNER), *map(str, args)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("build", [models.build_slides_lenet5, models.build_maxpool_lenet,
                                   models.build_classic_lenet5])
def test_forward_pass_agrees_with_keras(tmp_path, mnist_arrays, build):
    model = build()
    if build is models.build_slides_lenet5:
        saving.load_weights(model, WEIGHTS)  # the page's own, trained network
    digits = (mnist_arrays["x_test"][:100].astype("float32") / 255)[..., None]
    keras_probabilities = model.predict(digits, verbose=0)
    export.export_model(model, tmp_path / "model.json")
    (tmp_path / "digits.json").write_text(json.dumps(digits.tolist()))
    js_probabilities = np.array(node("predict", tmp_path / "model.json", tmp_path / "digits.json"))
    assert js_probabilities.shape == (100, 10)
    np.testing.assert_allclose(js_probabilities, keras_probabilities, atol=1e-5, rtol=0)
    assert np.array_equal(js_probabilities.argmax(axis=1), keras_probabilities.argmax(axis=1))


def drawings() -> list[np.ndarray]:
    """Strokes as a canvas would hold them: white on black, various sizes and places."""
    rng = np.random.default_rng(6)
    result = []
    for index in range(12):
        canvas = np.zeros((280, 280), np.float32)
        points = rng.integers(20, 260, size=(4, 2)).astype(np.int32)
        if index % 3 == 0:  # a small drawing in a corner
            points = points // 4 + 10
        cv2.polylines(canvas, [points], False, 1.0, int(rng.integers(6, 24)), cv2.LINE_AA)
        result.append(canvas)
    return result


def test_preprocessing_agrees_with_python(tmp_path):
    inks = drawings()
    (tmp_path / "inks.json").write_text(json.dumps([ink.tolist() for ink in inks]))
    js_digits = np.array(node("center", tmp_path / "inks.json"))
    python_digits = np.stack([center_digit(ink) for ink in inks])
    assert js_digits.shape == python_digits.shape == (len(inks), 28, 28)
    np.testing.assert_allclose(js_digits, python_digits, atol=1e-5)


def test_not_sure_rule(tmp_path):
    """The page names a digit only when there is ink at least 40 canvas pixels tall or wide,
    the digit check does not call it a mark and the best probability is at least one half;
    the boundaries exactly, in the same order as ``lenet_lib.reading.verdict``."""
    def ink(height: int, width: int) -> np.ndarray:
        canvas = np.zeros((280, 280))
        canvas[100:100 + height, 50:50 + width] = 0.5
        return canvas
    sure = [0.02] * 9 + [0.82]
    mark, digit_like = {"probability": 0.91, "threshold": 0.9}, {"probability": 0.9, "threshold": 0.9}
    cases = [  # (ink, probabilities, check, reason)
        (np.zeros((280, 280)), sure, mark, "empty"),
        (ink(2, 2), sure, None, "small"),        # a 2-pixel dot
        (ink(39, 39), sure, mark, "small"),      # too small is said first
        (ink(40, 3), sure, None, "sure"),        # a thin 1, 40 pixels tall
        (ink(3, 40), sure, digit_like, "sure"),  # at the threshold: still a digit
        (ink(120, 80), sure, mark, "not a digit"),
        (ink(120, 80), [0.499] + [0.501 / 9] * 9, mark, "not a digit"),
        (ink(120, 80), [0.5 - 1e-9, 0.5 + 1e-9] + [0.0] * 8, None, "sure"),  # 0.5 + 1e-9 on digit 1
        (ink(120, 80), [0.499] + [0.501 / 9] * 9, digit_like, "doubtful"),
        (ink(120, 80), [0.5] + [0.5 / 9] * 9, None, "sure"),
    ]
    (tmp_path / "inks.json").write_text(json.dumps([case[0].tolist() for case in cases]))
    (tmp_path / "probabilities.json").write_text(json.dumps([case[1] for case in cases]))
    (tmp_path / "checks.json").write_text(json.dumps([case[2] for case in cases]))
    answers = node("verdict", tmp_path / "inks.json", tmp_path / "probabilities.json", tmp_path / "checks.json")
    for (drawing, probabilities, _, reason), answer in zip(cases, answers):
        verdict = answer["verdict"]
        assert verdict["reason"] == reason and verdict["sure"] == (reason == "sure"), (reason, answer)
        rows, columns = np.flatnonzero(drawing.max(axis=1)), np.flatnonzero(drawing.max(axis=0))
        if reason == "empty":
            assert answer["box"] is None and verdict["digit"] is None
        else:
            assert answer["box"] == {"top": rows[0], "left": columns[0],
                                     "height": rows.size, "width": columns.size}
            assert verdict["digit"] == int(np.argmax(probabilities))
            assert verdict["probability"] == max(probabilities)


def test_the_page_asks_the_digit_check_what_python_asks(tmp_path):
    """The exported page model carries the shipped digit check and its threshold; the page's
    "not a digit" probabilities for drawn marks and digits are Keras' to 1e-5, and its verdicts
    are ``reading.verdict``'s."""
    network = saving.load_weights(models.build_slides_lenet5(), WEIGHTS)
    check = reading.DigitCheck.shipped()
    export.export_model(network, tmp_path / "page.json", check=check)
    page = json.loads((tmp_path / "page.json").read_text())
    assert page["check"]["threshold"] == check.threshold and page["check"]["format"] == export.FORMAT
    (tmp_path / "check.json").write_text(json.dumps(page["check"]))
    canvases = [synthetic.canvas(lines, seed=seed) for strokes in (synthetic.NOT_DIGITS, synthetic.DIGIT_STROKES)
                for lines in strokes.values() for seed in range(2)]
    digits = np.stack([center_digit(drawn) for drawn in canvases])
    (tmp_path / "digits.json").write_text(json.dumps(digits[..., None].tolist()))
    js_scores = np.array(node("predict", tmp_path / "check.json", tmp_path / "digits.json"))[:, 0]
    np.testing.assert_allclose(js_scores, check.model.predict(digits[..., None], verbose=0)[:, 0], atol=1e-5)
    probabilities = network.predict(digits[..., None], verbose=0)
    (tmp_path / "inks.json").write_text(json.dumps([drawn.tolist() for drawn in canvases]))
    (tmp_path / "probabilities.json").write_text(json.dumps(probabilities.tolist()))
    (tmp_path / "checks.json").write_text(json.dumps([{"probability": float(p), "threshold": check.threshold}
                                                      for p in js_scores]))
    answers = node("verdict", tmp_path / "inks.json", tmp_path / "probabilities.json", tmp_path / "checks.json")
    python = [reading.verdict(network, digit, drawn_box=reading.ink_box(drawn), check=check).reason
              for digit, drawn in zip(digits, canvases)]
    assert [answer["verdict"]["reason"] for answer in answers] == python


def test_export_format(tmp_path):
    model = models.build_slides_lenet5()
    described = export.describe(model)
    assert described["format"] == "lenet-course/1" and described["input_shape"] == [28, 28, 1]
    assert [layer["type"] for layer in described["layers"]] == [
        "conv2d", "average_pooling2d", "conv2d", "average_pooling2d", "conv2d", "flatten", "dense", "dense"]
    c1 = described["layers"][0]
    assert len(c1["kernel"]) == 5 * 5 * 1 * 6 and len(c1["bias"]) == 6 and c1["padding"] == "same"
    script = export.export_model(model, tmp_path / "model.js").read_text()
    assert script.startswith("window.LENET_MODEL = {") and script.rstrip().endswith("};")


def test_unsupported_model_is_refused():
    with pytest.raises(ValueError, match="not supported"):
        export.describe(models.build_tf_lenet())  # separate Activation layers
    with pytest.raises(ValueError, match="not supported"):
        export.describe(models.build_paper_lenet5())
