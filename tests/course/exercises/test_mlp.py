"""Milestone 1986's exercises: the reference confusion matrix and training step pass every
check, typical wrong ones fail at least one, and the app's check cells report both outcomes
(the app opens with or without MNIST, so this runs either way)."""

import numpy as np
import pytest

import tinytorch.nn.functional as F
from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import mlp

APP = "milestone_1986_mlp"


def _confusion_fancy_add(predicted, actual, num_classes):  # += with index arrays counts a pair once
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    matrix[actual, predicted] += 1
    return matrix


def _confusion_rows_normalised(predicted, actual, num_classes):
    matrix = mlp.confusion_matrix_solution(predicted, actual, num_classes).astype(float)
    return matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)


def _step(order):
    """A training step doing 'loss', 'zero', 'backward', 'step' in the given order."""
    def train_step(model, optimizer, x, y):
        loss = None
        for action in order:
            if action == "loss":
                loss = F.cross_entropy(model(x), y)
            elif action == "zero":
                optimizer.zero_grad()
            elif action == "backward":
                loss.backward()
            elif action == "step":
                optimizer.step()
        return loss.item()
    return train_step


def _step_returning_the_tensor(model, optimizer, x, y):
    loss = F.cross_entropy(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss


CASES = [
    (mlp.CONFUSION, APP, "confusion_matrix", [
        lambda predicted, actual, k: mlp.confusion_matrix_solution(actual, predicted, k),  # transposed
        _confusion_fancy_add,
        _confusion_rows_normalised,
    ]),
    (mlp.TRAIN_STEP, APP, "train_step", [
        _step(["loss", "backward", "step"]),                 # never clears the gradients
        _step(["loss", "zero", "backward"]),                 # never updates
        _step(["loss", "backward", "zero", "step"]),         # clears the gradients before using them
        _step(["loss", "zero", "backward", "step", "loss"]),  # returns the loss after the update
        _step_returning_the_tensor,
    ]),
]


@pytest.mark.parametrize(("exercise", "app", "name", "wrong"), CASES, ids=[c[2] for c in CASES])
def test_solution_passes_and_wrong_answers_fail(exercise, app, name, wrong):
    assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP)
