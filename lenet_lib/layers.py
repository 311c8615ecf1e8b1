"""The layers of the paper's LeNet-5 that Keras does not have.

LeCun, Bottou, Bengio and Haffner, "Gradient-based learning applied to
document recognition", Proc. IEEE 86(11), 1998, section II-B:

- ``scaled_tanh``: the squashing function f(a) = 1.7159 tanh(2a/3);
- ``Subsampling``: S2/S4, each map's 2x2 sum times a trainable coefficient
  plus a trainable bias (2 parameters per map);
- ``PartialConv2D``: C3, a convolution whose output maps read only the input
  maps of a connection table (Table I), so it holds only those weights;
- ``EuclideanRBF``: the output layer, one unit per class giving the squared
  distance between its input and a fixed +-1 code;
- ``RandomDistortion``: the random affine distortions of the training images
  behind the paper's 0.8 % (section III-C).

Two more training-time augmentations, not from the paper, for the course network
that has to read other people's digits (``training.AUGMENTATIONS``):

- ``RandomStrokeWidth``: thicker or thinner strokes (markers, pencils, other pens);
- ``RandomLowResolution``: the blur of a digit scanned or photographed at low resolution.

The three random ones share ``TrainingOnlyAugmentation`` (a seed, the identity at
inference).  All are registered for ``.keras`` saving.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import keras
import numpy as np
from keras import layers, ops, saving

A, S = 1.7159, 2.0 / 3.0


def paper_uniform(fan_in: int) -> keras.initializers.Initializer:
    """The paper's initialisation: uniform in +-2.4 / fan-in (inputs per unit)."""
    return keras.initializers.RandomUniform(-2.4 / fan_in, 2.4 / fan_in)


@saving.register_keras_serializable(package="lenet")
def scaled_tanh(a):
    """f(a) = 1.7159 tanh(2a/3): f(1) = 1 and f(-1) = -1, the paper's squashing function."""
    return A * ops.tanh(S * a)


@saving.register_keras_serializable(package="lenet")
class Subsampling(layers.Layer):
    """Sum each non-overlapping 2x2 window, times a per-map coefficient, plus a per-map bias."""

    def __init__(self, pool_size: int = 2, coefficient_initializer="ones", activation=None, **kwargs):
        super().__init__(**kwargs)
        self.pool_size = pool_size
        self.activation = keras.activations.get(activation)
        self.coefficient_initializer = keras.initializers.get(coefficient_initializer)

    def build(self, input_shape):
        maps = input_shape[-1]
        self.coefficient = self.add_weight(shape=(maps,), initializer=self.coefficient_initializer,
                                           name="coefficient")
        self.bias = self.add_weight(shape=(maps,), initializer="zeros", name="bias")

    def call(self, inputs):
        window_sum = ops.average_pool(inputs, self.pool_size, self.pool_size) * self.pool_size ** 2
        return self.activation(window_sum * self.coefficient + self.bias)

    def compute_output_shape(self, input_shape):
        batch, height, width, maps = input_shape
        return batch, height // self.pool_size, width // self.pool_size, maps

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size,
                "coefficient_initializer": keras.initializers.serialize(self.coefficient_initializer),
                "activation": keras.activations.serialize(self.activation)}


