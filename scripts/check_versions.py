"""Run the unit tests and the quick-mode notebooks against other versions of the libraries.

    python scripts/check_versions.py oldest          # the lower bounds pyproject.toml declares
    python scripts/check_versions.py colab           # a set close to what Google Colab offers
    python scripts/check_versions.py oldest --install-only

Each set gets its own virtual environment in ``build/versions/<set>/`` (made once, re-used):
``requirements.txt`` with the set's versions as pip constraints, then this package with
``--no-deps``.  Then ``pytest tests --nbval chapters`` runs in quick mode (the book build and
the browser tests are left out: they test the book's tooling, not the libraries the notebooks
run on; so is the check that the stored outputs are up to date, a fact about the repository).  The outcome is recorded in ``results/versions/<set>.json`` (committed): the versions
really installed, the command, the counts of passed, failed and skipped tests and the names of
the failures.  ``tests/test_versions.py`` checks that the recorded oldest set is the set
``pyproject.toml`` declares and that it passed: a lower bound is only as good as this check.

Needs network access to the package index (about 3 GB per set the first time); MNIST comes
from ``LENET_MNIST`` or Keras' cache as everywhere.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from lenet_lib.training import write_json_atomically  # noqa: E402

#: pyproject.toml's distribution name -> the module the Colab set-up cell imports to check it.
SETS: dict[str, dict[str, str]] = {
    # pyproject.toml's lower bounds, each at the first release of that version on PyPI
    "oldest": {"tensorflow": "2.16.1", "keras": "3.7.0", "numpy": "1.26.0", "pandas": "2.1.0",
               "matplotlib": "3.8.0", "h5py": "3.10.0", "opencv-python-headless": "4.8.0.76",
               "scikit-learn": "1.3.0"},
    # close to Google Colab's preinstalled versions (2026)
    "colab": {"tensorflow": "2.19.0", "keras": "3.10.0", "numpy": "2.0.2", "pandas": "2.2.2",
              "matplotlib": "3.10.0", "h5py": "3.14.0", "opencv-python-headless": "4.12.0.88",
              "scikit-learn": "1.6.1"},
}
#: Tests of the book's tooling (Jupyter Book, the browser), not of the libraries under check.
LEFT_OUT = ["tests/test_book.py", "tests/test_browser.py", "tests/test_translations.py"]
#: Checks of the repository's state (stored outputs up to date), not of the libraries.
DESELECTED = ["tests/test_notebooks.py::test_stored_outputs_come_from_the_current_inputs"]
RESULTS = ROOT / "results" / "versions"


def pyproject_lower_bounds() -> dict[str, str]:
    """``{distribution: lower bound}`` from pyproject.toml's dependencies."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    return {match[1]: match[2] for match in (re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)", d.strip())
                                             for d in dependencies) if match}


def release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])


def environment(name: str) -> Path:
    """The set's virtual environment, made and installed if it is not there yet."""
    folder = ROOT / "build" / "versions" / name
    python = folder / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    constraints = folder / "constraints.txt"
    constraints.write_text("".join(f"{package}=={version}\n" for package, version in SETS[name].items()))
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run(pip + ["-r", str(ROOT / "requirements.txt"), "-c", str(constraints)], check=True)
    subprocess.run(pip + ["--no-deps", "--no-build-isolation", "-e", str(ROOT)], check=True)
    return python


def installed_versions(python: Path, packages: list[str]) -> dict[str, str]:
    code = ("import importlib.metadata as m, json, sys; "
            "print(json.dumps({p: m.version(p) for p in sys.argv[1:]}))")
    done = subprocess.run([str(python), "-c", code, *packages], check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def run_tests(python: Path) -> dict:
    """pytest in quick mode over the unit tests and the notebooks; counts and failures."""
    command = [str(python), "-m", "pytest", "tests", "--nbval", "chapters", "-q", "-rfE", "-p", "no:cacheprovider",
               *[f"--ignore={path}" for path in LEFT_OUT], *[f"--deselect={test}" for test in DESELECTED]]
    env = dict(os.environ, LENET_QUICK="1", TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    counts = {kind: int(number) for number, kind in re.findall(r"(\d+) (passed|failed|skipped|error|errors)", summary)}
    failures = re.findall(r"^(?:FAILED|ERROR) (\S+)", done.stdout, re.MULTILINE)
    return {"command": " ".join(["pytest", *command[3:]]), "returncode": done.returncode,
            "summary": summary, "counts": counts, "failures": failures,
            "output_tail": done.stdout[-3000:] if done.returncode else ""}


def commit() -> str | None:
    """The commit the tests ran on (with ``+changes`` when the working tree differs from it)."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode != 0:
        return None
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return head.stdout.strip() + ("+changes" if dirty else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("set", choices=list(SETS))
    parser.add_argument("--install-only", action="store_true")
    args = parser.parse_args()
    python = environment(args.set)
    if args.install_only:
        return
    versions = installed_versions(python, list(SETS[args.set]))
    outcome = run_tests(python)
    record = {"set": args.set, "date": datetime.date.today().isoformat(),
              "python": subprocess.run([str(python), "-c", "import platform; print(platform.python_version())"],
                                       capture_output=True, text=True).stdout.strip(),
              "asked": SETS[args.set], "installed": versions, "commit": commit(), **outcome}
    write_json_atomically(RESULTS / f"{args.set}.json", record)
    print(f"{args.set}: {outcome['summary']}")
    sys.exit(0 if outcome["returncode"] == 0 else 1)


if __name__ == "__main__":
    main()
