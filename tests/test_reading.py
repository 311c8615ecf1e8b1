"""The "not sure" rule (``lenet_lib.reading``): the shipped digit check and its threshold, marks
that are not digits left unread by both readers, digits still read."""

from __future__ import annotations

import json

import numpy as np
import pytest

from lenet_lib import models, photo, reading, saving, synthetic, training

from helpers import ROOT, script

train_digit_check = script("train_digit_check")

WEIGHTS = ROOT / "data" / "slides_lenet5.weights.h5"


@pytest.fixture(scope="module")
def network():
    return saving.load_weights(models.build_slides_lenet5(), WEIGHTS)


@pytest.fixture(scope="module")
def check():
    return reading.DigitCheck.shipped()


def page_verdict(network, check, strokes, seed):
    drawn = synthetic.canvas(strokes, seed=seed)
    return reading.verdict(network, photo.center_digit(drawn), drawn_box=reading.ink_box(drawn), check=check)


def test_the_record_is_the_shipped_full_run():
    record = json.loads(reading.CHECK_RECORD.read_text())
    assert record["mode"] == "full" and record["seed"] == 0
    assert record["digits_left_unread"] == train_digit_check.DIGITS_LEFT_UNREAD
    assert record["sizes"]["MARKS"] == train_digit_check.MARKS and record["sizes"]["EPOCHS"] == train_digit_check.EPOCHS


def test_the_threshold_is_the_held_out_quantile(check, mnist_arrays):
    """The recorded threshold is the shipped check's own: the probability that leaves 1 % of the
    10,000 held-out MNIST training digits unread (the script's rule, recomputed here)."""
    held_out = training.scale_images(mnist_arrays["x_train"][50_000:])
    scores = check.model.predict(held_out, verbose=0, batch_size=1024)[:, 0]
    assert check.threshold == pytest.approx(np.quantile(scores, 1 - train_digit_check.DIGITS_LEFT_UNREAD), abs=1e-4)
    assert 0.005 <= np.mean(scores > check.threshold) <= 0.0101


def test_mnist_test_digits_stay_read(check, mnist_arrays):
    """On the 10,000 test digits, which played no part, the check leaves at most 2 % unread
    (1.0-1.2 % measured; the threshold was set for 1 % on other digits)."""
    scores = check.model.predict(training.scale_images(mnist_arrays["x_test"]), verbose=0, batch_size=1024)[:, 0]
    assert np.mean(scores > check.threshold) <= 0.02


MARK_SETS = {"benchmark": synthetic.NOT_DIGITS, "held out": synthetic.NOT_DIGITS_HELD_OUT}
#: The share of marks a reader may still name as digits, set from what the shipped check measured:
#: photographed (two photos each) benchmark 0 of 24, held out 7 of 20 (a house, a sun, a circled
#: plus, an envelope, a cloud); drawn (four drawings each) benchmark 0 of 48, held out 8 of 40 (an
#: envelope, a cloud).
PHOTOGRAPHED_NAMED = {"benchmark": 0.1, "held out": 0.45}
DRAWN_NAMED = {"benchmark": 0.1, "held out": 0.3}


@pytest.mark.parametrize("marks", MARK_SETS, ids=list(MARK_SETS))
def test_drawn_marks_that_are_not_digits_are_not_named(network, check, marks):
    """The page's canvas: marks that are not digits are not named, within ``DRAWN_NAMED`` (each
    drawn four times by a wobbly hand); each one says why.  The held-out set played no part in
    making the check."""
    verdicts = {(name, seed): page_verdict(network, check, lines, seed)
                for name, lines in MARK_SETS[marks].items() for seed in range(4)}
    named = [key for key, said in verdicts.items() if said.sure]
    assert len(named) <= DRAWN_NAMED[marks] * len(verdicts), named
    assert {said.reason for said in verdicts.values() if not said.sure} <= {"not a digit", "doubtful"}


def test_drawn_digits_are_read(network, check):
    verdicts = {(digit, seed): page_verdict(network, check, lines, seed)
                for digit, lines in synthetic.DIGIT_STROKES.items() for seed in range(4)}
    unread = [key for key, said in verdicts.items() if not said.sure]
    wrong = [key for key, said in verdicts.items() if said.sure and said.digit != int(key[0])]
    assert len(unread) <= 2 and not wrong, (unread, wrong)


@pytest.mark.parametrize("marks", MARK_SETS, ids=list(MARK_SETS))
def test_photographed_marks_are_not_named(network, check, tmp_path, marks):
    """The same marks photographed (thin pen on a large photo, thick marker on a small one):
    refused by the photo pipeline or "not sure", within ``PHOTOGRAPHED_NAMED``."""
    named = []
    for name, lines in MARK_SETS[marks].items():
        for seed in range(2):  # a thick marker, then a thin pen
            path = synthetic.write_variant(synthetic.photographed(lines, seed), "original", tmp_path / name)
            try:
                digit = photo.mnist_style(photo.read_photo(path))
            except photo.PhotoError:
                continue
            if reading.verdict(network, digit, check=check).sure:
                named.append((name, seed))
    assert len(named) <= PHOTOGRAPHED_NAMED[marks] * 2 * len(MARK_SETS[marks]), named


