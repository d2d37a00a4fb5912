"""Module 03's exercises: the reference solutions pass every check, typical wrong answers fail at
least one, and the app's check cells report both outcomes."""

from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import layers

APP = "03_layers"


def _pairs(sizes):
    return zip(sizes[:-1], sizes[1:], strict=True)


CASES = [
    (layers.LINEAR, APP, "linear_forward", [
        lambda x, weight, bias: x @ weight + bias,                            # (in, out) layout
        lambda x, weight, bias: x @ weight.T,                                 # forgets the bias
        lambda x, weight, bias: x @ weight.T + bias,                          # fails on bias=None
        lambda x, weight, bias: (weight @ x.T).T + (0 if bias is None else bias),  # only 2-d inputs
        lambda x, weight, bias: (x @ weight.T).astype("float64"),             # float64 and no bias
    ]),
    (layers.COUNT, APP, "count_parameters", [
        lambda sizes, bias=True: sum(a * b for a, b in _pairs(sizes)),        # forgets biases
        lambda sizes, bias=True: sum(a * b + a for a, b in _pairs(sizes)),    # a bias per input
        lambda sizes, bias=True: sum(a * b + b for a, b in _pairs(sizes)),    # ignores bias=False
        lambda sizes, bias=True: sizes[0] * sizes[-1] + sizes[-1],            # one layer only
    ]),
]


def test_solutions_pass_and_wrong_answers_fail():
    for exercise, _, _, wrong in CASES:
        assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP)
