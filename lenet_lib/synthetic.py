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


def _smooth(points: np.ndarray, rounds: int = 4) -> np.ndarray:
    """Chaikin's corner cutting: a hand's curve through the control points."""
    for _ in range(rounds):
        if len(points) < 3:
            return points
        q = 0.75 * points[:-1] + 0.25 * points[1:]
        r = 0.25 * points[:-1] + 0.75 * points[1:]
        points = np.vstack([points[:1], np.column_stack([q, r]).reshape(-1, 2), points[-1:]])
    return points


def _wobbly(strokes: Sequence[Polyline], rng: np.random.Generator, jitter: float) -> list[np.ndarray]:
    lines = []
    for line in strokes:
        points = np.asarray(line, dtype=np.float64)
        points = points + rng.normal(0, jitter, points.shape)
        lines.append(_smooth(points) if len(points) > 2 else points)
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


def write_variant(image: np.ndarray, variant: str, stem: Path) -> Path:
    """Store an upright BGR (or grey) image as ``variant`` at ``stem`` + the variant's suffix."""
    suffix, encode = VARIANTS[variant]
    path = Path(f"{stem}{suffix}")
    path.write_bytes(encode(image))
    return path
