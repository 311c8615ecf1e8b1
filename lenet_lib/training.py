"""What every training chapter shares: input scaling, quick-mode subsets,
progress while training, the results file the closing chapter reads, and the
augmentation recipes compared for the course network.

The compile/fit calls themselves stay in the chapters, where a reader sees them.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import time
from pathlib import Path
from typing import Sequence

import keras
import numpy as np

from lenet_lib import layers, training_cache
from lenet_lib.runtime import mode, seed_in_use

#: Batches Keras runs per call into TensorFlow (``compile(steps_per_execution=...)``).
#: Networks this small spend much of each step in Python; running 50 steps per
#: call gives the same batches in the same order and the same results, and on a
#: 2-core CPU trains a fifth to a third faster in batches of 32 or 64 (little
#: changes in batches of 128, where the arithmetic dominates).
STEPS_PER_EXECUTION = 50

#: Where chapters save their results (one JSON file per tutorial and run, see ``result_folder``).
RESULTS_DIR = Path(__file__).resolve().parents[1] / "results"
#: Committed results of the seed studies (``scripts/seed_study.py``), one file per tutorial.
SEED_STUDY_DIR = RESULTS_DIR / "seeds"


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
    which speeds up learning (the paper's chapter measures both on MNIST).
    """
    return scale_images(images, pad=2) * 1.275 - 0.1


def subset(x: np.ndarray, y: np.ndarray, n: int | None) -> tuple[np.ndarray, np.ndarray]:
    """The first ``n`` examples (all when ``n`` is None): quick mode trains on fewer."""
    return (x, y) if n is None else (x[:n], y[:n])


class ProgressTable(keras.callbacks.Callback):
    """Live progress while a notebook trains, a compact table once it is done.

    Use with ``model.fit(..., verbose=0, callbacks=[ProgressTable()])``.  During training
    one line, updated in place, shows the epoch, the metrics and the time so far (in a
    script: a line every ``every`` epochs).  At the end that line is replaced by a small
    table of every ``every``-th epoch and the last one, so a stored notebook shows a
    few rows instead of a line per epoch; the curves carry the rest.  ``seconds`` holds
    the wall-clock time of each epoch (the results chapter compares them).
    """

    def __init__(self, every: int = 5, metrics: tuple[str, ...] = ("loss", "accuracy")):
        super().__init__()
        if every < 1:
            raise ValueError(f"every must be at least 1, not {every}")
        self.every = every
        self.metrics = metrics
        self.seconds: list[float] = []
        self.rows: list[dict] = []

    def on_train_begin(self, logs=None):
        self.seconds, self.rows, self._handle = [], [], None
        self._epochs = self.params.get("epochs", 0)
        self._start = time.perf_counter()
        try:
            from IPython import get_ipython
            from IPython.display import display

            if get_ipython() is not None and hasattr(get_ipython(), "kernel"):
                self._handle = display(self._line(0, {}), display_id=True)
        except ImportError:
            pass

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self._add_epoch(epoch, logs, time.perf_counter() - self._epoch_start)

    def replay(self, history: dict[str, list[float]], epoch_seconds: Sequence[float], epochs: int) -> None:
        """Show a recorded run (``training_cache``) as this callback showed it when it trained:
        the same rows, with the recorded run's own epoch times."""
        self.set_params({"epochs": epochs, "verbose": 0})
        self.on_train_begin()
        for index, seconds in enumerate(epoch_seconds):
            self._add_epoch(epochs - len(epoch_seconds) + index,
                            {name: values[index] for name, values in history.items()}, seconds)
        self.on_train_end()

    def _add_epoch(self, epoch: int, logs: dict | None, seconds: float) -> None:
        self.seconds.append(seconds)
        logs = logs or {}
        row = {"epoch": epoch + 1}
        for name in self.metrics:
            for key in (name, f"val_{name}"):
                if key in logs:
                    row[key] = float(logs[key])
        row["seconds"] = sum(self.seconds)
        self.rows.append(row)
        if self._handle is not None:
            self._handle.update(self._line(epoch + 1, row))
        elif (epoch + 1) % self.every == 0 or epoch + 1 == self._epochs:
            print(self._line(epoch + 1, row), flush=True)

    def on_train_end(self, logs=None):
        if self._handle is not None:
            self._handle.update(self.table())

    def _line(self, done: int, row: dict) -> str:
        width = 20
        filled = round(width * done / self._epochs) if self._epochs else 0
        metrics = "  ".join(f"{k} {_format_metric(k, v)}" for k, v in row.items()
                            if k not in ("epoch", "seconds"))
        elapsed = row.get("seconds", time.perf_counter() - self._start)
        return (f"[{'#' * filled}{'.' * (width - filled)}] epoch {done}/{self._epochs}"
                f"  {metrics}  {elapsed:.0f} s")

    def table(self):
        """Every ``every``-th epoch and the last, as a DataFrame indexed by epoch."""
        import pandas as pd

        shown = [r for r in self.rows if r["epoch"] % self.every == 0 or r is self.rows[-1]]
        if self.rows and self.rows[0] not in shown:
            shown.insert(0, self.rows[0])
        frame = pd.DataFrame(shown).set_index("epoch")
        for column in frame.columns:
            frame[column] = [_format_metric(column, v) for v in frame[column]]
        return frame