def test_the_check_decides_between_size_and_confidence(network, check):
    """Order of the rule: too small first, then the check, then the network's confidence."""
    drawn = synthetic.canvas(synthetic.NOT_DIGITS["star"], seed=0)
    digit = photo.center_digit(drawn)
    never = reading.DigitCheck(check.model, threshold=1.0)  # a check that never objects
    always = reading.DigitCheck(check.model, threshold=-1.0)  # one that always does
    assert reading.verdict(network, digit, drawn_box=(0, 0, 30, 30), check=always).reason == "small"
    assert reading.verdict(network, digit, check=always).reason == "not a digit"
    assert reading.verdict(network, digit, check=never).reason in {"sure", "doubtful"}
    assert reading.verdict(network, None, check=always).reason == "empty"


def test_random_marks_are_not_the_reported_ones():
    """The marks the check is trained on are drawn at random from kinds, with the pen and size
    random too; none of them is one of the benchmark's fixed marks."""
    rng = np.random.default_rng(0)
    drawn = [synthetic.random_mark(rng) for _ in range(64)]
    assert {kind for kind, _ in drawn} == set(synthetic.MARK_KINDS)
    for kind, mark in drawn:
        assert mark.shape == (280, 280) and mark.dtype == np.float32 and 0 <= mark.min() and mark.max() <= 1
        assert mark.max() > 0.5, kind
    fixed = [synthetic.canvas(lines, seed=s) for marks in MARK_SETS.values() for lines in marks.values()
             for s in range(4)]
    assert not any(np.array_equal(mark, other) for _, mark in drawn for other in fixed)
    with pytest.raises(ValueError, match="unknown mark kind"):
        synthetic._random_lines("circle", rng)


@pytest.mark.parametrize("verdict, sentence", [
    (reading.Verdict(True, "sure", 8, 0.98765), "It is an 8 (98.8 %)."),
    (reading.Verdict(True, "sure", 3, 0.5), "It is a 3 (50.0 %)."),
    (reading.Verdict(False, "doubtful", 1, 0.4321), "Not sure: perhaps a 1 (43.2 %)."),
    (reading.Verdict(False, "not a digit", 4, 0.9), "Not sure: this does not look like a digit."),
    (reading.Verdict(False, "small", None, None), "Not sure: this is too small to be a digit. Draw it bigger."),
    (reading.Verdict(False, "empty", None, None), "Not sure: nothing is drawn yet."),
])
def test_a_verdict_reads_as_the_page_says_it(verdict, sentence):
    """Printed, a verdict is the sentence the draw page shows (the browser test holds the page to it)."""
    assert str(verdict) == sentence


def test_the_hand_keeps_corners_and_rounds_curves():
    """The wobbly hand that draws every synthetic digit and mark keeps a corner where the pen
    turns sharply (a triangle's, a 7's) and rounds only gentle turns: a triangle drawn with
    corner cutting everywhere was a teardrop, much like a 0, and a square a D."""
    rng = np.random.default_rng(0)
    triangle = synthetic.NOT_DIGITS["triangle"][0]
    line = synthetic._wobbly([triangle], rng, jitter=0.0)[0]
    for corner in triangle[1:3]:  # the inner corners are points of the drawn line
        assert np.min(np.linalg.norm(line - corner, axis=1)) < 1e-9, corner
    circle = synthetic._circle(0.5, 0.5, 0.4, n=8)  # turns of 51 degrees: one smooth curve
    smoothed = synthetic._wobbly([circle], rng, jitter=0.0)[0]
    assert len(smoothed) > 4 * len(circle)
    inner = smoothed[1:-1]
    assert np.all(np.linalg.norm(inner - 0.5, axis=1) < 0.4 - 1e-6)  # cut inside every control point
    assert synthetic._corners(np.asarray(triangle)) == [1, 2] and synthetic._corners(np.asarray(circle)) == []


def test_ring_marks_carry_marks_away_from_the_ring():
    """A "rings" mark is a large ring with two or more small rings or strokes inside it or
    around it, their control points away from the ring's line (within 0.8 or beyond 1.3 of its
    radius, less a small ring's radius): a ring whose only extra lies on its own stroke is a 0."""
    rng = np.random.default_rng(1)
    for _ in range(50):
        ring, *extras = synthetic._random_lines("rings", rng)
        radius = np.linalg.norm(np.asarray(ring[0]) - 0.5)
        assert len(extras) >= 2
        for extra in extras:
            distances = np.linalg.norm(np.asarray(extra) - 0.5, axis=1)
            assert np.all(distances <= 0.8 * radius + 0.08) or np.all(distances >= 1.3 * radius - 0.08)
