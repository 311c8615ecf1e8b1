"""The course's digits: MNIST, offline-checked or downloaded by Keras, and two sets of
other people's handwriting that ship inside Python packages (no download).

``load_mnist()`` is the only way the course gets MNIST:

1. if ``LENET_MNIST`` names an ``.npz`` file (the layout of Keras' ``mnist.npz``),
   load it and check layout and content digest;
2. otherwise call ``keras.datasets.mnist.load_data()``, the real download path,
   with Keras' own cache and file checksum;
3. if that fails, raise ``MnistError`` telling the reader both ways out.

There is no fallback to other or smaller data.

Handwriting from outside MNIST, to test a network trained on MNIST (each as
``(images, labels)``, float32 ink in [0, 1], light on black like MNIST, not yet
framed: ``photo.frame_like_mnist`` frames them):

- ``load_small_digits``: scikit-learn's 1,797 8x8 digits; ``split_small_digits``
  is the course's one fixed split of them into a half for choosing and a half for reporting;
- ``load_map_digits``: 2,000 16x15 digits cut from Dutch utility maps, shipped in
  the course's ``data/map_digits.npz`` (UCI "Multiple Features", CC BY 4.0).

Each is checked against a content digest, like MNIST.
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


class DigitSetError(RuntimeError):
    """A set of non-MNIST digits could not be loaded, or is not the set the course expects."""


def _content_sha256(images: np.ndarray, labels: np.ndarray) -> str:
    """sha256 over the raw bytes of images then labels, both as uint8 in C order."""
    digest = hashlib.sha256()
    for array in (images, labels):
        digest.update(np.ascontiguousarray(array, dtype=np.uint8).tobytes())
    return digest.hexdigest()


def _checked_digits(images: np.ndarray, labels: np.ndarray, *, shape: tuple[int, ...], top: int,
                    sha256: str, source: str) -> Split:
    """``images / top`` as float32 and int64 labels, once shape, range and content digest are right."""
    if images.shape != shape or labels.shape != shape[:1]:
        raise DigitSetError(f"{source}: images {images.shape} and labels {labels.shape}, "
                            f"expected {shape} and {shape[:1]}")
    whole = np.array_equal(images, np.round(images)) and np.array_equal(labels, np.round(labels))
    if not whole or images.min() < 0 or images.max() > top or labels.min() < 0 or labels.max() > 9:
        raise DigitSetError(f"{source}: pixel values must be whole numbers 0-{top} and labels 0-9")
    if _content_sha256(images, labels) != sha256:
        raise DigitSetError(f"{source}: the content digest is not the one the course was made with: "
                            f"a different or altered version of the set")
    return (images / top).astype(np.float32), labels.astype(np.int64)


#: scikit-learn's ``load_digits``: 1,797 images, each pixel a count 0-16; digest as ``_content_sha256``.
SMALL_DIGITS_SHAPE, SMALL_DIGITS_TOP = (1797, 8, 8), 16
SMALL_DIGITS_SHA256 = "87ff0c9e40dc7e2c0e34e7257799c2e3f3aec1a016363bb11cad869ec428a826"
SMALL_DIGITS_URL = ("https://scikit-learn.org/stable/datasets/toy_dataset.html"
                    "#optical-recognition-of-handwritten-digits-dataset")
#: The fixed split of the 8x8 digits: this ``random_state``, stratified by digit, half each.
SMALL_DIGITS_SPLIT_SEED = 0


def load_small_digits() -> Split:
    """scikit-learn's 8x8 handwritten digits: float32 images (1797, 8, 8) in [0, 1] and labels.

    The test part of the UCI "Optical Recognition of Handwritten Digits" set: digits
    written on NIST forms by 13 people, none of them MNIST's writers, scanned as
    32x32 bitmaps, then each 4x4 block counted (0-16 pixels on) into one pixel.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    return _checked_digits(np.asarray(digits.images), np.asarray(digits.target), shape=SMALL_DIGITS_SHAPE,
                           top=SMALL_DIGITS_TOP, sha256=SMALL_DIGITS_SHA256,
                           source="scikit-learn's load_digits")


def split_small_digits(images: np.ndarray, labels: np.ndarray) -> tuple[Split, Split]:
    """``(choosing, reporting)``: the fixed half-and-half split of the 8x8 digits, stratified
    by digit (``sklearn.model_selection.train_test_split``).  Training recipes are compared
    on the choosing half only; the book reports the other.  The set does not say who wrote
    which digit, so one person's digits can fall in both halves.
    """
    from sklearn.model_selection import train_test_split

    x_choose, x_report, y_choose, y_report = train_test_split(
        images, labels, test_size=0.5, stratify=labels, random_state=SMALL_DIGITS_SPLIT_SEED)
    return (x_choose, y_choose), (x_report, y_report)


#: The UCI "Multiple Features" pixel view: 2,000 digits, 16 rows x 15 columns, each pixel 0-6
#: (ink pixels of a 2x3 window of the binary scan), shipped with the course in ``data/``
#: (CC BY 4.0; made by ``scripts/make_map_digits.py``, attribution in ``data/README.md``).
MAP_DIGITS_SHAPE, MAP_DIGITS_TOP = (2000, 16, 15), 6
MAP_DIGITS_SHA256 = "4b856282e92160af1176ee14eab0669f1090932d92774887bb9e8633bc1eb3eb"
MAP_DIGITS_PATH = Path(__file__).resolve().parents[1] / "data" / "map_digits.npz"
MAP_DIGITS_URL = "https://archive.ics.uci.edu/dataset/72/multiple+features"


def load_map_digits(path: Path | str = MAP_DIGITS_PATH) -> Split:
    """2,000 handwritten digits (200 of each) cut from Dutch utility maps: float32 images
    (2000, 16, 15) in [0, 1] and labels.

    UCI's "Multiple Features" set (R. Duin), from the course's own copy ``data/map_digits.npz``;
    its shape, pixel range and content digest are checked.
    """
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as stored:
            images, labels = stored["images"], stored["labels"]
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise DigitSetError(f"{path}: cannot read the map digits ({exc}); it comes with the course "
                            f"(remake it with python scripts/make_map_digits.py)") from exc
    return _checked_digits(images, labels, shape=MAP_DIGITS_SHAPE, top=MAP_DIGITS_TOP,
                           sha256=MAP_DIGITS_SHA256, source=str(path))
