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
import re
import struct
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

#: Photos larger than this (longer side, pixels) are shrunk first: enough that a thin pen's
#: stroke on a 12-megapixel photo (about 8 of its 4032 pixels) keeps about 2 pixels.
WORKING_SIZE = 1024
MIN_SIZE = 8
#: Files with more pixels than this are refused before decoding (a 50-megapixel phone photo fits).
MAX_PIXELS = 50_000_000
#: The digit's longer side must span at least this share of the photo's longer side:
#: anything smaller is a speck, or needs a closer photo.
MIN_DIGIT_SHARE = 0.03
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
    at least ``WORKING_SIZE``), which is fast and small.  Every failure,
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
    if kind == "jpeg" and not _jpeg_is_whole(raw):
        raise PhotoError(f"{path}: this {width}x{height} JPEG file is cut short (its image data has no "
                         "end marker): a damaged or incompletely copied file")
    if kind == "jpeg":  # no alpha: decode grey, reduced by the largest factor that keeps detail
        factor = max(f for f in _JPEG_REDUCED if f == 1 or max(width, height) // f >= WORKING_SIZE)
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


_START_OF_SCAN, _END_OF_IMAGE = re.compile(rb"\xff\xda"), re.compile(rb"\xff\xd9")


def _jpeg_is_whole(raw: np.ndarray) -> bool:
    """Whether the last scan of a JPEG (its image data; a file may carry thumbnails and
    other images before or after) is followed by the end-of-image marker.  Some OpenCV
    versions decode a file cut short without an error, greying what is missing."""
    last_scan = None
    for last_scan in _START_OF_SCAN.finditer(raw):  # re reads the array's buffer: no copy
        pass
    return last_scan is not None and _END_OF_IMAGE.search(raw, last_scan.end()) is not None


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
    """Is the paper darker than the ink?  When the photo's border leaves no doubt, the border
    is the paper.  When it does (a shadow or a table along part of it), try both: flatten
    the photo as dark ink on light paper and, inverted, as light ink on dark, and keep the
    reading in which marks stand out more clearly from the paper's grain."""
    height, width = grey.shape
    scale = min(1.0, 320 / max(height, width))
    small = cv2.resize(grey, (max(1, round(width * scale)), max(1, round(height * scale))),
                       interpolation=cv2.INTER_AREA).astype(np.float32)

    def clarity(image: np.ndarray) -> float:
        ink = 1 - image / np.maximum(_paper_light(image), 1.0)
        middle, spread = _noise_level(ink)
        return (float(np.percentile(ink, 99.99)) - middle) / max(spread, 0.01)

    # Where the photo's border is nearly all one of Otsu's two grey classes, that class is
    # the paper.  Otherwise (a shadow or a table across part of it): light paper unless the
    # inverted reading is clearly better, since most photos are of dark ink.
    blurred = cv2.GaussianBlur(grey, (5, 5), 0)
    threshold, _ = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    rim = max(1, min(grey.shape) // 50)
    border = np.concatenate([blurred[:rim].ravel(), blurred[-rim:].ravel(),
                             blurred[:, :rim].ravel(), blurred[:, -rim:].ravel()])
    light_border = float(np.mean(border > threshold))
    if light_border >= 0.8 or light_border <= 0.2:
        return light_border <= 0.2
    return clarity(255 - small) > max(1.5 * clarity(small), 10.0)


def _paper_light(image: np.ndarray) -> np.ndarray:
    """The paper's brightness at every pixel, as if nothing were written on it.

    On a copy shrunk to at most 160 pixels: a first, rough look finds the marks (the copy
    divided by a wide median of itself, split by Otsu's threshold); they are painted over
    from the paper around them (``cv2.inpaint``), which follows a shadow's edge, and the
    result is smoothed and enlarged back.  Thin strokes hardly show at that size anyway.
    """
    height, width = image.shape
    scale = min(1.0, 160 / max(height, width))
    small = cv2.resize(image, (max(1, round(width * scale)), max(1, round(height * scale))),
                       interpolation=cv2.INTER_AREA)
    small8 = np.clip(small, 0, 255).astype(np.uint8)
    window = max(3, round(max(small.shape) / 2)) | 1
    rough_paper = cv2.medianBlur(small8, window).astype(np.float32)
    rough_ink = np.clip(1 - small / np.maximum(rough_paper, 1.0), 0, 1)
    _, marks = cv2.threshold(np.round(rough_ink * 255).astype(np.uint8), 0, 255,
                             cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    marks = cv2.dilate(marks, np.ones((3, 3), np.uint8), iterations=2)
    paper = cv2.inpaint(small8, marks, 3, cv2.INPAINT_TELEA).astype(np.float32)
    # a second look against that paper finds what a wide stroke hid from the median
    again = np.clip(1 - small / np.maximum(cv2.GaussianBlur(paper, (0, 0), 2), 1.0), 0, 1)
    _, more = cv2.threshold(np.round(again * 255).astype(np.uint8), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    marks = cv2.dilate(cv2.bitwise_or(marks, more), np.ones((3, 3), np.uint8), iterations=1)
    paper = cv2.inpaint(small8, marks, 3, cv2.INPAINT_TELEA).astype(np.float32)
    paper = cv2.GaussianBlur(paper, (0, 0), 1.5)
    return cv2.resize(paper, (width, height), interpolation=cv2.INTER_LINEAR)


def _noise_level(ink: np.ndarray) -> tuple[float, float]:
    """The paper's typical ink value and the spread of its grain: the median, and 1.4826 x the
    median distance below it (the paper side only: ink, however much, lies above)."""
    sample = ink[::2, ::2].ravel()
    middle = float(np.median(sample))
    below = middle - sample[sample < middle]
    return middle, 1.4826 * float(np.median(below)) if below.size else 0.0


def _ink_mask(ink: np.ndarray) -> np.ndarray:
    """Which pixels are ink (uint8 0/255), decided against the paper's own noise and the
    strongest mark in the photo: pixels well above the noise that belong to a mark whose
    darkest part is at least half as dark as the darkest mark's (hysteresis).  Faint marks
    (print-through from the back, pencil smudges, rules) start no mark of their own."""
    middle, spread = _noise_level(ink)
    floor = max(middle + 8 * spread, 0.1)
    standing_out = ink[ink > floor]
    if standing_out.size == 0:
        raise PhotoError("no digit found: the image looks like noise or texture "
                         "(nothing stands out from the paper's own grain)")
    strong = float(np.percentile(standing_out, 90))  # how dark the darkest marks are
    high = max(floor, 0.45 * strong)
    low = max(middle + 4 * spread, 0.45 * high)
    candidates = (ink > low).astype(np.uint8)
    count, labels = cv2.connectedComponents(candidates, connectivity=8)
    seeded = np.zeros(count, bool)
    seeded[np.unique(labels[ink > high])] = True
    seeded[0] = False
    return (seeded[labels] * 255).astype(np.uint8)


def _ruled_lines(mask: np.ndarray) -> np.ndarray:
    """The pixels of straight lines that cross the whole photo (ruled or squared paper, a
    table's edge), as a mask to remove before looking for the digit.  A digit never crosses
    the photo from edge to edge (one that did would be cut by the frame)."""
    height, width = mask.shape
    lines = np.zeros_like(mask)
    found = cv2.HoughLinesP(mask, 1, np.pi / 360, threshold=max(20, min(height, width) // 4),
                            minLineLength=0.5 * min(height, width), maxLineGap=max(3, min(height, width) // 50))
    if found is None:
        return lines
    margin = 0.06
    crossing = []
    for x1, y1, x2, y2 in found.reshape(-1, 4):
        dx, dy = x2 - x1, y2 - y1
        if abs(dy) <= abs(dx) * np.tan(np.radians(25)):  # near horizontal: must reach left and right
            crosses = min(x1, x2) <= margin * width and max(x1, x2) >= (1 - margin) * width
        elif abs(dx) <= abs(dy) * np.tan(np.radians(25)):  # near vertical: top and bottom
            crosses = min(y1, y2) <= margin * height and max(y1, y2) >= (1 - margin) * height
        else:
            crosses = False
        if crosses:
            crossing.append((x1, y1, x2, y2))
    return _thin_lines(mask, crossing)


def _thin_lines(mask: np.ndarray, segments: list) -> np.ndarray:
    """Only the segments whose ink band is thin (a rule is a pen's width at most): a long
    straight stretch inside a thick stroke is not a line on the paper."""
    height, width = mask.shape
    thin = max(3.0, 0.012 * min(height, width))
    lines = np.zeros_like(mask)
    for (x1, y1, x2, y2) in segments:
        band = np.zeros_like(mask)
        cv2.line(band, (int(x1), int(y1)), (int(x2), int(y2)), 255, int(4 * thin))
        length = max(1.0, float(np.hypot(x2 - x1, y2 - y1)))
        if cv2.countNonZero(cv2.bitwise_and(band, mask)) / length <= thin:
            lines |= band
    return cv2.bitwise_and(lines, mask)


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

    min_digit = max(8, round(MIN_DIGIT_SHARE * max(mask.shape)))
    at_edge = {k for k in range(1, count) if _touches_frame(stats[k], mask.shape)}
    inner = [k for k in range(1, count)  # pieces inside the photo that could be a digit
             if k not in at_edge and max(stats[k, 2:4]) >= min_digit]
    inner_width = _stroke_width(piece(max(inner, key=lambda k: stats[k, cv2.CC_STAT_AREA]))) if inner else 0
    kept = []
    for k in range(1, count):
        if k in at_edge and inner:  # a whole mark inside: what the frame cuts is a neighbour's
            continue
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
    large = [k for k, area in zip(kept, areas) if area >= max(0.15 * areas.max(), min(areas.max(), 1e-4 * mask.size))]
    # a smaller mark (2 % of the largest's area or more) lying within the large ones' box belongs
    # to the drawing, e.g. a face's eyes: left out, a smiley would be read as a 0.  Specks, and
    # marks outside that box, stay out (the price: a blot inside a 7's empty corner joins it)
    left, top = stats[large, 0].min(), stats[large, 1].min()
    right, bottom = (stats[large, 0] + stats[large, 2]).max(), (stats[large, 1] + stats[large, 3]).max()
    kept = large + [k for k, area in zip(kept, areas) if k not in large and area >= 0.02 * areas.max()
                    and stats[k, 0] >= left and stats[k, 1] >= top
                    and stats[k, 0] + stats[k, 2] <= right and stats[k, 1] + stats[k, 3] <= bottom]
    boxes = stats[kept]  # all within the large pieces' box, which is the digit's
    height, width = bottom - top, right - left
    if max(height, width) < min_digit:
        raise PhotoError(f"no digit found: the largest mark is {width}x{height} pixels in a "
                         f"{mask.shape[1]}x{mask.shape[0]} image, too small for a digit (at least "
                         f"{MIN_DIGIT_SHARE:.0%} of the photo's longer side); take the photo closer")
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
    # a stroke leaves the photo where it meets the edge over a good part of its width; a
    # ragged edge grazing it for a pixel or two does not
    touch = 0.5 * _stroke_width(digit[top:bottom, left:right])
    contacts = [(side, length) for side, length in _frame_contacts(digit) if length >= touch]
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

    # 1. Flatten the lighting: the paper's own brightness (``_paper_light``: strokes, specks
    #    and the edges of shadows handled) divides out.  The paper is what fills the
    #    photo's border, light or dark.
    if _paper_is_dark(grey):  # light ink on a dark background: make it dark on light
        image = 255 - image
    ratio = image / np.maximum(_paper_light(image), 1.0)
    flat = np.clip(ratio, 0, 1)
    steps["flattened"] = flat

    # 2. Invert: ink becomes bright, paper black, as in MNIST.
    ink = 1 - flat
    steps["inverted"] = ink
    if ink.max() < 0.12:
        raise PhotoError("no digit found: the image has (almost) no contrast")

    # 3. Ink is what stands out from the paper's own grain, in a mark about as dark as the
    #    darkest (``_ink_mask``); lines that cross the whole photo (ruled paper) are removed.
    ink = cv2.GaussianBlur(ink, (3, 3), 0)
    mask = _ink_mask(cv2.GaussianBlur(1 - ratio, (3, 3), 0))  # unclipped: the paper's grain both ways
    mask[_ruled_lines(mask) > 0] = 0
    steps["threshold"] = mask

    # 4. Keep the pieces of the digit, dropping specks, pieces cut by the frame and dark edges.
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

    # 7. Straighten: shear the strokes upright (a photo taken askew, a slanted hand).
    strokes = _deskew(strokes)
    steps["straightened"] = strokes

    # 8.-9. Fit into 20x20 keeping the aspect ratio, centre by centre of mass in 28x28.
    return center_digit(strokes, steps=steps)


#: The most ``_deskew`` shears (x moves by at most this times y): 45 degrees, beyond any slant of
#: a hand; a long thin mark, whose moments would ask for more, is not flattened.
MAX_SKEW = 1.0


def _deskew(strokes: np.ndarray) -> np.ndarray:
    """The strokes sheared sideways so that their main axis stands upright, and cropped again.

    *Deskewing*: the shear comes from the image's second moments (x moves by
    -mu11/mu02 * (y - the centre's y)).  The MNIST page lists classifiers that gain from it;
    here it undoes most of a photo's small turn and of a strongly slanted hand."""
    m = cv2.moments(strokes.astype(np.float32))
    if m["mu02"] <= 1e-6:
        return strokes
    skew = float(np.clip(m["mu11"] / m["mu02"], -MAX_SKEW, MAX_SKEW))
    height, width = strokes.shape
    cy = m["m01"] / m["m00"]
    pad = int(np.ceil(abs(skew) * max(cy, height - 1 - cy))) + 1  # room for the farthest row's shift
    matrix = np.float32([[1, -skew, skew * cy + pad], [0, 1, 0]])
    return _crop_to_ink(cv2.warpAffine(strokes, matrix, (width + 2 * pad, height), flags=cv2.INTER_LINEAR,
                                       borderValue=0))


def _crop_to_ink(image: np.ndarray) -> np.ndarray | None:
    """``image`` cropped to its pixels above 0, or None when it has none."""
    rows, cols = np.flatnonzero(image.max(axis=1) > 0), np.flatnonzero(image.max(axis=0) > 0)
    if rows.size == 0:
        return None
    return image[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


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
    step for step (``_extra/lenet-draw/lenet.js``), so a drawing and a photo are framed alike
    (a photo is also straightened first; a drawing, made upright on screen, is not).
    """
    steps = {} if steps is None else steps
    ink = _crop_to_ink(_check_ink(ink, "center_digit").astype(np.float64))
    if ink is None:
        raise PhotoError("no digit found: the image is empty")
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
