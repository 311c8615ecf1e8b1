"""Run-time set-up shared by every chapter: quick or full mode, and the random seed.

Importing this module (or ``lenet_lib``) changes nothing global: no environment
variable, no file descriptor, no plotting style.
"""

from __future__ import annotations

import os

QUICK_ENV = "LENET_QUICK"
SEED_ENV = "LENET_SEED"
#: Seeds NumPy accepts: 0 <= seed < 2**32.
SEED_LIMIT = 2**32
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}

_seed_in_use: int | None = None


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


def check_seed(value: object, name: str = "seed") -> int:
    """``value`` as a seed, or a ValueError naming ``name``: a whole number, 0 <= seed < 2**32."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name}={value!r}: a seed is a whole number, 0 <= seed < 2**32")
    if not 0 <= value < SEED_LIMIT:
        raise ValueError(f"{name}={value}: out of range, a seed must be 0 <= seed < 2**32")
    return int(value)


def seed() -> int:
    """The seed asked for by ``LENET_SEED`` (to measure the spread over seeds), else 0.

    Refused with a ValueError naming the variable: anything but a whole number
    from 0 to 2**32 - 1.
    """
    text = os.environ.get(SEED_ENV, "0").strip() or "0"
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{SEED_ENV}={text!r}: use a whole number, 0 <= seed < 2**32") from None
    return check_seed(value, SEED_ENV)


def set_seed(value: int | None = None) -> int:
    """Seed Python, NumPy and TensorFlow and ask TensorFlow for deterministic ops.

    The seed is ``value`` if given, else ``seed()`` (``LENET_SEED`` or 0).  It is
    remembered for ``seed_in_use()``, so results are labelled with the seed that
    was really used, and returned.  With this a training run repeats its losses
    exactly on one machine.
    """
    global _seed_in_use
    chosen = seed() if value is None else check_seed(value)
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(chosen)
    tf.config.experimental.enable_op_determinism()
    _seed_in_use = chosen
    return chosen


def seed_in_use() -> int | None:
    """The seed last passed to ``set_seed`` in this process, or None if it was never called."""
    return _seed_in_use
