"""Module 10 exercise: one step of byte-pair encoding.

The learner gets a list of token ids (one word's bytes, say) and the id the new token gets;
they count every adjacent pair, pick the most frequent (ties go to the smallest pair, as in
tinytorch), and rewrite the list with each occurrence of that pair, left to right and without
overlaps, replaced by the new id. The checks compare with what `BPETokenizer.train` does.
"""

from collections import Counter

import numpy as np

from tinytorch.core.tokenization import _merge, _most_frequent_pair, merge_steps
from tinytorch.course.checks import Check, Exercise, expect_equal, expect_raises


def merge_step_solution(ids, new_id):
    """Return (pair, merged): the most frequent adjacent pair and `ids` with it merged."""
    if len(ids) < 2:
        raise ValueError(f"no pair to merge in {len(ids)} id(s)")
    counts = Counter(zip(ids, ids[1:], strict=False))
    pair = min(counts, key=lambda p: (-counts[p], p))  # most frequent, then the smallest pair
    merged, i = [], 0
    while i < len(ids):
        if i + 1 < len(ids) and (ids[i], ids[i + 1]) == pair:
            merged.append(new_id)
            i += 2
        else:
            merged.append(ids[i])
            i += 1
    return pair, merged


def reference(ids, new_id):
    """What tinytorch's BPE training does to one chunk of ids (weights 1, no chunk breaks)."""
    array = np.asarray(ids, dtype=np.int64)
    (pair, _), weights = _most_frequent_pair(array, np.ones(len(array))), np.ones(len(array))
    merged, _ = _merge(array, weights, pair, new_id)
    return pair, merged.tolist()


def _as_result(result):
    if result is None:
        raise AssertionError("got None: did the function forget to `return pair, merged`?")
    if not isinstance(result, tuple) or len(result) != 2:
        raise AssertionError(f"return a tuple (pair, merged), got {type(result).__name__}")
    pair, merged = result
    return tuple(int(i) for i in pair), [int(i) for i in merged]


def _case(ids, new_id=256):
    def test(candidate):
        expect_equal(_as_result(candidate(list(ids), new_id)), reference(ids, new_id),
                     f"(pair, merged) for ids {list(ids)}")
    return test


def _leaves_input_alone(candidate):
    ids = [1, 2, 1, 2, 3]
    candidate(ids, 256)
    expect_equal(ids, [1, 2, 1, 2, 3], "the list passed in, after the call")


def _agrees_with_bpe_training(candidate):
    """Three merges of a word, one at a time, are the first three merges tinytorch learns."""
    word = "abracadabra"
    ids, learned = list(word.encode()), []
    for new_id in range(256, 259):
        pair, ids = _as_result(candidate(ids, new_id))
        learned.append(pair)
    expect_equal(learned, [s.pair for s in merge_steps(word, 3)], f"the first three merges of {word!r}")


def _too_short(candidate):
    expect_raises(ValueError, candidate, [7], 256, what="merge_step([7], 256)")


MERGE_STEP = Exercise(
    name="MERGE_STEP",
    checks=(
        Check("a pair that occurs twice", _case([1, 2, 3, 1, 2]),
              "Count zip(ids, ids[1:]) with a Counter; (1, 2) occurs twice."),
        Check("the merged list", _case([5, 1, 2, 1, 2, 9], 300),
              "Walk left to right: where ids[i], ids[i+1] is the pair, append new_id and skip two."),
        Check("ties go to the smallest pair", _case([3, 4, 1, 2]),
              "Every pair occurs once: choose the smallest, (1, 2), e.g. min over (-count, pair)."),
        Check("a run of one id merges without overlap", _case([7, 7, 7]),
              "In 7 7 7 the pair (7, 7) occurs twice but only the first two merge: [256, 7]."),
        Check("a longer run", _case([7, 7, 7, 7, 7, 2]),
              "Five 7s become 256 256 7: after a merge, continue after the pair."),
        Check("real bytes", _case(list(b" the cat sat on the mat"), 400),
              "Pairs are of ids, here the UTF-8 bytes of the text."),
        Check("the input list is not modified", _leaves_input_alone,
              "Build a new list rather than deleting from `ids`."),
        Check("three steps agree with BPETokenizer.train", _agrees_with_bpe_training,
              "Feed each step's merged list and the next new id into the next step."),
        Check("fewer than two ids raise ValueError", _too_short,
              "With one id there is no pair: raise ValueError."),
    ),
    solution=merge_step_solution,
)
