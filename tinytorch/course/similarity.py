"""Cosine similarity between the rows of an embedding table: which tokens a model treats as
alike. Module 11's app asks two questions with it: which characters' vectors are nearest a
given one, and whether a group (the vowels) sits closer together than to another group.

Cosine, not distance: an embedding's direction carries what it means, and its length varies
with how often the token was seen (rare tokens get fewer updates).
"""

from __future__ import annotations

import numpy as np


def cosine_similarity(table) -> np.ndarray:
    """(n, n) cosine similarity of every pair of rows of `table` (n, d); a zero row is 0 to all."""
    x = np.asarray(table, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"cosine_similarity needs a (n, d) table, got shape {x.shape}")
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    unit = np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
    return unit @ unit.T


def nearest(table, labels, label, k: int = 5) -> list[tuple[object, float]]:
    """The k labels (other than `label`) whose rows point most nearly the way `label`'s does,
    with their cosine similarity, most similar first."""
    labels = list(labels)
    if len(labels) != len(table):
        raise ValueError(f"{len(labels)} labels for a table of {len(table)} rows")
    if label not in labels:
        raise KeyError(f"{label!r} is not one of the table's labels")
    similarity = cosine_similarity(table)[labels.index(label)]
    order = [i for i in np.argsort(-similarity, kind="stable") if labels[i] != label][:k]
    return [(labels[i], float(similarity[i])) for i in order]


def mean_similarity(table, rows_a, rows_b) -> float:
    """Mean cosine similarity between rows `rows_a` and rows `rows_b` of `table`; within one
    group (the same rows twice), over distinct pairs only, so a row's similarity of 1 with
    itself does not count."""
    a, b = np.asarray(rows_a, dtype=np.int64), np.asarray(rows_b, dtype=np.int64)
    block = cosine_similarity(table)[np.ix_(a, b)]
    if np.array_equal(a, b):
        if len(a) < 2:
            raise ValueError("a group needs at least two rows to have pairs")
        return float(block[np.triu_indices(len(a), 1)].mean())
    if not len(a) or not len(b):
        raise ValueError("both groups need at least one row")
    return float(block.mean())


__all__ = ["cosine_similarity", "mean_similarity", "nearest"]
