"""Train the course network with each augmentation recipe and record how each does.

    python scripts/choose_augmentation.py --seeds 0 1     # full mode: writes results/augmentation/recipes.json
    LENET_QUICK=1 python scripts/choose_augmentation.py --seeds 0 --record /tmp/a.json --weights-dir /tmp/w

For each recipe of ``lenet_lib.training.AUGMENTATIONS`` and each seed this calls
``train_photo_model.train`` (the one recipe that makes the course network) and records
the network's MNIST test accuracy and its accuracy on the *choosing* half of
scikit-learn's 8x8 digits (``data.split_small_digits``); the reporting half is
never looked at here.  Each record is written as soon as its network is trained
(atomically; records of other recipes and seeds are kept).  At the end it prints the
recipe ``training.choose_recipe`` picks: the best on the choosing half among those
within 0.3 points of the MNIST-only network's MNIST test accuracy.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from lenet_lib import data, evaluation, models, runtime, saving, training  # noqa: E402
import train_photo_model  # noqa: E402

RECORD = ROOT / "results" / "augmentation" / "recipes.json"


def mnist_floor() -> float:
    """The MNIST-only network's MNIST test accuracy minus ``training.MNIST_TOLERANCE``."""
    network = models.build_slides_lenet5()
    saving.load_weights(network, train_photo_model.MNIST_ONLY_WEIGHTS)
    _, (x_test, y_test) = data.load_mnist()
    return evaluation.evaluate(network, training.scale_images(x_test), y_test).test_accuracy - training.MNIST_TOLERANCE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--recipes", nargs="+", default=list(training.AUGMENTATIONS),
                        choices=list(training.AUGMENTATIONS))
    parser.add_argument("--record", type=Path, default=None,
                        help=f"JSON file of the records (default, full mode only: {RECORD.relative_to(ROOT)})")
    parser.add_argument("--weights-dir", type=Path, default=ROOT / "build" / "augmentation",
                        help="where each trained network's weights go (default build/augmentation/)")
    args = parser.parse_args()
    if runtime.is_quick() and (args.record is None or args.record.resolve() == RECORD.resolve()):
        parser.error("quick mode (LENET_QUICK=1) never writes the committed record: give --record another file")
    args.record = args.record or RECORD
    records = json.loads(args.record.read_text()) if args.record.is_file() else []
    for seed in args.seeds:
        for recipe in args.recipes:
            slug = recipe.replace(" + ", "+").replace(" ", "-")
            weights = args.weights_dir / f"{slug}.seed{seed}.weights.h5"
            measured = train_photo_model.train(weights, recipe, seed)
            record = {"recipe": recipe, "seed": seed, "mode": runtime.mode(),
                      "date": datetime.date.today().isoformat(), "machine": training.machine(), **measured}
            records = [r for r in records if (r["recipe"], r["seed"], r["mode"]) != (recipe, seed, record["mode"])]
            records.append(record)
            training.write_json_atomically(args.record, sorted(records, key=lambda r: (r["recipe"], r["seed"])))
            print(f"{recipe!r} seed {seed}: MNIST test {measured['mnist_test']:.2%}, 8x8 choosing half "
                  f"{measured['small_digits_choosing']:.2%}, {measured['seconds']:.0f} s -> {weights}", flush=True)
    floor = mnist_floor()
    try:
        chosen = training.choose_recipe([r for r in records if r["mode"] == runtime.mode()], floor)
    except ValueError as error:  # e.g. quick mode, where no network gets near the floor
        print(f"no recipe chosen: {error}")
    else:
        print(f"chosen: {chosen!r} (MNIST test floor {floor:.2%})")


if __name__ == "__main__":
    main()
