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
import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # runs before or after `pip install -e .`
from lenet_lib.synthetic import DIGIT_STROKES, jpeg_with_orientation, render  # noqa: E402

#: (file name, digit, ink grey level, stroke thickness, pencil grain 0-1, centre as
#: fraction of width/height, seed, EXIF orientation: 1 upright, 3 stored upside down)
SAMPLES = [
    ("sample_digit_3.jpg", "3", 40, 18, 0.0, (0.50, 0.52), 3, 1),
    ("sample_digit_7_pencil.jpg", "7", 100, 7, 0.6, (0.36, 0.40), 7, 1),
    ("sample_digit_6_upside_down.jpg", "6", 45, 16, 0.0, (0.48, 0.50), 6, 3),
]
JPEG_QUALITY = 80


#: How to store an upright image so that a viewer applying EXIF ``orientation`` shows it upright.
STORED = {1: lambda image: image, 3: lambda image: np.ascontiguousarray(image[::-1, ::-1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output-dir", type=Path, default=ROOT / "data")
    args = parser.parse_args()
    args.output_dir.mkdir(parents=True, exist_ok=True)
    for name, digit, ink, thickness, grain, centre, seed, orientation in SAMPLES:
        photo = render(DIGIT_STROKES[digit], ink=ink, thickness=thickness, grain=grain, centre=centre, seed=seed)
        path = args.output_dir / name
        if orientation == 1:  # an upright photo needs no EXIF block
            cv2.imwrite(str(path), photo, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        else:
            path.write_bytes(jpeg_with_orientation(STORED[orientation](photo), orientation, JPEG_QUALITY))
        print(f"{path}: digit {digit}, {photo.shape[1]}x{photo.shape[0]}, EXIF orientation {orientation}")
    # the list photo.read_labelled_photos reads
    (args.output_dir / "labels.csv").write_text(
        "file,label\n" + "".join(f"{name},{digit}\n" for name, digit, *_ in SAMPLES))


if __name__ == "__main__":
    main()
