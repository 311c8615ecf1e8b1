"""Photos and drawings the course makes itself: digits and marks that are not digits, drawn
as pen strokes on lit paper, and the ways real photos differ from a clean one.

The photo chapter's sample photos (``scripts/make_sample_photos.py``), the photo benchmark
(``scripts/photo_benchmark.py``) and the tests all draw from here, so no lesson or test depends
on anyone else's photos.

- ``render``: strokes (polylines in a unit box) as a BGR phone-style photo;
- ``canvas``: the same strokes as the *Draw a digit* page's 280x280 canvas holds them;
- ``VARIANTS``: a photo made harder the way real ones are (ruled paper, a shadow, turned) and
  stored the ways phones and editors store them (EXIF orientation, 16-bit PNG, WebP,
  small and heavily compressed; ``scripts/photo_benchmark.py`` adds CMYK JPEG, which needs Pillow);
- ``DIGIT_STROKES`` and ``NOT_DIGITS``: what to draw.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Callable, Sequence

import cv2
import numpy as np

Polyline = Sequence[tuple[float, float]]

#: Pen paths of digits, as control points in a unit box (x right, y down).
DIGIT_STROKES: dict[str, list[Polyline]] = {
    "3": [[(0.18, 0.16), (0.45, 0.04), (0.76, 0.14), (0.74, 0.36), (0.42, 0.49),
           (0.78, 0.60), (0.82, 0.84), (0.52, 0.97), (0.16, 0.86)]],
    "7": [[(0.12, 0.10), (0.50, 0.08), (0.86, 0.07), (0.66, 0.45), (0.52, 0.95)]],
    "6": [[(0.72, 0.08), (0.42, 0.16), (0.24, 0.42), (0.22, 0.72), (0.42, 0.95), (0.70, 0.86),
           (0.74, 0.62), (0.50, 0.50), (0.26, 0.62)]],
    "0": [[(0.5, 0.04), (0.2, 0.2), (0.12, 0.5), (0.2, 0.82), (0.5, 0.96), (0.8, 0.82), (0.88, 0.5),
           (0.8, 0.18), (0.5, 0.04)]],
    "1": [[(0.52, 0.04), (0.5, 0.5), (0.48, 0.96)]],
    "2": [[(0.16, 0.24), (0.4, 0.05), (0.74, 0.1), (0.78, 0.36), (0.45, 0.66), (0.12, 0.95),
           (0.5, 0.93), (0.88, 0.94)]],
    "4": [[(0.62, 0.04), (0.36, 0.4), (0.1, 0.68), (0.9, 0.68)], [(0.66, 0.3), (0.66, 0.96)]],
    "5": [[(0.8, 0.06), (0.3, 0.06), (0.24, 0.44), (0.6, 0.4), (0.82, 0.62), (0.72, 0.9),
           (0.42, 0.97), (0.16, 0.86)]],
    "8": [[(0.5, 0.5), (0.22, 0.3), (0.3, 0.08), (0.5, 0.04), (0.7, 0.08), (0.78, 0.28), (0.5, 0.5),
           (0.2, 0.72), (0.3, 0.94), (0.5, 0.97), (0.7, 0.94), (0.8, 0.72), (0.5, 0.5)]],
    "9": [[(0.78, 0.3), (0.6, 0.06), (0.32, 0.08), (0.22, 0.3), (0.4, 0.5), (0.7, 0.44), (0.8, 0.3),
           (0.74, 0.6), (0.62, 0.96)]],
}


def _circle(cx: float, cy: float, r: float, start: float = 0.0, end: float = 360.0, n: int = 24) -> Polyline:
    angles = np.radians(np.linspace(start, end, n))
    return [(cx + r * np.cos(a), cy + r * np.sin(a)) for a in angles]


#: Marks a person might draw or photograph that are not digits.
NOT_DIGITS: dict[str, list[Polyline]] = {
    "X": [[(0.15, 0.1), (0.85, 0.9)], [(0.85, 0.1), (0.15, 0.9)]],
    "hash": [[(0.35, 0.05), (0.28, 0.95)], [(0.7, 0.05), (0.63, 0.95)],
             [(0.08, 0.35), (0.92, 0.35)], [(0.06, 0.65), (0.9, 0.65)]],
    "smiley": [_circle(0.5, 0.5, 0.45, n=40), _circle(0.5, 0.55, 0.25, 20, 160, 12),
               _circle(0.35, 0.35, 0.04, n=8), _circle(0.65, 0.35, 0.04, n=8)],
    "spiral": [[(0.5 + 0.05 * t * np.cos(t), 0.5 + 0.05 * t * np.sin(t)) for t in np.linspace(0, 9, 60)]],
    "star": [[(0.5 + 0.45 * np.sin(np.radians(144 * k)), 0.52 - 0.45 * np.cos(np.radians(144 * k)))
              for k in range(6)]],
    "wave": [[(0.05 + 0.9 * t, 0.5 + 0.22 * np.sin(4 * np.pi * t)) for t in np.linspace(0, 1, 40)]],
    "A": [[(0.1, 0.95), (0.5, 0.05), (0.9, 0.95)], [(0.28, 0.6), (0.72, 0.6)]],
    "H": [[(0.2, 0.05), (0.2, 0.95)], [(0.8, 0.05), (0.8, 0.95)], [(0.2, 0.5), (0.8, 0.5)]],
    "scribble": [[(0.5 + 0.4 * np.sin(3.1 * t) * np.cos(0.7 * t), 0.5 + 0.4 * np.sin(2.3 * t + 1))
                  for t in np.linspace(0, 12, 90)]],
    "triangle": [[(0.5, 0.08), (0.92, 0.88), (0.08, 0.88), (0.5, 0.08)]],
    "square": [[(0.1, 0.1), (0.9, 0.1), (0.9, 0.9), (0.1, 0.9), (0.1, 0.1)]],
    "K": [[(0.2, 0.05), (0.2, 0.95)], [(0.8, 0.05), (0.2, 0.55)], [(0.38, 0.42), (0.85, 0.95)]],
}


#: Marks that are not digits, written after the digit check's first training and never used to
#: shape it: the benchmark reports on them apart from ``NOT_DIGITS`` (which did inform the
#: kinds of mark ``random_mark`` draws).
NOT_DIGITS_HELD_OUT: dict[str, list[Polyline]] = {
    "heart": [[(0.5, 0.95), (0.12, 0.5), (0.1, 0.25), (0.28, 0.08), (0.5, 0.25), (0.72, 0.08), (0.9, 0.25),
               (0.88, 0.5), (0.5, 0.95)]],
    "arrow": [[(0.05, 0.5), (0.95, 0.5)], [(0.65, 0.2), (0.95, 0.5), (0.65, 0.8)]],
    "house": [[(0.15, 0.95), (0.15, 0.45), (0.5, 0.08), (0.85, 0.45), (0.85, 0.95), (0.15, 0.95)]],
    "sun": [_circle(0.5, 0.5, 0.22, n=24)] + [[(0.5 + 0.3 * np.cos(a), 0.5 + 0.3 * np.sin(a)),
                                                (0.5 + 0.46 * np.cos(a), 0.5 + 0.46 * np.sin(a))]
                                               for a in np.radians(np.arange(0, 360, 45))],
    "circled plus": [_circle(0.5, 0.5, 0.42, n=30), [(0.5, 0.15), (0.5, 0.85)], [(0.15, 0.5), (0.85, 0.5)]],
    "envelope": [[(0.05, 0.2), (0.95, 0.2), (0.95, 0.8), (0.05, 0.8), (0.05, 0.2), (0.5, 0.55), (0.95, 0.2)]],
    "plus": [[(0.5, 0.08), (0.5, 0.92)], [(0.08, 0.5), (0.92, 0.5)]],
    "fish": [[(0.95, 0.5), (0.7, 0.25), (0.4, 0.22), (0.15, 0.5), (0.4, 0.78), (0.7, 0.75), (0.95, 0.5)],
             [(0.15, 0.5), (0.02, 0.3), (0.02, 0.7), (0.15, 0.5)]],
    "cloud": [_circle(0.3, 0.6, 0.18, 90, 300, 12) + _circle(0.5, 0.4, 0.22, 200, 340, 12)
              + _circle(0.72, 0.58, 0.18, 240, 450, 12) + [(0.3, 0.78)]],
    "check mark": [[(0.1, 0.55), (0.4, 0.9), (0.92, 0.08)]],
}


def _smooth(points: np.ndarray, rounds: int = 4) -> np.ndarray:
    """Chaikin's corner cutting: a hand's curve through the control points."""
    for _ in range(rounds):
        if len(points) < 3:
            return points
        q = 0.75 * points[:-1] + 0.25 * points[1:]
        r = 0.25 * points[:-1] + 0.75 * points[1:]
        points = np.vstack([points[:1], np.column_stack([q, r]).reshape(-1, 2), points[-1:]])
    return points


#: A pen that turns by more than this many degrees at a control point makes a corner there (the
#: corners of a 7, a square, a triangle); gentler turns are one curve (a 0, a 6's loop).  Most of
#: the course's curves turn by at most 84 degrees per control point and its corners by 90 or more;
#: two shapes fall on the other side (a 9's loop point at 98 degrees is drawn pointed, an
#: envelope's flap at 76 degrees rounded).
CORNER_DEGREES = 85.0


def _corners(points: np.ndarray) -> list[int]:
    """Indices of the inner control points where the line turns by more than ``CORNER_DEGREES``."""
    steps = np.diff(points, axis=0)
    headings = np.degrees(np.arctan2(steps[:, 1], steps[:, 0]))
    turns = np.abs((np.diff(headings) + 180) % 360 - 180)
    return [k + 1 for k in np.flatnonzero(turns > CORNER_DEGREES)]


def _wobbly(strokes: Sequence[Polyline], rng: np.random.Generator, jitter: float) -> list[np.ndarray]:
    """Each stroke as a hand draws it: every control point moved a little, curves smoothed
    between the corners, which stay sharp."""
    lines = []
    for line in strokes:
        intended = np.asarray(line, dtype=np.float64)
        points = intended + rng.normal(0, jitter, intended.shape)
        ends = [0, *_corners(intended), len(points) - 1]
        pieces = [_smooth(points[a:b + 1]) for a, b in zip(ends[:-1], ends[1:])]
        lines.append(np.vstack([pieces[0]] + [piece[1:] for piece in pieces[1:]]))
    return lines


def _draw(lines: list[np.ndarray], size: tuple[int, int], box: tuple[float, float, float, float],
          thickness: int) -> np.ndarray:
    """Polylines (unit box) into a (height, width) uint8 mask; ``box`` = (left, top, width, height)."""
    height, width = size
    mask = np.zeros(size, np.uint8)
    left, top, box_w, box_h = box
    for line in lines:
        path = line * [box_w, box_h] + [left, top]
        cv2.polylines(mask, [np.round(path * 16).astype(np.int32)], False, 255, thickness, cv2.LINE_AA, shift=4)
    return mask


def render(strokes: Sequence[Polyline], *, ink: int = 45, thickness: int = 16, grain: float = 0.0,
           centre: tuple[float, float] = (0.5, 0.5), seed: int = 0, size: tuple[int, int] = (720, 960),
           height_share: float = 0.32) -> np.ndarray:
    """A BGR "photo" (height, width) of ``strokes`` on lit paper: a wobbly hand (jittered,
    sheared, turned a little), warm paper with fibre texture lit from one corner, a soft
    shadow, slight blur and sensor noise.  ``grain`` 0-1 makes the strokes skip like graphite."""
    rng = np.random.default_rng(seed)
    height, width = size
    lines = _wobbly(strokes, rng, 0.015)
    box_h = height_share * height
    box = (centre[0] * width - 0.4 * box_h, centre[1] * height - 0.5 * box_h, 0.8 * box_h, box_h)
    stroke = _draw(lines, size, box, thickness)
    angle, shear = rng.uniform(-8, 8), rng.uniform(-0.15, 0.15)
    matrix = cv2.getRotationMatrix2D((centre[0] * width, centre[1] * height), angle, rng.uniform(0.9, 1.1))
    matrix[0, 1] += shear
    stroke = cv2.warpAffine(stroke, matrix, (width, height))
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    light = 0.75 + 0.25 * (1 - (xx / width * 0.6 + yy / height * 0.4))
    shadow = 1 - 0.25 / (1 + np.exp(-(xx - 0.8 * width + 0.3 * yy) / 40))
    texture = cv2.GaussianBlur(rng.normal(0, 6, size).astype(np.float32), (0, 0), 1.5)
    paper = np.clip(235 * light * shadow + texture, 0, 255)
    alpha = stroke.astype(np.float32) / 255
    alpha *= np.clip(1 - grain * rng.random(size), 0, 1).astype(np.float32)
    grey = paper * (1 - alpha) + ink * light * alpha
    colour = np.dstack([grey * 0.93, grey * 0.98, grey])  # BGR: slightly warm light
    colour = cv2.GaussianBlur(colour, (0, 0), 1.6)
    colour += rng.normal(0, 3, colour.shape)
    return np.clip(colour, 0, 255).astype(np.uint8)


def canvas(strokes: Sequence[Polyline], *, seed: int = 0, pen: int = 18, side: int = 280,
           fill: float = 0.6) -> np.ndarray:
    """The strokes as the *Draw a digit* page's canvas holds them: white ink (1.0) on black,
    ``side`` pixels square, drawn with the page's pen width, a little wobbly."""
    rng = np.random.default_rng(seed)
    lines = _wobbly(strokes, rng, 0.01)
    extent = fill * side
    box = ((side - 0.8 * extent) / 2, (side - extent) / 2, 0.8 * extent, extent)
    return _draw(lines, (side, side), box, pen).astype(np.float32) / 255


