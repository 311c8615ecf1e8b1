"""Paths the tests share."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
SHARED = ROOT.parent / "shared"
SHARED_MNIST = SHARED / "data" / "mnist.npz"
