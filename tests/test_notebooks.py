"""The notebooks in git: one Colab set-up cell, full-mode outputs of the current code.

"Current code" means every input of a notebook's outputs (``run_notebooks.provenance``):
its code cells, the ``lenet_lib`` modules it imports (transitively) and the files of
``data/`` and ``scripts/`` its code names.  The digests ignore comments and docstrings.
"""

from __future__ import annotations

import platform
import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from helpers import CHAPTERS, ROOT, script

run_notebooks = script("run_notebooks")
CODE_CELLS, COLOUR_CODES, NATIVE_LOG = run_notebooks.CODE_CELLS, run_notebooks.COLOUR_CODES, run_notebooks.NATIVE_LOG
changed_inputs, dependencies = run_notebooks.changed_inputs, run_notebooks.dependencies
fixed_seeds, provenance = run_notebooks.fixed_seeds, run_notebooks.provenance

NOTEBOOKS = sorted(CHAPTERS.glob("*.ipynb"))


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]


def config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text())


def test_every_notebook_is_in_the_table_of_contents():
    assert NOTEBOOKS, "no notebooks found"
    assert sorted(f"chapters/{path.stem}" for path in NOTEBOOKS) == sorted(
        f for f in toc_files() if f.startswith("chapters/"))


def test_colab_launch_button_is_configured():
    settings = config()
    assert settings["launch_buttons"]["colab_url"] == "https://colab.research.google.com"
    assert settings["repository"]["url"].startswith("https://github.com/")


def test_every_notebook_starts_with_the_same_hidden_colab_cell():
    first_cells = [nbformat.read(path, as_version=4).cells[0] for path in NOTEBOOKS]
    for path, cell in zip(NOTEBOOKS, first_cells):
        assert cell.cell_type == "code", path.name
        assert "remove-cell" in cell.metadata.get("tags", []), f"{path.name}: set-up cell not hidden"
        assert cell.source == first_cells[0].source, f"{path.name}: set-up cell differs"
    source = first_cells[0].source
    assert 'if "google.colab" in sys.modules:' in source
    repositories = re.findall(r'"(https://github\.com/[^"]+)"', source)
    assert repositories == [config()["repository"]["url"]]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_are_a_clean_full_mode_seed_0_run(path):
    notebook = nbformat.read(path, as_version=4)
    record = notebook.metadata.get("lenet_course", {})
    assert record.get("mode") == "full", f"{path.name}: not executed in full mode"
    assert record.get("seed") == 0, f"{path.name}: stored run used seed {record.get('seed')}, not 0"
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code_cells] == list(range(1, len(code_cells) + 1)), (
        f"{path.name}: cells were not run once each, top to bottom")
    for cell in code_cells:
        for output in cell.outputs:
            assert output.output_type != "error", f"{path.name}: stored error output"
            if output.output_type == "stream":
                assert not NATIVE_LOG.search(output.text), f"{path.name}: TensorFlow log line stored"
            text = output.get("text", "") + output.get("data", {}).get("text/plain", "")
            assert not COLOUR_CODES.search(text), f"{path.name}: terminal colour codes stored"
            assert "text-decoration-color" not in output.get("data", {}).get("text/html", ""), (
                f"{path.name}: rich's inline colours stored (they fail contrast)")
            assert "/tmp/" not in text, f"{path.name}: a temporary path stored"
    for cell in notebook.cells:  # no page depends on, or shows, the developers' files
        shown = cell.source + "".join(str(output) for output in cell.get("outputs", []))
        assert not re.search(r"\bshared/(photos|data|seeds)|/work/", shown), f"{path.name}: a development path"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_says_what_it_shows(path):
    """A code cell that draws a figure carries alt text (``mystnb.image.alt``, the book's <img alt>):
    a sentence or more, not a file name, and not another figure's."""
    notebook = nbformat.read(path, as_version=4)
    alts = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or not any("image/png" in output.get("data", {}) for output in cell.outputs):
            continue
        alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
        assert len(alt.split()) >= 8 and alt.rstrip().endswith("."), (
            f"{path.name}: the figure of the cell starting {cell.source[:50]!r} has no alt text saying what it shows")
        alts.append(alt)
    assert len(alts) == len(set(alts)), f"{path.name}: two figures share one alt text"


def stale_reasons(path: Path) -> list[str]:
    """Why the outputs stored in ``path`` may not be what its current inputs produce."""
    notebook = nbformat.read(path, as_version=4)
    record = notebook.metadata.get("lenet_course", {})
    if "inputs_sha256" not in record:
        return ["no inputs_sha256 in its metadata (executed before inputs were recorded)"]
    reasons = changed_inputs(record["inputs_sha256"], provenance(notebook))
    recorded_python = record.get("python", "")
    if reasons and recorded_python.rsplit(".", 1)[0] != platform.python_version().rsplit(".", 1)[0]:
        reasons.append(f"(executed with Python {recorded_python}, checked with "
                       f"{platform.python_version()}: Python files' syntax trees may differ)")
    return reasons


