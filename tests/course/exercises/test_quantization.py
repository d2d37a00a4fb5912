"""Module 15's exercises: the reference quantize/dequantize pass every check, typical wrong
answers fail at least one, and the app's check cells report both outcomes."""

import numpy as np

from tests.apps.quick import SETTINGS
from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import quantization

APP = "15_quantization"
solve = quantization.quantize_int8_solution


def _largest(w, per_channel):
    return np.abs(w).max(axis=tuple(range(1, w.ndim)) if per_channel else None)


def _truncates(w, per_channel=False):
    q, scale = solve(w, per_channel)
    step = scale.reshape(-1, *[1] * (w.ndim - 1)) if per_channel else scale
    return (w / step).astype(np.int8), scale


def _max_not_absolute(w, per_channel=False):
    scale = np.float32(w.max() / 127)
    return np.clip(np.rint(w / scale), -127, 127).astype(np.int8), scale


def _over_128(w, per_channel=False):
    scale = (_largest(w, per_channel) / 128).astype(np.float32)
    step = scale.reshape(-1, *[1] * (w.ndim - 1)) if per_channel else scale
    return np.clip(np.rint(w / step), -127, 127).astype(np.int8), scale


def _ignores_per_channel(w, per_channel=False):
    return solve(w, False)


def _per_column(w, per_channel=False):
    if not per_channel:
        return solve(w, False)
    scale = np.abs(w).max(axis=0).astype(np.float32)
    return np.clip(np.rint(w / scale), -127, 127).astype(np.int8), scale


def _float_q(w, per_channel=False):
    q, scale = solve(w, per_channel)
    return q.astype(np.float32), scale


def _divides_by_zero(w, per_channel=False):
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = (_largest(w, per_channel) / 127).astype(np.float32)
        step = scale.reshape(-1, *[1] * (w.ndim - 1)) if per_channel else scale
        return np.nan_to_num(np.rint(w / step)).astype(np.int8), scale


def _scales_columns(q, scale):
    return (q.astype(np.float32) * np.asarray(scale, np.float32)).astype(np.float32)


def _stays_int(q, scale):
    return q


def _divides(q, scale):
    return (q / np.asarray(scale, np.float32).reshape(-1, *[1] * (q.ndim - 1))).astype(np.float32)


def _float64(q, scale):
    return quantization.dequantize_int8_solution(q, scale).astype(np.float64)


CASES = [
    (quantization.QUANTIZE, APP, "quantize_int8", [
        _truncates, _max_not_absolute, _over_128, _ignores_per_channel, _per_column, _float_q,
        _divides_by_zero]),
    (quantization.DEQUANTIZE, APP, "dequantize_int8", [_scales_columns, _stays_int, _divides, _float64]),
]


def test_solutions_pass_and_wrong_answers_fail():
    for exercise, _, _, wrong in CASES:
        assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP, defs=SETTINGS[APP])