def _format_metric(name: str, value: float) -> str:
    if "accuracy" in name:
        return f"{value:.2%}"
    if name == "seconds":
        return f"{value:.0f}"
    return f"{value:.4f}"


def machine() -> str:
    """A short description of the machine training runs on, for the results table."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        return f"GPU: {tf.config.experimental.get_device_details(gpus[0]).get('device_name', 'GPU')}"
    return f"CPU: {os.cpu_count()} cores, {cpu_model()}"


def cpu_model() -> str:
    """The processor's name as Linux reports it (``/proc/cpuinfo``), else the architecture:
    the same code can train three times faster on one x86-64 CPU than on another."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and ":" in line:
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def write_json_atomically(path: Path, value) -> None:
    """Write ``value`` as indented JSON to ``path`` (folders made as needed) through a temporary
    file renamed over it: a failed write leaves the previous file whole."""
    from lenet_lib.saving import replace_atomically  # imported when writing (it needs h5py)

    text = json.dumps(value, indent=2, default=float) + "\n"
    replace_atomically(path, lambda temporary: temporary.write_text(text))


def result_folder(run_mode: str, run_seed: int) -> Path:
    """Where a run's results go: ``results/full/`` for the book's run (full mode, seed 0),
    ``results/full-seed<N>/`` for full runs with another seed, ``results/quick/`` for quick runs.

    ``results/full/`` is committed (the results chapter reads it); the others are not.
    """
    if run_mode == "quick":
        return RESULTS_DIR / "quick"
    if run_mode != "full":
        raise ValueError(f"run mode {run_mode!r}: expected 'full' or 'quick'")
    return RESULTS_DIR / ("full" if run_seed == 0 else f"full-seed{run_seed}")


#: Keys ``save_result`` fills in itself; a chapter may not pass them.
RUN_KEYS = ("tutorial", "mode", "seed", "date", "machine")


def save_result(tutorial: str, **fields) -> Path:
    """Store a chapter's results as JSON in ``result_folder(...)/<tutorial>.json``; return the path.

    The mode, the seed the run really used (``runtime.set_seed`` must have been
    called), the date (ISO) and the machine are added, so the results chapter
    can name the run: today and this machine, or those of the recorded training run
    the book's runner re-used (``training_cache``).  The file is replaced atomically: a failed write leaves the
    previous results whole.
    """
    if not tutorial or tutorial != Path(tutorial).name or tutorial.startswith("."):
        raise ValueError(f"tutorial {tutorial!r}: use a plain name such as 'medium', not a path")
    reserved = sorted(set(fields) & set(RUN_KEYS))
    if reserved:
        raise ValueError(f"save_result fills in {', '.join(reserved)} itself; do not pass them")
    used_seed = seed_in_use()
    if used_seed is None:
        raise RuntimeError("save_result: call runtime.set_seed() before training, "
                           "so that the result records the seed the run used")
    run = training_cache.latest_run()  # a recorded run, when the book's runner re-used one
    record = {"tutorial": tutorial, "mode": mode(), "seed": used_seed,
              "date": run["date"] if run else datetime.date.today().isoformat(),
              "machine": run["machine"] if run else machine(), **fields}
    path = result_folder(record["mode"], used_seed) / f"{tutorial}.json"
    write_json_atomically(path, record)
    return path


def load_results(run_mode: str | None = None) -> list[dict]:
    """Every saved result of ``run_mode`` (default: the current mode), sorted by tutorial."""
    folder = RESULTS_DIR / (run_mode or mode())
    records = [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]
    if not records:
        raise FileNotFoundError(
            f"no results in {folder}: run the training chapters first, in the same mode")
    return records


def load_seed_study(tutorial: str) -> list[dict]:
    """The committed seed-study records of ``tutorial`` (``results/seeds/<tutorial>.json``), by seed."""
    path = SEED_STUDY_DIR / f"{tutorial}.json"
    if not path.is_file():
        raise FileNotFoundError(f"no seed study in {path}: run "
                                f"python scripts/seed_study.py chapters/<the chapter>.ipynb --seeds 1 2 ...")
    return sorted(json.loads(path.read_text()), key=lambda record: record["seed"])


