"""From a photo of a handwritten digit to what LeNet was trained on.

MNIST digits are light on dark, their strokes anti-aliased, size-normalised
to fit a 20x20 box (aspect ratio kept) and centred by their centre of mass
in a 28x28 field.  A phone photo is dark ink on light, unevenly lit paper,
at any size, position and orientation.  ``read_photo`` reads it as a person
sees it (EXIF orientation applied, transparency composited), ``mnist_style``
closes the gap to MNIST in small steps, each of which the photo chapter shows,
and refuses, with a ``PhotoError`` saying why, a picture that does not show
one digit; ``naive`` is the lecture slides' resize-and-divide, kept to show why it fails.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

#: Photos larger than this (longer side, pixels) are shrunk first: plenty for a 20x20 digit.
WORKING_SIZE = 512
MIN_SIZE = 8
#: Files with more pixels than this are refused before decoding (a 50-megapixel phone photo fits).
MAX_PIXELS = 50_000_000
#: The digit's longer side must span at least this many pixels of the working image
#: (3 % of a photo's longer side): anything smaller is a speck, or needs a closer photo.
MIN_DIGIT = 16
#: Rows converted at a time by ``to_grey``: bounds the float copies of a large image.
_STRIP_ROWS = 1024

#: How each EXIF orientation (2-8) turns the stored pixels upright (1: as stored).
_UPRIGHT = {
    2: lambda a: a[:, ::-1],
    3: lambda a: a[::-1, ::-1],
    4: lambda a: a[::-1],
    5: lambda a: a.swapaxes(0, 1),
    6: lambda a: np.rot90(a, -1),
    7: lambda a: a[::-1, ::-1].swapaxes(0, 1),
    8: lambda a: np.rot90(a, 1),
}
_JPEG_REDUCED = {1: cv2.IMREAD_GRAYSCALE, 2: cv2.IMREAD_REDUCED_GRAYSCALE_2,
                 4: cv2.IMREAD_REDUCED_GRAYSCALE_4, 8: cv2.IMREAD_REDUCED_GRAYSCALE_8}
_READ_FORMATS = "PNG, JPEG, BMP, TIFF and WebP"


class PhotoError(ValueError):
    """The file is not a usable photo of a digit; the message says why."""


def read_photo(path: str | os.PathLike) -> np.ndarray:
    """Read an image file (PNG, JPEG, BMP, TIFF, WebP; colour, grey, 16-bit, with alpha) as 8-bit grey,
    the way a person sees it: the EXIF orientation a phone stores is applied.

    Files of more than ``MAX_PIXELS`` pixels are refused from their header, before
    decoding; large JPEGs are decoded at 1/2, 1/4 or 1/8 size (the longer side stays
    at least ``2 * WORKING_SIZE``), which is fast and small.  Every failure,
    ``cv2.imread``'s silent ``None`` included, raises ``PhotoError`` naming the path.
    """
    path = Path(path)
    if not path.exists():
        raise PhotoError(f"{path}: no such file")
    if not path.is_file():
        raise PhotoError(f"{path}: not a file")
    size = path.stat().st_size
    if size == 0:
        raise PhotoError(f"{path}: the file is empty")
    if size > 8 * MAX_PIXELS:  # more bytes than an uncompressed 16-bit RGBA image of MAX_PIXELS
        raise PhotoError(f"{path}: {size / 1e6:.0f} MB is too large for a photo")
    raw = np.fromfile(path, dtype=np.uint8)  # imdecode also copes with non-ASCII paths
    header = _image_header(raw[:1 << 20].tobytes())
    if header is None:
        raise PhotoError(f"{path}: OpenCV cannot decode this file as an image (not an image, "
                         f"or a damaged one; {_READ_FORMATS} files are read)")
    kind, width, height, orientation = header
    if width * height > MAX_PIXELS:
        raise PhotoError(f"{path}: the header says {width}x{height} pixels, more than the "
                         f"{MAX_PIXELS / 1e6:.0f} megapixels accepted; refused without decoding it")
    if kind == "jpeg":  # no alpha: decode grey, reduced by the largest factor that keeps detail
        factor = max(f for f in _JPEG_REDUCED if f == 1 or max(width, height) // f >= 2 * WORKING_SIZE)
        flags = _JPEG_REDUCED[factor] | cv2.IMREAD_IGNORE_ORIENTATION
    else:  # UNCHANGED keeps alpha and 16 bits (and never applies orientation)
        flags = cv2.IMREAD_UNCHANGED
    try:
        image = cv2.imdecode(raw, flags)
    except (cv2.error, MemoryError) as exc:
        raise PhotoError(f"{path}: OpenCV failed to decode this {width}x{height} {kind.upper()} "
                         f"file (damaged?): {str(exc).strip()}") from exc
    if image is None:
        raise PhotoError(f"{path}: OpenCV cannot decode this file as an image "
                         "(not an image, or a damaged one)")
    if orientation in _UPRIGHT:  # orientation is ours to apply: OpenCV was told to ignore it
        image = np.ascontiguousarray(_UPRIGHT[orientation](image))
    return to_grey(image, source=str(path))


def _image_header(data: bytes) -> tuple[str, int, int, int] | None:
    """(format, width, height, EXIF orientation 1-8) from a file's first bytes, or None."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n"):
            found = _png_header(data)
        elif data.startswith(b"\xff\xd8"):
            found = _jpeg_header(data)
        elif data.startswith(b"BM") and len(data) >= 26:
            width, height = struct.unpack("<ii", data[18:26])
            found = ("bmp", width, abs(height), 1)
        elif data[:4] in (b"II*\0", b"MM\0*"):
            tags = _tiff_tags(data)
            found = ("tiff", tags.get(256, 0), tags.get(257, 0), tags.get(274, 1))
        elif data.startswith(b"RIFF") and data[8:12] == b"WEBP":
            found = _webp_header(data)
        else:
            return None
    except struct.error:  # a header cut short
        return None
    if found is None or found[1] <= 0 or found[2] <= 0:
        return None
    kind, width, height, orientation = found
    return kind, width, height, orientation if orientation in range(1, 9) else 1


