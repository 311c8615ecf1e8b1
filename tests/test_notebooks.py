"""The notebooks in git: one Colab set-up cell, full-mode outputs of the current code."""

from __future__ import annotations

import re
import sys

import nbformat
import pytest
import yaml

from helpers import CHAPTERS, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from run_notebooks import NATIVE_LOG, code_digest  # noqa: E402

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
    assert "keras.__version__" in source
    repositories = re.findall(r'"(https://github\.com/[^"]+)"', source)
    assert repositories == [config()["repository"]["url"]]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_are_a_full_mode_run_of_the_current_code(path):
    notebook = nbformat.read(path, as_version=4)
    record = notebook.metadata.get("lenet_course", {})
    assert record.get("mode") == "full", f"{path.name}: not executed in full mode"
    assert record.get("seed", 0) == 0, f"{path.name}: stored run used seed {record.get('seed')}, not 0"
    assert record.get("code_sha256") == code_digest(notebook), (
        f"{path.name}: code changed since it was executed; run scripts/run_notebooks.py {path.name}")
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code_cells] == list(range(1, len(code_cells) + 1)), (
        f"{path.name}: cells were not run once each, top to bottom")
    for cell in code_cells:
        for output in cell.outputs:
            assert output.output_type != "error", f"{path.name}: stored error output"
            if output.output_type == "stream":
                assert not NATIVE_LOG.search(output.text), f"{path.name}: TensorFlow log line stored"
