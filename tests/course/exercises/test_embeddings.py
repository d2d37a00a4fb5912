"""Module 11's exercise: the reference scatter-add matches autograd, typical wrong ones (the
fancy-index `+=` that drops repeats, a forgotten flatten, a lost dtype, no range check) fail
at least one check, and the app's check cell reports both outcomes."""

import numpy as np

from tests.apps.quick import SETTINGS
from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import embeddings

APP = "11_embeddings"


def _fancy_index_add(indices, grad_output, num_embeddings):
    grad = np.zeros((num_embeddings, grad_output.shape[-1]), grad_output.dtype)
    grad[indices.reshape(-1)] += grad_output.reshape(-1, grad_output.shape[-1])
    return grad


def _one_dimensional_only(indices, grad_output, num_embeddings):
    grad = np.zeros((num_embeddings, grad_output.shape[-1]), grad_output.dtype)
    np.add.at(grad, indices, grad_output)
    return grad[:, :grad_output.shape[-1]] if indices.ndim == 1 else grad[:, :1]


def _float64(indices, grad_output, num_embeddings):
    return embeddings.embedding_backward_solution(indices, grad_output, num_embeddings).astype(np.float64)


def _no_range_check(indices, grad_output, num_embeddings):
    grad = np.zeros((num_embeddings + 1, grad_output.shape[-1]), grad_output.dtype)
    np.add.at(grad, indices.reshape(-1), grad_output.reshape(-1, grad_output.shape[-1]))
    return grad[:num_embeddings]


def _sum_over_all(indices, grad_output, num_embeddings):
    total = grad_output.reshape(-1, grad_output.shape[-1]).sum(axis=0)
    return np.tile(total, (num_embeddings, 1)).astype(grad_output.dtype)


CASES = [(embeddings.EMBEDDING_BACKWARD, APP, "embedding_backward",
          [_fancy_index_add, _one_dimensional_only, _float64, _no_range_check, _sum_over_all])]


def test_solution_passes_and_wrong_answers_fail():
    exercise, _, _, wrong = CASES[0]
    assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_the_fancy_index_mistake_fails_exactly_on_repeats():
    failed = [r.name for r in embeddings.EMBEDDING_BACKWARD.run(_fancy_index_add) if not r.passed]
    assert "a repeated index adds up" in failed and "distinct indices" not in failed


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP, SETTINGS[APP])
