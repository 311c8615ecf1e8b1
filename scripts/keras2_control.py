"""Chapter 06's control: the TensorFlow tutorial's own program on Keras 2 and on Keras 3.

    python scripts/keras2_control.py            # both stacks, seed 0, 40 epochs: about 30 min on 2 cores
    LENET_QUICK=1 python scripts/keras2_control.py --output /tmp/control.json   # 1 epoch, 3,000 training digits

Chapter 06's network reaches 97.87 % where the tutorial published 98.51 %.  Is the Keras 3
stack the cause?  This script runs one program, the tutorial's code as published (padding to
32x32, the last 2,000 training images for validation, the network, Adam, batches of 64, 40
epochs), twice on this machine, in two Python processes that differ only in the Keras they
import:

- **Keras 2**: ``tf.keras`` from the ``tf-keras`` package with ``TF_USE_LEGACY_KERAS=1``
  (the Keras 2 code line, kept for old programs), in its own virtual environment
  ``build/versions/keras2/`` with the same TensorFlow as the course;
- **Keras 3**: ``keras`` as the course uses it, in the interpreter running this script.

Both are seeded with ``set_random_seed(seed)`` and read MNIST the same way (``LENET_MNIST``
or Keras' download).  The record, ``results/keras2_control.json`` (committed; chapter 06
shows it), gives each run's versions, per-epoch loss and accuracy, test accuracy and time.
The Keras 2 environment needs the package index once (about 600 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lenet_lib import runtime, training  # noqa: E402

RECORD = ROOT / "results" / "keras2_control.json"
KERAS2 = ROOT / "build" / "versions" / "keras2"

#: The tutorial's program, with only what running it twice needs: the seed, an offline MNIST,
#: quick mode, and a JSON line at the end.  ``tensorflow.keras`` is Keras 2 (``tf-keras``) when
#: ``TF_USE_LEGACY_KERAS=1``, Keras 3 otherwise.
PROGRAM = r'''
import importlib.metadata, json, os, sys, time
import numpy as np
import tensorflow as tf
from tensorflow.keras import datasets, layers, models, losses  # the tutorial's import: Keras 2 or 3

legacy = os.environ.get("TF_USE_LEGACY_KERAS") == "1"
seed, quick = int(sys.argv[1]), sys.argv[2] == "quick"
tf.keras.utils.set_random_seed(seed)
if os.environ.get("LENET_MNIST"):
    with np.load(os.environ["LENET_MNIST"]) as f:
        (x_train, y_train), (x_test, y_test) = (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
else:
    (x_train, y_train), (x_test, y_test) = datasets.mnist.load_data()
if quick:
    x_train, y_train = x_train[:5000], y_train[:5000]
x_train = tf.pad(x_train, [[0, 0], [2, 2], [2, 2]]) / 255
x_test = tf.pad(x_test, [[0, 0], [2, 2], [2, 2]]) / 255
x_train = tf.expand_dims(x_train, axis=3)
x_test = tf.expand_dims(x_test, axis=3)
x_val, y_val = x_train[-2000:, :, :, :], y_train[-2000:]
x_train, y_train = x_train[:-2000, :, :, :], y_train[:-2000]

model = models.Sequential()
model.add(layers.Conv2D(6, 5, activation="tanh", input_shape=x_train.shape[1:]))
model.add(layers.AveragePooling2D(2))
model.add(layers.Activation("sigmoid"))
model.add(layers.Conv2D(16, 5, activation="tanh"))
model.add(layers.AveragePooling2D(2))
model.add(layers.Activation("sigmoid"))
model.add(layers.Conv2D(120, 5, activation="tanh"))
model.add(layers.Flatten())
model.add(layers.Dense(84, activation="tanh"))
model.add(layers.Dense(10, activation="softmax"))
model.compile(optimizer="adam", loss=losses.sparse_categorical_crossentropy, metrics=["accuracy"])
start = time.perf_counter()
history = model.fit(x_train, y_train, batch_size=64, epochs=1 if quick else 40,
                    validation_data=(x_val, y_val), verbose=2)
seconds = time.perf_counter() - start
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print("RESULT " + json.dumps({
    "keras": importlib.metadata.version("tf-keras" if legacy else "keras"), "tensorflow": tf.__version__, "numpy": np.__version__,
    "parameters": model.count_params(), "test_accuracy": float(accuracy), "test_loss": float(loss),
    "seconds": seconds,
    "history": {k: [float(v) for v in values] for k, values in history.history.items()}}))
'''


def keras2_python() -> Path:
    """The Keras 2 environment's interpreter: TensorFlow as installed here, plus ``tf-keras``
    of the same minor version; made once."""
    import tensorflow as tf

    python = KERAS2 / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(KERAS2)], check=True)
        minor = ".".join(tf.__version__.split(".")[:2])
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        f"tensorflow=={tf.__version__}", f"tf-keras~={minor}.0"], check=True)
    return python


def run(python: Path, legacy: bool, seed: int) -> dict:
    """Run ``PROGRAM`` once; its result line as a dict."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", TF_USE_LEGACY_KERAS="1" if legacy else "0")
    with tempfile.TemporaryDirectory() as folder:
        program = Path(folder) / "lenet_tensorflow.py"
        program.write_text(PROGRAM)
        done = subprocess.run([str(python), str(program), str(seed), runtime.mode()], env=env,
                              capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode or not lines:
        raise RuntimeError(f"the {'Keras 2' if legacy else 'Keras 3'} run failed:\n{done.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT "):])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=None,
                        help=f"record to write (default, full mode with seed 0 only: {RECORD.relative_to(ROOT)})")
    args = parser.parse_args()
    output = (args.output or RECORD).resolve()
    if output == RECORD.resolve() and (runtime.is_quick() or args.seed != 0):
        parser.error(f"the committed {RECORD.relative_to(ROOT)} is the full-mode run with seed 0: give --output")
    runs = {"keras 2": run(keras2_python(), True, args.seed), "keras 3": run(Path(sys.executable), False, args.seed)}
    record = {"seed": args.seed, "mode": runtime.mode(), "machine": training.machine(), "runs": runs}
    training.write_json_atomically(output, record)
    for name, result in runs.items():
        print(f"{name} ({result['keras']}, TensorFlow {result['tensorflow']}): "
              f"test accuracy {result['test_accuracy']:.2%}, first epoch loss {result['history']['loss'][0]:.4f}, "
              f"validation {result['history']['val_accuracy'][0]:.2%}, {result['seconds']:.0f} s")


if __name__ == "__main__":
    main()
