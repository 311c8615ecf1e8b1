"""Paths the tests share."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
#: Development data beside the project (real photos); MNIST comes through lenet_lib.data.load_mnist().
SHARED = ROOT.parent / "shared"
