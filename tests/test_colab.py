"""The Colab set-up cell: written from one template, and harmless to Colab's own packages.

The cell is run as Colab would run it: ``google.colab`` imported, the course cloned from a
git repository (a local one, made here from the working tree and tagged), TensorFlow and
Keras already installed (this test environment's, seen from a throwaway venv that receives
the install), the package index switched off (``PIP_NO_INDEX=1``).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from packaging.requirements import Requirement

from helpers import CHAPTERS, ROOT, script

sync_setup_cell = script("sync_setup_cell")

NOTEBOOKS = sorted(CHAPTERS.glob("*.ipynb"))
#: What Colab preinstalls: the package must not cap these, or pip would replace Colab's own.
COLAB_PREINSTALLED = {"tensorflow", "keras", "numpy", "pandas", "matplotlib", "h5py",
                      "opencv-python", "opencv-python-headless"}
UPPER_BOUNDS = {"<", "<=", "~=", "==", "==="}
TAG = "v0.0.0-colab-test"
#: What Colab's kernel has that a plain Python has not: the module the cell looks for.
COLAB_KERNEL = """\
import os, sys, types
sys.modules["google.colab"] = types.ModuleType("google.colab")
cell = open(sys.argv[1], encoding="utf-8").read()
for _ in range(int(sys.argv[2])):  # a reader may run the cell again in the same runtime
    exec(compile(cell, "set-up cell", "exec"), {"__name__": "__main__"})
