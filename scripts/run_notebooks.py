"""Execute the book's notebooks and store their outputs, recording how they ran.

    python scripts/run_notebooks.py                 # every chapter, full mode, in place
    python scripts/run_notebooks.py chapters/02_*.ipynb
    python scripts/run_notebooks.py --reuse          # re-use recorded training runs
    LENET_QUICK=1 python scripts/run_notebooks.py --output-dir /tmp/quick

Each notebook is run top to bottom in a fresh kernel started in ``chapters/``
(as ``jupyter lab`` there would), then its metadata gets a ``lenet_course``
entry: the mode, the seed, the library versions, the run time and
``inputs_sha256``, one digest per input that produced the outputs (see
``provenance``), which ``tests/test_notebooks.py`` checks against the current tree.
Only full-mode, seed-0 runs may overwrite the notebooks in ``chapters/``; a run
that fails is kept in $TMPDIR/lenet-failed-notebooks for a look, never stored.

Training runs: in full mode every ``model.fit`` of a notebook goes through
``lenet_lib.training_cache`` (turned on in the kernel before the notebook runs; the
notebook's code is unchanged), which records each run in ``results/training/``.  With
``--reuse`` a run whose key (everything that determines it) is recorded is loaded instead
of trained: a change to a plot, a helper or the prose then rebuilds the book in minutes.
Each notebook's metadata lists what its fits did (``lenet_course.training``: trained in
this build or re-used, from which machine and date, with the run's own seconds), and
``running_times.md`` (included by ``running.md``) is re-made from those records.

Seeds: the runner passes ``LENET_SEED`` (default 0) on to the kernel, and every
chapter seeds itself with ``runtime.set_seed()`` (no value), which reads it; so
the seed recorded here is the seed the run used.  A notebook that fixes another
seed (``set_seed(0)`` while ``LENET_SEED=3``) is refused rather than mislabelled.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
sys.path.insert(0, str(ROOT))  # this script may run before `pip install -e .`
from lenet_lib.runtime import QUICK_ENV, SEED_ENV, mode, seed  # noqa: E402
from lenet_lib.training_cache import RECORDS_DIR, python_digest, without_docstrings  # noqa: E402

FAILED = Path(os.environ.get("TMPDIR", "/tmp")) / "lenet-failed-notebooks"

#: Native TensorFlow/absl log lines (``I0000 00:00:1795573672.886470    2873 cudart_stub.cc:31] ...``,
#: the absl start-up warning, the CPU-feature note and its continuation line, and the older
#: ``2026-01-01 12:00:00.000000: I tensorflow/...`` form).  They are not part of the lesson:
#: the set-up cell sets ``TF_CPP_MIN_LOG_LEVEL=2``, and what still comes through is removed here.
NATIVE_LOG = re.compile(
    r"^(WARNING: All log messages before absl"
    r"|[IWEF]\d{4} \d\d:\d\d:\d\d"
    r"|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWEF] "
    r"|To enable the following instructions: .*rebuild TensorFlow"
    r").*\n?",
    re.MULTILINE)

#: The package whose code a notebook's outputs depend on.
PACKAGE = "lenet_lib"
#: Folders whose files count as a notebook's inputs when its code names them.
DATA_FOLDERS = ("data", "scripts")
#: The key of the notebook's own code cells in ``inputs_sha256``.
CODE_CELLS = "code cells"


def file_digest(path: Path) -> str:
    """sha256 of an input file: its syntax tree for Python (``python_digest``), else its bytes."""
    if path.suffix == ".py":
        return python_digest(path.read_text(encoding="utf-8"))
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cell_python(source: str) -> str:
    """A code cell as plain Python (IPython's ``%magics`` and ``!commands`` translated)."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def _code_cells(notebook: nbformat.NotebookNode) -> list[str]:
    """The code cells, without the Colab set-up cell (hidden cell 0, written by
    scripts/sync_setup_cell.py and checked by tests/test_colab.py): outside Colab it only
    sets TF_CPP_MIN_LOG_LEVEL, as this runner does, so a new version or URL in it changes
    no output."""
    cells = notebook.cells
    if cells and cells[0].cell_type == "code" and "remove-cell" in cells[0].metadata.get("tags", []):
        cells = cells[1:]
    return [cell.source for cell in cells if cell.cell_type == "code"]


def cells_digest(notebook: nbformat.NotebookNode) -> str:
    """sha256 of the notebook's code cells, each as its syntax tree (comments do not count;
    a cell's strings do, even a leading one, since a cell may display it)."""
    digest = hashlib.sha256()
    for source in _code_cells(notebook):
        try:
            text = ast.dump(ast.parse(_cell_python(source)))
        except SyntaxError:
            text = source  # it would fail to run; still tie the outputs to its exact text
        digest.update(text.encode() + b"\0")
    return digest.hexdigest()


def _module_file(module: str, root: Path) -> Path | None:
    """``lenet_lib.models`` -> ``root/lenet_lib/models.py`` (or a package's ``__init__.py``)."""
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _with_parents(module: str) -> list[str]:
    """Importing ``a.b.c`` runs ``a``, ``a.b`` and ``a.b.c``."""
    parts = module.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts) + 1)]


