"""Module 17's exercise: the reference cache update passes every check, typical wrong answers
fail at least one, and the app's check cell reports both outcomes."""

import numpy as np

from tests.apps.quick import SETTINGS
from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import memoization

APP = "17_memoization"
solution = memoization.cache_update_solution


def _always_at_zero(keys, values, length, k, v):
    keys[:, :, :k.shape[2]], values[:, :, :v.shape[2]] = k, v
    return keys[:, :, :length + k.shape[2]], values[:, :, :length + v.shape[2]]


def _one_too_far(keys, values, length, k, v):
    return solution(keys, values, length + 1, k, v)


def _only_the_new(keys, values, length, k, v):
    solution(keys, values, length, k, v)
    return keys[:, :, length:length + k.shape[2]], values[:, :, length:length + k.shape[2]]


def _whole_buffer(keys, values, length, k, v):
    solution(keys, values, length, k, v)
    return keys, values


def _copies(keys, values, length, k, v):
    return tuple(np.concatenate([buffer[:, :, :length], new], axis=2)
                 for buffer, new in ((keys, k), (values, v)))


def _no_overflow_check(keys, values, length, k, v):
    end = length + k.shape[2]
    keys[:, :, length:end], values[:, :, length:end] = k[:, :, :keys.shape[2] - length], \
        v[:, :, :keys.shape[2] - length]
    return keys[:, :, :end], values[:, :, :end]


def _check_after_writing(keys, values, length, k, v):
    end = length + k.shape[2]
    keys[:, :, length:end] = k[:, :, :keys.shape[2] - length]
    if end > keys.shape[2]:
        raise ValueError("overflow")
    values[:, :, length:end] = v
    return keys[:, :, :end], values[:, :, :end]


def _keys_and_values_swapped(keys, values, length, k, v):
    return solution(keys, values, length, v, k)


def _one_token_only(keys, values, length, k, v):
    return solution(keys, values, length, k[:, :, -1:], v[:, :, -1:])


CASES = [(memoization.CACHE_UPDATE, APP, "cache_update", [
    _always_at_zero, _one_too_far, _only_the_new, _whole_buffer, _copies, _no_overflow_check,
    _check_after_writing, _keys_and_values_swapped, _one_token_only])]


def test_solution_passes_and_wrong_answers_fail():
    for exercise, _, _, wrong in CASES:
        assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_the_solution_matches_the_frameworks_cache():
    from tinytorch.core.tensor import Tensor
    from tinytorch.perf.memoization import LayerKVCache

    rng = np.random.default_rng(0)
    mine = [np.zeros((1, 2, 8, 3), np.float32) for _ in range(2)]
    theirs = LayerKVCache(*(np.zeros((1, 2, 8, 3), np.float32) for _ in range(2)))
    length = 0
    for tokens in (3, 1, 2):
        k, v = (rng.standard_normal((1, 2, tokens, 3)).astype(np.float32) for _ in range(2))
        got = solution(*mine, length, k, v)
        want = theirs.append(Tensor(k), Tensor(v))
        length += tokens
        for a, b in zip(got, want, strict=True):
            np.testing.assert_array_equal(a, b.data)


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP, defs=SETTINGS[APP])
