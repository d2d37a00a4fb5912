"""Module 08 exercise: the batch iterator inside a DataLoader.

The learner yields the sample indices of each batch of one epoch; the checks compare them
with the batches tinytorch's `DataLoader` makes from a dataset whose samples are their own
indices, with the same settings and a generator seeded the same way.
"""

import numpy as np

from tinytorch.core.dataloader import DataLoader, TensorDataset
from tinytorch.course.checks import Check, Exercise, expect_equal


def batch_indices_solution(n, batch_size, shuffle=False, drop_last=False, generator=None):
    """Yield the indices of each batch of one epoch over n samples, as DataLoader draws them:
    one permutation per epoch from `generator` when shuffling, then consecutive slices."""
    order = generator.permutation(n) if shuffle else np.arange(n)
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        yield order[start:start + batch_size]


def loader_batches(n, batch_size, shuffle=False, drop_last=False, seed=0) -> list[list[int]]:
    """The index batches of one epoch of tinytorch's DataLoader over the samples 0..n-1."""
    loader = DataLoader(TensorDataset(np.arange(n)), batch_size=batch_size, shuffle=shuffle,
                        drop_last=drop_last, generator=np.random.default_rng(seed))
    return [batch.numpy().tolist() for (batch,) in loader]


def _as_lists(batches) -> list[list[int]]:
    if batches is None:
        raise AssertionError("got None: did the function forget to `yield` (or `return`) the batches?")
    return [np.asarray(b).astype(np.int64).tolist() for b in batches]


def _case(n, batch_size, shuffle=False, drop_last=False, seed=0):
    def test(candidate):
        got = _as_lists(candidate(n, batch_size, shuffle=shuffle, drop_last=drop_last,
                                  generator=np.random.default_rng(seed)))
        expect_equal(got, loader_batches(n, batch_size, shuffle, drop_last, seed),
                     f"the batches for n={n}, batch_size={batch_size}, shuffle={shuffle}, "
                     f"drop_last={drop_last}")
    return test


def _each_index_once(candidate):
    batches = _as_lists(candidate(100, 7, shuffle=True, drop_last=False, generator=np.random.default_rng(3)))
    seen = sorted(i for b in batches for i in b)
    if seen != list(range(100)):
        repeated = len(seen) - len(set(seen))
        raise AssertionError(f"one epoch over 100 samples yielded {len(seen)} indices, {len(set(seen))} "
                             f"distinct ({repeated} repeats)")


def _epochs_differ(candidate):
    generator = np.random.default_rng(5)
    first = _as_lists(candidate(30, 10, shuffle=True, drop_last=False, generator=generator))
    second = _as_lists(candidate(30, 10, shuffle=True, drop_last=False, generator=generator))
    if first == second:
        raise AssertionError("two epochs drawn from the same generator came out in the same order")


BATCH_INDICES = Exercise(
    name="BATCH_INDICES",
    checks=(
        Check("in order, 12 samples in batches of 4", _case(12, 4),
              "Without shuffling the order is 0, 1, ..., n-1; cut it into consecutive slices."),
        Check("the last, short batch is kept", _case(10, 4),
              "10 samples in batches of 4 make 3 batches: 4, 4 and 2."),
        Check("drop_last drops the short batch", _case(10, 4, drop_last=True),
              "With drop_last, stop before the remainder n % batch_size."),
        Check("drop_last keeps an exact fit", _case(12, 4, drop_last=True),
              "12 samples in batches of 4 leave no remainder: all 3 batches stay."),
        Check("a batch larger than the data", _case(3, 8),
              "range(0, n, batch_size) still gives one start, 0: one batch of all 3."),
        Check("shuffled exactly like DataLoader", _case(20, 6, shuffle=True, seed=7),
              "Draw the order with generator.permutation(n): the same generator, the same call."),
        Check("each index exactly once per epoch", _each_index_once,
              "Shuffle a permutation; do not sample indices with replacement."),
        Check("each epoch reshuffles", _epochs_differ,
              "Use the generator you are given (do not create a new, freshly seeded one)."),
    ),
    solution=batch_indices_solution,
)
