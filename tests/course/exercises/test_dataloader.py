"""Module 08's exercise: the reference batch iterator matches DataLoader, typical wrong ones
fail at least one check, and the app's check cell reports both outcomes."""

import numpy as np

from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import dataloader

APP = "08_dataloader"


def _iterator(order, stop):
    """A batch iterator built from a wrong way to choose the order or where to stop."""
    def batch_indices(n, batch_size, shuffle=False, drop_last=False, generator=None):
        indices = order(n, generator) if shuffle else np.arange(n)
        for start in range(0, stop(n, batch_size, drop_last), batch_size):
            yield indices[start:start + batch_size]
    return batch_indices


def _right_order(n, generator):
    return generator.permutation(n)


def _right_stop(n, batch_size, drop_last):
    return n - n % batch_size if drop_last else n


CASES = [
    (dataloader.BATCH_INDICES, APP, "batch_indices", [
        _iterator(_right_order, lambda n, b, drop_last: n),                           # ignores drop_last
        _iterator(lambda n, g: np.random.permutation(n), _right_stop),                # NumPy's global RNG
        _iterator(lambda n, g: np.random.default_rng(0).permutation(n), _right_stop),  # reseeds every epoch
        _iterator(_right_order, lambda n, b, drop_last: n - b if drop_last else n),    # drops a full batch
        _iterator(lambda n, g: g.integers(0, n, n), _right_stop),                     # with replacement
    ]),
]


def test_solution_passes_and_wrong_answers_fail():
    exercise, _, _, wrong = CASES[0]
    assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_an_in_place_shuffle_with_the_generator_is_also_right():
    def shuffled_in_place(n, batch_size, shuffle=False, drop_last=False, generator=None):
        order = np.arange(n)
        if shuffle:
            generator.shuffle(order)
        for start in range(0, _right_stop(n, batch_size, drop_last), batch_size):
            yield order[start:start + batch_size]

    assert all(r.passed for r in dataloader.BATCH_INDICES.run(shuffled_in_place))


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP)