def seed_table(tutorial: str, this_run: dict, columns: dict[str, str], *,
               published: dict[str, float] | None = None):
    """A table of measures per seed: this page's run first, then the committed seed study
    (``load_seed_study``), then the mean and the range over the full-mode runs and, where
    given, the published figures.

    ``this_run`` holds ``seed``, ``mode`` and the measures; a quick run is shown, labelled,
    but left out of the mean and range.  ``columns`` maps result keys (e.g. ``"test_error"``)
    to column titles; values are fractions, shown as percentages.
    """
    import pandas as pd

    quick = this_run.get("mode") == "quick"
    label = f"seed {this_run['seed']} (this page{', quick run' if quick else ''})"
    study = [r for r in load_seed_study(tutorial) if r["seed"] != this_run["seed"]]
    runs = pd.DataFrame([this_run] + study, index=[label] + [f"seed {r['seed']}" for r in study])
    runs = runs[list(columns)].astype(float)
    full = runs.iloc[1:] if quick else runs
    shown = runs.map(lambda v: f"{v:.2%}")
    summary = {"mean of the full runs": full.mean().map(lambda v: f"{v:.2%}"),
               "range": pd.Series({k: f"{full[k].min():.2%} to {full[k].max():.2%}" for k in columns})}
    if published:
        summary["published"] = pd.Series({k: f"{v:.2%}" for k, v in published.items()})
    table = pd.concat([shown, pd.DataFrame(summary).T]).fillna("")
    return table.rename(columns=columns)


#: The recipes compared for the course network: training-time steps, applied in this order.
AUGMENTATIONS = {
    "none": (),
    "distortions": ("distortions",),
    "distortions + strokes": ("strokes", "distortions"),
    "distortions + strokes + low resolution": ("strokes", "low resolution", "distortions"),
}


def build_augmentation(recipe: str, seed: int | None = None) -> keras.Sequential:
    """The training-time augmentation of ``recipe`` (a key of ``AUGMENTATIONS``) for
    28x28 digits scaled to [0, 1]: put it in front of a network while it trains.

    ``"distortions"`` are the paper's affine distortions (``RandomDistortion`` with its
    default ranges, background 0), ``"strokes"`` thicker or thinner strokes
    (``RandomStrokeWidth``), ``"low resolution"`` the blur of a small scan
    (``RandomLowResolution``).  Each step draws from its own seed (``seed``, ``seed + 1``, ...).
    """
    if recipe not in AUGMENTATIONS:
        raise ValueError(f"unknown augmentation {recipe!r}: choose one of {', '.join(map(repr, AUGMENTATIONS))}")
    steps = {"distortions": lambda s: layers.RandomDistortion(fill_value=0.0, seed=s, name="distortions"),
             "strokes": lambda s: layers.RandomStrokeWidth(seed=s, name="strokes"),
             "low resolution": lambda s: layers.RandomLowResolution(seed=s, name="low_resolution")}
    chosen = [steps[step](None if seed is None else seed + k) for k, step in enumerate(AUGMENTATIONS[recipe])]
    return keras.Sequential([keras.Input(shape=(28, 28, 1))] + (chosen or [keras.layers.Identity(name="none")]),
                            name="augmentation")


#: The recipe of the shipped course network (``data/slides_lenet5.weights.h5``), the one
#: ``choose_recipe`` chose from ``results/augmentation/recipes.json``.
SHIPPED_RECIPE = "distortions + strokes + low resolution"

#: How far below the MNIST-only network's MNIST test accuracy the shipped recipe's may fall.
MNIST_TOLERANCE = 0.003


def choose_recipe(records: Sequence[dict], mnist_floor: float) -> str:
    """The recipe to ship, by the rule fixed before any recipe was trained: the highest mean
    accuracy on the choosing half of the 8x8 digits (``small_digits_choosing``) over its
    seeds, among the recipes whose mean MNIST test accuracy (``mnist_test``) is at least
    ``mnist_floor``.  ``records`` hold ``recipe`` and those two keys, one per trained network.
    """
    by_recipe: dict[str, list[dict]] = {}
    for record in records:
        by_recipe.setdefault(record["recipe"], []).append(record)

    def mean(rows: list[dict], key: str) -> float:
        return sum(row[key] for row in rows) / len(rows)

    eligible = {recipe: rows for recipe, rows in by_recipe.items() if mean(rows, "mnist_test") >= mnist_floor}
    if not eligible:
        raise ValueError(f"no recipe keeps a mean MNIST test accuracy of at least {mnist_floor:.2%}")
    return max(eligible, key=lambda recipe: mean(eligible[recipe], "small_digits_choosing"))