print("TF_CPP_MIN_LOG_LEVEL =", os.environ.get("TF_CPP_MIN_LOG_LEVEL"))
import lenet_lib, lenet_lib.exercises  # in the kernel that ran the cell, as the chapter does next
print("lenet_lib in this kernel =", lenet_lib.__file__)
print("working folder =", os.getcwd())
"""


def dependencies() -> list[Requirement]:
    project = sync_setup_cell.tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [Requirement(text) for text in project["project"]["dependencies"]]


# --- the package's metadata -------------------------------------------------------------

def test_package_puts_no_upper_bound_on_what_colab_preinstalls():
    declared = {requirement.name.lower(): requirement for requirement in dependencies()}
    for name in ("tensorflow", "keras", "numpy", "pandas", "matplotlib"):
        assert name in declared, f"pyproject.toml does not declare {name}"
    assert declared.keys() & {"opencv-python", "opencv-python-headless"}, "no OpenCV dependency"
    for name in declared.keys() & COLAB_PREINSTALLED:
        operators = {spec.operator for spec in declared[name].specifier}
        assert not operators & UPPER_BOUNDS, (
            f"pyproject.toml caps {declared[name]}: pip would replace Colab's {name}; "
            "keep a lower bound there and the cap in requirements.txt")
        assert operators & {">=", ">"}, f"pyproject.toml: {declared[name]} has no lower bound"


def third_party_imports() -> set[str]:
    """Top-level modules that lenet_lib's code imports, other than the standard library,
    lenet_lib itself and IPython (every notebook kernel has it)."""
    found = set()
    for path in (ROOT / "lenet_lib").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"__future__", "lenet_lib", "IPython"}


def test_the_cell_checks_every_module_lenet_lib_imports():
    checked = {module for module, _, _ in sync_setup_cell.needed_packages()}
    missing = third_party_imports() - checked
    assert not missing, (f"lenet_lib imports {sorted(missing)}, which pyproject.toml's dependencies "
                         "(and so the set-up cell's check) do not name")


# --- the stored cells and the sync script -----------------------------------------------

def test_every_chapter_starts_with_the_set_up_cell_from_the_template():
    source = sync_setup_cell.setup_cell_source()
    differ = [path.name for path in NOTEBOOKS
              if not sync_setup_cell.is_synced(nbformat.read(path, as_version=4), source)]
    assert NOTEBOOKS and not differ, (
        f"cell 0 of {differ} is not the set-up cell made from scripts/colab_setup_cell.py.tmpl, "
        f"_config.yml and pyproject.toml; run: {sync_setup_cell.SYNC_COMMAND}")


def test_the_cell_names_the_configured_repository_and_version():
    repository, version = sync_setup_cell.course_repository()
    source = sync_setup_cell.setup_cell_source()
    assert f"COURSE_REPOSITORY = {json.dumps(repository)}" in source
    assert f"COURSE_VERSION = {json.dumps(version)}" in source
    assert source.count("https://") == 1, "the repository URL must come from _config.yml only"
    # before anything can import TensorFlow, for every reader
    assert source.index('os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")') \
        < source.index('if "google.colab" in sys.modules:')


def test_sync_writes_cell_0_and_nothing_else(tmp_path):
    chapter = tmp_path / NOTEBOOKS[0].name
    shutil.copy(NOTEBOOKS[0], chapter)
    bare = tmp_path / "bare.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title")]), bare)
    before = nbformat.read(chapter, as_version=4)

    assert sync_setup_cell.main([str(chapter), str(bare)]) == 0
    source = sync_setup_cell.setup_cell_source()
    after = nbformat.read(chapter, as_version=4)
    assert after.cells[0].source == source
    assert after.cells[0].metadata["tags"] == ["remove-cell"]
    assert after.cells[0].execution_count == before.cells[0].execution_count
    assert after.cells[1:] == before.cells[1:] and after.metadata == before.metadata
    inserted = nbformat.read(bare, as_version=4)
    assert [cell.source for cell in inserted.cells] == [source, "# Title"]
    assert sync_setup_cell.main(["--check", str(chapter), str(bare)]) == 0

    written = chapter.read_bytes()
    assert sync_setup_cell.main([str(chapter)]) == 0
    assert chapter.read_bytes() == written, "an up-to-date notebook was rewritten"
    assert list(tmp_path.glob(".*.tmp")) == []


def test_check_names_the_notebooks_that_differ_and_writes_nothing(tmp_path, capsys):
    synced = tmp_path / "synced.ipynb"
    edited = tmp_path / "edited.ipynb"
    source = sync_setup_cell.setup_cell_source()
    for path, text in ((synced, source), (edited, re.sub(r'\("keras", "[0-9.]+"', '("keras", "2.0"', source))):
        cell = nbformat.v4.new_code_cell(text, metadata={"tags": ["remove-cell"]})
        nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    edited_bytes = edited.read_bytes()

    assert sync_setup_cell.main(["--check", str(synced), str(edited)]) == 1
    printed = capsys.readouterr().out
    assert "edited.ipynb" in printed and "synced.ipynb" not in printed
    assert sync_setup_cell.SYNC_COMMAND in printed
    assert edited.read_bytes() == edited_bytes


def test_sync_refuses_a_capped_dependency_and_leaves_the_notebooks(tmp_path, capsys):
    shutil.copy(ROOT / "_config.yml", tmp_path / "_config.yml")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    capped = re.sub(r'"keras>=([0-9.]+)"', r'"keras>=\1,<4"', pyproject)
    assert capped != pyproject
    (tmp_path / "pyproject.toml").write_text(capped)
    (tmp_path / "chapters").mkdir()
    notebook = tmp_path / "chapters" / "a.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), notebook)
    original = notebook.read_bytes()

    assert sync_setup_cell.main([], root=tmp_path) == 2
    assert re.search(r"keras>=[0-9.]+,<4", capsys.readouterr().err)
    assert notebook.read_bytes() == original


# --- the cell, run as Colab runs it -----------------------------------------------------

def git(*args: str, cwd: Path) -> str:
    identity = ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "init.defaultBranch=main"]
    return subprocess.run(["git", *identity, *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture(scope="module")
def course_repository(tmp_path_factory) -> tuple[Path, str]:
    """A git repository holding the working tree's package and chapters, tagged ``TAG``, with
    one more commit after the tag (so cloning the default branch would be caught)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the set-up cell clones the course with git")
    origin = tmp_path_factory.mktemp("origin")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, origin / name)
    for folder in ("lenet_lib", "chapters"):
        shutil.copytree(ROOT / folder, origin / folder, ignore=shutil.ignore_patterns("__pycache__"))
    git("init", "--quiet", cwd=origin)
    git("add", ".", cwd=origin)
    git("commit", "--quiet", "-m", "the course at the tag", cwd=origin)
    git("tag", TAG, cwd=origin)
    tagged = git("rev-parse", "HEAD", cwd=origin)
    (origin / "lenet_lib" / "after_the_tag.py").write_text("NOT_IN_THE_TAG = True\n")
    git("add", ".", cwd=origin)
    git("commit", "--quiet", "-m", "newer than the book", cwd=origin)
    return origin, tagged


@pytest.fixture(scope="module")
def colab_python(tmp_path_factory) -> Path:
    """A throwaway venv that sees this environment's packages (TensorFlow, Keras, pip,
    setuptools: Colab's preinstalled stack) through a .pth line, and installs into itself."""
    venv = tmp_path_factory.mktemp("colab") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    visible = [path for path in sys.path if path.endswith("-packages") and Path(path).is_dir()]
    (Path(purelib) / "colab_stack.pth").write_text("\n".join(visible) + "\n")
    return python


