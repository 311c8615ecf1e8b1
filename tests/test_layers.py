"""The paper's layers compute what section II-B of LeCun et al. (1998) says."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from lenet_lib import counting, models
from lenet_lib.convolution import conv2d
from lenet_lib.layers import (A, S, EuclideanRBF, PartialConv2D, RandomDistortion, RandomLowResolution,
                              RandomStrokeWidth, Subsampling, digit_codes,
                              paper_loss, scaled_tanh)

RNG = np.random.default_rng(98)


def numpy(x):
    return keras.ops.convert_to_numpy(x)


def test_scaled_tanh():
    values = np.array([-1.0, 0.0, 1.0, 3.0], "float32")
    np.testing.assert_allclose(numpy(scaled_tanh(values)), 1.7159 * np.tanh(2 * values / 3), rtol=1e-6)
    assert abs(numpy(scaled_tanh(np.float32(1.0))) - 1.0) < 1e-4  # f(1) = 1
    assert A == 1.7159 and S == pytest.approx(2 / 3)


def test_subsampling_is_sum_times_coefficient_plus_bias():
    x = RNG.normal(size=(2, 6, 6, 3)).astype("float32")
    layer = Subsampling(2)
    layer.build(x.shape)
    coefficient, bias = np.array([0.5, -1.0, 2.0], "float32"), np.array([0.1, 0.0, -0.2], "float32")
    layer.set_weights([coefficient, bias])
    sums = x.reshape(2, 3, 2, 3, 2, 3).sum(axis=(2, 4))
    np.testing.assert_allclose(numpy(layer(x)), sums * coefficient + bias, rtol=1e-5, atol=1e-5)
    assert layer.count_params() == 6


def test_partial_convolution_reads_only_its_table():
    x = RNG.normal(size=(1, 14, 14, 6)).astype("float32")
    layer = PartialConv2D(counting.C3_TABLE, 5)
    layer.build(x.shape)
    assert layer.count_params() == 1516
    full = numpy(layer.full_kernel())
    for out_map, inputs in enumerate(counting.C3_TABLE):
        unused = sorted(set(range(6)) - set(inputs))
        assert np.all(full[:, :, unused, out_map] == 0)
        assert np.all(full[:, :, list(inputs), out_map] != 0)
    bias = numpy(layer.bias)
    np.testing.assert_allclose(numpy(layer(x))[0], conv2d(x[0], full, bias), rtol=1e-4, atol=1e-4)


def test_partial_convolution_rejects_a_bad_table():
    with pytest.raises(ValueError, match="outside"):
        PartialConv2D([[0, 7]], 5).build((1, 14, 14, 6))


def test_rbf_outputs_negated_squared_distances():
    codes = digit_codes()
    assert codes.shape == (10, 84) and set(np.unique(codes)) == {-1.0, 1.0}
    x = RNG.normal(size=(4, 84)).astype("float32")
    expected = -((x[:, None, :] - codes[None, :, :]) ** 2).sum(axis=-1)
    np.testing.assert_allclose(numpy(EuclideanRBF(codes)(x)), expected, rtol=1e-4)
    assert numpy(EuclideanRBF(codes)(codes)).argmax(axis=1).tolist() == list(range(10))


def test_paper_loss_is_equation_nine():
    scores = -np.array([[1.0, 4.0, 9.0], [2.0, 0.5, 3.0]], "float32")  # negated distances y_i
    labels = np.array([0, 2])
    j = 1.5
    y = -scores
    expected = [y[n, labels[n]] + np.log(np.exp(-j) + np.exp(-y[n]).sum()) for n in range(2)]
    np.testing.assert_allclose(numpy(paper_loss(j)(labels, scores)), expected, rtol=1e-5)


def test_paper_lenet5_counts_and_saves(tmp_path):
    model = models.build_paper_lenet5()
    counting.check_against_keras(*counting.PAPER_LENET5, model)
    assert model.count_params() == 60000
    x = RNG.normal(size=(2, 32, 32, 1)).astype("float32")
    model.save(tmp_path / "paper.keras")
    again = keras.models.load_model(tmp_path / "paper.keras")
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def _forward_maps(transforms, size=32):
    """Recover (scale, squeeze, shear, shift) of each distortion from the inverse rows it samples with."""
    rows = numpy(transforms)
    assert np.all(rows[:, [3, 6, 7]] == 0)  # y' never depends on x: shear is horizontal only
    centre = np.full(2, (size - 1) / 2)
    found = []
    for a0, a1, a2, _, b1, b2, _, _ in rows:
        forward = np.linalg.inv([[a0, a1], [0.0, b1]])
        scale = np.sqrt(np.linalg.det(forward))
        squeeze = np.sqrt(forward[0, 0] / forward[1, 1])
        shear = forward[0, 1] / forward[1, 1]
        shift = forward @ (centre - [a2, b2]) - centre
        found.append((scale, squeeze, shear, *shift))
    return np.array(found)


def test_distortion_draws_within_its_ranges():
    layer = RandomDistortion(max_shift=2.0, max_scale=0.1, max_squeeze=0.15, max_shear=0.2, seed=5)
    scale, squeeze, shear, dx, dy = _forward_maps(layer.transforms(400, 32, 32)).T
    for values, low, high in [(scale, 0.9, 1.1), (squeeze, 0.85, 1.15), (shear, -0.2, 0.2),
                              (dx, -2, 2), (dy, -2, 2)]:
        assert low - 1e-5 <= values.min() and values.max() <= high + 1e-5
        assert values.max() - values.min() > 0.8 * (high - low)  # the whole range is used


def test_distortion_moves_a_dot_where_its_map_says():
    """A bright dot off-centre lands where the forward map (recovered from the inverse) sends it."""
    image = np.full((1, 32, 32, 1), -0.1, "float32")
    image[0, 10, 20, 0] = 1.175  # row (y) 10, column (x) 20
    layer = RandomDistortion(max_shift=2.0, max_scale=0.1, max_squeeze=0.1, max_shear=0.2, seed=7)
    for _ in range(5):
        transforms = layer.transforms(1, 32, 32)
        out = numpy(keras.ops.image.affine_transform(image, transforms, fill_value=-0.1))[0, ..., 0] + 0.1
        scale, squeeze, shear, dx, dy = _forward_maps(transforms)[0]
        linear = np.array([[scale * squeeze, scale * shear / squeeze], [0, scale / squeeze]])
        expected = linear @ (np.array([20.0, 10.0]) - 15.5) + 15.5 + [dx, dy]
        ys, xs = np.indices(out.shape)
        found = np.array([(xs * out).sum(), (ys * out).sum()]) / out.sum()
        np.testing.assert_allclose(found, expected, atol=0.6)


def test_distortion_only_while_training():
    x = RNG.uniform(-0.1, 1.175, size=(8, 32, 32, 1)).astype("float32")
    layer = RandomDistortion(seed=1)
    np.testing.assert_array_equal(numpy(layer(x)), x)
    np.testing.assert_array_equal(numpy(layer(x, training=False)), x)
    still = RandomDistortion(max_shift=0, max_scale=0, max_squeeze=0, max_shear=0, seed=1)
    np.testing.assert_allclose(numpy(still(x, training=True)), x, atol=1e-6)
    moved = numpy(layer(x, training=True))
    assert moved.shape == x.shape and np.all(np.abs(moved - x).reshape(8, -1).max(axis=1) > 0.1)
    assert moved.min() >= -0.1 - 1e-6 and moved.max() <= 1.175 + 1e-6
    shifted = numpy(RandomDistortion(max_shift=8, max_scale=0, max_squeeze=0, max_shear=0, seed=2)(
        np.ones((4, 32, 32, 1), "float32"), training=True))
    assert np.isclose(shifted.min(), -0.1)  # uncovered pixels get the background


def test_distortion_on_non_square_images_keeps_rows_and_columns_apart():
    """Width and height are not swapped: a pure horizontal shift moves a dot along its row only."""
    image = np.full((1, 20, 40, 1), -0.1, "float32")
    image[0, 5, 30, 0] = 1.175
    layer = RandomDistortion(max_shift=3.0, max_scale=0, max_squeeze=0, max_shear=0, seed=4)
    transforms = layer.transforms(1, 20, 40)
    rows = numpy(transforms)[0]
    out = numpy(keras.ops.image.affine_transform(image, transforms, fill_value=-0.1))[0, ..., 0] + 0.1
    ys, xs = np.indices(out.shape)
    found = np.array([(xs * out).sum(), (ys * out).sum()]) / out.sum()
    # with unit scale the inverse is p - shift: the dot moves by (-a2, -b2)
    np.testing.assert_allclose(found, [30 - rows[2], 5 - rows[5]], atol=0.05)
    moved = numpy(layer(image, training=True))
    assert moved.shape == image.shape


def test_distortion_trains_and_saves_inside_a_model(tmp_path):
    model = keras.Sequential([keras.Input(shape=(32, 32, 1)), RandomDistortion(seed=0),
                              keras.layers.Flatten(), keras.layers.Dense(10)])
    model.compile(optimizer="sgd", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    x = RNG.uniform(-0.1, 1.175, size=(12, 32, 32, 1)).astype("float32")
    model.fit(x, np.arange(12) % 10, batch_size=5, epochs=1, verbose=0)  # a last batch of 2
    path = tmp_path / "distorted.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded.layers[0], RandomDistortion)
    np.testing.assert_allclose(numpy(loaded(x)), numpy(model(x)), atol=1e-6)  # identity at inference


def test_distortion_is_reproducible_and_saves():
    x = RNG.uniform(size=(4, 32, 32, 1)).astype("float32")
    first = numpy(RandomDistortion(seed=3)(x, training=True))
    np.testing.assert_array_equal(first, numpy(RandomDistortion(seed=3)(x, training=True)))
    config = RandomDistortion(max_shift=1.5, fill_value=0.0, seed=3).get_config()
    clone = RandomDistortion.from_config(config)
    assert (clone.max_shift, clone.fill_value, clone.seed) == (1.5, 0.0, 3)


@pytest.mark.parametrize("ranges", [{"max_scale": 1.0}, {"max_squeeze": -0.1}, {"max_shift": -1},
                                    {"max_shear": -0.2}])
def test_distortion_rejects_bad_ranges(ranges):
    with pytest.raises(ValueError, match="ranges"):
        RandomDistortion(**ranges)


def _stroke_image(n: int = 6) -> np.ndarray:
    """n copies of a 2-pixel-wide vertical bar, light on black, 28x28."""
    x = np.zeros((n, 28, 28, 1), "float32")
    x[:, 6:22, 13:15] = 1
    return x


def test_stroke_width_lies_between_erosion_and_dilation():
    from scipy import ndimage

    x = _stroke_image()
    dilated = ndimage.grey_dilation(x[0, :, :, 0], size=(3, 3))
    eroded = ndimage.grey_erosion(x[0, :, :, 0], size=(3, 3), mode="constant", cval=0)
    thicker = numpy(RandomStrokeWidth(max_thicken=1, max_thin=0, seed=0)(x, training=True))[..., 0]
    thinner = numpy(RandomStrokeWidth(max_thicken=0, max_thin=1, seed=0)(x, training=True))[..., 0]
    assert np.all(thicker >= x[..., 0] - 1e-6) and np.all(thicker <= dilated + 1e-6)
    assert np.all(thinner <= x[..., 0] + 1e-6) and np.all(thinner >= eroded - 1e-6)
    assert len({round(float(t.sum()), 3) for t in thicker}) > 1  # each image its own amount
    full = numpy(RandomStrokeWidth(max_thicken=1, max_thin=0, seed=0)(x[:1], training=True))[0, :, :, 0]
    assert full.sum() > x[0].sum()


def test_stroke_width_only_while_training_and_saves():
    x = _stroke_image()
    layer = RandomStrokeWidth(seed=1)
    np.testing.assert_array_equal(numpy(layer(x)), x)
    np.testing.assert_array_equal(numpy(layer(x, training=False)), x)
    clone = RandomStrokeWidth.from_config(RandomStrokeWidth(max_thicken=0.5, max_thin=0.25, seed=2).get_config())
    assert (clone.max_thicken, clone.max_thin, clone.seed) == (0.5, 0.25, 2)
    with pytest.raises(ValueError, match="max_thicken and max_thin"):
        RandomStrokeWidth(max_thicken=1.5)


def test_low_resolution_is_a_shrink_and_enlarge_of_some_images():
    x = RNG.uniform(size=(400, 28, 28, 1)).astype("float32")
    always = numpy(RandomLowResolution(sizes=(7,), probability=1.0, seed=0)(x, training=True))
    # shrinking 28 -> 7 by area averages 4x4 blocks; enlarging back is bilinear
    blocks = x.reshape(400, 7, 4, 7, 4).mean(axis=(2, 4))
    expected = numpy(keras.ops.image.resize(blocks[..., None], (28, 28), interpolation="bilinear"))
    np.testing.assert_allclose(always, expected, atol=1e-5)
    never = numpy(RandomLowResolution(probability=0.0, seed=0)(x, training=True))
    np.testing.assert_array_equal(never, x)
    half = numpy(RandomLowResolution(sizes=(10, 14), probability=0.5, seed=0)(x, training=True))
    changed = np.any(np.abs(half - x) > 1e-6, axis=(1, 2, 3)).mean()
    assert 0.4 < changed < 0.6, changed


def test_low_resolution_only_while_training_and_checks_its_input():
    x = RNG.uniform(size=(3, 28, 28, 1)).astype("float32")
    np.testing.assert_array_equal(numpy(RandomLowResolution(probability=1.0)(x)), x)
    with pytest.raises(ValueError, match="square"):
        RandomLowResolution(probability=1.0)(RNG.uniform(size=(2, 28, 20, 1)).astype("float32"), training=True)
    for bad in ({"sizes": ()}, {"sizes": (1,)}, {"probability": 1.5}):
        with pytest.raises(ValueError, match="sizes must be"):
            RandomLowResolution(**bad)
    clone = RandomLowResolution.from_config(RandomLowResolution(sizes=(8, 12), probability=0.3, seed=4).get_config())
    assert (clone.sizes, clone.probability, clone.seed) == ((8, 12), 0.3, 4)
