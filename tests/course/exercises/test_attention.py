"""Module 12's exercise: the reference attention passes every check, typical wrong answers fail
at least one, and the app's check cell reports both outcomes."""

import math

import numpy as np

from tests.apps.quick import SETTINGS
from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import attention

APP = "12_attention"


def _scores(q, k, scale):
    return q @ k.transpose(-2, -1) * scale


def _finish(scores, v, causal, mask_upper=True):
    if causal:
        tri = np.tri(scores.shape[-2], scores.shape[-1], dtype=bool)
        scores = scores.masked_fill(~tri if mask_upper else tri, -np.inf)
    weights = scores.softmax(axis=-1)
    return weights @ v, weights


def _unscaled(q, k, v, causal=False):
    return _finish(_scores(q, k, 1.0), v, causal)


def _scaled_by_d(q, k, v, causal=False):
    return _finish(_scores(q, k, 1 / q.shape[-1]), v, causal)


def _softmax_over_queries(q, k, v, causal=False):
    weights = _scores(q, k, 1 / math.sqrt(q.shape[-1])).softmax(axis=-2)
    return weights @ v, weights


def _mask_ignored(q, k, v, causal=False):
    return _finish(_scores(q, k, 1 / math.sqrt(q.shape[-1])), v, False)


def _mask_upside_down(q, k, v, causal=False):
    scores = _scores(q, k, 1 / math.sqrt(q.shape[-1]))
    if causal:  # hides the past and the diagonal's left instead of the future
        scores = scores.masked_fill(np.tri(scores.shape[-2], scores.shape[-1], -1, dtype=bool), -np.inf)
    weights = scores.softmax(axis=-1)
    return weights @ v, weights


def _in_numpy(q, k, v, causal=False):
    out, weights = attention.attention_solution(q, k, v, causal)
    return out.numpy(), weights.numpy()


def _only_the_output(q, k, v, causal=False):
    return attention.attention_solution(q, k, v, causal)[0]


CASES = [(attention.ATTENTION, APP, "attention", [
    _unscaled, _scaled_by_d, _softmax_over_queries, _mask_ignored, _mask_upside_down, _in_numpy,
    _only_the_output])]


def test_solution_passes_and_wrong_answers_fail():
    for exercise, _, _, wrong in CASES:
        assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP, defs=SETTINGS[APP])