def package_imports(tree: ast.AST, root: Path, importer: str | None = None) -> set[str]:
    """The modules of ``PACKAGE`` that code imports (any depth: also inside functions).

    ``importer`` is the importing module's name, to resolve relative imports.  An
    attribute such as ``lenet_lib.photo`` counts as a use of that module too.
    """
    found: set[str] = set()

    def add(module: str) -> None:
        if module == PACKAGE or module.startswith(PACKAGE + "."):
            found.update(m for m in _with_parents(module) if _module_file(m, root))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level and importer:
                importer_file = _module_file(importer, root)
                is_package = importer_file is not None and importer_file.name == "__init__.py"
                package = importer.split(".")[: None if is_package else -1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join(package + ([base] if base else []))
            add(base)
            for alias in node.names:
                add(f"{base}.{alias.name}")
        elif isinstance(node, ast.Attribute):
            chain = []
            while isinstance(node, ast.Attribute):
                chain.append(node.attr)
                node = node.value
            if isinstance(node, ast.Name) and node.id == PACKAGE:
                for end in range(1, len(chain) + 1):
                    add(".".join([PACKAGE] + chain[::-1][:end]))
    return found


def _data_files(root: Path) -> list[Path]:
    files = []
    for folder in DATA_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            relative = path.relative_to(root)
            if path.is_file() and not any(part.startswith((".", "__pycache__")) for part in relative.parts):
                files.append(path)
    return files


def _strings(tree: ast.AST) -> str:
    """The string constants of code (what it can open), one per line; docstrings are not
    code and are left out by the caller."""
    return "\n".join(node.value for node in ast.walk(tree)
                     if isinstance(node, ast.Constant) and isinstance(node.value, str))


def _names_file(text: str, path: Path) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(path.name)}(?![\w-])", text) is not None


def dependencies(notebook: nbformat.NotebookNode, root: Path = ROOT) -> list[Path]:
    """The files under ``root`` a notebook's outputs depend on, besides its code cells.

    These are the ``lenet_lib`` modules it imports, transitively through their own
    imports (found in the syntax trees, without running anything), and the files in
    ``data/`` and ``scripts/`` whose names appear in its code cells or in those
    modules (a script found this way brings its own imports).  A file named only in
    a computed string (``f"digit_{n}.jpg"``) is not found.
    """
    data_files = _data_files(root)
    # (code, its module name for relative imports, whether it is a cell: keeps its strings whole)
    to_read = [(_cell_python(source), None, True) for source in _code_cells(notebook)]
    strings: list[str] = []
    modules: set[str] = set()
    found: set[Path] = set()
    while to_read:
        imported: set[str] = set()
        for code, importer, is_cell in to_read:
            try:
                tree = ast.parse(code)
            except SyntaxError:
                continue  # a cell that cannot run; the cells' digest covers its text
            imported |= package_imports(tree, root, importer)
            strings.append(_strings(tree if is_cell else without_docstrings(tree)))
        to_read = []
        for module in sorted(imported - modules):
            modules.add(module)
            path = _module_file(module, root)
            found.add(path)
            to_read.append((path.read_text(encoding="utf-8"), module, False))
        named = "\n".join(strings)
        for path in data_files:
            if path not in found and _names_file(named, path):
                found.add(path)
                if path.suffix == ".py":
                    to_read.append((path.read_text(encoding="utf-8"), None, False))
    return sorted(found)


def provenance(notebook: nbformat.NotebookNode, root: Path = ROOT) -> dict[str, str]:
    """One digest per input of the notebook's outputs: ``"code cells"`` and each dependency
    by its path relative to ``root`` (``"lenet_lib/models.py"``, ``"data/x.weights.h5"``)."""
    inputs = {CODE_CELLS: cells_digest(notebook)}
    for path in dependencies(notebook, root):
        inputs[path.relative_to(root).as_posix()] = file_digest(path)
    return inputs


def changed_inputs(recorded: dict[str, str], current: dict[str, str]) -> list[str]:
    """What differs between two ``provenance`` records, in words (empty: nothing)."""
    changes = [f"{name} changed" for name in sorted(recorded.keys() & current.keys())
               if recorded[name] != current[name]]
    changes += [f"{name} is new" for name in sorted(current.keys() - recorded.keys())]
    changes += [f"{name} is no longer used" for name in sorted(recorded.keys() - current.keys())]
    return changes