def _tiff_tags(tiff: bytes) -> dict[int, int]:
    """The SHORT and LONG tags of a TIFF structure's first directory (a TIFF file, or an
    EXIF block): {tag: value}.  256/257 are width/height, 274 the orientation."""
    end = "<" if tiff[:2] == b"II" else ">"
    (offset,) = struct.unpack(end + "I", tiff[4:8])
    (count,) = struct.unpack(end + "H", tiff[offset:offset + 2])
    tags = {}
    for entry in range(offset + 2, offset + 2 + 12 * count, 12):
        tag, kind = struct.unpack(end + "HH", tiff[entry:entry + 4])
        if kind in (3, 4):  # SHORT, LONG: the value sits in the entry itself
            tags[tag] = struct.unpack(end + ("H" if kind == 3 else "I"), tiff[entry + 8:entry + (10 if kind == 3 else 12)])[0]
    return tags


def _png_header(data: bytes):
    width = height = None
    orientation, position = 1, 8
    while position + 8 <= len(data):
        length, chunk = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if chunk == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif chunk == b"eXIf":
            orientation = _tiff_tags(body).get(274, 1)
        elif chunk in (b"IDAT", b"IEND"):
            break
        position += 12 + length
    return None if width is None else ("png", width, height, orientation)


def _jpeg_header(data: bytes):
    orientation, position = 1, 2
    frames = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        (length,) = struct.unpack(">H", data[position + 2:position + 4])
        segment = data[position + 4:position + 2 + length]
        if marker == 0xE1 and segment.startswith(b"Exif\0\0"):
            orientation = _tiff_tags(segment[6:]).get(274, 1)
        elif marker in frames:
            height, width = struct.unpack(">HH", segment[1:5])
            return "jpeg", width, height, orientation
        elif marker == 0xDA:  # image data before any frame header: damaged
            return None
        position += 2 + length
    return None


def _webp_header(data: bytes):
    chunk = data[12:16]
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", data[26:30])
        return "webp", width & 0x3FFF, height & 0x3FFF, 1
    if chunk == b"VP8L":
        (bits,) = struct.unpack("<I", data[21:25])
        return "webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, 1
    if chunk == b"VP8X":
        return "webp", int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1, 1
    return None


