"""Make the course's own sample "photos" of handwritten digits, in data/.

    python scripts/make_sample_photos.py [--output-dir data]

Each is rendered, not photographed: a digit drawn as a smooth pen stroke
through a few control points, with a slightly wobbly hand (jittered points,
random rotation and shear), on paper with texture,
uneven light and a shadow, slightly out of focus, with sensor noise, saved as
a JPEG.  Deterministic for a given seed.  One of them is stored the way a phone
held upside down stores it: the pixels turned half a turn, with an EXIF Orientation
tag that tells a viewer to turn them back.  ``labels.csv`` lists each file with its digit.
"""

from __future__ import annotations

import argparse
import struct
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]

#: Pen paths of the digits, as control points in a unit box (x right, y down).
STROKES = {
    "3": [(0.18, 0.16), (0.45, 0.04), (0.76, 0.14), (0.74, 0.36), (0.42, 0.49),
          (0.78, 0.60), (0.82, 0.84), (0.52, 0.97), (0.16, 0.86)],
    "7": [(0.12, 0.10), (0.50, 0.08), (0.86, 0.07), (0.66, 0.45), (0.52, 0.95)],
    "6": [(0.72, 0.08), (0.42, 0.16), (0.24, 0.42), (0.22, 0.72), (0.42, 0.95), (0.70, 0.86),
          (0.74, 0.62), (0.50, 0.50), (0.26, 0.62)],
}

#: (file name, digit, ink grey level, stroke thickness, pencil grain 0-1, centre as
#: fraction of width/height, seed, EXIF orientation: 1 upright, 3 stored upside down)
SAMPLES = [
    ("sample_digit_3.jpg", "3", 40, 18, 0.0, (0.50, 0.52), 3, 1),
    ("sample_digit_7_pencil.jpg", "7", 100, 7, 0.6, (0.36, 0.40), 7, 1),
    ("sample_digit_6_upside_down.jpg", "6", 45, 16, 0.0, (0.48, 0.50), 6, 3),
]
JPEG_QUALITY = 80


def render(digit: str, ink: int, thickness: int, grain: float, centre: tuple[float, float], seed: int,
           size: tuple[int, int] = (720, 960)) -> np.ndarray:
    """A BGR "photo" (height, width) of ``digit`` on lit paper."""
    rng = np.random.default_rng(seed)
    height, width = size
    # the stroke, on its own canvas: jittered control points, smoothed (Chaikin), drawn
    points = np.array(STROKES[digit]) + rng.normal(0, 0.015, (len(STROKES[digit]), 2))
    for _ in range(4):
        points = np.vstack([points[:1], np.repeat(points[:-1], 2, 0) * np.tile([[0.75], [0.25]], (len(points) - 1, 1))
                            + np.repeat(points[1:], 2, 0) * np.tile([[0.25], [0.75]], (len(points) - 1, 1)),
                            points[-1:]])
    box = 0.32 * height
    path = (points - 0.5) * [0.8 * box, box] + [centre[0] * width, centre[1] * height]
    stroke = np.zeros(size, np.uint8)
    cv2.polylines(stroke, [np.round(path * 16).astype(np.int32)], False, 255, thickness,
                  cv2.LINE_AA, shift=4)
    # a hand is not a font: shear, rotate and stretch a little
    angle, shear = rng.uniform(-8, 8), rng.uniform(-0.15, 0.15)
    matrix = cv2.getRotationMatrix2D((centre[0] * width, centre[1] * height), angle, rng.uniform(0.9, 1.1))
    matrix[0, 1] += shear
    stroke = cv2.warpAffine(stroke, matrix, (width, height))
    # paper: warm white with fibre texture, lit from one corner, a soft shadow across
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    light = 0.75 + 0.25 * (1 - (xx / width * 0.6 + yy / height * 0.4))
    shadow = 1 - 0.25 / (1 + np.exp(-(xx - 0.8 * width + 0.3 * yy) / 40))
    texture = cv2.GaussianBlur(rng.normal(0, 6, size).astype(np.float32), (0, 0), 1.5)
    paper = np.clip(235 * light * shadow + texture, 0, 255)
    alpha = stroke.astype(np.float32) / 255
    alpha *= np.clip(1 - grain * rng.random(size), 0, 1).astype(np.float32)  # graphite skips
    grey = paper * (1 - alpha) + ink * light * alpha
    colour = np.dstack([grey * 0.93, grey * 0.98, grey])  # BGR: slightly warm light
    colour = cv2.GaussianBlur(colour, (0, 0), 1.6)  # focus
    colour += rng.normal(0, 3, colour.shape)  # sensor noise
    return np.clip(colour, 0, 255).astype(np.uint8)


def jpeg_with_orientation(image: np.ndarray, orientation: int, quality: int = JPEG_QUALITY) -> bytes:
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


#: How to store an upright image so that a viewer applying EXIF ``orientation`` shows it upright.
STORED = {1: lambda image: image, 3: lambda image: np.ascontiguousarray(image[::-1, ::-1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output-dir", type=Path, default=ROOT / "data")
    args = parser.parse_args()
    args.output_dir.mkdir(parents=True, exist_ok=True)
    for name, digit, ink, thickness, grain, centre, seed, orientation in SAMPLES:
        photo = render(digit, ink, thickness, grain, centre, seed)
        path = args.output_dir / name
        if orientation == 1:  # an upright photo needs no EXIF block
            cv2.imwrite(str(path), photo, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        else:
            path.write_bytes(jpeg_with_orientation(STORED[orientation](photo), orientation))
        print(f"{path}: digit {digit}, {photo.shape[1]}x{photo.shape[0]}, EXIF orientation {orientation}")
    # the list photo.read_labelled_photos reads
    (args.output_dir / "labels.csv").write_text(
        "file,label\n" + "".join(f"{name},{digit}\n" for name, digit, *_ in SAMPLES))


if __name__ == "__main__":
    main()
