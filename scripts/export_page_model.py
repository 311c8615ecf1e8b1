"""Export the course's trained LeNet-5 for the book's "Draw a digit" page.

    python scripts/export_page_model.py   # writes _extra/lenet-draw/lenet_model.js

Reads data/slides_lenet5.weights.h5 (made by scripts/train_photo_model.py) and the digit
check (data/digit_check.weights.h5 and its threshold, made by scripts/train_digit_check.py)
and writes them in lenet_lib.export's format; `bash course.sh book` runs this first.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lenet_lib import export, models, reading, saving  # noqa: E402

WEIGHTS = ROOT / "data" / "slides_lenet5.weights.h5"
PAGE_MODEL = ROOT / "_extra" / "lenet-draw" / "lenet_model.js"


def main() -> None:
    model = saving.load_weights(models.build_slides_lenet5(), WEIGHTS)
    path = export.export_model(model, PAGE_MODEL, check=reading.DigitCheck.shipped())
    print(f"{path.relative_to(ROOT)}: {model.count_params():,} parameters, {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
