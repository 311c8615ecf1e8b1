"""How well the photo reader and the *Draw a digit* rule do on real photos, their variants
and marks that are not digits.  A benchmark, not a test: it prints, it asserts nothing.

    python scripts/photo_benchmark.py                     # ../shared/photos and ../shared/photos_more
    python scripts/photo_benchmark.py --folders DIR ...   # any folders with a labels.csv
    python scripts/photo_benchmark.py --variants original ruled --json results.json

For every photo (``file,label`` in each folder's ``labels.csv``; the writer is the file
name's prefix before ``_``) and every variant of it that ``lenet_lib.synthetic.VARIANTS``
makes (EXIF-rotated, ruled, shadow, turned 15°, small and compressed, 16-bit, CMYK, WebP):
right, wrong or refused (``PhotoError``, or "not sure" by ``reading.verdict``), per writer and
per variant.  Then marks that are not digits (``synthetic.NOT_DIGITS``, and
``NOT_DIGITS_HELD_OUT``, which played no part in the digit check's making), photographed and
drawn on the page's canvas: the share answered "not sure" or refused, and the same for
drawn digits (which should be read).  Last, the time and peak memory of reading one
12-megapixel photo.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from lenet_lib import models, photo, reading, saving, synthetic  # noqa: E402

SHARED = ROOT.parent / "shared"


def cmyk_jpeg(image: np.ndarray) -> bytes:
    """A CMYK JPEG, as some editors and scanners save one (Pillow writes it; OpenCV cannot)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB)).convert("CMYK").save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


#: The course's variants and one more.
VARIANTS = {**synthetic.VARIANTS, "CMYK JPEG": (".jpg", cmyk_jpeg)}


def write_variant(image: np.ndarray, variant: str, stem: Path) -> Path:
    return synthetic.write_variant(image, variant, stem, VARIANTS)
DEFAULT_FOLDERS = [SHARED / "photos", SHARED / "photos_more"]
WEIGHTS = ROOT / "data" / "slides_lenet5.weights.h5"


def labelled(folder: Path) -> list[tuple[Path, int, str]]:
    with open(folder / photo.LABELS_FILE, newline="") as handle:
        return [(folder / row["file"], int(row["label"]), row["file"].split("_")[0])
                for row in csv.DictReader(handle)]


def read_file(model, path: Path) -> tuple[str, int | None, str]:
    """(what the reader did, the digit it named or guessed, why): "refused" (a ``PhotoError``,
    no digit), "not sure" (``reading.verdict``, with its best guess) or "read"."""
    try:
        digit = photo.mnist_style(photo.read_photo(path))
    except photo.PhotoError as error:
        return "refused", None, str(error)[:70]
    said = reading.verdict(model, digit)
    return ("read" if said.sure else "not sure"), said.digit, said.reason


def outcome(read: tuple[str, int | None, str], label: int) -> str:
    kind, digit, _ = read
    if kind == "read":
        return "right" if digit == label else "wrong"
    return "refused"  # a refusal and a "not sure" both leave a good photo unread


def photos_table(model, folders: list[Path], variants: list[str]) -> dict:
    counts: dict[str, dict[str, dict[str, int]]] = {"writer": defaultdict(lambda: defaultdict(int)),
                                                    "variant": defaultdict(lambda: defaultdict(int)),
                                                    "slides' way, by writer": defaultdict(lambda: defaultdict(int))}
    details = []
    with tempfile.TemporaryDirectory() as folder:
        for path, label, writer in [item for f in folders for item in labelled(f)]:
            upright = cv2.imread(str(path), cv2.IMREAD_COLOR)  # applies the EXIF orientation
            for variant in variants:
                stored = write_variant(upright, variant, Path(folder) / f"{path.stem}")
                read = read_file(model, stored)
                result = outcome(read, label)
                counts["variant"][variant][result] += 1
                if variant == "original":
                    counts["writer"][writer][result] += 1
                    slides = int(np.argmax(model.predict(photo.prepare_photo(stored, method="naive"), verbose=0)))
                    counts["slides' way, by writer"][writer]["right" if slides == label else "wrong"] += 1
                if result != "right":
                    said = read[2] if result == "refused" else f"said {read[1]}"
                    details.append(f"{path.name} [{variant}]: {result} ({said})")
                stored.unlink()
    return {"counts": {k: {n: dict(v) for n, v in table.items()} for k, table in counts.items()},
            "not right": details}


