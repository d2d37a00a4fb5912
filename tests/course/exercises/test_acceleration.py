"""Module 18's exercise: the vectorised weight gradient passes every check, the slow loops and
typical mistakes fail at least one, and the app's check cell reports both outcomes."""

import numpy as np

from tests.apps.quick import SETTINGS
from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import acceleration

APP = "18_acceleration"
solution = acceleration.conv2d_weight_grad_solution


def _padding_ignored(x, grad_out, kernel_size, stride=1, padding=0):
    return solution(x, grad_out, kernel_size, stride, 0)


def _kernel_flipped(x, grad_out, kernel_size, stride=1, padding=0):
    return solution(x, grad_out, kernel_size, stride, padding)[:, :, ::-1, ::-1]


def _channels_swapped(x, grad_out, kernel_size, stride=1, padding=0):
    return solution(x, grad_out, kernel_size, stride, padding).transpose(1, 0, 2, 3)


def _mean_over_the_batch(x, grad_out, kernel_size, stride=1, padding=0):
    return solution(x, grad_out, kernel_size, stride, padding) / x.shape[0]


def _every_window_not_every_stride(x, grad_out, kernel_size, stride=1, padding=0):
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    oh, ow = grad_out.shape[2:]
    grad_w = np.zeros((grad_out.shape[1], x.shape[1], kernel_size, kernel_size), np.float32)
    for i in range(kernel_size):
        for j in range(kernel_size):
            grad_w[:, :, i, j] = np.einsum("ncyx,noyx->oc", xp[:, :, i:i + oh, j:j + ow], grad_out)
    return grad_w


CASES = [(acceleration.CONV2D_WEIGHT_GRAD, APP, "conv2d_weight_grad", [
    acceleration.conv2d_weight_grad_loops, _padding_ignored, _kernel_flipped, _channels_swapped,
    _mean_over_the_batch, _every_window_not_every_stride])]


def test_solution_passes_and_wrong_answers_fail():
    for exercise, _, _, wrong in CASES:
        assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_the_loops_compute_the_same_gradient_as_autograd():
    x, grad_out = acceleration.inputs((2, 3, 9, 9), 4, 3, stride=2, padding=1, seed=5)
    np.testing.assert_allclose(acceleration.conv2d_weight_grad_loops(x, grad_out, 3, 2, 1),
                               acceleration.reference(x, grad_out, 3, 2, 1), rtol=1e-4, atol=1e-3)


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP, defs=SETTINGS[APP])