def files_under(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*") if not path.is_dir()}


def installed(python: Path, env: dict[str, str]) -> list[dict]:
    """Every distribution the interpreter sees, with version and location (``pip list -v``)."""
    listing = subprocess.run([str(python), "-m", "pip", "list", "-v", "--format=json"], env=env,
                             check=True, capture_output=True, text=True).stdout
    return sorted(json.loads(listing), key=lambda row: (row["name"].lower(), row.get("location", "")))


def colab_env(course_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV")) and key != "TF_CPP_MIN_LOG_LEVEL"}
    env.update(PIP_NO_INDEX="1", PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1",
               PIP_NO_CACHE_DIR="1", LENET_COURSE_DIR=str(course_dir))
    return env


def run_cell(python: Path, source: str, content: Path, env: dict[str, str], times: int = 1):
    cell = content.parent / "cell.py"
    cell.write_text(source, encoding="utf-8")
    kernel = content.parent / "colab_kernel.py"
    kernel.write_text(COLAB_KERNEL, encoding="utf-8")
    return subprocess.run([str(python), str(kernel), str(cell), str(times)], cwd=content, env=env,
                          capture_output=True, text=True, timeout=540)


def not_lenet_course(rows: list[dict]) -> list[dict]:
    return [row for row in rows if row["name"].lower().replace("_", "-") != "lenet-course"]


def test_the_cell_installs_the_tagged_course_and_touches_nothing_else(course_repository, colab_python,
                                                                       tmp_path):
    origin, tagged = course_repository
    content = tmp_path / "content"  # Colab's /content
    content.mkdir()
    course_dir = content / "lenet-course"
    env = colab_env(course_dir)
    venv = colab_python.parent.parent
    import_lenet_lib = [str(colab_python), "-c",
                        "import lenet_lib, lenet_lib.exercises; print(lenet_lib.__file__)"]
    assert subprocess.run(import_lenet_lib, cwd=tmp_path, env=env, capture_output=True).returncode != 0, \
        "lenet_lib is importable before the cell ran: the test would prove nothing"
    packages_before, files_before = installed(colab_python, env), files_under(venv)

    source = sync_setup_cell.render(f"file://{origin}", TAG, sync_setup_cell.needed_packages())
    done = run_cell(colab_python, source, content, env, times=2)

    assert done.returncode == 0, f"the set-up cell failed:\n{done.stdout}\n{done.stderr}"
    assert "TF_CPP_MIN_LOG_LEVEL = 2" in done.stdout
    assert f"working folder = {course_dir / 'chapters'}" in done.stdout
    assert f"lenet_lib in this kernel = {course_dir / 'lenet_lib' / '__init__.py'}" in done.stdout
    assert done.stdout.count(f"Course {TAG} installed") == 2
    assert "LENET_QUICK=1" in done.stdout and "GPU" in done.stdout
    # the book's version, not the newest commit
    assert git("rev-parse", "HEAD", cwd=course_dir) == tagged
    assert not (course_dir / "lenet_lib" / "after_the_tag.py").exists()
    # and in a new kernel (after Runtime > Restart session), from anywhere, from the clone
    imported = subprocess.run(import_lenet_lib, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
    assert Path(imported.stdout.strip()) == course_dir / "lenet_lib" / "__init__.py"
    # nothing downloaded, nothing replaced: the same distributions, versions and places,
    # and no new file in the environment but lenet-course's own
    assert not_lenet_course(installed(colab_python, env)) == not_lenet_course(packages_before)
    added = files_under(venv) - files_before
    assert added, "the cell installed nothing"
    assert [path for path in sorted(added) if "lenet_course" not in path] == []
    assert files_before <= files_under(venv)


def test_the_cell_names_what_colab_lacks_and_installs_nothing(course_repository, colab_python, tmp_path):
    origin, _ = course_repository
    content = tmp_path / "content"
    content.mkdir()
    course_dir = content / "lenet-course"
    needed = sync_setup_cell.needed_packages() + [("keras", "99.0", "keras"),
                                                  ("no_such_module_here", "1.0", "no-such-package")]
    source = sync_setup_cell.render(f"file://{origin}", TAG, needed)
    done = run_cell(colab_python, source, content, colab_env(course_dir))

    assert done.returncode != 0
    message = done.stderr.strip().splitlines()
    assert message[-4].startswith("RuntimeError: The course needs what Colab does not have here:")
    assert message[-3].startswith("  keras 3.") and message[-3].endswith(
        "is older than 99.0: !pip install -U 'keras>=99.0'")
    assert message[-2] == "  no_such_module_here is missing: !pip install 'no-such-package>=1.0'"
    assert "Restart session" in message[-1]
    assert not course_dir.exists(), "the cell cloned the course although it could not run it"
