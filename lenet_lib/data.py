"""MNIST for every chapter: one function, offline-checked or downloaded by Keras.

``load_mnist()`` is the only way the course gets MNIST:

1. if ``LENET_MNIST`` names an ``.npz`` file (the layout of Keras' ``mnist.npz``),
   load it and check layout and content digest;
2. otherwise call ``keras.datasets.mnist.load_data()``, the real download path,
   with Keras' own cache and file checksum;
3. if that fails, raise ``MnistError`` telling the reader both ways out.

There is no fallback to other or smaller data.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
import zlib
from pathlib import Path

import numpy as np

MNIST_ENV = "LENET_MNIST"
#: sha256 over the raw bytes of x_train, y_train, x_test, y_test (uint8, C order).
MNIST_CONTENT_SHA256 = "06b0d1f124c4e5fa796686ade41a9b778edacc8622f2195a352ef479ad44fc16"
KERAS_MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
ARRAY_SHAPES = {
    "x_train": (60000, 28, 28),
    "y_train": (60000,),
    "x_test": (10000, 28, 28),
    "y_test": (10000,),
}

Split = tuple[np.ndarray, np.ndarray]


class MnistError(RuntimeError):
    """MNIST could not be loaded, or what was loaded is not MNIST."""


def content_digest(x_train: np.ndarray, y_train: np.ndarray,
                   x_test: np.ndarray, y_test: np.ndarray) -> str:
    """sha256 of the four arrays' raw bytes (uint8, C order), in that order.

    Unlike a file checksum, it does not depend on how the arrays were zipped.
    """
    digest = hashlib.sha256()
    for array in (x_train, y_train, x_test, y_test):
        digest.update(np.ascontiguousarray(array, dtype=np.uint8).tobytes())
    return digest.hexdigest()


def check_layout(layouts: dict[str, tuple[tuple[int, ...], np.dtype]], source: str) -> None:
    """Raise ``MnistError`` unless ``layouts`` ({name: (shape, dtype)}) are MNIST's."""
    missing = sorted(set(ARRAY_SHAPES) - set(layouts))
    if missing:
        raise MnistError(f"{source}: missing arrays {missing}; expected {sorted(ARRAY_SHAPES)}")
    for name, shape in ARRAY_SHAPES.items():
        actual_shape, dtype = layouts[name]
        if tuple(actual_shape) != shape or np.dtype(dtype) != np.uint8:
            raise MnistError(
                f"{source}: {name} has shape {tuple(actual_shape)} and dtype {np.dtype(dtype)}; "
                f"MNIST's is {shape} uint8")


def check_mnist(arrays: dict[str, np.ndarray], source: str) -> None:
    """Raise ``MnistError`` unless ``arrays`` has MNIST's layout and content."""
    check_layout({name: (array.shape, array.dtype) for name, array in arrays.items()}, source)
    for name in ("y_train", "y_test"):
        if arrays[name].max() > 9:
            raise MnistError(f"{source}: {name} has label {arrays[name].max()}; labels are 0-9")
    digest = content_digest(*(arrays[name] for name in ARRAY_SHAPES))
    if digest != MNIST_CONTENT_SHA256:
        raise MnistError(
            f"{source}: the arrays have MNIST's shapes but not its content "
            f"(content sha256 {digest}, expected {MNIST_CONTENT_SHA256}). "
            "The file is modified, re-ordered or another dataset.")


def _declared_layouts(path: Path) -> dict[str, tuple[tuple[int, ...], np.dtype]]:
    """Each MNIST member's shape and dtype as its ``.npy`` header declares them,
    read without reading the data: nothing large is allocated for a wrong file."""
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as handle:
            npy = handle.read(6) == b"\x93NUMPY"
        kind = " (a single .npy array, not an .npz archive)" if npy else ""
        raise MnistError(f"{path}: not a readable .npz file (truncated, or not a zip archive{kind}); "
                         f"expected the layout of Keras' mnist.npz with arrays {sorted(ARRAY_SHAPES)}")
    layouts = {}
    with zipfile.ZipFile(path) as archive:
        members = set(archive.namelist())
        for name in ARRAY_SHAPES:
            if f"{name}.npy" not in members:
                continue
            with archive.open(f"{name}.npy") as member:
                version = np.lib.format.read_magic(member)
                read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                               else np.lib.format.read_array_header_2_0)
                shape, _, dtype = read_header(member)
            layouts[name] = (shape, dtype)
    return layouts


def load_mnist_npz(path: str | os.PathLike) -> tuple[Split, Split]:
    """Load and check an ``.npz`` file laid out like Keras' ``mnist.npz``.

    Each array's declared shape and dtype are checked from its header first, so a
    wrong or hostile file is refused before its data are read.
    """
    path = Path(path).expanduser()
    if not path.is_file():
        raise MnistError(f"{MNIST_ENV}={str(path)!r}: no such file")
    try:
        layouts = _declared_layouts(path)
        check_layout(layouts, str(path))
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in ARRAY_SHAPES}
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError, KeyError) as exc:
        raise MnistError(
            f"{path}: not a readable .npz file (truncated or corrupted?): {exc}") from exc
    check_mnist(arrays, str(path))
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _keras_cache_dir() -> Path:
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")) / "datasets"


def load_mnist() -> tuple[Split, Split]:
    """MNIST as ``(x_train, y_train), (x_test, y_test)``, uint8, checked.

    Reads ``LENET_MNIST`` if it is set, else asks Keras (which downloads once
    and caches).  Offline without ``LENET_MNIST`` this raises ``MnistError``.
    """
    path = os.environ.get(MNIST_ENV, "").strip()
    if path:
        return load_mnist_npz(path)
    import keras

    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    except Exception as exc:  # Keras raises a bare Exception when the fetch fails
        raise MnistError(
            f"Keras could not download MNIST ({exc}). Either set the environment "
            f"variable {MNIST_ENV} to a copy of mnist.npz (it is checked against "
            f"MNIST's content digest), or download {KERAS_MNIST_URL} and put it, "
            f"unchanged, at {_keras_cache_dir() / 'mnist.npz'}.") from exc
    arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    check_mnist(arrays, "keras.datasets.mnist")
    return (x_train, y_train), (x_test, y_test)