# --- how real photos differ from a clean one -------------------------------------------------

def photographed(strokes: Sequence[Polyline], seed: int) -> np.ndarray:
    """``strokes`` as two kinds of phone photo take them: an even ``seed`` a thick marker on a
    small photo (960x720), an odd one a thin pen on a larger photo (1600x1200)."""
    thin = seed % 2 == 1
    return render(strokes, thickness=5 if thin else 16, seed=seed, size=(1200, 1600) if thin else (720, 960))


def ruled(image: np.ndarray, spacing: float = 0.045, darkness: float = 0.22) -> np.ndarray:
    """Faint blue-grey horizontal rules across the page, every ``spacing`` of its height."""
    out = image.astype(np.float32)
    height = out.shape[0]
    step = max(4.0, spacing * height)
    thickness = max(1, round(height / 700))
    rows = np.zeros(height, np.float32)
    for y in np.arange(step / 2, height, step):
        rows[int(y):int(y) + thickness] = darkness
    rows = cv2.GaussianBlur(rows[:, None], (1, 0), sigmaX=0, sigmaY=max(0.6, thickness / 2))[:, 0]
    tint = np.array([0.6, 0.85, 1.0], np.float32)[: out.shape[2]] if out.ndim == 3 else 1.0
    factor = 1 - rows[:, None, None] * tint if out.ndim == 3 else 1 - rows[:, None]
    return np.clip(out * factor, 0, 255).astype(np.uint8)


