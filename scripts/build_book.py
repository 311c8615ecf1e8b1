"""Build both editions of the book from the notebooks' stored outputs (nothing is executed):
English at ``<output>/_build/html``, Chinese beside it at ``<output>/_build/html/zh``, each page
linking to its twin in the other language.

    python scripts/build_book.py              # into the project's _build/, as `bash course.sh book`
    python scripts/build_book.py --output DIR

The Chinese edition is the same sources with ``language: zh_CN``: Sphinx replaces each English
text by its translation in ``locale/zh_CN/LC_MESSAGES/<page>.po`` (``scripts/translations.py``).
Both builds treat warnings as errors.
"""

from __future__ import annotations

import argparse
import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CHINESE_FOLDER = "zh"


def jupyter_book() -> str:
    """The jupyter-book command of this Python's environment (else the one on PATH)."""
    beside = Path(sys.executable).with_name("jupyter-book")
    found = str(beside) if beside.exists() else shutil.which("jupyter-book")
    if found is None:
        raise SystemExit("jupyter-book is not installed: run `bash course.sh book`, which installs it")
    return found


def chinese_config(output: Path) -> Path:
    """``_config.yml`` with the Chinese edition's settings, written into ``output``: the language,
    the title as ``intro``'s translation gives it, the search box's text, the link back to the
    English twin, and the local extensions' folder made absolute (Jupyter Book resolves it
    against the configuration file's folder)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    with (ROOT / "locale" / "zh_CN" / "LC_MESSAGES" / "intro.po").open("rb") as f:
        intro = read_po(f)
    title = intro.get(config["title"])
    if title is not None and title.string and not title.fuzzy:
        config["title"] = title.string
    sphinx = config["sphinx"]
    sphinx["local_extensions"] = {name: str((ROOT / path).resolve())
                                  for name, path in sphinx["local_extensions"].items()}
    sphinx["config"].update({
        "language": "zh_CN",
        "i18n_search_bar_text": "搜索本书…",
        "i18n_twin": {"path": "../", "lang": "en", "label": "English"},
        # sphinx-togglebutton reads its texts before the language is known
        "togglebutton_hint": "点击显示",
        "togglebutton_hint_hide": "点击隐藏",
        # MyST-NB's fold of a hidden cell ("Show code cell source")
        "nb_code_prompt_show": "显示隐藏的代码",
        "nb_code_prompt_hide": "隐藏代码",
    })
    config["author"] = "LeNet 课程"
    # Sphinx's Chinese search cuts text into words with jieba; its dictionary lacks terms such as
    # 过拟合 or 卷积层, which a reader searches for as one word: the term list becomes jieba's
    # user dictionary, so each term is indexed whole (and its parts too)
    words = output / "search_terms.txt"
    words.parent.mkdir(parents=True, exist_ok=True)
    with (ROOT / "locale" / "zh_CN" / "terms.csv").open(encoding="utf-8", newline="") as f:
        terms = sorted({row["chinese"] for row in csv.DictReader(f) if re.search(r"[\u4e00-\u9fff]", row["chinese"])})
    words.write_text("".join(f"{term} 100000\n" for term in terms), encoding="utf-8")
    sphinx["config"]["html_search_options"] = {"dict": str(words)}
    path = output / "_config.zh.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build(output: Path = ROOT, *, timeout: float = 1200) -> tuple[int, str, Path]:
    """Build English, then Chinese into its ``zh/`` folder: (return code, log, html folder)."""
    output = Path(output).resolve()
    common = ["-W", "-n", "--keep-going", "--all"]
    english = subprocess.run([jupyter_book(), "build", str(ROOT), "--path-output", str(output), *common],
                             capture_output=True, text=True, timeout=timeout)
    html = output / "_build" / "html"
    shutil.rmtree(html / CHINESE_FOLDER, ignore_errors=True)  # never an old edition beside a new one
    log = english.stdout[-5000:] + english.stderr[-5000:]
    if english.returncode != 0:
        return english.returncode, log, html
    zh_output = output / "_build" / "zh"
    chinese = subprocess.run([jupyter_book(), "build", str(ROOT), "--config", str(chinese_config(zh_output)),
                              "--path-output", str(zh_output), *common],
                             capture_output=True, text=True, timeout=timeout)
    log += "\n--- Chinese edition ---\n" + chinese.stdout[-5000:] + chinese.stderr[-5000:]
    if chinese.returncode == 0:
        shutil.copytree(zh_output / "_build" / "html", html / CHINESE_FOLDER)
    return chinese.returncode, log, html


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT, help="the folder that gets _build/ (default: the project)")
    args = parser.parse_args(argv)
    returncode, log, html = build(args.output)
    print(log)
    if returncode == 0:
        print(f"The book is at: {html / 'index.html'} (Chinese: {html / CHINESE_FOLDER / 'index.html'})")
    return returncode


if __name__ == "__main__":
    sys.exit(main())