def _check_array(image, source: str, *, expected: str) -> np.ndarray:
    """``image`` as a non-empty numeric array, or a ``PhotoError`` saying what was expected."""
    array = np.asarray(image)
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.integer)
                                   or np.issubdtype(array.dtype, np.floating)):
        raise PhotoError(f"{source}: expected {expected}, got an array of {array.dtype}")
    if array.size == 0:
        raise PhotoError(f"{source}: expected {expected}, got an empty array of shape {array.shape}")
    return array


def _check_grey8(grey, source: str) -> np.ndarray:
    """A 2-D uint8 grey image, as ``read_photo`` and ``to_grey`` return."""
    expected = "a 2-D uint8 grey image (read_photo or to_grey make one)"
    grey = _check_array(grey, source, expected=expected)
    if grey.ndim != 2 or grey.dtype != np.uint8:
        raise PhotoError(f"{source}: expected {expected}, got shape {grey.shape} {grey.dtype}")
    return grey


def to_grey(image: np.ndarray, source: str = "image") -> np.ndarray:
    """Any OpenCV image (grey, BGR, BGRA; 8- or 16-bit, or float in [0, 1]) as uint8 grey.

    Transparent pixels become paper: white, or black when what is drawn is light
    (white ink on a transparent sheet), so that the drawing always stands out.
    """
    expected = "a grey, BGR or BGRA image (uint8, uint16, or float in [0, 1])"
    image = _check_array(image, source, expected=expected)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] not in (3, 4)):
        raise PhotoError(f"{source}: expected {expected}, got shape {image.shape}")
    if image.dtype not in (np.uint8, np.uint16) and not np.issubdtype(image.dtype, np.floating):
        raise PhotoError(f"{source}: unsupported pixel type {image.dtype}; expected {expected}")
    if np.issubdtype(image.dtype, np.floating):
        low, high = float(np.min(image)), float(np.max(image))  # NaN makes both NaN
        if not (-1e-3 <= low and high <= 1 + 1e-3):
            raise PhotoError(f"{source}: float pixels must lie in [0, 1], these span [{low}, {high}] "
                             "(divide 8-bit values by 255)")
    if min(image.shape[:2]) < MIN_SIZE:
        raise PhotoError(f"{source}: {image.shape[1]}x{image.shape[0]} pixels is too small "
                         f"to hold a digit (at least {MIN_SIZE}x{MIN_SIZE})")
    scale = {np.dtype(np.uint8): 255, np.dtype(np.uint16): 65535}.get(image.dtype, 1)
    backdrop = 1.0
    if image.ndim == 3 and image.shape[2] == 4:
        sample = image[::8, ::8].astype(np.float32) / scale  # what is drawn: its opaque pixels
        drawn = sample[:, :, 3] >= 0.5
        if drawn.any() and sample[drawn][:, :3].mean() > 0.5:
            backdrop = 0.0
    grey = np.empty(image.shape[:2], np.uint8)
    for start in range(0, image.shape[0], _STRIP_ROWS):  # a strip at a time: bounded memory
        scaled = np.clip(image[start:start + _STRIP_ROWS].astype(np.float32) / scale, 0, 1)
        if scaled.ndim == 3:
            if scaled.shape[2] == 4:
                alpha = scaled[:, :, 3:]
                scaled = scaled[:, :, :3] * alpha + backdrop * (1 - alpha)  # composite over paper
            scaled = cv2.cvtColor(np.ascontiguousarray(scaled), cv2.COLOR_BGR2GRAY)
        grey[start:start + _STRIP_ROWS] = np.round(scaled * 255)
    return grey


def naive(grey: np.ndarray) -> np.ndarray:
    """The slides' preprocessing: resize the whole photo to 28x28 and divide by 255."""
    grey = _check_grey8(grey, "naive")
    return cv2.resize(grey, (28, 28), interpolation=cv2.INTER_AREA).astype(np.float32) / 255


def _shrink(grey: np.ndarray) -> np.ndarray:
    scale = WORKING_SIZE / max(grey.shape)
    if scale >= 1:
        return grey
    size = (max(1, round(grey.shape[1] * scale)), max(1, round(grey.shape[0] * scale)))
    return cv2.resize(grey, size, interpolation=cv2.INTER_AREA)