def marks_table(model, seeds: int = 4) -> dict:
    """Not-digits and digits, photographed and drawn: the share left unread ("not sure" or refused)."""
    rows = {}
    with tempfile.TemporaryDirectory() as folder:
        for group, strokes in (("not digits", synthetic.NOT_DIGITS),
                               ("held-out not digits", synthetic.NOT_DIGITS_HELD_OUT),
                               ("digits", synthetic.DIGIT_STROKES)):
            for name, lines in strokes.items():
                for seed in range(seeds):
                    path = write_variant(synthetic.photographed(lines, seed), "original",
                                         Path(folder) / f"{name}_{seed}")
                    photo_read = read_file(model, path)[:2]
                    drawn = synthetic.canvas(lines, seed=seed)
                    said = reading.verdict(model, photo.center_digit(drawn), drawn_box=reading.ink_box(drawn))
                    for reader, (kind, digit) in (("photo", photo_read),
                                                  ("page", ("read" if said.sure else "not sure", said.digit))):
                        key = (group, reader)
                        rows.setdefault(key, {"unread": 0, "total": 0, "wrong": 0, "examples": []})
                        rows[key]["total"] += 1
                        if kind != "read":
                            rows[key]["unread"] += 1
                        elif group == "digits" and digit != int(name):
                            rows[key]["wrong"] += 1
                        if (group != "digits") == (kind == "read"):
                            rows[key]["examples"].append(f"{name}/{seed}: {kind} {digit}")
    return {f"{group}, {reader}": row for (group, reader), row in rows.items()}


def twelve_megapixels() -> dict:
    """Seconds and peak Python-allocated memory (NumPy included) to read a 4000x3000 photo."""
    image = synthetic.render(synthetic.DIGIT_STROKES["7"], thickness=6, size=(3000, 4000), seed=1)
    with tempfile.TemporaryDirectory() as folder:
        path = write_variant(image, "original", Path(folder) / "big")
        answer = "read"
        tracemalloc.start()
        start = time.perf_counter()
        try:
            photo.mnist_style(photo.read_photo(path))
        except photo.PhotoError as error:
            answer = f"refused: {error}"
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {"seconds": round(seconds, 3), "peak_MB": round(peak / 1e6, 1), "answer": answer}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folders", nargs="*", type=Path, default=DEFAULT_FOLDERS)
    parser.add_argument("--variants", nargs="*", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    model = saving.load_weights(models.build_slides_lenet5(), WEIGHTS)
    folders = [f for f in args.folders if (f / photo.LABELS_FILE).is_file()]
    report = {"photos": photos_table(model, folders, args.variants) if folders else None,
              "marks": marks_table(model), "12 megapixels": twelve_megapixels()}
    if report["photos"]:
        for kind, table in report["photos"]["counts"].items():
            print(f"\n{kind if ',' in kind else 'by ' + kind:<22} right  wrong  refused")
            for name, row in table.items():
                print(f"{name:<22} {row.get('right', 0):>5}  {row.get('wrong', 0):>5}  {row.get('refused', 0):>7}")
        print("\nnot right:", "; ".join(report["photos"]["not right"][:60]))
    print("\nmarks (unread = 'not sure' or refused):")
    for name, row in report["marks"].items():
        print(f"  {name:<20} {row['unread']}/{row['total']} unread, {row['wrong']} wrong   {'; '.join(row['examples'][:8])}")
    print(f"\n12-megapixel photo of a thin-pen 7: {report['12 megapixels']['seconds']} s, "
          f"peak {report['12 megapixels']['peak_MB']} MB (NumPy and Python allocations), "
          f"{report['12 megapixels']['answer']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
