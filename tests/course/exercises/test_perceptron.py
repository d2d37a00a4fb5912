"""Milestone 1957's exercises: the reference solution passes every check, typical wrong
answers fail at least one, and the app's check cells report both outcomes."""

import pytest

import tinytorch
from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import perceptron

APP = "milestone_1957_perceptron"


def _update_always(w, b, x, y, lr):  # updates on correct points too
    return w + lr * y * x, b + lr * y


def _update_if(condition):
    def update(w, b, x, y, lr):
        if condition(y * (w @ x + b).item()):
            return w + lr * y * x, b + lr * y
        return w, b
    return update


def _update_without_label(w, b, x, y, lr):  # forgets to multiply by y
    if y * (w @ x + b).item() <= 0:
        return w + lr * x, b + lr
    return w, b


def _update_without_bias(w, b, x, y, lr):
    if y * (w @ x + b).item() <= 0:
        return w + lr * y * x, b
    return w, b


def _update_in_place(w, b, x, y, lr):  # right values, but overwrites the caller's weights
    if y * (w @ x + b).item() <= 0:
        w.data += lr * y * x.data
        return w, b + lr * y
    return w, b


CASES = [
    (perceptron.PREDICT, APP, "predict", [
        lambda w, b, x: x @ w + b,                                     # the raw score
        lambda w, b, x: (x @ w + b > 0).numpy().astype(int),           # 0/1 instead of -1/+1
        lambda w, b, x: tinytorch.where(x @ w + b >= 0, 1, -1),        # the line counts as +1
        lambda w, b, x: tinytorch.where(x @ w > 0, 1, -1),             # forgets the bias
    ]),
    (perceptron.UPDATE, APP, "update", [
        _update_always,
        _update_if(lambda margin: margin < 0),                          # w = 0 never starts
        _update_without_label,
        _update_without_bias,
        _update_in_place,
    ]),
]


@pytest.mark.parametrize(("exercise", "app", "name", "wrong"), CASES, ids=[c[2] for c in CASES])
def test_solution_passes_and_wrong_answers_fail(exercise, app, name, wrong):
    assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP)
