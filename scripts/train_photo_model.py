"""Train the network the photo chapter uses and save its weights in data/.

    python scripts/train_photo_model.py                 # full: the slides' recipe
    LENET_QUICK=1 python scripts/train_photo_model.py --output /tmp/w.weights.h5

The network is the slides' LeNet-5 (``lenet_lib.models.build_slides_lenet5``)
trained as the slides train it: Adam, batch 32, 10 epochs on the 60,000
training digits.  Quick mode (LENET_QUICK=1) trains one epoch on 10,000
digits, to prove the script works; it must be given ``--output`` and never
writes the shipped weights.  The file is written whole or not at all (a
temporary file beside it, then renamed).  Prints the test accuracy.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # runs before or after `pip install -e .`

import keras  # noqa: E402

from lenet_lib import data, models, runtime, training  # noqa: E402

WEIGHTS = ROOT / "data" / "slides_lenet5.weights.h5"
#: Quick mode trains one epoch on this many digits (2,000 left the sigmoid network at chance, 11 %).
QUICK_DIGITS = 10_000


def train(output: Path, seed: int = 0) -> float:
    """Train, save the weights to ``output``, return the test accuracy."""
    runtime.set_seed(seed)
    quick = runtime.is_quick()
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    x_fit, y_fit = training.subset(training.scale_images(x_train), y_train, QUICK_DIGITS if quick else None)
    model = models.build_slides_lenet5()
    model.compile(optimizer=keras.optimizers.Adam(), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_fit, y_fit, batch_size=32, epochs=1 if quick else 10, verbose=2)
    _, accuracy = model.evaluate(training.scale_images(x_test), y_test, verbose=0)
    weights_only = models.build_slides_lenet5()  # uncompiled: the file holds no optimizer state
    weights_only.set_weights(model.get_weights())
    save_atomically(weights_only, output)
    return float(accuracy)


def save_atomically(model: keras.Model, output: Path) -> None:
    """Save the weights to a temporary file beside ``output``, then rename it over
    ``output``: an interrupted run leaves the old file whole."""
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=".partial-", suffix=".weights.h5")
    os.close(handle)
    try:
        model.save_weights(temporary)
        os.replace(temporary, output)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=None,
                        help=f"weights file to write (default, full mode only: {WEIGHTS.relative_to(ROOT)})")
    args = parser.parse_args()
    if runtime.is_quick():
        if args.output is None or args.output.resolve() == WEIGHTS.resolve():
            parser.error(f"quick mode (LENET_QUICK=1) trains a one-epoch network and never writes "
                         f"the shipped {WEIGHTS.relative_to(ROOT)}: give --output another file")
    elif args.output is None:
        args.output = WEIGHTS
    accuracy = train(args.output)
    print(f"{args.output}: test accuracy {accuracy:.2%} ({runtime.mode()} mode)")


if __name__ == "__main__":
    main()
