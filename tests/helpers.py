"""Paths the tests share."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
#: Development data beside the project (real photos); MNIST comes through lenet_lib.data.load_mnist().
SHARED = ROOT.parent / "shared"


def accepted(capsys, result) -> str:
    """An exercise check's ``result`` is right and its printed verdict starts with ✓."""
    out = capsys.readouterr().out
    assert result, out
    assert out.startswith("✓"), out
    return out


def refused(capsys, result, hint: str, *, answer=None, secret: str | None = None) -> str:
    """An exercise check's ``result`` is wrong, its verdict starts with ✗ and gives ``hint``,
    and (with ``secret``) the printed hint does not give the right answer away."""
    out = capsys.readouterr().out
    assert not result, out
    assert out.startswith("✗") and hint in out, out
    if secret is not None:
        assert secret not in out.replace(repr(answer), ""), out
    return out


def script(name: str):
    """``scripts/<name>.py`` as a module, without putting ``scripts/`` on the import path."""
    import importlib.util
    import sys

    if f"scripts.{name}" in sys.modules:
        return sys.modules[f"scripts.{name}"]
    spec = importlib.util.spec_from_file_location(f"scripts.{name}", ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def train_photo_model():
    """``scripts/train_photo_model.py`` as a module (its recipe and the shipped weights' paths)."""
    return script("train_photo_model")
