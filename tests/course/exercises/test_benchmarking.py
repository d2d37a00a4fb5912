"""Module 19's exercise: the reference bootstrap interval passes every check, typical wrong
answers fail at least one, and the app's check cell reports both outcomes."""

import numpy as np

from tests.apps.quick import SETTINGS
from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import benchmarking

APP = "19_benchmarking"
solution = benchmarking.bootstrap_interval_solution


def _of_statistic(statistic, replace=True, size=None):
    def interval(values, confidence=0.95, resamples=2000, seed=0):
        values = np.asarray(values, dtype=np.float64)
        if values.size == 0 or not 0 < confidence < 1:
            raise ValueError("bad input")
        rng = np.random.default_rng(seed)
        stats = [statistic(rng.choice(values, size or values.size, replace=replace))
                 for _ in range(resamples)]
        tail = (1 - confidence) / 2 * 100
        return tuple(float(x) for x in np.percentile(stats, [tail, 100 - tail]))
    return interval


def _percentiles_of_the_data(values, confidence=0.95, resamples=2000, seed=0):
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0 or not 0 < confidence < 1:
        raise ValueError("bad input")
    tail = (1 - confidence) / 2 * 100
    return tuple(float(x) for x in np.percentile(values, [tail, 100 - tail]))


def _fixed_95(values, confidence=0.95, resamples=2000, seed=0):
    return solution(values, 0.95, resamples, seed)


def _unseeded(values, confidence=0.95, resamples=2000, seed=0):
    return solution(values, confidence, resamples, seed=None)


def _normal_approximation(values, confidence=0.95, resamples=2000, seed=0):
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0 or not 0 < confidence < 1:
        raise ValueError("bad input")
    half = 1.96 * values.std(ddof=1) / np.sqrt(values.size)
    return values.mean() - half, values.mean() + half


def _no_validation(values, confidence=0.95, resamples=2000, seed=0):
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0:
        return 0.0, 0.0
    return solution(values, min(max(confidence, 0.01), 0.99), resamples, seed)


CASES = [(benchmarking.BOOTSTRAP_INTERVAL, APP, "bootstrap_interval", [
    _of_statistic(np.mean), _of_statistic(np.median, replace=False), _of_statistic(np.median, size=10),
    _percentiles_of_the_data, _fixed_95, _unseeded, _normal_approximation, _no_validation])]


def test_solution_passes_and_wrong_answers_fail():
    for exercise, _, _, wrong in CASES:
        assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP, defs=SETTINGS[APP])
