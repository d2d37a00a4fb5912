"""Module 02's exercises: the reference solutions pass every check, typical wrong answers fail at
least one, and the app's check cells report both outcomes."""

import numpy as np

from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import activations

APP = "02_activations"


def _naive_sigmoid(x, grad):
    y = 1 / (1 + np.exp(-x))
    return y, grad * y * (1 - y)


def _forward(x):
    return activations.sigmoid_solution(x, np.ones_like(x))[0]


CASES = [
    (activations.SIGMOID, APP, "sigmoid_forward_backward", [
        _naive_sigmoid,                                                       # overflows at x = -1000
        lambda x, grad: (_forward(x), _forward(x) * (1 - _forward(x))),       # ignores the upstream grad
        lambda x, grad: (_forward(x), grad * _forward(x)),                    # wrong local derivative
        lambda x, grad: (_forward(x), grad * np.exp(-x) / (1 + np.exp(-x)) ** 2),  # derivative via e^-x
        lambda x, grad: _naive_sigmoid(x.astype(np.float64), grad),           # computes in float64
        lambda x, grad: _forward(x),                                          # returns only y
    ]),
    (activations.SOFTMAX, APP, "stable_softmax", [
        lambda x, axis=-1: np.exp(x) / np.exp(x).sum(axis=axis, keepdims=True),     # naive: overflows
        lambda x, axis=-1: np.exp(x - x.max()) / np.exp(x - x.max()).sum(axis=axis, keepdims=True),
        lambda x, axis=-1: np.exp(x - x.max(axis=axis)) / np.exp(x - x.max(axis=axis)).sum(axis=axis),
        lambda x, axis=-1: activations.softmax_solution(x, -1),                     # ignores axis
        lambda x, axis=-1: activations.softmax_solution(x.astype(np.float64), axis),  # float64
    ]),
]


def test_solutions_pass_and_wrong_answers_fail():
    for exercise, _, _, wrong in CASES:
        assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP)
