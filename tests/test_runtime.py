"""Quick/full mode, seeds, and a package import that changes nothing global."""

import textwrap

import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

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


@pytest.mark.parametrize("value, expected", [("7", 7), (" 12 ", 12), ("", 0), ("4294967295", 2**32 - 1)])
def test_seed_from_environment(monkeypatch, value, expected):
    monkeypatch.setenv("LENET_SEED", value)
    assert runtime.seed() == expected


def test_seed_defaults_to_0(monkeypatch):
    monkeypatch.delenv("LENET_SEED", raising=False)
    assert runtime.seed() == 0


@pytest.mark.parametrize("value", ["-1", "4294967296", "1.5", "seven", "1e3"])
def test_seed_out_of_range_or_not_whole_is_refused_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("LENET_SEED", value)
    with pytest.raises(ValueError, match="LENET_SEED"):
        runtime.seed()


@pytest.mark.parametrize("value", [-1, 2**32, 1.0, "3", True])
def test_set_seed_refuses_what_is_not_a_seed(value):
    with pytest.raises(ValueError, match="seed"):
        runtime.set_seed(value)


def test_set_seed_records_the_seed_it_used(monkeypatch):
    import keras
    import tensorflow as tf

    seeded = []  # what reaches Keras; TensorFlow's global determinism is left as the other tests have it
    monkeypatch.setattr(keras.utils, "set_random_seed", seeded.append)
    monkeypatch.setattr(tf.config.experimental, "enable_op_determinism", lambda: seeded.append("deterministic"))
    monkeypatch.setattr(runtime, "_seed_in_use", None)
    assert runtime.seed_in_use() is None
    monkeypatch.setenv("LENET_SEED", "7")
    assert runtime.set_seed(3) == 3 and runtime.seed_in_use() == 3  # the value given, not LENET_SEED
    assert runtime.set_seed() == 7 and runtime.seed_in_use() == 7  # no value: LENET_SEED
    assert seeded == [3, "deterministic", 7, "deterministic"]
    monkeypatch.setenv("LENET_SEED", "-2")
    with pytest.raises(ValueError, match="LENET_SEED"):
        runtime.set_seed()
    assert runtime.seed_in_use() == 7 and len(seeded) == 4  # a refused seed changes nothing


IMPORT_CHECK = textwrap.dedent("""
    import os
    import matplotlib.pyplot as plt

    def state():
        fd2 = os.fstat(2)
        return (fd2.st_dev, fd2.st_ino), dict(os.environ), dict(plt.rcParams)

    before = state()
    import lenet_lib, lenet_lib.runtime, lenet_lib.plots, lenet_lib.sources
    after = state()
    print("stderr descriptor kept:", before[0] == after[0])
    print("environment changed:", sorted(set(before[1].items()) ^ set(after[1].items())))
    print("rcParams changed:", sorted(k for k in before[2] if str(before[2][k]) != str(after[2][k])))
""")


def test_importing_the_package_changes_nothing_global():
    """In a real Jupyter kernel (where an earlier version pointed file descriptor 2 at
    /dev/null, hiding native errors): the descriptor, the environment and matplotlib's
    settings stay as they were."""
    notebook = new_notebook(cells=[new_code_cell(IMPORT_CHECK)])
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    printed = "".join(output.get("text", "") for output in notebook.cells[0].outputs
                      if output.output_type == "stream" and output.name == "stdout")
    assert printed.splitlines() == [
        "stderr descriptor kept: True", "environment changed: []", "rcParams changed: []"]