def _paper_is_dark(grey: np.ndarray) -> bool:
    """Is the paper darker than the ink?  Otsu's threshold splits the photo in two
    classes; the paper is the class that fills most of the photo's border or, when the
    border is split between them (a dark table along two sides), most of the photo."""
    blurred = cv2.GaussianBlur(grey, (5, 5), 0)
    threshold, _ = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    rim = max(1, min(grey.shape) // 50)
    border = np.concatenate([blurred[:rim].ravel(), blurred[-rim:].ravel(),
                             blurred[:, :rim].ravel(), blurred[:, -rim:].ravel()])
    light_border = np.mean(border > threshold)
    if 0.35 <= light_border <= 0.65:
        return np.mean(blurred > threshold) < 0.5
    return light_border < 0.5


def _refuse_noise(ink8: np.ndarray, threshold: float) -> None:
    """Ink on paper splits cleanly in two grey levels; noise or texture does not.
    Otsu's measure of separation (between-class over total variance) is 0.82-0.96 on
    the real photos we tried and 0.65-0.70 on noise."""
    values = ink8.astype(np.float64)
    ink = values > threshold
    share = ink.mean()
    if 0 < share < 1:
        between = share * (1 - share) * (values[ink].mean() - values[~ink].mean()) ** 2
        if between < 0.75 * values.var():
            raise PhotoError("no digit found: the image looks like noise or texture "
                             "(ink and paper are not clearly separated)")


def _frame_contacts(mask: np.ndarray) -> list[tuple[str, int]]:
    """The places where ``mask`` touches the photo's edge: (side, length) for each run."""
    runs = []
    for side, line in (("top", mask[0]), ("right", mask[:, -1]), ("bottom", mask[-1]), ("left", mask[:, 0])):
        edges = np.flatnonzero(np.diff(np.concatenate([[0], line.astype(np.int8), [0]])))
        runs += [(side, int(end - start)) for start, end in zip(edges[::2], edges[1::2])]
    return runs


def _touches_frame(box: np.ndarray, shape: tuple[int, int]) -> bool:
    x, y, w, h = box[:4]
    return x == 0 or y == 0 or x + w == shape[1] or y + h == shape[0]


def _stroke_width(piece: np.ndarray) -> float:
    """About twice a shape's area over its outline's length: a stroke's width."""
    contours, _ = cv2.findContours(piece.astype(np.uint8), cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    return 2 * piece.sum() / max(sum(cv2.arcLength(c, True) for c in contours), 1)


def _digit_pieces(mask: np.ndarray) -> np.ndarray:
    """From the thresholded ink, the pieces that make the digit (a boolean mask).

    Drops specks and dark regions lying along the photo's edge (a table, a shadow);
    raises ``PhotoError`` when what is left is not one digit: nothing, too small,
    a line, several marks side by side, or a digit cut by the frame.
    """
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count <= 1:
        raise PhotoError("no digit found: nothing stands out from the paper")

    def piece(k: int) -> np.ndarray:  # the component alone, cropped to its box
        x, y, w, h = stats[k, :4]
        return labels[y:y + h, x:x + w] == k

    at_edge = {k for k in range(1, count) if _touches_frame(stats[k], mask.shape)}
    inner = [k for k in range(1, count)  # pieces inside the photo that could be a digit
             if k not in at_edge and max(stats[k, 2:4]) >= MIN_DIGIT]
    inner_width = _stroke_width(piece(max(inner, key=lambda k: stats[k, cv2.CC_STAT_AREA]))) if inner else 0
    kept = []
    for k in range(1, count):
        if k in at_edge:
            contacts = _frame_contacts(labels == k)
            sides = {side for side, _ in contacts}
            width = _stroke_width(piece(k))
            spans = stats[k, 2] >= 0.9 * mask.shape[1] or stats[k, 3] >= 0.9 * mask.shape[0]
            if (sum(length for _, length in contacts) > 4 * width  # lies along the edge
                    or (inner_width and width > 3 * inner_width)  # far thicker than a stroke
                    or (inner and ({"top", "bottom"} <= sides or {"left", "right"} <= sides))
                    or (inner and spans)):  # runs the photo's length, e.g. round a table's corner
                continue  # background: a table or page edge, a shadow, a line across the photo
        kept.append(k)
    if not kept:
        raise PhotoError("no digit found: the only dark regions lie along the edge of the photo "
                         "(a table edge or shadow, or a digit cut by the frame?)")
    areas = stats[kept, cv2.CC_STAT_AREA]
    kept = [k for k, area in zip(kept, areas) if area >= max(0.15 * areas.max(), min(areas.max(), 1e-4 * mask.size))]
    boxes = stats[kept]
    left, top = boxes[:, 0].min(), boxes[:, 1].min()
    right, bottom = (boxes[:, 0] + boxes[:, 2]).max(), (boxes[:, 1] + boxes[:, 3]).max()
    height, width = bottom - top, right - left
    if max(height, width) < MIN_DIGIT:
        raise PhotoError(f"no digit found: the largest mark is {width}x{height} pixels in a "
                         f"{mask.shape[1]}x{mask.shape[0]} image, too small for a digit (at least "
                         f"{MIN_DIGIT / WORKING_SIZE:.0%} of the photo's longer side); take the photo closer")
    if width > 2.5 * height:
        raise PhotoError(f"no digit found: the mark is {width}x{height} pixels, far wider than tall "
                         "(a line or an edge, not a digit)")
    for a in range(len(kept)):
        for b in range(a + 1, len(kept)):
            (xa, _, wa, ha, area_a), (xb, _, wb, hb, area_b) = boxes[a], boxes[b]
            overlap = min(xa + wa, xb + wb) - max(xa, xb)
            if (min(ha, hb) >= 0.5 * height and overlap <= 0.2 * min(wa, wb)
                    and max(area_a, area_b) <= 4 * min(area_a, area_b)):
                raise PhotoError(f"several marks of similar size side by side ({len(kept)} pieces): "
                                 "more than one digit? Photograph one digit at a time")
    digit = np.isin(labels, kept)
    contacts = _frame_contacts(digit)
    sides = [side for side, _ in contacts]
    if any(sides.count(side) >= 2 for side in sides):
        raise PhotoError("the digit is cut by the frame: its strokes leave the photo at "
                         f"{len(contacts)} places; leave a margin of paper around it")
    if digit.mean() > 0.5:
        raise PhotoError("no digit found: 'ink' covers most of the image "
                         "(is it a photo of a dark digit on light paper?)")
    return digit


def mnist_style(grey: np.ndarray, *, steps: dict | None = None) -> np.ndarray:
    """Turn a grey photo of one digit into a 28x28 float32 MNIST-style image in [0, 1].

    Pass a dict as ``steps`` to receive every intermediate image (for display).
    Raises ``PhotoError`` saying why when the photo does not show one digit.
    """
    steps = {} if steps is None else steps
    grey = _shrink(_check_grey8(grey, "mnist_style"))
    steps["grey"] = grey
    image = grey.astype(np.float32)

    # 1. Flatten the lighting: the paper's brightness, estimated by removing the
    #    strokes (a grey-level closing wider than a stroke) and blurring, divides out.
    #    The paper is what fills the photo's border, light or dark.
    size = max(grey.shape)
    if _paper_is_dark(grey):  # light ink on a dark background: make it dark on light
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

    # 3. Otsu's threshold separates ink from paper (noise does not separate);
    #    4. keep the pieces of the digit, dropping specks, paper texture and dark edges.
    ink8 = np.round(ink * 255).astype(np.uint8)
    blurred = cv2.GaussianBlur(ink8, (3, 3), 0)
    threshold, mask = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    steps["threshold"] = mask
    _refuse_noise(blurred, threshold)
    digit_mask = _digit_pieces(mask)
    steps["kept"] = digit_mask.astype(np.uint8) * 255

    # 5. Crop to the digit; keep the ink's grey levels (anti-aliased edges) near the strokes.
    rows, cols = np.flatnonzero(digit_mask.any(axis=1)), np.flatnonzero(digit_mask.any(axis=0))
    top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    near = cv2.dilate(digit_mask.astype(np.uint8), np.ones((3, 3), np.uint8), iterations=2)
    strokes = np.where(near > 0, ink, 0)[top:bottom, left:right]
    strokes = np.clip(strokes / max(np.percentile(strokes[strokes > 0], 90), 1e-6), 0, 1)
    steps["cropped"] = strokes

    # 6. Stroke width: MNIST strokes are about 2 px wide in the 20x20 box; thicken thin ones.
    width = _stroke_width(digit_mask[top:bottom, left:right])
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


def _check_ink(ink, source: str) -> np.ndarray:
    """A 2-D image of light strokes on black, values in [0, 1]."""
    expected = "a 2-D image of light strokes on black with values in [0, 1]"
    ink = _check_array(ink, source, expected=expected)
    if ink.ndim != 2:
        raise PhotoError(f"{source}: expected {expected}, got shape {ink.shape}")
    low, high = float(np.min(ink)), float(np.max(ink))
    if not (0 <= low and high <= 1):  # NaN fails too
        raise PhotoError(f"{source}: expected {expected}, values span [{low}, {high}]"
                         + (" (divide 8-bit values by 255)" if high > 1 else ""))
    return ink


def center_digit(ink: np.ndarray, *, steps: dict | None = None) -> np.ndarray:
    """The last two steps of MNIST's normalisation, for a light-on-dark digit image:
    crop to the ink, fit it into a 20x20 box keeping the aspect ratio, and put it
    in a 28x28 field with its centre of mass in the middle.

    The photo pipeline ends with it, and the browser page's JavaScript repeats it
    step for step (``_extra/lenet-draw/lenet.js``), so a drawing and a photo are prepared alike.
    """
    steps = {} if steps is None else steps
    ink = _check_ink(ink, "center_digit").astype(np.float64)
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


def frame_like_mnist(images: np.ndarray) -> np.ndarray:
    """``center_digit`` for each image of a batch of light-on-dark digits (values in [0, 1],
    any size): the (n, 28, 28) float32 images a LeNet trained on MNIST expects."""
    images = _check_array(images, "frame_like_mnist", expected="a batch (n, height, width) of digit images")
    if images.ndim != 3:  # (_check_array has refused an empty batch)
        raise PhotoError(f"frame_like_mnist: expected a batch (n, height, width) of digit images, "
                         f"got shape {images.shape}")
    return np.stack([center_digit(image) for image in images])


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


@dataclass
class LabelledPhoto:
    """One photo of a labelled folder: its file, true digit, and what the MNIST way made of it."""

    path: Path
    label: int
    #: The 28x28 MNIST-style digit, or None if the photo was refused.
    digit: np.ndarray | None
    #: Why the photo was refused (``PhotoError``'s message), or None.
    refusal: str | None = None


#: The file that lists a folder's photos: columns ``file`` and ``label`` (other columns ignored).
LABELS_FILE = "labels.csv"


def read_labelled_photos(folder: str | os.PathLike) -> list[LabelledPhoto]:
    """Every photo listed in ``folder/labels.csv``, read and prepared the MNIST way.

    A photo the pipeline refuses (it does not show one digit) is kept, with the reason
    and no digit, so that a count of right answers can include it.  A missing, empty or
    malformed list, a label that is not a digit, or a listed file that is missing or
    cannot be read as an image raises ``PhotoError`` naming it.
    """
    import csv

    folder = Path(folder)
    listing = folder / LABELS_FILE
    if not listing.is_file():
        raise PhotoError(f"{listing}: no such file (a {LABELS_FILE} with columns file,label lists the photos)")
    with open(listing, newline="") as handle:
        reader = csv.DictReader(handle)
        if not {"file", "label"} <= set(reader.fieldnames or ()):
            raise PhotoError(f"{listing}: expected a header line with the columns file and label")
        rows = list(reader)
    if not rows:
        raise PhotoError(f"{listing}: lists no photos (a header line and no rows)")
    photos = []
    for line, row in enumerate(rows, start=2):
        label = (row["label"] or "").strip()
        if label not in {str(d) for d in range(10)}:
            raise PhotoError(f"{listing}, line {line}: label {label!r} is not a digit 0-9")
        path = folder / (row["file"] or "")
        grey = read_photo(path)  # a missing or unreadable file is an error, not a refusal
        try:
            photos.append(LabelledPhoto(path, int(label), mnist_style(grey)))
        except PhotoError as error:  # the photo does not show one digit
            photos.append(LabelledPhoto(path, int(label), None, str(error)))
    return photos


def top_guesses(probabilities: np.ndarray, k: int = 2) -> list[tuple[int, float]]:
    """The ``k`` most probable digits with their probabilities, best first."""
    probabilities = np.asarray(probabilities).ravel()
    order = np.argsort(-probabilities, kind="stable")[:k]
    return [(int(d), float(probabilities[d])) for d in order]
