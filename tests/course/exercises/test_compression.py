"""Module 16's exercise: the reference magnitude-pruning mask passes every check, typical wrong
answers fail at least one, and the app's check cell reports both outcomes."""

import numpy as np

from tests.apps.quick import SETTINGS
from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import compression

APP = "16_compression"
solve = compression.magnitude_prune_mask_solution


def _signed(w, sparsity):  # the most negative weights go first
    count = round(sparsity * w.size)
    keep = np.ones(w.size, bool)
    keep[np.argsort(w.reshape(-1), kind="stable")[:count]] = False
    return keep.reshape(w.shape)


def _threshold(w, sparsity):  # every weight tied with the threshold goes too
    if not 0 <= sparsity < 1:
        raise ValueError(sparsity)
    return np.abs(w) > np.quantile(np.abs(w), sparsity)


def _truncated_count(w, sparsity):
    if not 0 <= sparsity < 1:
        raise ValueError(sparsity)
    count = int(sparsity * w.size)
    keep = np.ones(w.size, bool)
    keep[np.argsort(np.abs(w).reshape(-1), kind="stable")[:count]] = False
    return keep.reshape(w.shape)


def _removed_not_kept(w, sparsity):
    return ~solve(w, sparsity)


def _float_mask(w, sparsity):
    return solve(w, sparsity).astype(np.float32)


def _no_validation(w, sparsity):
    return solve(w, min(max(sparsity, 0.0), 0.999))


def _flat(w, sparsity):
    return solve(w, sparsity).reshape(-1)


CASES = [(compression.MAGNITUDE_PRUNE, APP, "magnitude_prune_mask", [
    _signed, _threshold, _truncated_count, _removed_not_kept, _float_mask, _no_validation, _flat])]


def test_solution_passes_and_wrong_answers_fail():
    for exercise, _, _, wrong in CASES:
        assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP, defs=SETTINGS[APP])
