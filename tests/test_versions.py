"""The version checks' records (``scripts/check_versions.py``) are the evidence behind the lower
bounds in pyproject.toml: the recorded oldest set is the set pyproject declares, and it passed."""

from __future__ import annotations

import json

import pytest

from helpers import ROOT, script

check_versions = script("check_versions")


def record(name: str) -> dict:
    return json.loads((ROOT / "results" / "versions" / f"{name}.json").read_text())


def test_the_oldest_set_is_the_set_pyproject_declares():
    """Raising a bound in pyproject.toml without re-running the check fails here."""
    bounds = check_versions.pyproject_lower_bounds()
    oldest = check_versions.SETS["oldest"]
    for package, version in oldest.items():
        if package in bounds:
            assert check_versions.release(version)[:len(check_versions.release(bounds[package]))] == \
                check_versions.release(bounds[package]), (package, version, bounds[package])
    assert record("oldest")["asked"] == oldest


@pytest.mark.parametrize("name", list(check_versions.SETS))
def test_each_recorded_set_passed_with_the_versions_it_asked_for(name):
    found = record(name)
    assert found["returncode"] == 0 and not found["failures"], found["summary"]
    assert found["counts"]["passed"] > 900 and "failed" not in found["counts"], found["summary"]
    for package, version in found["asked"].items():
        assert check_versions.release(found["installed"][package]) == check_versions.release(version), package
