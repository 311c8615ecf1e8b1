"""Write the Colab set-up cell into the chapters, from its one template.

    python scripts/sync_setup_cell.py                      # every chapters/*.ipynb
    python scripts/sync_setup_cell.py chapters/02_*.ipynb  # only these
    python scripts/sync_setup_cell.py --check              # exit 1 naming notebooks that differ

The cell is ``scripts/colab_setup_cell.py.tmpl`` filled with:

- the repository URL: ``_config.yml`` ``repository.url`` (the one place that names it);
- the course version, a tag or commit: ``_config.yml`` ``repository.branch`` (the one
  place that names it; the book's *Open in Colab* button opens the notebook at the
  same ref, so the notebook and the ``lenet_lib`` it installs come from one version);
- what the course needs, with the oldest versions: ``pyproject.toml``'s ``dependencies``.

It becomes cell 0 (tag ``remove-cell``) of each notebook: an existing set-up cell keeps
its id, execution count and outputs and only gets the new source; a notebook without
one gets it inserted.  Nothing else in the notebook changes; unchanged notebooks are
not rewritten, changed ones are replaced whole (written beside, then renamed).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import string
import sys
import tempfile
from pathlib import Path

import nbformat
import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, as pytest's dependency tomli
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
TEMPLATE = Path(__file__).with_name("colab_setup_cell.py.tmpl")
HIDDEN = "remove-cell"
#: Import names of the dependencies whose module is not named like the package.
MODULE_NAMES = {"opencv-python-headless": "cv2", "opencv-python": "cv2", "scikit-learn": "sklearn"}
SYNC_COMMAND = "python scripts/sync_setup_cell.py"


class SetupCellError(Exception):
    """The template, ``_config.yml`` or ``pyproject.toml`` cannot make a set-up cell."""


def course_repository(root: Path = ROOT) -> tuple[str, str]:
    """``(url, version)`` from ``_config.yml``'s ``repository`` section."""
    settings = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    repository = settings.get("repository") or {}
    url, version = repository.get("url"), repository.get("branch")
    if not isinstance(url, str) or not url.strip():
        raise SetupCellError("_config.yml: repository.url is missing (the course's git URL)")
    if not isinstance(version, str) or not version.strip():
        raise SetupCellError("_config.yml: repository.branch is missing (the tag or commit to clone)")
    return url.strip(), version.strip()


def needed_packages(root: Path = ROOT) -> list[tuple[str, str, str]]:
    """``(module, oldest version, pip package)`` for each of pyproject.toml's dependencies."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    needed = []
    for requirement in project.get("dependencies", []):
        match = re.fullmatch(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*>=\s*([0-9][0-9.]*)\s*", requirement)
        if match is None:
            raise SetupCellError(f"pyproject.toml: dependency {requirement!r} is not 'package>=version' "
                                 "(the package declares lower bounds only; caps go in requirements.txt)")
        package, oldest = match.groups()
        needed.append((MODULE_NAMES.get(package.lower(), package.lower().replace("-", "_")), oldest, package))
    return needed


def render(repository: str, version: str, needed: list[tuple[str, str, str]]) -> str:
    """The set-up cell's source: the template with the values filled in."""
    rows = "\n".join(f"        ({json.dumps(module)}, {json.dumps(oldest)}, {json.dumps(package)}),"
                     for module, oldest, package in needed)
    template = string.Template(TEMPLATE.read_text(encoding="utf-8"))
    return template.substitute(repository=json.dumps(repository), version=json.dumps(version),
                               needed=rows).rstrip("\n")


def setup_cell_source(root: Path = ROOT) -> str:
    """The set-up cell every chapter must start with, from the project's own settings."""
    repository, version = course_repository(root)
    return render(repository, version, needed_packages(root))


def _is_setup_cell(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and HIDDEN in cell.metadata.get("tags", [])


def is_synced(notebook: nbformat.NotebookNode, source: str) -> bool:
    """True when the notebook's cell 0 is the hidden set-up cell with exactly ``source``."""
    return bool(notebook.cells) and _is_setup_cell(notebook.cells[0]) and notebook.cells[0].source == source


def synced(notebook: nbformat.NotebookNode, source: str) -> nbformat.NotebookNode:
    """``notebook`` with ``source`` as its hidden cell 0 (replacing an existing set-up cell)."""
    if notebook.cells and _is_setup_cell(notebook.cells[0]):
        notebook.cells[0].source = source
    else:
        cell = nbformat.v4.new_code_cell(source, metadata={"tags": [HIDDEN]})
        notebook.cells.insert(0, cell)
    return notebook


def _write_whole(notebook: nbformat.NotebookNode, path: Path) -> None:
    """Write beside ``path`` and rename over it: the old file stays whole if anything fails."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            nbformat.write(notebook, stream)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read(path: Path) -> nbformat.NotebookNode:
    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError) as exc:  # missing file, not JSON, not a notebook
        raise SetupCellError(f"{path}: cannot read it as a notebook: {exc}") from exc


def _shown(path: Path) -> str:
    """``path`` as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every chapters/*.ipynb")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 naming the notebooks whose cell 0 differs")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((root / "chapters").glob("*.ipynb"))
    try:
        source = setup_cell_source(root)
        notebooks = {path: _read(path) for path in paths}  # all readable before any is written
    except SetupCellError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stale = [path for path, notebook in notebooks.items() if not is_synced(notebook, source)]
    if args.check:
        for path in stale:
            print(f"{_shown(path)}: cell 0 is not the current set-up cell; run: {SYNC_COMMAND}")
        return 1 if stale else 0
    for path in stale:
        _write_whole(synced(notebooks[path], source), path)
        print(f"{_shown(path)}: set-up cell written")
    print(f"{len(paths) - len(stale)} of {len(paths)} notebooks were already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
