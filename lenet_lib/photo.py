"""From a photo of a handwritten digit to what LeNet was trained on.

MNIST digits are light on dark, their strokes anti-aliased, size-normalised
to fit a 20x20 box (aspect ratio kept) and centred by their centre of mass
in a 28x28 field.  A phone photo is dark ink on light, unevenly lit paper,
at any size and position.  ``mnist_style`` closes that gap in small steps,
each of which the photo chapter shows; ``naive`` is the lecture slides'
resize-and-divide, kept to show why it fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np

#: Photos larger than this (longer side, pixels) are shrunk first: plenty for a 20x20 digit.
WORKING_SIZE = 512
MIN_SIZE = 8


class PhotoError(ValueError):
    """The file is not a usable photo of a digit; the message says why."""


def read_photo(path: str | os.PathLike) -> np.ndarray:
    """Read an image file (PNG, JPEG, ...; colour, grey, 16-bit, with alpha) as 8-bit grey.

    ``cv2.imread`` returns ``None`` for a missing or unreadable file; this
    raises ``PhotoError`` naming the path instead.
    """
    path = Path(path)
    if not path.exists():
        raise PhotoError(f"{path}: no such file")
    if not path.is_file():
        raise PhotoError(f"{path}: not a file")
    if path.stat().st_size == 0:
        raise PhotoError(f"{path}: the file is empty")
    raw = np.fromfile(path, dtype=np.uint8)  # imdecode also copes with non-ASCII paths
    image = cv2.imdecode(raw, cv2.IMREAD_UNCHANGED)
    if image is None:
        raise PhotoError(f"{path}: OpenCV cannot decode this file as an image "
                         "(not an image, or a damaged one)")
    return to_grey(image, source=str(path))


def to_grey(image: np.ndarray, source: str = "image") -> np.ndarray:
    """Any OpenCV image (grey, BGR, BGRA; 8- or 16-bit, or float in [0, 1]) as uint8 grey.

    Transparent pixels become white paper.
    """
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] not in (3, 4)):
        raise PhotoError(f"{source}: expected a grey, BGR or BGRA image, got shape {image.shape}")
    if image.dtype == np.uint8:
        scaled = image.astype(np.float32) / 255
    elif image.dtype == np.uint16:
        scaled = image.astype(np.float32) / 65535
    elif np.issubdtype(image.dtype, np.floating):
        scaled = np.clip(image.astype(np.float32), 0, 1)
    else:
        raise PhotoError(f"{source}: unsupported pixel type {image.dtype}")
    if scaled.ndim == 3:
        if scaled.shape[2] == 4:
            alpha = scaled[:, :, 3:]
            scaled = scaled[:, :, :3] * alpha + (1 - alpha)  # composite over white paper
        scaled = cv2.cvtColor(scaled, cv2.COLOR_BGR2GRAY)
    if min(scaled.shape) < MIN_SIZE:
        raise PhotoError(f"{source}: {scaled.shape[1]}x{scaled.shape[0]} pixels is too small "
                         f"to hold a digit (at least {MIN_SIZE}x{MIN_SIZE})")
    return np.round(scaled * 255).astype(np.uint8)


def naive(grey: np.ndarray) -> np.ndarray:
    """The slides' preprocessing: resize the whole photo to 28x28 and divide by 255."""
    return cv2.resize(grey, (28, 28), interpolation=cv2.INTER_AREA).astype(np.float32) / 255


def _shrink(grey: np.ndarray) -> np.ndarray:
    scale = WORKING_SIZE / max(grey.shape)
    if scale >= 1:
        return grey
    size = (max(1, round(grey.shape[1] * scale)), max(1, round(grey.shape[0] * scale)))
    return cv2.resize(grey, size, interpolation=cv2.INTER_AREA)