@saving.register_keras_serializable(package="lenet")
class PartialConv2D(layers.Layer):
    """A 'valid' convolution in which output map j reads only the input maps ``table[j]``.

    Only the connected kernels are weights (so ``count_params`` is the paper's
    1,516 for C3, not 2,416); at each call they are scattered into a full
    kernel whose unconnected slices are zero, and one ordinary convolution runs.
    """

    def __init__(self, table: Sequence[Sequence[int]], kernel_size: int = 5, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.table = [list(map(int, row)) for row in table]
        self.kernel_size = kernel_size
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        k, maps_in, maps_out = self.kernel_size, input_shape[-1], len(self.table)
        if any(not row or min(row) < 0 or max(row) >= maps_in for row in self.table):
            raise ValueError(f"{self.name}: the table names input maps outside 0..{maps_in - 1}")
        positions = [(i, j, c, o) for o, row in enumerate(self.table) for c in row
                     for i in range(k) for j in range(k)]
        self._positions = np.array(positions, dtype="int32")
        self._full_shape = (k, k, maps_in, maps_out)
        # the paper's initialisation, with each output map's own fan-in
        self._limits = np.array([2.4 / (k * k * len(self.table[o])) for *_, o in positions], "float32")
        self.kernel_values = self.add_weight(shape=(len(positions),), name="kernel_values",
                                             initializer=self._init_kernel)
        self.bias = self.add_weight(shape=(maps_out,), initializer="zeros", name="bias")

    def _init_kernel(self, shape, dtype=None):
        return keras.random.uniform(shape, -1.0, 1.0, dtype=dtype) * self._limits

    def full_kernel(self):
        """The (k, k, maps_in, maps_out) kernel, zero where the table has no connection."""
        return ops.scatter(self._positions, self.kernel_values, self._full_shape)

    def call(self, inputs):
        return self.activation(ops.conv(inputs, self.full_kernel(), strides=1, padding="valid") + self.bias)

    def compute_output_shape(self, input_shape):
        batch, height, width, _ = input_shape
        k = self.kernel_size
        return batch, height - k + 1, width - k + 1, len(self.table)

    def get_config(self):
        return {**super().get_config(), "table": self.table, "kernel_size": self.kernel_size,
                "activation": keras.activations.serialize(self.activation)}


@saving.register_keras_serializable(package="lenet")
class EuclideanRBF(layers.Layer):
    """Output unit i gives -||x - code_i||^2: the negated squared Euclidean distance.

    The codes are fixed (not trained) and belong to the architecture, so they
    are constants, not weights.  Negating makes the largest output the best
    class, so Keras' accuracy metrics and argmax work unchanged.
    """

    def __init__(self, codes, **kwargs):
        super().__init__(**kwargs)
        self.codes = np.asarray(codes, dtype="float32")

    def call(self, inputs):
        codes = ops.convert_to_tensor(self.codes)
        squared = (ops.sum(inputs ** 2, axis=-1, keepdims=True) - 2 * inputs @ ops.transpose(codes)
                   + ops.sum(codes ** 2, axis=-1))
        return -squared

    def compute_output_shape(self, input_shape):
        return input_shape[0], self.codes.shape[0]

    def get_config(self):
        return {**super().get_config(), "codes": self.codes.tolist()}


class TrainingOnlyAugmentation(layers.Layer):
    """A random change of each image while training, the identity otherwise (inference).

    Subclasses implement ``augment(images)`` and add their settings to ``get_config``; this
    class holds the seed and its generator, passes images through unchanged at inference
    and keeps the shape.
    """

    def __init__(self, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def augment(self, images):
        raise NotImplementedError

    def call(self, images, training=None):
        return self.augment(images) if training else images

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


@saving.register_keras_serializable(package="lenet")
class RandomDistortion(TrainingOnlyAugmentation):
    """While training, one random planar affine distortion per image; otherwise the identity.

    The kinds of distortion the 1998 paper trains with (section III-C):
    horizontal and vertical shifts (up to ``max_shift`` pixels), scaling (by
    1 +- max_scale), squeezing (width times s, height divided by s, s in
    1 +- max_squeeze) and horizontal shearing (x moves by up to ``max_shear``
    times y), all about the image centre, in one bilinear resampling.  The
    paper gives no ranges; the defaults keep a digit legible and almost always
    inside the 32x32 frame.  Uncovered pixels get ``fill_value`` (the background).
    """

    def __init__(self, max_shift: float = 2.0, max_scale: float = 0.1, max_squeeze: float = 0.1,
                 max_shear: float = 0.2, fill_value: float = -0.1, seed: int | None = None, **kwargs):
        if not (0 <= max_scale < 1 and 0 <= max_squeeze < 1 and max_shift >= 0 and max_shear >= 0):
            raise ValueError("distortion ranges must be >= 0, and scale and squeeze ranges below 1")
        super().__init__(seed=seed, **kwargs)
        self.max_shift, self.max_scale, self.max_squeeze, self.max_shear = max_shift, max_scale, max_squeeze, max_shear
        self.fill_value = fill_value

    def _uniform(self, n, limit, centre=0.0):
        return keras.random.uniform((n,), centre - limit, centre + limit, seed=self.seed_generator)

    def transforms(self, n: int, height: int, width: int):
        """(n, 8) rows [a0, a1, a2, b0, b1, b2, 0, 0] mapping each output pixel (x, y) to the input
        point it samples (the inverse of the distortion), as ``keras.ops.image.affine_transform`` wants."""
        scale, squeeze = self._uniform(n, self.max_scale, 1.0), self._uniform(n, self.max_squeeze, 1.0)
        shear = self._uniform(n, self.max_shear)
        shift_x, shift_y = self._uniform(n, self.max_shift), self._uniform(n, self.max_shift)
        # distortion: x' = a x + b y, y' = d y (plus shift), about the centre (cx, cy)
        a, b, d = scale * squeeze, scale * shear / squeeze, scale / squeeze
        inv_a, inv_b, inv_d = 1.0 / a, -b / (a * d), 1.0 / d
        cx, cy = (width - 1) / 2.0, (height - 1) / 2.0
        # input point = inverse linear map of (output - centre - shift), plus the centre
        offset_x = cx - inv_a * (cx + shift_x) - inv_b * (cy + shift_y)
        offset_y = cy - inv_d * (cy + shift_y)
        zeros = ops.zeros_like(a)
        return ops.stack([inv_a, inv_b, offset_x, zeros, inv_d, offset_y, zeros, zeros], axis=1)

    def augment(self, images):
        shape = ops.shape(images)
        transforms = self.transforms(shape[0], images.shape[1], images.shape[2])
        return ops.image.affine_transform(images, transforms, interpolation="bilinear",
                                          fill_mode="constant", fill_value=self.fill_value)

    def get_config(self):
        return {**super().get_config(), "max_shift": self.max_shift, "max_scale": self.max_scale,
                "max_squeeze": self.max_squeeze, "max_shear": self.max_shear,
                "fill_value": self.fill_value}


def _pool(images, size: int, op: str):
    """A ``size``x``size`` max (``"max"``) or min (``"min"``) filter, same size out."""
    if op == "max":
        return ops.max_pool(images, size, strides=1, padding="same")
    return -ops.max_pool(-images, size, strides=1, padding="same")


@saving.register_keras_serializable(package="lenet")
class RandomStrokeWidth(TrainingOnlyAugmentation):
    """While training, thicken or thin each image's strokes by a random amount; otherwise the identity.

    For light strokes on a dark background.  Each image draws t uniformly in
    [-max_thin, max_thicken] and moves a fraction |t| of the way to its 3x3
    grey-level dilation (t > 0: about one pixel thicker on each side at t = 1)
    or erosion (t < 0: thinner).  MNIST's pens are fairly uniform; markers,
    pencils and low-resolution scans are not.
    """

    def __init__(self, max_thicken: float = 1.0, max_thin: float = 0.5, seed: int | None = None, **kwargs):
        if not (0 <= max_thicken <= 1 and 0 <= max_thin <= 1):
            raise ValueError("max_thicken and max_thin must lie in [0, 1]")
        super().__init__(seed=seed, **kwargs)
        self.max_thicken, self.max_thin = max_thicken, max_thin

    def augment(self, images):
        t = keras.random.uniform((ops.shape(images)[0], 1, 1, 1), -self.max_thin, self.max_thicken,
                                 seed=self.seed_generator)
        target = ops.where(t > 0, _pool(images, 3, "max"), _pool(images, 3, "min"))
        return images + ops.abs(t) * (target - images)

    def get_config(self):
        return {**super().get_config(), "max_thicken": self.max_thicken, "max_thin": self.max_thin}


@saving.register_keras_serializable(package="lenet")
class RandomLowResolution(TrainingOnlyAugmentation):
    """While training, show some images as if taken at a lower resolution; otherwise the identity.

    Each image is left alone, or (each with probability ``probability / len(sizes)``)
    shrunk by area averaging to one of ``sizes`` pixels square and enlarged back
    bilinearly: the soft, blocky strokes of a small scan or of a digit enlarged
    from a few pixels.  Square images only.
    """

    def __init__(self, sizes: Sequence[int] = (10, 14), probability: float = 0.5,
                 seed: int | None = None, **kwargs):
        sizes = tuple(int(s) for s in sizes)
        if not sizes or min(sizes) < 2 or not 0 <= probability <= 1:
            raise ValueError("sizes must be at least 2 pixels and probability in [0, 1]")
        super().__init__(seed=seed, **kwargs)
        self.sizes, self.probability = sizes, probability

    def augment(self, images):
        height, width = images.shape[1], images.shape[2]
        if height != width:
            raise ValueError(f"RandomLowResolution needs square images, got {height}x{width}")
        draw = keras.random.uniform((ops.shape(images)[0], 1, 1, 1), seed=self.seed_generator)
        out = images
        share = self.probability / len(self.sizes)
        for k, size in enumerate(self.sizes):
            small = ops.image.resize(images, (size, size), interpolation="area")
            blurred = ops.image.resize(small, (height, width), interpolation="bilinear")
            chosen = ops.logical_and(draw >= k * share, draw < (k + 1) * share)
            out = ops.where(chosen, blurred, out)
        return out

    def get_config(self):
        return {**super().get_config(), "sizes": list(self.sizes), "probability": self.probability}


#: The output codes: each digit drawn on a 7-wide, 12-high bitmap ('#' = +1, '.' = -1),
#: as the paper draws its RBF targets (ours, since the paper's bitmaps are only pictured).
DIGIT_BITMAPS = {
    0: ["..###..", ".#...#.", "#.....#", "#.....#", "#.....#", "#.....#",
        "#.....#", "#.....#", "#.....#", "#.....#", ".#...#.", "..###.."],
    1: ["...#...", "..##...", ".#.#...", "...#...", "...#...", "...#...",
        "...#...", "...#...", "...#...", "...#...", "...#...", ".#####."],
    2: [".#####.", "#.....#", "......#", "......#", ".....#.", "....#..",
        "...#...", "..#....", ".#.....", "#......", "#......", "#######"],
    3: [".#####.", "#.....#", "......#", "......#", "......#", "..####.",
        "......#", "......#", "......#", "......#", "#.....#", ".#####."],
    4: ["....##.", "...#.#.", "..#..#.", ".#...#.", "#....#.", "#....#.",
        "#######", ".....#.", ".....#.", ".....#.", ".....#.", ".....#."],
    5: ["#######", "#......", "#......", "#......", "######.", "......#",
        "......#", "......#", "......#", "......#", "#.....#", ".#####."],
    6: ["..####.", ".#.....", "#......", "#......", "#.###..", "##...#.",
        "#.....#", "#.....#", "#.....#", "#.....#", ".#...#.", "..###.."],
    7: ["#######", "......#", ".....#.", ".....#.", "....#..", "....#..",
        "...#...", "...#...", "..#....", "..#....", "..#....", "..#...."],
    8: [".#####.", "#.....#", "#.....#", "#.....#", ".#...#.", "..###..",
        ".#...#.", "#.....#", "#.....#", "#.....#", "#.....#", ".#####."],
    9: ["..###..", ".#...#.", "#.....#", "#.....#", "#.....#", ".#...##",
        "..###.#", "......#", "......#", ".....#.", "....#..", ".###..."],
}


def digit_codes() -> np.ndarray:
    """The (10, 84) matrix of +-1 codes, row d = the bitmap of digit d, row by row."""
    return np.array([[1.0 if pixel == "#" else -1.0 for row in DIGIT_BITMAPS[d] for pixel in row]
                     for d in range(10)], dtype="float32")


def paper_loss(j: float = 1.0) -> Callable[[Any, Any], Any]:
    """The paper's criterion (eq. 9) on outputs s_i = -y_i (negated RBF distances):

    E = y_D + log(exp(-j) + sum_i exp(-y_i)),

    i.e. cross-entropy over the ten outputs plus one constant 'rubbish' output -j.
    It pulls the correct distance down and, once distances are small, pushes
    the other classes' distances up.
    """
    def loss(y_true, scores):
        y_true = ops.cast(ops.reshape(y_true, (-1,)), "int32")
        rubbish = ops.full((ops.shape(scores)[0], 1), -j, dtype=scores.dtype)
        logits = ops.concatenate([scores, rubbish], axis=-1)
        return ops.logsumexp(logits, axis=-1) - ops.take_along_axis(
            scores, ops.expand_dims(y_true, -1), axis=-1)[:, 0]
    return loss
