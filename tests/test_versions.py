"""The lower bounds in pyproject.toml are backed by a recorded run of the tests against them
(``scripts/check_versions.py``), and so is the Colab-like set."""

from __future__ import annotations

import importlib.util
import json

import pytest

from helpers import ROOT

spec = importlib.util.spec_from_file_location("check_versions", ROOT / "scripts" / "check_versions.py")
check_versions = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_versions)


def recorded(name: str) -> dict:
    path = check_versions.RESULTS / f"{name}.json"
    assert path.is_file(), f"no record of the {name} set: run python scripts/check_versions.py {name}"
    return json.loads(path.read_text())


def test_the_oldest_set_is_what_pyproject_declares():
    bounds = check_versions.pyproject_lower_bounds()
    assert set(check_versions.SETS["oldest"]) == set(bounds)
    for package, bound in bounds.items():
        wanted = check_versions.release(bound)
        assert check_versions.release(check_versions.SETS["oldest"][package])[:len(wanted)] == wanted, package


@pytest.mark.parametrize("name", list(check_versions.SETS))
def test_each_set_was_installed_as_asked_and_passed(name):
    record = recorded(name)
    assert record["asked"] == check_versions.SETS[name], f"the {name} set changed since it was checked: re-run it"
    for package, version in record["asked"].items():
        assert check_versions.release(record["installed"][package]) == check_versions.release(version), package
    assert record["returncode"] == 0 and record["counts"].get("passed", 0) > 0, record["summary"]
    assert not record["failures"], record["failures"]
