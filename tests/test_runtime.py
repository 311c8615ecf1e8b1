"""Quick/full mode selection."""

import pytest

from lenet_lib import runtime


@pytest.mark.parametrize("value, quick", [("1", True), ("true", True), (" YES ", True),
                                          ("0", False), ("", False), ("off", False)])
def test_mode_from_environment(monkeypatch, value, quick):
    monkeypatch.setenv("LENET_QUICK", value)
    assert runtime.is_quick() is quick
    assert runtime.mode() == ("quick" if quick else "full")


def test_unset_means_full_mode(monkeypatch):
    monkeypatch.delenv("LENET_QUICK", raising=False)
    assert runtime.mode() == "full"


def test_unclear_value_is_an_error(monkeypatch):
    monkeypatch.setenv("LENET_QUICK", "maybe")
    with pytest.raises(ValueError, match="LENET_QUICK"):
        runtime.is_quick()
