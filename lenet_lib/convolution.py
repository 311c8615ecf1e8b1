"""Convolution arithmetic in plain NumPy: a reference for what Keras computes.

Keras' ``Conv2D`` computes a cross-correlation (the kernel is not flipped),
and so does ``conv2d`` here.  Arrays are channels-last: an image is
``(height, width)`` or ``(height, width, channels)``; a kernel bank is
``(k, k, channels_in, channels_out)`` as in Keras.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

Padding = Literal["valid", "same"]


def x_pattern(size: int = 9) -> np.ndarray:
    """The slides' picture of an X: +1 on both diagonals inside a -1 border, -1 elsewhere."""
    image = -np.ones((size, size))
    inner = np.arange(1, size - 1)
    image[inner, inner] = 1
    image[inner, size - 1 - inner] = 1
    return image


def diagonal_kernel(size: int = 3) -> np.ndarray:
    """A kernel that matches a falling diagonal: +1 on it, -1 elsewhere."""
    return 2 * np.eye(size) - 1


def output_size(n: int, kernel: int, padding: int = 0, stride: int = 1) -> int:
    """(n - kernel + 2*padding) / stride + 1, for one spatial dimension.

    When the stride does not divide evenly the last partial window is dropped
    (floor), as every framework does; ``ValueError`` if nothing fits.
    """
    span = n - kernel + 2 * padding
    if span < 0:
        raise ValueError(f"a {kernel}-wide window does not fit in {n} + 2*{padding} pixels")
    return span // stride + 1


def same_padding(n: int, kernel: int, stride: int = 1) -> tuple[int, int]:
    """Pixels Keras adds (before, after) for ``padding="same"``: output = ceil(n / stride).

    When the total is odd, the extra pixel goes after (bottom/right).
    """
    total = max((math.ceil(n / stride) - 1) * stride + kernel - n, 0)
    return total // 2, total - total // 2


def keras_output_size(n: int, kernel: int, stride: int = 1, padding: Padding = "valid") -> int:
    """Output size of a Keras conv or pooling layer along one dimension."""
    if padding == "same":
        return math.ceil(n / stride)
    if padding == "valid":
        return output_size(n, kernel, 0, stride)
    raise ValueError(f"padding must be 'valid' or 'same', not {padding!r}")


def _as_hwc(image: np.ndarray) -> np.ndarray:
    image = np.asarray(image, dtype=np.float64)
    if image.ndim == 2:
        return image[:, :, None]
    if image.ndim != 3:
        raise ValueError(f"expected an image of shape (h, w) or (h, w, c), got {image.shape}")
    return image


def _pad(image: np.ndarray, kernel: int, stride: int, padding: Padding,
         value: float) -> np.ndarray:
    if padding == "valid":
        return image
    if padding != "same":
        raise ValueError(f"padding must be 'valid' or 'same', not {padding!r}")
    rows = same_padding(image.shape[0], kernel, stride)
    cols = same_padding(image.shape[1], kernel, stride)
    return np.pad(image, (rows, cols, (0, 0)), constant_values=value)


def _windows(image: np.ndarray, kernel: int, stride: int) -> np.ndarray:
    """All kernel x kernel windows: shape (out_h, out_w, kernel, kernel, c)."""
    out_h = output_size(image.shape[0], kernel, 0, stride)
    out_w = output_size(image.shape[1], kernel, 0, stride)
    view = np.lib.stride_tricks.sliding_window_view(image, (kernel, kernel), axis=(0, 1))
    # sliding_window_view puts the window axes last: (h', w', c, k, k)
    view = view[: (out_h - 1) * stride + 1 : stride, : (out_w - 1) * stride + 1 : stride]
    return np.moveaxis(view, 2, -1)


def conv2d(image: np.ndarray, kernels: np.ndarray, bias: np.ndarray | float = 0.0,
           stride: int = 1, padding: Padding = "valid") -> np.ndarray:
    """Cross-correlate ``image`` with a kernel bank, as ``keras.layers.Conv2D`` does.

    ``kernels`` is ``(k, k)`` for one 2-D kernel (the result is then 2-D too) or
    ``(k, k, c_in, c_out)``.  Zero padding for ``"same"``.
    """
    kernels = np.asarray(kernels, dtype=np.float64)
    two_d = kernels.ndim == 2
    if two_d:
        kernels = kernels[:, :, None, None]
    if kernels.ndim != 4 or kernels.shape[0] != kernels.shape[1]:
        raise ValueError(f"expected kernels of shape (k, k) or (k, k, c_in, c_out), got {kernels.shape}")
    image = _as_hwc(image)
    if image.shape[2] != kernels.shape[2]:
        raise ValueError(f"image has {image.shape[2]} channels, kernels expect {kernels.shape[2]}")
    k = kernels.shape[0]
    windows = _windows(_pad(image, k, stride, padding, 0.0), k, stride)
    out = np.einsum("hwijc,ijco->hwo", windows, kernels) + bias
    return out[:, :, 0] if two_d else out


def pool2d(image: np.ndarray, size: int = 2, stride: int | None = None,
           padding: Padding = "valid", mode: Literal["max", "average"] = "max") -> np.ndarray:
    """Max or average pooling per channel, as Keras' ``MaxPooling2D``/``AveragePooling2D``.

    With ``"same"`` padding the padded cells take no part: they never win a max
    and are left out of an average (Keras divides by the cells actually inside).
    """
    stride = size if stride is None else stride
    two_d = np.ndim(image) == 2
    image = _as_hwc(image)
    if mode == "max":
        windows = _windows(_pad(image, size, stride, padding, -np.inf), size, stride)
        out = windows.max(axis=(2, 3))
    elif mode == "average":
        padded = _pad(image, size, stride, padding, np.nan)
        out = np.nanmean(_windows(padded, size, stride), axis=(2, 3))
    else:
        raise ValueError(f"mode must be 'max' or 'average', not {mode!r}")
    return out[:, :, 0] if two_d else out


def truncate(values: np.ndarray, decimals: int = 2) -> np.ndarray:
    """Cut (not round) to ``decimals`` places, towards zero: 7/9 -> 0.77, 5/9 -> 0.55.

    A tiny tolerance keeps exact values such as 1.0 from being cut to 0.99 by
    floating-point error.
    """
    values = np.asarray(values, dtype=np.float64)
    scale = 10 ** decimals
    return np.trunc(values * scale + np.sign(values) * 1e-9) / scale
