"""Execute the book's notebooks and store their outputs, recording how they ran.

    python scripts/run_notebooks.py                 # every chapter, full mode, in place
    python scripts/run_notebooks.py chapters/02_*.ipynb
    LENET_QUICK=1 python scripts/run_notebooks.py --output-dir /tmp/quick

Each notebook is run top to bottom in a fresh kernel started in ``chapters/``
(as ``jupyter lab`` there would), then its metadata gets a ``lenet_course``
entry: the mode, the library versions, the run time and a digest of its code
cells, which ``tests/test_notebooks.py`` checks against the current code.
Only full-mode, seed-0 runs may overwrite the notebooks in ``chapters/``; a run
that fails is kept in $TMPDIR/lenet-failed-notebooks for a look, never stored.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
sys.path.insert(0, str(ROOT))  # this script may run before `pip install -e .`
from lenet_lib.runtime import QUICK_ENV, mode, seed  # noqa: E402

FAILED = Path(os.environ.get("TMPDIR", "/tmp")) / "lenet-failed-notebooks"

#: Native TensorFlow/absl log lines; lenet_lib keeps them out, this is a last guard.
NATIVE_LOG = re.compile(r"^(WARNING: All log messages before absl|[IWE]\d{4} \d\d:\d\d:\d\d).*\n?",
                        re.MULTILINE)


def code_digest(notebook: nbformat.NotebookNode) -> str:
    """sha256 of the notebook's code cells, so stored outputs can be tied to the code."""
    digest = hashlib.sha256()
    for cell in notebook.cells:
        if cell.cell_type == "code":
            digest.update(cell.source.encode() + b"\0")
    return digest.hexdigest()


def strip_native_logs(notebook: nbformat.NotebookNode) -> None:
    """Remove native log lines from stored stderr streams (and empty streams)."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.outputs:
            if output.output_type == "stream" and output.name == "stderr":
                output.text = NATIVE_LOG.sub("", output.text)
                if not output.text:
                    continue
            kept.append(output)
        cell.outputs = kept


def execute(path: Path, destination: Path) -> float:
    """Run one notebook, store it at ``destination``, return the seconds it took."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=3600, kernel_name="python3",
                            resources={"metadata": {"path": str(CHAPTERS)}})
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError:
        FAILED.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, FAILED / path.name)  # for a look; never over the stored one
        raise
    seconds = time.perf_counter() - start
    strip_native_logs(notebook)
    import keras
    import tensorflow as tf

    notebook.metadata["lenet_course"] = {
        "mode": mode(),
        "seed": seed(),
        "code_sha256": code_digest(notebook),
        "seconds": round(seconds, 1),
        "keras": keras.__version__,
        "tensorflow": tf.__version__,
    }
    nbformat.write(notebook, destination)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: every chapter)")
    parser.add_argument("--output-dir", type=Path,
                        help="write executed notebooks here instead of in place")
    args = parser.parse_args()
    notebooks = args.notebooks or sorted(CHAPTERS.glob("*.ipynb"))
    if args.output_dir is None and (mode() != "full" or seed() != 0):
        parser.error(f"the book stores full-mode, seed-0 outputs; pass --output-dir to keep "
                     f"this run ({QUICK_ENV}, LENET_SEED) elsewhere")
    total, failed = 0.0, []
    for path in notebooks:
        destination = (args.output_dir / path.name) if args.output_dir else path
        destination.parent.mkdir(parents=True, exist_ok=True)
        print(f"{path.name}: running in {mode()} mode, seed {seed()} ...", flush=True)
        try:
            seconds = execute(path.resolve(), destination)
        except CellExecutionError as error:
            failed.append(path.name)
            print(f"{path.name}: FAILED (kept in {FAILED}):\n{str(error)[-1500:]}", flush=True)
            continue
        total += seconds
        print(f"{path.name}: {seconds:.0f} s", flush=True)
    print(f"{len(notebooks) - len(failed)} notebooks ran: {total:.0f} s ({total / 60:.1f} min)")
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    main()
