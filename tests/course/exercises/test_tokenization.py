"""Module 10's exercise: the reference merge step matches BPE training, typical wrong ones
fail at least one check, and the app's check cell reports both outcomes."""

from collections import Counter

from tests.apps.quick import SETTINGS
from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import tokenization

APP = "10_tokenization"


def _replace_all(ids, pair, new_id):
    merged, i = [], 0
    while i < len(ids):
        if tuple(ids[i:i + 2]) == pair:
            merged.append(new_id)
            i += 2
        else:
            merged.append(ids[i])
            i += 1
    return merged


def _first_most_common(ids, new_id):
    """Counter.most_common breaks ties by first occurrence, not by the smallest pair."""
    pair = Counter(zip(ids, ids[1:], strict=False)).most_common(1)[0][0]
    return pair, _replace_all(ids, pair, new_id)


def _overlapping(ids, new_id):
    """Replaces at every position where the pair starts, overlaps included."""
    pair, _ = tokenization.merge_step_solution(ids, new_id)
    starts = {i for i in range(len(ids) - 1) if (ids[i], ids[i + 1]) == pair}
    return pair, [new_id if i in starts else x for i, x in enumerate(ids) if i - 1 not in starts]


def _only_first(ids, new_id):
    pair, _ = tokenization.merge_step_solution(ids, new_id)
    i = next(i for i in range(len(ids) - 1) if (ids[i], ids[i + 1]) == pair)
    return pair, ids[:i] + [new_id] + ids[i + 2:]


def _in_place(ids, new_id):
    pair, merged = tokenization.merge_step_solution(ids, new_id)
    ids[:] = merged
    return pair, ids


def _none_for_short(ids, new_id):
    if len(ids) < 2:
        return None, list(ids)
    return tokenization.merge_step_solution(ids, new_id)


CASES = [(tokenization.MERGE_STEP, APP, "merge_step",
          [_first_most_common, _overlapping, _only_first, _in_place, _none_for_short])]


def test_solution_passes_and_wrong_answers_fail():
    exercise, _, _, wrong = CASES[0]
    assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP, SETTINGS[APP])