def test_stored_outputs_come_from_the_current_inputs():
    stale = {path: reasons for path in NOTEBOOKS if (reasons := stale_reasons(path))}
    assert not stale, (
        "stored outputs do not come from the current code; re-run:\n"
        f"  python scripts/run_notebooks.py {' '.join(f'chapters/{p.name}' for p in stale)}\n"
        + "\n".join(f"  {path.name}: {'; '.join(reasons)}" for path, reasons in stale.items()))


# --- provenance, on temporary copies of the package (the real tree is never edited) ---

@pytest.fixture
def tree(tmp_path) -> Path:
    """A copy of ``lenet_lib`` plus a data file and a script, to change at will."""
    shutil.copytree(ROOT / "lenet_lib", tmp_path / "lenet_lib",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "net.weights.h5").write_bytes(b"weights v1")
    (tmp_path / "data" / "other.weights.h5").write_bytes(b"not used")
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "make_net.py").write_text('"""Makes net."""\nimport lenet_lib.photo\n')
    return tmp_path


def notebook(*sources: str) -> nbformat.NotebookNode:
    return new_notebook(cells=[new_markdown_cell("# A chapter")]
                        + [new_code_cell(source) for source in sources])


USES_MODELS = notebook("%matplotlib inline\nfrom lenet_lib import models\nmodel = models.build_slides_lenet5()")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) >= 1, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_dependencies_follow_the_package_imports(tree):
    found = {p.relative_to(tree).as_posix() for p in dependencies(USES_MODELS, tree)}
    # models imports counting, layers and saving; importing any module runs __init__.py
    assert {"lenet_lib/__init__.py", "lenet_lib/models.py", "lenet_lib/layers.py",
            "lenet_lib/counting.py", "lenet_lib/saving.py"} <= found
    assert "lenet_lib/photo.py" not in found and "lenet_lib/plots.py" not in found
    assert not any(name.startswith(("data/", "scripts/")) for name in found)


def test_changing_the_code_of_a_used_module_changes_the_digest(tree):
    before = provenance(USES_MODELS, tree)
    edit(tree / "lenet_lib" / "layers.py", "import keras\n", "import keras\n\nSCALE = 2\n")
    after = provenance(USES_MODELS, tree)
    assert after != before
    assert changed_inputs(before, after) == ["lenet_lib/layers.py changed"]


def test_docstrings_and_comments_do_not_change_the_digest(tree):
    before = provenance(USES_MODELS, tree)
    edit(tree / "lenet_lib" / "models.py", '"""The Keras 3 builds', '"""The Keras builds')
    edit(tree / "lenet_lib" / "models.py", "import keras\n", "import keras  # the framework\n")
    source = (tree / "lenet_lib" / "layers.py").read_text()
    function_docstring = re.search(r'def \w+\(.*\n\s+"""(.+?)"""', source, re.S).group(1)
    edit(tree / "lenet_lib" / "layers.py", function_docstring, "Reworded.")
    assert provenance(USES_MODELS, tree) == before


def test_a_module_the_notebook_does_not_use_does_not_count(tree):
    before = provenance(USES_MODELS, tree)
    edit(tree / "lenet_lib" / "photo.py", "import numpy as np\n", "import numpy as np\n\nLIMIT = 1\n")
    assert provenance(USES_MODELS, tree) == before


def test_code_cells_count_by_their_code_not_their_comments():
    before = provenance(USES_MODELS, ROOT)[CODE_CELLS]
    commented = notebook("%matplotlib inline\nfrom lenet_lib import models  # builders\n"
                         "model = models.build_slides_lenet5()")
    changed = notebook("%matplotlib inline\nfrom lenet_lib import models\nmodel = models.build_classic_lenet5()")
    assert provenance(commented, ROOT)[CODE_CELLS] == before
    assert provenance(changed, ROOT)[CODE_CELLS] != before


def test_data_files_and_scripts_named_in_the_code_count_by_their_bytes(tree):
    uses_file = notebook('weights = "../data/net.weights.h5"', "!python ../scripts/make_net.py")
    found = {p.relative_to(tree).as_posix() for p in dependencies(uses_file, tree)}
    # the script brings its own import (photo) and the package's __init__
    assert {"data/net.weights.h5", "scripts/make_net.py", "lenet_lib/photo.py"} <= found
    assert "data/other.weights.h5" not in found
    before = provenance(uses_file, tree)
    (tree / "data" / "other.weights.h5").write_bytes(b"changed, but not used")
    assert provenance(uses_file, tree) == before
    (tree / "data" / "net.weights.h5").write_bytes(b"weights v2")
    assert changed_inputs(before, provenance(uses_file, tree)) == ["data/net.weights.h5 changed"]