def shadowed(image: np.ndarray, depth: float = 0.5, softness: float = 0.06) -> np.ndarray:
    """A hand's or phone's shadow falling across the page: one side darkened by ``depth``,
    its edge a soft diagonal through the middle."""
    height, width = image.shape[:2]
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    edge = (xx - 0.55 * width) + 0.5 * (yy - 0.5 * height)
    factor = 1 - depth / (1 + np.exp(-edge / (softness * max(height, width))))
    if image.ndim == 3:
        factor = factor[..., None]
    return np.clip(image.astype(np.float32) * factor, 0, 255).astype(np.uint8)


def turned(image: np.ndarray, degrees: float = 15.0) -> np.ndarray:
    """The photo turned by ``degrees`` (counter-clockwise), the paper extended at the corners."""
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)


def jpeg_with_orientation(image: np.ndarray, orientation: int, quality: int = 80) -> bytes:
    """``image`` as JPEG bytes with an EXIF block holding only the Orientation tag (274),
    written byte by byte as a phone writes it (APP1 segment, little-endian TIFF header)."""
    if not 1 <= orientation <= 8:
        raise ValueError(f"EXIF orientation is 1-8, not {orientation}")
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("OpenCV could not encode the image as JPEG")
    jpeg = encoded.tobytes()
    tiff = b"II*\0" + struct.pack("<IH", 8, 1) + struct.pack("<HHIHH", 274, 3, 1, orientation, 0) + bytes(4)
    app1 = b"Exif\0\0" + tiff
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + jpeg[2:]