def mnist_style(grey: np.ndarray, *, steps: dict | None = None) -> np.ndarray:
    """Turn a grey photo of one digit into a 28x28 float32 MNIST-style image in [0, 1].

    Pass a dict as ``steps`` to receive every intermediate image (for display).
    Raises ``PhotoError`` when no digit can be found.
    """
    steps = {} if steps is None else steps
    grey = _shrink(np.asarray(grey))
    steps["grey"] = grey
    image = grey.astype(np.float32)

    # 1. Flatten the lighting: the paper's brightness, estimated by removing the
    #    strokes (a grey-level closing wider than a stroke) and blurring, divides out.
    size = max(grey.shape)
    if np.median(image) < 128:  # light ink on a dark background: make it dark on light
        image = 255 - image
    close = max(3, size // 25) | 1
    paper = cv2.morphologyEx(image, cv2.MORPH_CLOSE,
                             cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (close, close)))
    paper = cv2.GaussianBlur(paper, (0, 0), close / 2)
    flat = np.clip(image / np.maximum(paper, 1.0), 0, 1)
    steps["flattened"] = flat

    # 2. Invert: ink becomes bright, paper black, as in MNIST.
    ink = 1 - flat
    steps["inverted"] = ink
    if ink.max() < 0.12:
        raise PhotoError("no digit found: the image has (almost) no contrast")

    # 3. Otsu's threshold separates ink from paper; 4. keep the large connected
    #    pieces (the digit), dropping specks and paper texture.
    ink8 = np.round(ink * 255).astype(np.uint8)
    _, mask = cv2.threshold(cv2.GaussianBlur(ink8, (3, 3), 0), 0, 255,
                                cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    areas = stats[1:, cv2.CC_STAT_AREA]
    if count <= 1:
        raise PhotoError("no digit found: nothing stands out from the paper")
    keep = 1 + np.flatnonzero(areas >= max(0.15 * areas.max(), 1e-4 * mask.size))
    digit_mask = np.isin(labels, keep)
    steps["threshold"] = mask
    steps["kept"] = digit_mask.astype(np.uint8) * 255
    if digit_mask.mean() > 0.5:
        raise PhotoError("no digit found: 'ink' covers most of the image "
                         "(is it a photo of a dark digit on light paper?)")

    # 5. Crop to the digit; keep the ink's grey levels (anti-aliased edges) near the strokes.
    rows, cols = np.flatnonzero(digit_mask.any(axis=1)), np.flatnonzero(digit_mask.any(axis=0))
    top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    near = cv2.dilate(digit_mask.astype(np.uint8), np.ones((3, 3), np.uint8), iterations=2)
    strokes = np.where(near > 0, ink, 0)[top:bottom, left:right]
    strokes = np.clip(strokes / max(np.percentile(strokes[strokes > 0], 90), 1e-6), 0, 1)
    steps["cropped"] = strokes

    # 6. Stroke width: MNIST strokes are about 2 px wide in the 20x20 box; thicken thin ones.
    #    A stroke's width is about twice its area over its outline's length.
    piece = digit_mask[top:bottom, left:right].astype(np.uint8)
    contours, _ = cv2.findContours(piece, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    width = 2 * piece.sum() / max(sum(cv2.arcLength(c, True) for c in contours), 1)
    wanted = 2.0 * max(strokes.shape) / 20
    grow = int(round((wanted - width) / 2))
    if grow > 0:
        strokes = np.pad(strokes, grow)
        strokes = cv2.dilate(strokes, cv2.getStructuringElement(cv2.MORPH_ELLIPSE,
                                                                (2 * grow + 1, 2 * grow + 1)))
    steps["thickened"] = strokes

    # 7.-8. Fit into 20x20 keeping the aspect ratio, centre by centre of mass in 28x28.
    return center_digit(strokes, steps=steps)


def area_resize(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """Resize by averaging: each output pixel is the mean of the input area it covers
    (fractional pixels weighted by their overlap), like OpenCV's INTER_AREA when shrinking.

    Written out (two overlap matrices) so that the browser page can do exactly the same.
    """
    def overlaps(n_in: int, n_out: int) -> np.ndarray:
        step = n_in / n_out
        starts = np.arange(n_out)[:, None] * step
        pixels = np.arange(n_in)[None, :]
        overlap = np.minimum(starts + step, pixels + 1) - np.maximum(starts, pixels)
        return np.clip(overlap, 0, None) / step

    image = np.asarray(image, dtype=np.float64)
    return overlaps(image.shape[0], height) @ image @ overlaps(image.shape[1], width).T


def shift_image(image: np.ndarray, dy: float, dx: float) -> np.ndarray:
    """Move an image by (dy, dx) pixels with bilinear interpolation, zeros coming in."""
    def shift_rows(array: np.ndarray, d: float) -> np.ndarray:
        whole = int(np.floor(d))
        fraction = d - whole
        out = np.zeros_like(array)
        for k in range(array.shape[0]):
            for offset, weight in ((whole, 1 - fraction), (whole + 1, fraction)):
                source = k - offset
                if weight and 0 <= source < array.shape[0]:
                    out[k] += weight * array[source]
        return out

    return shift_rows(shift_rows(np.asarray(image, dtype=np.float64), dy).T, dx).T


def center_digit(ink: np.ndarray, *, steps: dict | None = None) -> np.ndarray:
    """The last two steps of MNIST's normalisation, for a light-on-dark digit image:
    crop to the ink, fit it into a 20x20 box keeping the aspect ratio, and put it
    in a 28x28 field with its centre of mass in the middle.

    The photo pipeline ends with it, and the browser page's JavaScript repeats it
    step for step (``_extra/lenet-draw/lenet.js``), so a drawing and a photo are prepared alike.
    """
    steps = {} if steps is None else steps
    ink = np.clip(np.asarray(ink, dtype=np.float64), 0, 1)
    rows, cols = np.flatnonzero(ink.max(axis=1) > 0), np.flatnonzero(ink.max(axis=0) > 0)
    if rows.size == 0:
        raise PhotoError("no digit found: the image is empty")
    ink = ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    scale = 20 / max(ink.shape)
    height, width = max(1, round(ink.shape[0] * scale)), max(1, round(ink.shape[1] * scale))
    small = area_resize(ink, height, width)
    steps["fitted"] = small
    field = np.zeros((28, 28))
    top, left = (28 - height) // 2, (28 - width) // 2
    field[top:top + height, left:left + width] = small
    total = field.sum()
    cy = (field.sum(axis=1) @ np.arange(28)) / total
    cx = (field.sum(axis=0) @ np.arange(28)) / total
    centred = np.clip(shift_image(field, 13.5 - cy, 13.5 - cx), 0, 1).astype(np.float32)
    steps["centred"] = centred
    return centred


def prepare_photo(path: str | os.PathLike, *, method: str = "mnist") -> np.ndarray:
    """Read a photo and return the (1, 28, 28, 1) batch a LeNet takes."""
    grey = read_photo(path)
    if method == "mnist":
        digit = mnist_style(grey)
    elif method == "naive":
        digit = naive(grey)
    else:
        raise ValueError(f"method must be 'mnist' or 'naive', not {method!r}")
    return digit[None, :, :, None]


def top_guesses(probabilities: np.ndarray, k: int = 2) -> list[tuple[int, float]]:
    """The ``k`` most probable digits with their probabilities, best first."""
    probabilities = np.asarray(probabilities).ravel()
    order = np.argsort(-probabilities, kind="stable")[:k]
    return [(int(d), float(probabilities[d])) for d in order]
