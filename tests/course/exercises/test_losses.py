"""Module 04's exercises: the reference solutions pass every check, typical wrong answers fail at
least one, and the app's check cells report both outcomes."""

import numpy as np

from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import losses

APP = "04_losses"


def _softmax(z, shift=True):
    e = np.exp(z - z.max(axis=1, keepdims=True) if shift else z)
    return e / e.sum(axis=1, keepdims=True)


def _log_softmax(z):
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _rows(t):
    return np.arange(len(t)), t


CASES = [
    (losses.CROSS_ENTROPY, APP, "cross_entropy", [
        lambda z, t: -np.log(_softmax(z, shift=False)[_rows(t)]).mean(),       # naive: overflows
        lambda z, t: -np.log(_softmax(z)[_rows(t)]).mean(),                    # log of a rounded 0
        lambda z, t: -_log_softmax(z)[_rows(t)].sum(),                         # sum, not mean
        lambda z, t: -_log_softmax(z)[:, t].mean(),                            # every row's every target
        lambda z, t: _log_softmax(z)[_rows(t)].mean(),                         # sign
    ]),
    (losses.CROSS_ENTROPY_GRAD, APP, "cross_entropy_grad", [
        lambda z, t: losses.cross_entropy_grad_solution(z, t) * len(t),        # forgets the 1 / N
        lambda z, t: -losses.cross_entropy_grad_solution(z, t),                # onehot - softmax
        lambda z, t: _softmax(z) / len(t),                                     # forgets the onehot
        lambda z, t: (_softmax(z, shift=False) - np.eye(z.shape[1])[t]) / len(t),  # overflows
    ]),
]


def test_solutions_pass_and_wrong_answers_fail():
    for exercise, _, _, wrong in CASES:
        assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP)
