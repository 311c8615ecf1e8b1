"""What every training chapter shares: input scaling, quick-mode subsets,
epoch timing, and the results file the closing chapter reads.

The compile/fit calls themselves stay in the chapters, where a reader sees them.
"""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

import keras
import numpy as np

from lenet_lib.runtime import mode, seed

#: Batches Keras runs per call into TensorFlow (``compile(steps_per_execution=...)``).
#: Networks this small spend much of each step in Python; running 50 steps per
#: call gives the same batches in the same order and the same results, and on a
#: 2-core CPU trains a fifth to a third faster in batches of 32 or 64 (little
#: changes in batches of 128, where the arithmetic dominates).
STEPS_PER_EXECUTION = 50

#: Where chapters save their results (one JSON file per tutorial and mode).
RESULTS_DIR = Path(__file__).resolve().parents[1] / "results"


def scale_images(images: np.ndarray, pad: int = 0) -> np.ndarray:
    """uint8 digits (n, 28, 28) -> float32 (n, 28 + 2*pad, 28 + 2*pad, 1) in [0, 1].

    ``pad`` adds a border of zeros (black), e.g. 2 for LeNet's 32x32 input.
    """
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(f"expected digits of shape (n, height, width), got {images.shape}")
    scaled = images.astype("float32") / 255.0
    if pad:
        scaled = np.pad(scaled, ((0, 0), (pad, pad), (pad, pad)))
    return scaled[..., None]


def paper_scale_images(images: np.ndarray) -> np.ndarray:
    """The 1998 paper's input: padded to 32x32, background -0.1, full ink 1.175.

    The paper chose these so that the mean is about 0 and the variance about 1,
    which speeds up learning; on MNIST the mean is 0.03 but the variance only 0.12.
    """
    return scale_images(images, pad=2) * 1.275 - 0.1


def subset(x: np.ndarray, y: np.ndarray, n: int | None) -> tuple[np.ndarray, np.ndarray]:
    """The first ``n`` examples (all when ``n`` is None): quick mode trains on fewer."""
    return (x, y) if n is None else (x[:n], y[:n])


class EpochTimer(keras.callbacks.Callback):
    """Records the wall-clock seconds of every training epoch in ``seconds``."""

    def on_train_begin(self, logs=None):
        self.seconds: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def machine() -> str:
    """A short description of the machine training runs on, for the results table."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        return f"GPU: {tf.config.experimental.get_device_details(gpus[0]).get('device_name', 'GPU')}"
    return f"CPU: {os.cpu_count()} cores, {platform.machine()}"


def save_result(tutorial: str, **fields) -> Path:
    """Store a chapter's results as ``results/<mode>/<tutorial>.json`` and return the path.

    The mode (quick/full), the seed and the machine are added automatically; runs
    with another seed than 0 go to ``results/<mode>-seed<N>/``.
    """
    record = {"tutorial": tutorial, "mode": mode(), "seed": seed(), "machine": machine(), **fields}
    folder = RESULTS_DIR / mode() if seed() == 0 else RESULTS_DIR / f"{mode()}-seed{seed()}"
    path = folder / f"{tutorial}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, default=float) + "\n")
    return path


def load_results(run_mode: str | None = None) -> list[dict]:
    """Every saved result of ``run_mode`` (default: the current mode), sorted by tutorial."""
    folder = RESULTS_DIR / (run_mode or mode())
    records = [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]
    if not records:
        raise FileNotFoundError(
            f"no results in {folder}: run the training chapters first, in the same mode")
    return records
