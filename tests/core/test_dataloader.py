import numpy as np
import pytest

import tinytorch
from tinytorch.core.dataloader import Batch, DataLoader, Dataset, Subset, TensorDataset, random_split


def dataset(n=10):
    return TensorDataset(np.arange(n * 2, dtype=np.float32).reshape(n, 2), np.arange(n))


class PerSample(Dataset):
    """A dataset without get_batch: the loader must fall back to collate_fn."""

    def __len__(self):
        return 5

    def __getitem__(self, i):
        return np.full(3, i, np.float32), i


def labels(loader):
    return [y.tolist() for _, y in loader]


def test_batches_in_order_without_shuffle():
    loader = DataLoader(dataset(), batch_size=4)
    assert len(loader) == 3
    assert labels(loader) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    x, y = next(iter(loader))
    assert isinstance(x, tinytorch.Tensor) and x.dtype == np.float32 and y.dtype == np.int64
    np.testing.assert_array_equal(x.numpy()[:, 0], [0, 2, 4, 6])  # inputs stay with their labels


def test_a_batch_unpacks_and_reads_as_x_and_y():
    batch = next(iter(DataLoader(dataset(), batch_size=4)))
    assert isinstance(batch, Batch) and isinstance(batch, tuple) and len(batch) == 2
    x, y = batch
    assert batch.x is x and batch.y is y and batch[0] is x
    assert y.tolist() == [0, 1, 2, 3]


def test_batches_of_one_or_three_fields_stay_plain_tuples():
    one = next(iter(DataLoader(TensorDataset(np.arange(4)), batch_size=2)))
    three = next(iter(DataLoader(TensorDataset(np.arange(4), np.arange(4), np.arange(4)), batch_size=2)))
    assert type(one) is tuple and len(one) == 1 and type(three) is tuple and len(three) == 3


def test_drop_last_skips_the_short_batch():
    loader = DataLoader(dataset(), batch_size=4, drop_last=True)
    assert len(loader) == 2 and labels(loader) == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_shuffle_covers_every_sample_once_and_changes_each_epoch():
    loader = DataLoader(dataset(), batch_size=3, shuffle=True, seed=0)
    first, second = sum(labels(loader), []), sum(labels(loader), [])
    assert sorted(first) == sorted(second) == list(range(10))
    assert first != second


def test_shuffle_follows_manual_seed_without_its_own_seed():
    def epoch():
        tinytorch.manual_seed(4)
        return labels(DataLoader(dataset(), batch_size=10, shuffle=True))

    assert epoch() == epoch()


def test_per_sample_dataset_uses_collate():
    batches = list(DataLoader(PerSample(), batch_size=2))
    assert [b[1].tolist() for b in batches] == [[0, 1], [2, 3], [4]]
    assert batches[0][0].shape == (2, 3)


def test_transform_applies_to_inputs_only():
    loader = DataLoader(dataset(), batch_size=10, transform=lambda x: x * 0 - 1)
    x, y = next(iter(loader))
    assert (x.numpy() == -1).all() and y.tolist() == list(range(10))


def test_random_split_by_fractions_and_counts():
    parts = random_split(dataset(10), [0.75, 0.25], seed=0)
    assert [len(p) for p in parts] == [8, 2]
    seen = np.concatenate([p.indices for p in parts])
    assert sorted(seen.tolist()) == list(range(10))
    assert [len(p) for p in random_split(dataset(10), [3, 7], seed=0)] == [3, 7]
    with pytest.raises(ValueError, match="add up to 9, the dataset has 10"):
        random_split(dataset(10), [4, 5])


def test_subset_batches_through_the_parent():
    sub = Subset(dataset(), [9, 0, 5])
    assert labels(DataLoader(sub, batch_size=3)) == [[9, 0, 5]]
    assert sub[0][1] == 9


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: TensorDataset(np.zeros(3), np.zeros(4)), r"same first dimension.*\[3, 4\]"),
        (lambda: DataLoader(dataset(), batch_size=0), "batch_size must be >= 1"),
        (lambda: DataLoader(dataset(), seed=1, generator=np.random.default_rng()), "seed or generator"),
    ],
)
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


class PythonNumbers(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        return float(i) / 2, i


@pytest.mark.parametrize("data", [TensorDataset([0.5, 1.5, 2.5, 3.5], [0, 1, 0, 1]), PythonNumbers()],
                         ids=["TensorDataset", "collate"])
def test_python_floats_make_float32_batches(data):
    x, y = next(iter(DataLoader(data, batch_size=2)))
    assert x.dtype == tinytorch.float32 and y.dtype == tinytorch.int64


def test_a_float64_array_keeps_float64_as_a_tensor_does():
    x, _ = next(iter(DataLoader(TensorDataset(np.zeros((4, 2)), np.arange(4)), batch_size=2)))
    assert x.dtype == tinytorch.float64