def _encoded(image: np.ndarray, extension: str, params: Sequence[int] = ()) -> bytes:
    ok, data = cv2.imencode(extension, image, list(params))
    if not ok:
        raise ValueError(f"OpenCV could not encode the image as {extension}")
    return data.tobytes()


def _small_compressed(image: np.ndarray) -> bytes:
    height, width = image.shape[:2]
    scale = 320 / max(height, width)
    small = cv2.resize(image, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    return _encoded(small, ".jpg", [cv2.IMWRITE_JPEG_QUALITY, 30])


#: name -> (file suffix, upright BGR image -> the file's bytes).  "original" stores it plainly.
VARIANTS: dict[str, tuple[str, Callable[[np.ndarray], bytes]]] = {
    "original": (".jpg", lambda image: _encoded(image, ".jpg", [cv2.IMWRITE_JPEG_QUALITY, 92])),
    "EXIF-rotated": (".jpg", lambda image: jpeg_with_orientation(np.ascontiguousarray(np.rot90(image, 1)), 6, 92)),
    "ruled": (".jpg", lambda image: _encoded(ruled(image), ".jpg", [cv2.IMWRITE_JPEG_QUALITY, 92])),
    "shadow": (".jpg", lambda image: _encoded(shadowed(image), ".jpg", [cv2.IMWRITE_JPEG_QUALITY, 92])),
    "ruled + shadow": (".jpg", lambda image: _encoded(shadowed(ruled(image)), ".jpg", [cv2.IMWRITE_JPEG_QUALITY, 92])),
    "turned 15°": (".jpg", lambda image: _encoded(turned(image), ".jpg", [cv2.IMWRITE_JPEG_QUALITY, 92])),
    "small + compressed": (".jpg", _small_compressed),
    "16-bit PNG": (".png", lambda image: _encoded(image.astype(np.uint16) * 257, ".png")),
    "WebP": (".webp", lambda image: _encoded(image, ".webp", [cv2.IMWRITE_WEBP_QUALITY, 85])),
}


def write_variant(image: np.ndarray, variant: str, stem: Path,
                  variants: dict[str, tuple[str, Callable[[np.ndarray], bytes]]] = VARIANTS) -> Path:
    """Store an upright BGR (or grey) image as ``variant`` (a key of ``variants``) at ``stem`` + its suffix."""
    suffix, encode = variants[variant]
    path = Path(f"{stem}{suffix}")
    path.write_bytes(encode(image))
    return path


# --- many marks, for training the "is it a digit?" check -------------------------------------

#: Letters of OpenCV's Hershey fonts that no one would read as a digit (O, I, l, S, Z, B, G, b,
#: g, q, o, i, j, s, z, T, L, D, Q, J, a, d, e are left out: each is a digit in someone's hand).
LETTERS = "ACEFHKMNPRUVWXYcfhkmnprtuvwxy"
HERSHEY_FONTS = (cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_COMPLEX,
                 cv2.FONT_HERSHEY_TRIPLEX, cv2.FONT_HERSHEY_SCRIPT_SIMPLEX,
                 cv2.FONT_HERSHEY_SCRIPT_COMPLEX, cv2.FONT_HERSHEY_PLAIN)
#: The kinds of mark ``random_mark`` draws.
MARK_KINDS = ("strokes", "polygon", "scribble", "rings", "wave", "spiral", "grid", "letter", "drawn letter")

#: Capital letters as a pen draws them (strokes in the unit box), for ``random_mark``.
DRAWN_LETTERS: dict[str, list[Polyline]] = {
    "A": [[(0.12, 0.96), (0.48, 0.04), (0.88, 0.96)], [(0.25, 0.62), (0.75, 0.62)]],
    "E": [[(0.8, 0.05), (0.2, 0.05), (0.2, 0.95), (0.8, 0.95)], [(0.2, 0.5), (0.65, 0.5)]],
    "F": [[(0.8, 0.05), (0.2, 0.05), (0.2, 0.95)], [(0.2, 0.48), (0.65, 0.48)]],
    "H": [[(0.15, 0.05), (0.15, 0.95)], [(0.85, 0.05), (0.85, 0.95)], [(0.15, 0.5), (0.85, 0.5)]],
    "K": [[(0.2, 0.05), (0.2, 0.95)], [(0.8, 0.05), (0.2, 0.6)], [(0.4, 0.45), (0.85, 0.95)]],
    "M": [[(0.1, 0.95), (0.15, 0.05), (0.5, 0.6), (0.85, 0.05), (0.9, 0.95)]],
    "N": [[(0.15, 0.95), (0.15, 0.05), (0.85, 0.95), (0.85, 0.05)]],
    "R": [[(0.2, 0.95), (0.2, 0.05), (0.7, 0.08), (0.78, 0.3), (0.6, 0.48), (0.2, 0.5)], [(0.45, 0.5), (0.85, 0.95)]],
    "U": [[(0.15, 0.05), (0.15, 0.7), (0.5, 0.95), (0.85, 0.7), (0.85, 0.05)]],
    "V": [[(0.1, 0.05), (0.5, 0.95), (0.9, 0.05)]],
    "W": [[(0.05, 0.05), (0.25, 0.95), (0.5, 0.35), (0.75, 0.95), (0.95, 0.05)]],
    "X": [[(0.15, 0.05), (0.85, 0.95)], [(0.85, 0.05), (0.15, 0.95)]],
    "Y": [[(0.15, 0.05), (0.5, 0.5), (0.85, 0.05)], [(0.5, 0.5), (0.5, 0.95)]],
}


def _random_lines(kind: str, rng: np.random.Generator) -> list[Polyline]:
    """Control points of a random mark of ``kind`` in the unit box."""
    u = rng.uniform
    if kind == "strokes":  # a few straight strokes anywhere: crosses, ticks, hashes, arrows
        return [[(u(0, 1), u(0, 1)), (u(0, 1), u(0, 1))] for _ in range(rng.integers(2, 6))]
    if kind == "polygon":  # triangles, squares and stars (the pen rounds more corners into a 0)
        corners = int(rng.integers(3, 8))
        step = 1 if corners <= 4 else 2
        start, radii = u(0, 2 * np.pi), u(0.3, 0.5, corners)
        return [[(0.5 + radii[k % corners] * np.cos(start + 2 * np.pi * step * k / corners),
                  0.5 + radii[k % corners] * np.sin(start + 2 * np.pi * step * k / corners))
                 for k in range(corners + 1)]]
    if kind == "scribble":
        return [[(u(0, 1), u(0, 1)) for _ in range(rng.integers(8, 20))]]
    if kind == "rings":  # a large ring with two or more small rings or strokes in or around it: faces, suns
        radius, features = u(0.3, 0.45), int(rng.integers(2, 5))
        rings = int(rng.integers(0, features + 1))
        # each placed away from the ring's own line (a ring with a mark lost in its stroke is a 0);
        # a wide pen may still make one touch the ring
        distances = np.where(rng.random(features) < 0.7, u(0, 0.45, features), u(1.3, 1.6, features)) * radius
        angles = u(0, 2 * np.pi, features)
        lines = [_circle(0.5, 0.5, radius, n=30)]
        for k, (d, a) in enumerate(zip(distances, angles)):
            x, y = 0.5 + d * np.cos(a), 0.5 + d * np.sin(a)
            if k < rings:
                lines.append(_circle(x, y, u(0.03, 0.08), n=12))
            else:
                length, turn = u(0.15, 0.35) * radius, a + (u(-0.4, 0.4) if d > radius else u(0, 2 * np.pi))
                lines.append([(x, y), (x + length * np.cos(turn), y + length * np.sin(turn))])
        return lines
    if kind == "wave":  # sine or zigzag of two or more periods, lying or standing
        t = np.linspace(0, 1, 60)
        phase = 2 * np.pi * u(2, 5) * t + u(0, 6)
        shape = np.sin(phase) if rng.random() < 0.7 else 2 / np.pi * np.arcsin(np.sin(phase))
        points = np.column_stack([t, 0.5 + u(0.12, 0.4) * shape])
        return [(points[:, ::-1] if rng.random() < 0.5 else points).tolist()]
    if kind == "spiral":  # at least one and a quarter turns: a 6's loop and stem make about one
        t = np.linspace(0, u(2.5, 8) * np.pi, 120)
        radius, turn, start = 0.45 * t / t[-1], rng.choice([-1, 1]), u(0, 2 * np.pi)
        return [list(zip(0.5 + radius * np.cos(turn * t + start), 0.5 + radius * np.sin(turn * t + start)))]
    if kind == "grid":  # two or more upright lines crossed by one or more lying ones
        upright = [[(x + u(-0.1, 0.1), 0.05), (x + u(-0.1, 0.1), 0.95)] for x in u(0.1, 0.9, rng.integers(2, 5))]
        lying = [[(0.05, y + u(-0.1, 0.1)), (0.95, y + u(-0.1, 0.1))] for y in u(0.1, 0.9, rng.integers(1, 5))]
        return upright + lying
    raise ValueError(f"unknown mark kind {kind!r}: choose one of {', '.join(MARK_KINDS)}")


#: A second hand's digits, written independently of ``DIGIT_STROKES`` (which the benchmark and
#: the tests read): the check learns drawn digits from these, so that a clean pen stroke is not
#: itself a sign of "not a digit".  Two styles where hands differ, the European 1 and 7 among them.
DRAWN_DIGITS: dict[str, list[list[Polyline]]] = {
    "0": [[[(0.55, 0.04), (0.25, 0.15), (0.12, 0.5), (0.3, 0.9), (0.6, 0.96), (0.86, 0.6), (0.8, 0.2), (0.55, 0.04)]]],
    "1": [[[(0.35, 0.2), (0.55, 0.04), (0.55, 0.96)]], [[(0.5, 0.04), (0.5, 0.96)]],
          [[(0.28, 0.28), (0.55, 0.04), (0.55, 0.95)], [(0.3, 0.95), (0.8, 0.95)]]],
    "2": [[[(0.2, 0.2), (0.5, 0.04), (0.8, 0.2), (0.75, 0.45), (0.2, 0.95), (0.86, 0.95)]],
          [[(0.15, 0.3), (0.35, 0.06), (0.7, 0.08), (0.75, 0.35), (0.3, 0.75), (0.2, 0.95), (0.5, 0.85), (0.9, 0.92)]]],
    "3": [[[(0.2, 0.08), (0.8, 0.08), (0.45, 0.45), (0.75, 0.6), (0.8, 0.85), (0.5, 0.97), (0.2, 0.88)]],
          [[(0.2, 0.15), (0.5, 0.03), (0.78, 0.18), (0.7, 0.4), (0.42, 0.5), (0.75, 0.6), (0.8, 0.85), (0.5, 0.97),
            (0.18, 0.85)]]],
    "4": [[[(0.7, 0.96), (0.7, 0.04), (0.15, 0.65), (0.9, 0.65)]],
          [[(0.3, 0.04), (0.2, 0.55), (0.85, 0.55)], [(0.7, 0.3), (0.68, 0.96)]]],
    "5": [[[(0.75, 0.05), (0.3, 0.05)], [(0.3, 0.05), (0.25, 0.45), (0.55, 0.38), (0.8, 0.6), (0.7, 0.9),
                                          (0.4, 0.97), (0.18, 0.85)]]],
    "6": [[[(0.7, 0.04), (0.35, 0.35), (0.2, 0.7), (0.4, 0.96), (0.7, 0.85), (0.75, 0.6), (0.5, 0.5), (0.22, 0.65)]],
          # the stem drawn first and on down, the loop crossing it
          [[(0.6, 0.03), (0.35, 0.25), (0.28, 0.55), (0.3, 0.96)], [(0.29, 0.62), (0.55, 0.48), (0.78, 0.6),
                                                                     (0.7, 0.82), (0.45, 0.85), (0.29, 0.75)]]],
    "7": [[[(0.15, 0.08), (0.85, 0.08), (0.4, 0.96)]], [[(0.15, 0.08), (0.85, 0.08), (0.45, 0.96)], [(0.3, 0.5), (0.8, 0.5)]]],
    "8": [[[(0.5, 0.48), (0.75, 0.3), (0.7, 0.08), (0.5, 0.03), (0.3, 0.1), (0.3, 0.3), (0.5, 0.48), (0.75, 0.65),
            (0.75, 0.9), (0.5, 0.97), (0.25, 0.9), (0.25, 0.65), (0.5, 0.48)]]],
    "9": [[[(0.75, 0.15), (0.5, 0.04), (0.25, 0.2), (0.3, 0.42), (0.6, 0.45), (0.78, 0.25), (0.75, 0.6), (0.7, 0.96)]],
          # the tail curling to the left
          [[(0.75, 0.2), (0.5, 0.04), (0.25, 0.18), (0.3, 0.4), (0.55, 0.45), (0.76, 0.3), (0.75, 0.65), (0.6, 0.92),
            (0.35, 0.96), (0.22, 0.82)]],
          [[(0.75, 0.3), (0.5, 0.06), (0.22, 0.25), (0.45, 0.5), (0.76, 0.3)], [(0.76, 0.1), (0.76, 0.96)]]],
}


def random_drawn_digit(rng: np.random.Generator, side: int = 280) -> tuple[int, np.ndarray]:
    """(digit, canvas) of one of ``DRAWN_DIGITS``, turned, sheared, stretched and wobbled at random,
    drawn with a random pen and size as the page's canvas holds a drawing."""
    digit = int(rng.integers(10))
    styles = DRAWN_DIGITS[str(digit)]
    return digit, _hand_drawn(styles[rng.integers(len(styles))], rng, side, shear=0.25)


def _with_random_pen(lines: Sequence[Polyline], rng: np.random.Generator, side: int) -> np.ndarray:
    """``lines`` on the page's canvas with a random pen width and size."""
    return canvas(lines, seed=int(rng.integers(2**31)), pen=int(rng.integers(8, 30)),
                  fill=rng.uniform(0.4, 0.8), side=side)


def _hand_drawn(strokes: Sequence[Polyline], rng: np.random.Generator, side: int, shear: float) -> np.ndarray:
    """``strokes`` as a hand draws them: turned up to 12 degrees, sheared up to ``shear``,
    stretched 0.7-1.2 times across, every point moved a little; then drawn with a random pen."""
    angle, slant, stretch = np.radians(rng.uniform(-12, 12)), rng.uniform(-shear, shear), rng.uniform(0.7, 1.2)
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]]) @ [[stretch, slant], [0, 1]]
    lines = [((np.asarray(line) - 0.5) @ turn.T + 0.5 + rng.normal(0, 0.025, np.shape(line))).tolist()
             for line in strokes]
    return _with_random_pen(lines, rng, side)


