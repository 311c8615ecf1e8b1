"""Time the book: full-mode execution and the quick-mode notebook tests.

    python scripts/benchmark.py             # both, measured now (full mode takes ~20 min on 2 cores)
    python scripts/benchmark.py --stored    # full mode from the stored notebooks' records, quick measured now
    python scripts/benchmark.py --quick-only

Targets (issue 3), on a 2-core CPU: full-mode execution of the whole book at
most 25 minutes, quick-mode ``pytest --nbval chapters`` at most 5 minutes.
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
FULL_TARGET_S, QUICK_TARGET_S = 25 * 60, 5 * 60


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


def measure_quick() -> float:
    """Wall-clock seconds of `pytest --nbval chapters` in quick mode."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pytest", "--nbval", "chapters", "-q"],
                   cwd=ROOT, env=dict(os.environ, LENET_QUICK="1"), check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stored", action="store_true", help="full mode from the stored records")
    parser.add_argument("--quick-only", action="store_true")
    args = parser.parse_args()
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
