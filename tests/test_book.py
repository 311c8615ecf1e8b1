"""The book builds warning-free from the stored outputs, with a Colab button per chapter."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from helpers import CHAPTERS, ROOT


def test_book_builds_without_warnings(tmp_path):
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [str(jupyter_book) if jupyter_book.exists() else shutil.which("jupyter-book"),
               "build", str(ROOT), "--path-output", str(tmp_path), "-W", "-n", "--keep-going", "--all"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    html = tmp_path / "_build" / "html"
    repository = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    github_path = repository.removeprefix("https://github.com/")
    for notebook in CHAPTERS.glob("*.ipynb"):
        page = (html / "chapters" / f"{notebook.stem}.html").read_text()
        colab = f"https://colab.research.google.com/github/{github_path}/blob/main/chapters/{notebook.name}"
        assert colab in page, f"{notebook.name}: no Colab button"
        assert "google.colab" not in page, f"{notebook.name}: the set-up cell is shown"
