"""Train a chapter again with other random seeds and keep what each run measured.

    python scripts/seed_study.py chapters/11_paper_lenet5.ipynb --seeds 1 2 3 4
    python scripts/seed_study.py chapters/06_lenet_tensorflow.ipynb --seeds 1 2

Each seed runs the whole notebook in full mode in a fresh kernel (``LENET_SEED=N``,
outputs kept under $TMPDIR, never over the book's), then the result the chapter saved
with ``lenet_lib.training.save_result`` is added to ``results/seeds/<tutorial>.json``,
one record per seed, replacing an earlier record of the same seed.  These small files are
committed; the chapters draw their seed tables from them (seed 0 is the book's own run,
``results/full/<tutorial>.json``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this script may run before `pip install -e .`
from lenet_lib.training import RESULTS_DIR, SEED_STUDY_DIR, write_json_atomically  # noqa: E402


def commit() -> str:
    """The git commit the runs are made from (with '+changes' when the tree is dirty)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "lenet_lib", "chapters"], cwd=ROOT,
                               text=True, capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+changes" if dirty else "")


def run_seed(notebook: Path, seed: int, output_dir: Path) -> list[Path]:
    """Run ``notebook`` with ``LENET_SEED=seed`` in full mode; return the result files it wrote."""
    before = {p: p.stat().st_mtime for p in RESULTS_DIR.glob(f"full-seed{seed}/*.json")}
    env = dict(os.environ, LENET_QUICK="0", LENET_SEED=str(seed))
    subprocess.run([sys.executable, str(ROOT / "scripts" / "run_notebooks.py"), str(notebook),
                    "--output-dir", str(output_dir / f"seed{seed}")], env=env, check=True)
    return [p for p in RESULTS_DIR.glob(f"full-seed{seed}/*.json")
            if before.get(p) != p.stat().st_mtime]


def add_record(record: dict) -> Path:
    """Add (or replace) one seed's record in ``results/seeds/<tutorial>.json``."""
    path = SEED_STUDY_DIR / f"{record['tutorial']}.json"
    records = json.loads(path.read_text()) if path.is_file() else []
    records = [r for r in records if r["seed"] != record["seed"]] + [record]
    records.sort(key=lambda r: r["seed"])
    write_json_atomically(path, records)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--seeds", type=int, nargs="+", required=True)
    args = parser.parse_args()
    if 0 in args.seeds:
        parser.error("seed 0 is the book's own run (scripts/run_notebooks.py); study seeds 1 and up")
    output_dir = Path(tempfile.mkdtemp(prefix="lenet-seed-study-"))
    for seed in args.seeds:
        written = run_seed(args.notebook.resolve(), seed, output_dir)
        if not written:
            sys.exit(f"{args.notebook.name} with seed {seed} saved no result (does it call save_result?)")
        for result in written:
            record = json.loads(result.read_text())
            record.update(date=datetime.date.today().isoformat(), commit=commit())
            print(f"seed {seed}: {add_record(record).relative_to(ROOT)}", flush=True)


if __name__ == "__main__":
    main()
