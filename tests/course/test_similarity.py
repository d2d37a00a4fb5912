"""Cosine similarity of embedding rows: nearest neighbours, group means over distinct pairs,
and refusal of inputs that cannot be compared."""

import numpy as np
import pytest

from tinytorch.course.similarity import cosine_similarity, mean_similarity, nearest

TABLE = np.array([[1.0, 0.0], [2.0, 0.1], [0.0, 1.0], [-1.0, 0.0], [0.0, 0.0]])


def test_cosine_ignores_length_and_zero_rows_are_zero():
    s = cosine_similarity(TABLE)
    np.testing.assert_allclose(s[0, 1], 2 / np.hypot(2, 0.1))
    assert s[0, 3] == pytest.approx(-1) and s[0, 2] == pytest.approx(0) and s[4].tolist() == [0] * 5


def test_nearest_lists_the_most_similar_others_first():
    assert [c for c, _ in nearest(TABLE, "abcde", "a", k=3)] == ["b", "c", "e"]
    assert nearest(TABLE, "abcde", "a", k=1)[0][1] == pytest.approx(2 / np.hypot(2, 0.1))


def test_mean_similarity_within_a_group_counts_distinct_pairs_only():
    assert mean_similarity(TABLE, [0, 1], [0, 1]) == pytest.approx(2 / np.hypot(2, 0.1))
    assert mean_similarity(TABLE, [0], [2, 3]) == pytest.approx(-0.5)


def test_bad_inputs_are_refused_by_name():
    with pytest.raises(ValueError, match="3 labels for a table of 5 rows"):
        nearest(TABLE, "abc", "a")
    with pytest.raises(KeyError, match="'z' is not one of"):
        nearest(TABLE, "abcde", "z")
    with pytest.raises(ValueError, match="at least two rows"):
        mean_similarity(TABLE, [1], [1])
    with pytest.raises(ValueError, match=r"\(n, d\) table"):
        cosine_similarity(np.zeros(3))