def fixed_seeds(notebook: nbformat.NotebookNode) -> set[int]:
    """Seeds the notebook's code passes to ``set_seed`` as literal numbers."""
    seeds = set()
    for source in _code_cells(notebook):
        try:
            tree = ast.parse(_cell_python(source))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) \
                    == "set_seed" and node.args and isinstance(node.args[0], ast.Constant):
                seeds.add(node.args[0].value)
    return seeds


#: Terminal colour and style codes (Keras' model.summary() prints them through rich): in a
#: stored page they are noise to a screen reader and their colours fail contrast checks.
COLOUR_CODES = re.compile(r"\x1b\[[0-9;]*m")
#: Inline colours in the HTML that ``rich`` writes for ``model.summary()`` (light blues and greens
#: that fail contrast on the book's background); the text keeps its bold and its layout.
RICH_COLOURS = re.compile(r'(<span style=")(?:color: #[0-9a-f]{6}; text-decoration-color: #[0-9a-f]{6};? ?)([^"]*")')


def strip_colour_codes(notebook: nbformat.NotebookNode) -> None:
    """Remove terminal colour codes from stored text outputs (streams and text/plain), and rich's
    inline colours from HTML outputs; ``tests/nbval_sanitize.cfg`` removes the same codes before
    nbval compares outputs."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if "text" in output:
                output.text = COLOUR_CODES.sub("", output.text)
            if "text/plain" in output.get("data", {}):
                output.data["text/plain"] = COLOUR_CODES.sub("", output.data["text/plain"])
            if "text/html" in output.get("data", {}):
                output.data["text/html"] = RICH_COLOURS.sub(r"\1\2", output.data["text/html"])


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


class SeedMismatch(ValueError):
    """A notebook fixes another seed than the run's ``LENET_SEED``: its results would be mislabelled."""


def cache_start_lines(records: Path, reuse: bool, log: Path) -> list[str]:
    """Kernel arguments that route the notebook's ``model.fit`` calls through
    ``lenet_lib.training_cache`` before its first cell runs (nothing shows in the notebook)."""
    code = (f"import lenet_lib.training_cache as _cache; "
            f"_cache.enable({str(records)!r}, reuse={reuse!r}, log={str(log)!r}); del _cache")
    return [f"--IPKernelApp.exec_lines={[code]!r}"]


def execute(path: Path, destination: Path, *, reuse: bool = False, records: Path = RECORDS_DIR) -> float:
    """Run one notebook, store it at ``destination``, return the seconds it took.

    In full mode its training runs are recorded in ``records`` and, with ``reuse``, a
    recorded run with the same key is loaded instead of trained (``lenet_lib.training_cache``).
    """
    notebook = nbformat.read(path, as_version=4)
    other_seeds = fixed_seeds(notebook) - {seed()}
    if other_seeds:
        raise SeedMismatch(f"{path.name} calls set_seed({sorted(other_seeds)[0]}) but this run has "
                           f"{SEED_ENV}={seed()}: use runtime.set_seed() with no value")
    inputs = provenance(notebook)  # before running: what the outputs will come from
    log = Path(tempfile.mkstemp(prefix="lenet-training-", suffix=".json")[1])
    log.write_text("[]")
    extra = cache_start_lines(records, reuse, log) if mode() == "full" else []
    client = NotebookClient(notebook, timeout=3600, kernel_name="python3", extra_arguments=extra,
                            resources={"metadata": {"path": str(CHAPTERS)}})
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError:
        FAILED.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, FAILED / path.name)  # for a look; never over the stored one
        raise
    finally:
        training = json.loads(log.read_text() or "[]")
        log.unlink(missing_ok=True)
    seconds = time.perf_counter() - start
    for event in training:
        if event.get("note"):
            print(f"{path.name}: {event['note']}", flush=True)
    strip_native_logs(notebook)
    strip_colour_codes(notebook)
    import keras
    import tensorflow as tf

    notebook.metadata["lenet_course"] = {
        "mode": mode(),
        "seed": seed(),
        "seconds": round(seconds, 1),
        "python": platform.python_version(),
        "keras": keras.__version__,
        "tensorflow": tf.__version__,
        "inputs_sha256": inputs,
        "training": training,
    }
    temporary = destination.with_name(f".{destination.name}.tmp")
    nbformat.write(notebook, temporary)
    os.replace(temporary, destination)  # a stored notebook is replaced whole or not at all
    return seconds


#: The page that shows each chapter's time, and the markers around the table this script writes.
TIMINGS_PAGE = ROOT / "running.md"
TIMINGS_BEGIN, TIMINGS_END = "<!-- timings: written by scripts/run_notebooks.py -->", "<!-- end of timings -->"


