"""The photo pipeline: bad input gets a clear error, real and rendered photos get read."""

from __future__ import annotations

import csv
import time

import cv2
import numpy as np
import pytest

from lenet_lib import models, saving
from lenet_lib.photo import PhotoError, mnist_style, naive, prepare_photo, read_photo, to_grey, top_guesses

from helpers import ROOT, SHARED

PHOTOS = SHARED / "photos"
WEIGHTS = ROOT / "data" / "slides_lenet5.weights.h5"


@pytest.fixture(scope="module")
def model():
    return saving.load_weights(models.build_slides_lenet5(), WEIGHTS)


def predict(model, batch: np.ndarray) -> int:
    return int(model.predict(batch, verbose=0).argmax())


def digit_on_paper(size=(600, 800), digit="4", light_gradient=True) -> np.ndarray:
    """A dark digit on unevenly lit paper, uint8 BGR."""
    paper = np.full((*size, 3), 220, np.uint8)
    cv2.putText(paper, digit, (size[1] // 3, int(size[0] * 0.75)), cv2.FONT_HERSHEY_SIMPLEX,
                size[0] / 60, (30, 30, 30), max(2, size[0] // 40), cv2.LINE_AA)
    if light_gradient:
        paper = (paper * np.linspace(0.7, 1.0, size[1])[None, :, None]).astype(np.uint8)
    return paper


# --- bad input -----------------------------------------------------------------------------

def test_missing_file(tmp_path):
    with pytest.raises(PhotoError, match="no such file") as error:
        read_photo(tmp_path / "3.png")
    assert "3.png" in str(error.value)


def test_directory(tmp_path):
    with pytest.raises(PhotoError, match="not a file"):
        read_photo(tmp_path)


def test_empty_file(tmp_path):
    (tmp_path / "empty.png").write_bytes(b"")
    with pytest.raises(PhotoError, match="empty"):
        read_photo(tmp_path / "empty.png")


def test_text_file_with_png_name(tmp_path):
    (tmp_path / "digit.png").write_text("this is not a picture\n")
    with pytest.raises(PhotoError, match="cannot decode") as error:
        read_photo(tmp_path / "digit.png")
    assert "digit.png" in str(error.value)


def test_one_pixel_image(tmp_path):
    cv2.imwrite(str(tmp_path / "dot.png"), np.zeros((1, 1), np.uint8))
    with pytest.raises(PhotoError, match="too small"):
        prepare_photo(tmp_path / "dot.png")


@pytest.mark.parametrize("value", [0, 255, 128])
def test_uniform_images_have_no_digit(tmp_path, value):
    cv2.imwrite(str(tmp_path / "flat.png"), np.full((200, 300), value, np.uint8))
    with pytest.raises(PhotoError, match="no digit found"):
        prepare_photo(tmp_path / "flat.png")


def test_bad_shapes_and_types():
    with pytest.raises(PhotoError, match="shape"):
        to_grey(np.zeros((10, 10, 2), np.uint8))
    with pytest.raises(PhotoError, match="pixel type"):
        to_grey(np.zeros((10, 10), np.int32))
    with pytest.raises(ValueError, match="method"):
        prepare_photo(ROOT / "data" / "sample_digit_3.jpg", method="magic")


def test_huge_image_is_handled_quickly(tmp_path, model):
    path = tmp_path / "huge.jpg"
    cv2.imwrite(str(path), digit_on_paper(size=(4000, 6000)))
    start = time.perf_counter()
    batch = prepare_photo(path)
    assert time.perf_counter() - start < 10
    assert batch.shape == (1, 28, 28, 1) and predict(model, batch) == 4


def test_sixteen_bit_png(tmp_path, model):
    path = tmp_path / "deep.png"
    cv2.imwrite(str(path), digit_on_paper().astype(np.uint16) * 257)
    assert read_photo(path).dtype == np.uint8
    assert predict(model, prepare_photo(path)) == 4


def test_alpha_channel_transparent_background(tmp_path, model):
    bgra = np.zeros((400, 400, 4), np.uint8)  # fully transparent...
    cv2.putText(bgra, "7", (110, 330), cv2.FONT_HERSHEY_SIMPLEX, 10, (0, 0, 0, 255), 24, cv2.LINE_AA)
    path = tmp_path / "alpha.png"
    cv2.imwrite(str(path), bgra)  # ...but for an opaque black 7
    assert predict(model, prepare_photo(path)) == 7


def test_specks_and_an_off_centre_digit(tmp_path, model):
    paper = np.full((600, 800), 215, np.uint8)
    cv2.putText(paper, "2", (520, 250), cv2.FONT_HERSHEY_SIMPLEX, 7, 40, 14, cv2.LINE_AA)  # top right
    rng = np.random.default_rng(3)
    for y, x in rng.integers(0, 600, size=(40, 2)):  # dust and pencil dots all over the page
        cv2.circle(paper, (int(x) + 100, int(y)), int(rng.integers(1, 4)), 60, -1)
    path = tmp_path / "specks.png"
    cv2.imwrite(str(path), paper)
    assert predict(model, prepare_photo(path)) == 2


def test_greyscale_and_colour_give_the_same_digit(tmp_path):
    colour = digit_on_paper()
    cv2.imwrite(str(tmp_path / "c.png"), colour)
    cv2.imwrite(str(tmp_path / "g.png"), cv2.cvtColor(colour, cv2.COLOR_BGR2GRAY))
    np.testing.assert_allclose(prepare_photo(tmp_path / "c.png"), prepare_photo(tmp_path / "g.png"), atol=0.02)


# --- what the pipeline makes ---------------------------------------------------------------

def test_output_looks_like_mnist():
    steps = {}
    digit = mnist_style(cv2.cvtColor(digit_on_paper(), cv2.COLOR_BGR2GRAY), steps=steps)
    assert digit.shape == (28, 28) and digit.dtype == np.float32
    assert 0 <= digit.min() and digit.max() <= 1 and digit.max() > 0.9
    assert digit[:, :3].max() < 0.05 and digit[:3, :].max() < 0.05  # dark border
    rows, cols = np.nonzero(digit > 0.05)
    assert max(np.ptp(rows), np.ptp(cols)) <= 21  # fits the 20x20 box (plus blur)
    cy, cx = (np.indices(digit.shape) * digit).reshape(2, -1).sum(1) / digit.sum()
    assert abs(cy - 13.5) < 0.5 and abs(cx - 13.5) < 0.5
    assert {"grey", "flattened", "inverted", "threshold", "kept", "cropped", "fitted", "centred"} <= steps.keys()


def test_mnist_digits_photographed_are_read_back(model, mnist_arrays):
    """MNIST test digits made into 'photos' (dark on lit paper, 10x larger, off-centre,
    noisy) come back through the pipeline and are recognised as the originals are."""
    rng = np.random.default_rng(0)
    correct = 0
    for image, label in zip(mnist_arrays["x_test"][:100], mnist_arrays["y_test"][:100]):
        big = cv2.resize(image, (280, 280), interpolation=cv2.INTER_CUBIC).astype(np.float32)
        canvas = np.zeros((480, 640), np.float32)
        y, x = rng.integers(0, 200), rng.integers(0, 360)
        canvas[y:y + 280, x:x + 280] = big
        lighting = np.linspace(0.6, 1.0, 640)[None, :]
        photo = (235 - 0.8 * canvas) * lighting + rng.normal(0, 4, canvas.shape)
        digit = mnist_style(np.clip(photo, 0, 255).astype(np.uint8))
        correct += predict(model, digit[None, :, :, None]) == label
    assert correct >= 95, correct


def test_top_guesses():
    assert top_guesses(np.array([0.1, 0.6, 0.05, 0.25]), k=2) == [(1, 0.6), (3, 0.25)]


def test_naive_is_what_the_slides_do():
    grey = np.full((100, 50), 255, np.uint8)
    out = naive(grey)
    assert out.shape == (28, 28) and np.allclose(out, 1.0)


# --- real photos -----------------------------------------------------------------------------

def shared_photos():
    if not (PHOTOS / "labels.csv").is_file():
        pytest.skip(f"{PHOTOS} is not here")
    with open(PHOTOS / "labels.csv") as handle:
        return [(PHOTOS / row["file"], int(row["label"])) for row in csv.DictReader(handle)]


def test_real_photos_mnist_way_gets_at_least_19_of_21(model):
    photos = shared_photos()
    assert len(photos) == 21
    mnist_right = sum(predict(model, prepare_photo(path)) == label for path, label in photos)
    naive_right = sum(predict(model, prepare_photo(path, method="naive")) == label for path, label in photos)
    assert mnist_right >= 19, mnist_right
    assert naive_right < mnist_right - 8, (naive_right, mnist_right)


@pytest.mark.parametrize("name, label", [("sample_digit_3.jpg", 3), ("sample_digit_7_pencil.jpg", 7)])
def test_course_sample_photos(model, name, label):
    assert predict(model, prepare_photo(ROOT / "data" / name)) == label