def hershey_glyph(text: str, rng: np.random.Generator, side: int = 280) -> np.ndarray:
    """``text`` in a random Hershey font and weight, turned and sheared a little, as the page's
    canvas holds a drawing (white ink, 0-1, on black, ``side`` square)."""
    image = np.zeros((side, side), np.uint8)
    font, weight = HERSHEY_FONTS[rng.integers(len(HERSHEY_FONTS))], int(rng.integers(2, 9))
    (width, height), base = cv2.getTextSize(text, font, 1.0, weight)
    scale = 0.6 * side / max(width, height + base)
    (width, height), base = cv2.getTextSize(text, font, scale, weight)
    cv2.putText(image, text, ((side - width) // 2, (side + height) // 2), font, scale, 255, weight, cv2.LINE_AA)
    matrix = cv2.getRotationMatrix2D((side / 2, side / 2), rng.uniform(-15, 15), 1.0)
    matrix[0, 1] += rng.uniform(-0.2, 0.2)
    return cv2.warpAffine(image, matrix, (side, side)).astype(np.float32) / 255


def random_mark(rng: np.random.Generator, side: int = 280) -> tuple[str, np.ndarray]:
    """(kind, canvas) of one random mark that is not a digit, drawn as the page's canvas holds
    a drawing with a random pen width and size.  ``NOT_DIGITS`` is never drawn here: the
    check is trained on these and measured on those."""
    kind = MARK_KINDS[rng.integers(len(MARK_KINDS))]
    if kind == "letter":
        return kind, hershey_glyph(LETTERS[rng.integers(len(LETTERS))], rng, side)
    if kind == "drawn letter":
        letter = DRAWN_LETTERS[sorted(DRAWN_LETTERS)[rng.integers(len(DRAWN_LETTERS))]]
        return kind, _hand_drawn(letter, rng, side, shear=0.2)
    return kind, _with_random_pen(_random_lines(kind, rng), rng, side)
