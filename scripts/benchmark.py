"""Time the book: full-mode execution and the quick-mode notebook tests.

    python scripts/benchmark.py             # both, measured now (full mode takes ~23 min on 2 cores)
    python scripts/benchmark.py --stored    # full mode from the stored notebooks' records, quick measured now
    python scripts/benchmark.py --quick-only
    python scripts/benchmark.py --one-example-steps   # the cost of the paper's one-example updates
    python scripts/benchmark.py --rebuild   # full-mode rebuild cold (trains, stores the book and
                                            # records its runs) then warm (re-uses them)
    python scripts/benchmark.py --warm      # only the warm rebuild, into a temporary folder

Targets, on a 2-core CPU: full-mode execution of the whole book at most 25 minutes,
quick-mode ``pytest --nbval chapters`` at most 5 minutes (issue 3); a full-mode rebuild
that re-uses the recorded training runs (``run_notebooks.py --reuse``) at most 5 minutes
(issue 20).
These are measured here, never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
FULL_TARGET_S, QUICK_TARGET_S, WARM_TARGET_S = 25 * 60, 5 * 60, 5 * 60


def stored_full_seconds() -> dict[str, float]:
    """Seconds each stored notebook took in its recorded full-mode run."""
    times = {}
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        record = nbformat.read(path, as_version=4).metadata.get("lenet_course", {})
        if record.get("mode") == "full":
            times[path.name] = record["seconds"]
    return times


def measure_full() -> dict[str, float]:
    """Run every notebook in full mode into a temporary folder, return seconds per notebook."""
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, LENET_QUICK="0")
        subprocess.run([sys.executable, str(ROOT / "scripts" / "run_notebooks.py"), "--output-dir", folder],
                       env=env, check=True)
        return {p.name: nbformat.read(p, as_version=4).metadata["lenet_course"]["seconds"]
                for p in sorted(Path(folder).glob("*.ipynb"))}


def timed_run(*arguments: str) -> float:
    """Wall-clock seconds of ``run_notebooks.py`` in full mode with ``arguments`` (kernel starts included)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "scripts" / "run_notebooks.py"), *arguments],
                   env=dict(os.environ, LENET_QUICK="0"), check=True)
    return time.perf_counter() - start


def training_summary(folder: Path) -> str:
    """How many training runs the notebooks in ``folder`` trained and re-used."""
    events = [event for path in sorted(folder.glob("*.ipynb"))
              for event in nbformat.read(path, as_version=4).metadata["lenet_course"].get("training", [])]
    reused = sum(event["status"] == "re-used" for event in events)
    return f"{len(events)} training runs: {len(events) - reused} trained, {reused} re-used"


def measure_rebuild(cold: bool) -> dict[str, float]:
    """Seconds of a cold full-mode run (trains; writes the book in place and records its
    training runs) and of a warm one that re-uses the records (into a temporary folder)."""
    report = {}
    if cold:
        report["cold_seconds"] = timed_run()
        print(f"cold: {report['cold_seconds'] / 60:.1f} min ({training_summary(ROOT / 'chapters')})", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        report["warm_seconds"] = timed_run("--reuse", "--output-dir", folder)
        print(f"warm: {report['warm_seconds'] / 60:.1f} min ({training_summary(Path(folder))})", flush=True)
    return report


def measure_quick() -> float:
    """Wall-clock seconds of `pytest --nbval chapters` in quick mode."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pytest", "--nbval", "chapters", "-q"],
                   cwd=ROOT, env=dict(os.environ, LENET_QUICK="1"), check=True)
    return time.perf_counter() - start


def one_example_step_seconds(steps: int = 2000) -> float:
    """Seconds per gradient step of the paper's LeNet-5 on ONE example at a time.

    The paper's optimizer (SDLM) updates the weights after every example.  This
    times plain one-example gradient steps (SDLM adds only an elementwise
    scaling) in a compiled TensorFlow loop, with no Python between steps: the
    fastest this stack can do them.  The paper chapter (11) quotes it.
    """
    import tensorflow as tf

    sys.path.insert(0, str(ROOT))
    from lenet_lib import data, layers, models, training

    (x_train, y_train), _ = data.load_mnist()
    images = tf.constant(training.paper_scale_images(x_train[: steps + 100]))
    labels = tf.constant(y_train[: steps + 100].astype("int32"))
    model = models.build_paper_lenet5()
    loss = layers.paper_loss(j=10.0)
    weights = model.trainable_variables

    @tf.function
    def run(first: tf.Tensor, count: tf.Tensor):
        def step(i):
            with tf.GradientTape() as tape:
                value = tf.reduce_mean(loss(labels[i][None], model(images[i][None])))
            for weight, grad in zip(weights, tape.gradient(value, weights)):
                weight.assign_sub(0.0005 * grad)
            return (i + 1,)
        tf.while_loop(lambda i: i < first + count, step, (first,))

    run(tf.constant(0), tf.constant(100))  # compile outside the timing
    start = time.perf_counter()
    run(tf.constant(100), tf.constant(steps))
    return (time.perf_counter() - start) / steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stored", action="store_true", help="full mode from the stored records")
    parser.add_argument("--quick-only", action="store_true")
    parser.add_argument("--one-example-steps", action="store_true",
                        help="only time one-example gradient steps of the paper's LeNet-5")
    parser.add_argument("--rebuild", action="store_true",
                        help="full-mode rebuild, cold (trains, stores the book) then warm (re-uses)")
    parser.add_argument("--warm", action="store_true", help="only the warm full-mode rebuild")
    args = parser.parse_args()
    if args.rebuild or args.warm:
        report = {key: round(value, 1) for key, value in measure_rebuild(cold=args.rebuild).items()}
        print(json.dumps(report, indent=2))
        print(f"warm rebuild: {report['warm_seconds'] / 60:.1f} min (target {WARM_TARGET_S / 60:.0f} min): "
              f"{'OK' if report['warm_seconds'] <= WARM_TARGET_S else 'OVER'}")
        return
    if args.one_example_steps:
        seconds = one_example_step_seconds()
        print(f"{1000 * seconds:.2f} ms per one-example step: {60000 * seconds:.0f} s per pass of 60,000, "
              f"{20 * 60000 * seconds / 60:.1f} min for the paper's 20 passes")
        return
    report = {}
    if not args.quick_only:
        full = stored_full_seconds() if args.stored else measure_full()
        report["full_mode_seconds"] = full
        report["full_mode_total_seconds"] = round(sum(full.values()), 1)
    report["quick_nbval_seconds"] = round(measure_quick(), 1)
    print(json.dumps(report, indent=2))
    if "full_mode_total_seconds" in report:
        total = report["full_mode_total_seconds"]
        print(f"full mode: {total / 60:.1f} min (target {FULL_TARGET_S / 60:.0f} min): "
              f"{'OK' if total <= FULL_TARGET_S else 'OVER'}")
    quick = report["quick_nbval_seconds"]
    print(f"quick nbval: {quick / 60:.1f} min (target {QUICK_TARGET_S / 60:.0f} min): "
          f"{'OK' if quick <= QUICK_TARGET_S else 'OVER'}")


if __name__ == "__main__":
    main()
