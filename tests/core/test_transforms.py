import numpy as np
import pytest

import tinytorch
from tinytorch.core.transforms import Compose, Normalize, RandomCrop, RandomHorizontalFlip, ToFloat

BATCH = np.arange(4 * 3 * 5 * 5, dtype=np.uint8).reshape(4, 3, 5, 5)


def test_to_float_and_normalize_per_channel():
    x = Compose([ToFloat(), Normalize([0.1, 0.2, 0.3], [0.5, 0.5, 0.5])])(BATCH)
    assert x.dtype == np.float32
    expected = (BATCH / 255 - np.array([0.1, 0.2, 0.3])[None, :, None, None]) / 0.5
    np.testing.assert_allclose(x, expected, rtol=1e-5, atol=1e-6)


def test_normalize_checks_the_channel_count():
    with pytest.raises(ValueError, match=r"3 channel means.*\(4, 5, 5\)"):
        Normalize([0, 0, 0], [1, 1, 1])(np.zeros((4, 5, 5), np.float32))


def test_flip_mirrors_exactly_the_chosen_images():
    out = RandomHorizontalFlip(0.5, seed=1)(BATCH)
    flipped = [np.array_equal(o, b[..., ::-1]) for o, b in zip(out, BATCH, strict=True)]
    kept = [np.array_equal(o, b) for o, b in zip(out, BATCH, strict=True)]
    assert all(f or k for f, k in zip(flipped, kept, strict=True)) and any(flipped) and any(kept)


def test_crop_windows_come_from_the_padded_image():
    out = RandomCrop(5, padding=2, seed=0)(BATCH)
    assert out.shape == BATCH.shape and out.dtype == BATCH.dtype
    padded = np.pad(BATCH, ((0, 0), (0, 0), (2, 2), (2, 2)))
    for img, pad in zip(out, padded, strict=True):
        matches = [(t, l) for t in range(5) for l in range(5)
                   if np.array_equal(pad[:, t:t + 5, l:l + 5], img)]
        assert matches, "each crop must be one window of its own padded image"


def test_crop_of_single_channel_batches_and_repeatability():
    mnist_like = np.ones((3, 28, 28), np.float32)
    assert RandomCrop(28, padding=2)(mnist_like).shape == (3, 28, 28)
    tinytorch.manual_seed(2)
    a = RandomCrop(5, padding=2)(BATCH)
    tinytorch.manual_seed(2)
    np.testing.assert_array_equal(a, RandomCrop(5, padding=2)(BATCH))


def test_crop_bigger_than_image_is_named():
    with pytest.raises(ValueError, match="size 9 is larger than the padded image 7x7"):
        RandomCrop(9, padding=1)(BATCH)
