"""Run-time set-up shared by every chapter: mode, seeds, quiet logs."""

from __future__ import annotations

import os
import sys

QUICK_ENV = "LENET_QUICK"
SEED_ENV = "LENET_SEED"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def is_quick() -> bool:
    """True when ``LENET_QUICK`` asks for the short CI run of a notebook.

    Full mode (the default) reproduces the tutorials and produces the numbers
    the book shows; quick mode trains briefly on a subset to prove the code
    runs and learns.  Anything but a clear yes/no is an error, not a guess.
    """
    value = os.environ.get(QUICK_ENV, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{QUICK_ENV}={value!r}: use 1 (quick mode) or 0 (full mode)")


def mode() -> str:
    """``"quick"`` or ``"full"``, as chosen by ``LENET_QUICK``."""
    return "quick" if is_quick() else "full"


def quiet_native_logs() -> None:
    """Keep TensorFlow's C++ start-up lines (oneDNN, absl, CUDA) out of cell outputs.

    ``TF_CPP_MIN_LOG_LEVEL`` hides most of them.  Inside a Jupyter kernel the
    rest would still be copied from file descriptor 2 into the notebook, so
    there we point that descriptor at ``/dev/null``: Python's own warnings and
    tracebacks do not use it (the kernel sends them as messages) and still show.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if type(sys.stderr).__name__ == "OutStream" and "ipykernel" in sys.modules:
        sys.stderr.flush()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)


def seed() -> int:
    """The random seed: ``LENET_SEED`` if set (to measure the spread over seeds), else 0."""
    value = os.environ.get(SEED_ENV, "0").strip() or "0"
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{SEED_ENV}={value!r}: use a whole number") from None


def set_seed(value: int | None = None) -> None:
    """Seed Python, NumPy and TensorFlow (with ``seed()`` unless a value is given),
    and ask TensorFlow for deterministic ops.

    With this, a training run repeats its losses exactly on one machine.
    """
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed() if value is None else value)
    tf.config.experimental.enable_op_determinism()
