"""Train the course network and save its weights in data/.

    python scripts/train_photo_model.py                 # full mode: the shipped network
    python scripts/train_photo_model.py --recipe none --seed 1 --output /tmp/w.weights.h5
    LENET_QUICK=1 python scripts/train_photo_model.py --output /tmp/w.weights.h5

The course network is the slides' LeNet-5 (``lenet_lib.models.build_slides_lenet5``),
the one the photo chapter, *LeNet by hand* and the *Draw a digit* page use.  It is
trained as the slides train it (Adam, batch 32, 10 epochs on the 60,000 training
digits) with a training-time augmentation in front (``training.build_augmentation``):
by default ``SHIPPED_RECIPE``, the recipe ``scripts/choose_augmentation.py`` chose.
Quick mode (LENET_QUICK=1) trains two epochs on 10,000 digits, to prove the script
works; it must be given ``--output`` and never writes the shipped weights.  The
file is written whole or not at all (a temporary file beside it, then renamed).
Prints the MNIST test accuracy and the accuracy on the choosing half of the 8x8 digits.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # runs before or after `pip install -e .`

import keras  # noqa: E402

from lenet_lib import data, evaluation, models, photo, runtime, saving, training  # noqa: E402

WEIGHTS = ROOT / "data" / "slides_lenet5.weights.h5"
#: The network shipped before augmentation (recipe "none", seed 0), kept for comparison.
MNIST_ONLY_WEIGHTS = ROOT / "data" / "slides_lenet5_mnist_only.weights.h5"
#: The augmentation the shipped network is trained with (chosen by scripts/choose_augmentation.py).
SHIPPED_RECIPE = training.SHIPPED_RECIPE
EPOCHS, BATCH_SIZE = 10, 32
#: Quick mode trains QUICK_EPOCHS on QUICK_DIGITS digits: with the shipped augmentation one epoch
#: left the sigmoid network at chance (10 %), two reached 65 % (seed 0).
QUICK_EPOCHS, QUICK_DIGITS = 2, 10_000


def train(output: Path, recipe: str = SHIPPED_RECIPE, seed: int = 0) -> dict[str, float]:
    """Train with ``recipe``, save the weights to ``output``; return the MNIST test accuracy,
    the accuracy on the choosing half of the 8x8 digits and the training time."""
    runtime.set_seed(seed)
    quick = runtime.is_quick()
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    # loaded (and checked) before training, so that a missing set cannot waste a run
    (small_images, small_labels), _ = data.split_small_digits(*data.load_small_digits())
    x_fit, y_fit = training.subset(training.scale_images(x_train), y_train, QUICK_DIGITS if quick else None)
    network = models.build_slides_lenet5()
    trainer = keras.Sequential([keras.Input(shape=(28, 28, 1)), training.build_augmentation(recipe, seed), network])
    trainer.compile(optimizer=keras.optimizers.Adam(), loss="sparse_categorical_crossentropy",
                    metrics=["accuracy"])
    start = time.perf_counter()
    trainer.fit(x_fit, y_fit, batch_size=BATCH_SIZE, epochs=QUICK_EPOCHS if quick else EPOCHS, verbose=2)
    seconds = time.perf_counter() - start
    weights_only = models.build_slides_lenet5()  # uncompiled: the file holds no optimizer state
    weights_only.set_weights(network.get_weights())
    saving.save_weights_atomically(weights_only, output)
    small_framed = photo.frame_like_mnist(small_images)[..., None]
    return {"mnist_test": evaluation.evaluate(weights_only, training.scale_images(x_test), y_test).test_accuracy,
            "small_digits_choosing": evaluation.evaluate(weights_only, small_framed, small_labels).test_accuracy,
            "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=None,
                        help=f"weights file to write (default, full mode only: {WEIGHTS.relative_to(ROOT)})")
    parser.add_argument("--recipe", default=SHIPPED_RECIPE, choices=list(training.AUGMENTATIONS),
                        help=f"training-time augmentation (default: {SHIPPED_RECIPE!r})")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args()
    shipped = {WEIGHTS.resolve(): (SHIPPED_RECIPE, 0), MNIST_ONLY_WEIGHTS.resolve(): ("none", 0)}
    output = (args.output or WEIGHTS).resolve()
    if output in shipped:
        name = output.relative_to(ROOT.resolve()) if output.is_relative_to(ROOT.resolve()) else output
        if runtime.is_quick():
            parser.error(f"quick mode (LENET_QUICK=1) trains a barely trained network and never writes "
                         f"the shipped {name}: give --output another file")
        if (args.recipe, args.seed) != shipped[output]:
            recipe, seed = shipped[output]
            parser.error(f"the shipped {name} is recipe {recipe!r}, seed {seed}: give --output "
                         f"another file for another recipe or seed")
    args.output = output
    measured = train(args.output, args.recipe, args.seed)
    print(f"{args.output}: MNIST test accuracy {measured['mnist_test']:.2%}, 8x8 digits (choosing half) "
          f"{measured['small_digits_choosing']:.2%} (recipe {args.recipe!r}, seed {args.seed}, "
          f"{runtime.mode()} mode, {measured['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
