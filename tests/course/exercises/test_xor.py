"""Milestone 1969's exercise: the hand-built XOR weights pass every check, typical wrong
networks fail at least one, and the app's check cell reports both outcomes."""

import numpy as np

from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import xor

APP = "milestone_1969_xor"
SOLUTION = xor.xor_weights_solution()

CASES = [
    (xor.XOR_WEIGHTS, APP, "xor_weights", [
        lambda: (np.zeros((2, 2)), np.zeros(2), np.zeros((1, 2)), np.zeros(1)),      # all zeros
        lambda: (np.eye(2), np.zeros(2), np.ones((1, 2)), np.zeros(1)),              # computes OR
        lambda: (SOLUTION[0], SOLUTION[1], SOLUTION[2].T, SOLUTION[3]),              # W2 as a column
        lambda: (SOLUTION[0], SOLUTION[1], SOLUTION[2], np.array([0.5])),            # no margin at (0, 0)
        lambda: (SOLUTION[0], np.zeros(2), SOLUTION[2], SOLUTION[3]),                # forgets the bias
        lambda: (SOLUTION[0], SOLUTION[1], SOLUTION[2]),                             # three arrays
    ]),
]


def test_solution_passes_and_wrong_answers_fail():
    exercise, _, _, wrong = CASES[0]
    assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_the_hand_network_is_a_tinytorch_relu_network():
    model = xor.hand_network(*SOLUTION)
    assert [type(layer).__name__ for layer in model] == ["Linear", "ReLU", "Linear"]
    assert xor.network_says(model, xor.CORNERS).tolist() == xor.XOR.tolist()


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP)
