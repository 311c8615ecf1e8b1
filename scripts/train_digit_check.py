"""Train the course's "is it a digit?" check and choose where it says "not a digit".

    python scripts/train_digit_check.py        # full mode: writes data/digit_check.weights.h5
                                               # and results/digit_check.json
    LENET_QUICK=1 python scripts/train_digit_check.py --output /tmp/check.weights.h5

The check (``lenet_lib.models.build_digit_check``) learns two classes:

- **digits**: the first 50,000 MNIST training digits, digits of OpenCV's Hershey fonts, and
  digits drawn with the page's pen from a second hand's templates (``synthetic.DRAWN_DIGITS``,
  European 1s and 7s among them), so that neither print nor a clean pen stroke is a cue for
  "not a digit";
- **not digits**: marks ``lenet_lib.synthetic.random_mark`` draws (strokes, triangles,
  squares and stars, scribbles, faces, waves, spirals, grids, and letters in Hershey fonts and
  drawn with a pen).

Both go through the course network's training-time augmentation (``training.SHIPPED_RECIPE``),
so the check sees digits as varied as the course network saw them.

**The threshold** is chosen on data that played no part in training: the last 10,000 MNIST
training digits.  It is the probability that leaves ``DIGITS_LEFT_UNREAD`` of them unread.
The marks the course reports on (``synthetic.NOT_DIGITS`` and ``NOT_DIGITS_HELD_OUT``, in
``scripts/photo_benchmark.py``) are never drawn here, nor are the development photos used.
``NOT_DIGITS`` did shape the kinds of mark: after the first training read its spiral (1.4 turns),
its A and its triangle as digits, spirals from 1¼ turns and pen-drawn capitals were added;
``NOT_DIGITS_HELD_OUT`` was written then and played no part.  The JSON record gives the
threshold, the share of MNIST test digits the rule leaves unread, and the share of a fresh
set of generated marks it catches.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import keras  # noqa: E402
import numpy as np  # noqa: E402

from lenet_lib import data, models, photo, runtime, saving, synthetic, training  # noqa: E402

WEIGHTS = ROOT / "data" / "digit_check.weights.h5"
RECORD = ROOT / "results" / "digit_check.json"
#: The share of held-out MNIST digits the check may leave unread: one in a hundred.
DIGITS_LEFT_UNREAD = 0.01
FIT_DIGITS, HERSHEY_DIGITS, DRAWN, MARKS, FRESH_MARKS = 50_000, 5_000, 10_000, 30_000, 3_000
EPOCHS, BATCH_SIZE = 6, 128
QUICK = {"FIT_DIGITS": 3_000, "HERSHEY_DIGITS": 300, "DRAWN": 600, "MARKS": 2_000, "FRESH_MARKS": 300, "EPOCHS": 1}


def framed(draw: Callable[[np.random.Generator], tuple[object, np.ndarray]], count: int,
           seed: int) -> tuple[np.ndarray, list]:
    """``count`` drawings ``draw`` makes from one random generator, framed as the page frames a
    drawing (28x28x1, 0-1), and what ``draw`` says each one is (a digit, a kind of mark)."""
    rng = np.random.default_rng(seed)
    images, labels = np.zeros((count, 28, 28, 1), np.float32), []
    for k in range(count):  # framed one by one: a 280x280 canvas is 300 kB, 30,000 of them 9 GB
        label, drawing = draw(rng)
        images[k, :, :, 0] = photo.center_digit(drawing)
        labels.append(label)
    return images, labels


def hershey_digit(rng: np.random.Generator) -> tuple[int, np.ndarray]:
    digit = int(rng.integers(10))
    return digit, synthetic.hershey_glyph(str(digit), rng)


def train(output: Path, seed: int = 0) -> dict:
    """Train the check, save its weights to ``output``, return the record."""
    runtime.set_seed(seed)
    sizes = QUICK if runtime.is_quick() else {"FIT_DIGITS": FIT_DIGITS, "HERSHEY_DIGITS": HERSHEY_DIGITS,
                                              "DRAWN": DRAWN, "MARKS": MARKS, "FRESH_MARKS": FRESH_MARKS,
                                              "EPOCHS": EPOCHS}
    (x_train, _), (x_test, _) = data.load_mnist()
    digits = training.scale_images(x_train)
    held_out, test = digits[50_000:], training.scale_images(x_test)
    start = time.perf_counter()
    not_digits, _ = framed(synthetic.random_mark, sizes["MARKS"], seed)
    fresh, fresh_kinds = framed(synthetic.random_mark, sizes["FRESH_MARKS"], seed + 1000)
    positives = np.concatenate([digits[:sizes["FIT_DIGITS"]], framed(hershey_digit, sizes["HERSHEY_DIGITS"], seed)[0],
                                framed(synthetic.random_drawn_digit, sizes["DRAWN"], seed)[0]])
    fresh_drawn = framed(synthetic.random_drawn_digit, sizes["FRESH_MARKS"], seed + 1000)[0]
    images = np.concatenate([positives, not_digits])
    labels = np.r_[np.zeros(len(positives)), np.ones(len(not_digits))].astype("float32")
    weights = np.where(labels == 1, len(labels) / (2 * len(not_digits)), len(labels) / (2 * len(positives)))
    drawing_seconds = time.perf_counter() - start

    check = models.build_digit_check()
    trainer = keras.Sequential([keras.Input(shape=(28, 28, 1)),
                                training.build_augmentation(training.SHIPPED_RECIPE, seed), check])
    trainer.compile(optimizer=keras.optimizers.Adam(), loss="binary_crossentropy")
    start = time.perf_counter()
    trainer.fit(images, labels, sample_weight=weights, batch_size=BATCH_SIZE, epochs=sizes["EPOCHS"],
                shuffle=True, verbose=2)
    seconds = time.perf_counter() - start
    saving.save_weights_atomically(check, output)

    def not_a_digit(x: np.ndarray) -> np.ndarray:
        return check.predict(x, verbose=0, batch_size=1024)[:, 0]

    threshold = float(np.quantile(not_a_digit(held_out), 1 - DIGITS_LEFT_UNREAD))
    fresh_scores = not_a_digit(fresh)
    by_kind = {kind: float(np.mean(fresh_scores[np.array(fresh_kinds) == kind] > threshold))
               for kind in synthetic.MARK_KINDS if kind in fresh_kinds}
    return {"threshold": round(threshold, 4), "digits_left_unread": DIGITS_LEFT_UNREAD,
            "mnist_test_left_unread": float(np.mean(not_a_digit(test) > threshold)),
            "fresh_marks_caught": float(np.mean(fresh_scores > threshold)), "fresh_marks_caught_by_kind": by_kind,
            "fresh_drawn_digits_left_unread": float(np.mean(not_a_digit(fresh_drawn) > threshold)),
            "sizes": sizes, "seed": seed, "mode": runtime.mode(), "seconds": round(seconds),
            "drawing_seconds": round(drawing_seconds), "machine": training.machine()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=None,
                        help=f"weights file (default, full mode only: {WEIGHTS.relative_to(ROOT)})")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    output = (args.output or WEIGHTS).resolve()
    if output == WEIGHTS.resolve() and (runtime.is_quick() or args.seed != 0):
        parser.error(f"the shipped {WEIGHTS.relative_to(ROOT)} is the full-mode run with seed 0: "
                     f"give --output another file")
    record = train(output, args.seed)
    print(json.dumps(record))
    if output == WEIGHTS.resolve():
        training.write_json_atomically(RECORD, record)


if __name__ == "__main__":
    main()
