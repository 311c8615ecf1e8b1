"""The book builds warning-free from the stored outputs, with a Colab button per chapter."""

from __future__ import annotations

import yaml

from helpers import CHAPTERS, ROOT


def test_book_builds_without_warnings(built_book):
    returncode, log, html = built_book
    assert returncode == 0, log
    repository = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    github_path = repository.removeprefix("https://github.com/")
    for notebook in CHAPTERS.glob("*.ipynb"):
        page = (html / "chapters" / f"{notebook.stem}.html").read_text()
        colab = f"https://colab.research.google.com/github/{github_path}/blob/main/chapters/{notebook.name}"
        assert colab in page, f"{notebook.name}: no Colab button"
        assert "google.colab" not in page, f"{notebook.name}: the set-up cell is shown"


def test_draw_page_and_its_scripts_are_in_the_book(built_book):
    returncode, log, html = built_book
    assert returncode == 0, log
    page = (html / "draw.html").read_text()
    for script in ("lenet_model.js", "lenet.js", "page.js"):
        assert f'src="lenet-draw/{script}"' in page
        assert (html / "lenet-draw" / script).is_file()
        assert "http" not in (html / "lenet-draw" / script).read_text()[:2000].replace("lenet_lib", "")
    intro = (html / "intro.html").read_text()
    assert "lenet-draw/" not in intro and "lenet_model" not in intro  # only the drawing page loads them
