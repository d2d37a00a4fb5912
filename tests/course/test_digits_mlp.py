"""The digits MLP the optimization apps train: a fixed split, a model that learns, and
students trained on labels or distilled from one run through the same batches."""

import numpy as np
import pytest

import tinytorch
from tinytorch.course import digits_mlp


def test_the_split_is_fixed_disjoint_and_scaled():
    split = digits_mlp.load_split()
    again = digits_mlp.load_split()
    assert np.array_equal(split.test_x, again.test_x)
    assert len(split.train_y) + len(split.test_y) == 1797 and len(split.test_y) == 359
    assert split.train_x.dtype == np.float32 and split.train_x.max() == 1.0 and split.train_x.min() == 0.0
    with pytest.raises(ValueError, match="test_fraction"):
        digits_mlp.load_split(test_fraction=1.0)


def test_a_small_mlp_learns_the_digits():
    split = digits_mlp.load_split()
    tinytorch.manual_seed(0)
    model = digits_mlp.mlp((32,))
    assert [type(m).__name__ for m in model] == ["Linear", "ReLU", "Linear"]
    before = digits_mlp.accuracy(model, split.test_x, split.test_y)
    digits_mlp.fine_tune(model, split, epochs=3, lr=3e-3)
    assert digits_mlp.accuracy(model, split.test_x, split.test_y) > max(0.8, before + 0.3)


def test_students_differ_only_by_their_loss():
    split = digits_mlp.load_split()
    tinytorch.manual_seed(0)
    teacher = digits_mlp.fine_tune(digits_mlp.mlp((32,)), split, epochs=3, lr=3e-3).model

    def student(**kwargs):
        tinytorch.manual_seed(1)
        return digits_mlp.train_student(digits_mlp.mlp((16,)), split, epochs=5, lr=1e-2, **kwargs)

    scratch, again = student(), student()
    assert np.array_equal(scratch[0].weight.data, again[0].weight.data)  # same batches, same steps
    distilled = student(teacher=teacher)
    assert not np.array_equal(scratch[0].weight.data, distilled[0].weight.data)
    assert digits_mlp.accuracy(distilled, split.test_x, split.test_y) > 0.5
    hard_only = student(teacher=teacher, alpha=0.0)  # alpha 0: the labels alone, teacher ignored
    np.testing.assert_allclose(hard_only[0].weight.data, scratch[0].weight.data, rtol=1e-5, atol=1e-6)