def _minutes(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} min"


def timings_table(notebooks: list[Path]) -> str:
    """A Markdown table of each chapter's full-mode run from its metadata: the time of this
    build, where its training came from (trained in this build, or a recorded run re-used, with
    that run's machine, date and own seconds) and the time the chapter takes when it trains."""
    rows = ["| chapter | its training | training time | whole chapter, training included |",
            "|---|---|---|---|"]
    total = 0.0
    for path in notebooks:
        record = nbformat.read(path, as_version=4).metadata.get("lenet_course", {})
        events = record.get("training", [])
        reused = [e for e in events if e["status"] == "re-used"]
        trained_seconds = sum(e.get("seconds", 0.0) for e in events)
        if not events:
            source = "none"
        elif reused:
            runs = sorted({(e["date"], e["machine"]) for e in reused})
            source = (f"{len(reused)} of {len(events)} runs re-used: recorded on "
                      + "; ".join(f"{date} ({where})" for date, where in runs))
        else:
            source = f"{len(events)} run{'s' if len(events) > 1 else ''} trained in this build"
        whole = record.get("seconds", 0.0) + sum(e.get("seconds", 0.0) for e in reused)
        total += whole
        rows.append(f"| {{doc}}`chapters/{path.stem}` | {source} | "
                    f"{_minutes(trained_seconds) if events else '-'} | {_minutes(whole)} |")
    rows.append(f"| **the whole book** | | | **{_minutes(total)}** |")
    return "\n".join(rows)


def write_timings_page(page: Path = TIMINGS_PAGE, notebooks: list[Path] | None = None) -> None:
    """Replace the table between the markers of ``page`` with ``timings_table``."""
    text = page.read_text(encoding="utf-8")
    if TIMINGS_BEGIN not in text or TIMINGS_END not in text:
        raise ValueError(f"{page} lacks the markers {TIMINGS_BEGIN!r} and {TIMINGS_END!r}")
    before, rest = text.split(TIMINGS_BEGIN, 1)
    after = rest.split(TIMINGS_END, 1)[1]
    table = timings_table(notebooks or sorted(CHAPTERS.glob("*.ipynb")))
    page.write_text(f"{before}{TIMINGS_BEGIN}\n{table}\n{TIMINGS_END}{after}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: every chapter)")
    parser.add_argument("--output-dir", type=Path,
                        help="write executed notebooks here instead of in place")
    parser.add_argument("--reuse", action="store_true",
                        help="load recorded training runs whose key matches instead of training "
                             "(full mode; see lenet_lib.training_cache)")
    parser.add_argument("--records", type=Path, default=RECORDS_DIR,
                        help=f"where training runs are recorded (default: {RECORDS_DIR.relative_to(ROOT)})")
    args = parser.parse_args()
    # the stored outputs hold the exercise checks' English verdicts (both books show theirs from them)
    os.environ.pop("LENET_LANG", None)
    try:
        run_mode, run_seed = mode(), seed()
    except ValueError as error:
        parser.error(str(error))
    os.environ[SEED_ENV] = str(run_seed)  # the kernels read it: runtime.set_seed() uses it
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's INFO/WARNING lines; ERRORs stay
    notebooks = args.notebooks or sorted(CHAPTERS.glob("*.ipynb"))
    if args.output_dir is None and (run_mode != "full" or run_seed != 0):
        parser.error(f"the book stores full-mode, seed-0 outputs; pass --output-dir to keep "
                     f"this run ({QUICK_ENV}, {SEED_ENV}) elsewhere")
    total, failed = 0.0, []
    for path in notebooks:
        destination = (args.output_dir / path.name) if args.output_dir else path
        destination.parent.mkdir(parents=True, exist_ok=True)
        print(f"{path.name}: running in {run_mode} mode, seed {run_seed} ...", flush=True)
        try:
            seconds = execute(path.resolve(), destination, reuse=args.reuse, records=args.records.resolve())
        except SeedMismatch as error:
            failed.append(path.name)
            print(f"{path.name}: REFUSED: {error}", flush=True)
            continue
        except CellExecutionError as error:
            failed.append(path.name)
            print(f"{path.name}: FAILED (kept in {FAILED}):\n{str(error)[-1500:]}", flush=True)
            continue
        total += seconds
        done = nbformat.read(destination, as_version=4).metadata["lenet_course"]["training"]
        reused = sum(event["status"] == "re-used" for event in done)
        print(f"{path.name}: {seconds:.0f} s ({len(done)} training runs, {reused} re-used)", flush=True)
    print(f"{len(notebooks) - len(failed)} notebooks ran: {total:.0f} s ({total / 60:.1f} min)")
    if args.output_dir is None:
        write_timings_page()
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    main()