def test_relative_imports_and_attribute_use_are_followed(tree):
    (tree / "lenet_lib" / "extra.py").write_text("from . import convolution\nfrom .photo import PhotoError\n")
    uses_extra = notebook("import lenet_lib.extra")
    found = {p.relative_to(tree).as_posix() for p in dependencies(uses_extra, tree)}
    assert {"lenet_lib/extra.py", "lenet_lib/convolution.py", "lenet_lib/photo.py"} <= found
    by_attribute = notebook("import lenet_lib\nlenet_lib.counting.SLIDES_TABLE")
    assert tree / "lenet_lib" / "counting.py" in dependencies(by_attribute, tree)


def test_new_and_dropped_inputs_are_named():
    assert changed_inputs({"a": "1", "b": "2"}, {"a": "1", "c": "3"}) == [
        "c is new", "b is no longer used"]
    assert changed_inputs({"a": "1"}, {"a": "1"}) == []


def test_fixed_seeds_are_found():
    assert fixed_seeds(notebook("runtime.set_seed()", "x = 1")) == set()
    assert fixed_seeds(notebook("from lenet_lib.runtime import set_seed\nset_seed(3)",
                                "runtime.set_seed(0)  # fixed")) == {0, 3}


NATIVE_LINES = [
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
    "I0000 00:00:1795573672.886470    2873 cudart_stub.cc:31] Could not find cuda drivers on your "
    "machine, GPU will not be used.",
    "E0000 00:00:1795573806.290934    6318 cuda_platform.cc:52] failed call to cuInit: INTERNAL",
    "To enable the following instructions: AVX2 FMA, in other operations, rebuild TensorFlow with "
    "the appropriate compiler flags.",
    "2026-11-25 10:00:00.123456: I tensorflow/core/util/port.cc:153] oneDNN custom operations are on.",
]


@pytest.mark.parametrize("line", NATIVE_LINES)
def test_native_log_lines_are_recognised(line):
    assert NATIVE_LOG.fullmatch(line + "\n")


@pytest.mark.parametrize("line", ["Epoch 1/2", "UserWarning: the input is not scaled",
                                  "I like 1998 papers", "E = 0.5 at step 12:30:00"])
def test_ordinary_output_is_kept(line):
    assert not NATIVE_LOG.search(line + "\n")


def test_the_timings_page_is_written_from_the_notebooks_records():
    """running.md's table (where each chapter's training came from, and its time) is the one
    run_notebooks.py writes from the stored notebooks' metadata: it cannot drift from them."""
    TIMINGS_BEGIN, TIMINGS_END, timings_table = (run_notebooks.TIMINGS_BEGIN, run_notebooks.TIMINGS_END,
                                                 run_notebooks.timings_table)

    text = (ROOT / "running.md").read_text(encoding="utf-8")
    shown = text.split(TIMINGS_BEGIN, 1)[1].split(TIMINGS_END, 1)[0].strip()
    assert shown == timings_table(NOTEBOOKS), "re-write it: python -c 'import sys; sys.path.insert(0, \"scripts\"); import run_notebooks; run_notebooks.write_timings_page()'"


def test_every_training_run_of_the_stored_notebooks_names_its_run():
    for path in NOTEBOOKS:
        for event in nbformat.read(path, as_version=4).metadata["lenet_course"].get("training", []):
            assert event["status"] in ("trained", "re-used"), path.name
            assert event["machine"] and event["date"] and event.get("key"), (path.name, event)
            # the record travels with the book: a fresh clone can rebuild it without training
            assert (ROOT / "results" / "training" / event["key"] / "record.json").is_file(), (path.name, event)


HIDDEN_CODE = {"remove-cell", "remove-input", "hide-cell"}


def _names(tree) -> tuple[set[str], set[str]]:
    """(names a piece of code binds, names it reads before binding them itself)."""
    import ast

    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, (ast.Store, ast.Del)) else read).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
            bound.update(a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg))
        elif isinstance(node, ast.Lambda):
            bound.update(a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return bound, read


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_visible_code_runs_without_the_hidden_cells(path):
    """A reader who copies the code the book shows gets a program that runs: no visible cell
    reads a name that only a hidden cell (tagged remove-cell, remove-input or hide-cell) binds."""
    import ast
    import builtins

    visible_bound = set(dir(builtins)) | {"get_ipython", "display"}
    hidden_bound, needs = set(), []
    for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if cell.cell_type != "code":
            continue
        source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        bound, read = _names(ast.parse(source))
        if HIDDEN_CODE & set(cell.metadata.get("tags", [])):
            hidden_bound |= bound
            continue
        needs += [(index, name) for name in sorted(read - visible_bound - bound) if name in hidden_bound]
        visible_bound |= bound
    assert not needs, f"visible cells read names only hidden cells bind (cell, name): {needs}"
