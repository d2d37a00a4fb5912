"""Principal component analysis to two dimensions: how module 11's app draws a table of
learned embeddings (one 16-dimensional vector per character) on a page.

Why PCA and not t-SNE or UMAP: it is one SVD, exact and repeatable (no random seed, no
iterations to tune), fast enough for the browser, and its axes mean something: the two
directions along which the vectors differ most, with the share of the spread each explains.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Projection:
    coords: np.ndarray  # (n, 2): each row's position along the two principal directions
    explained: np.ndarray  # (2,): share of the total variance each direction holds


def pca_2d(matrix) -> Projection:
    """Project the rows of `matrix` (n, d), n >= 2 and d >= 2, onto their two principal
    directions, after centring. Signs are fixed so each direction's largest coordinate is
    positive, so the same table always gives the same picture."""
    x = np.asarray(matrix, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2:
        raise ValueError(f"pca_2d needs a (n, d) matrix with n >= 2 rows and d >= 2 columns, got shape "
                         f"{x.shape}")
    if not np.isfinite(x).all():
        raise ValueError("pca_2d: the matrix holds NaN or infinite values")
    centred = x - x.mean(axis=0)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    coords = u[:, :2] * s[:2]
    flip = np.sign(coords[np.abs(coords).argmax(axis=0), [0, 1]])
    coords = coords * np.where(flip == 0, 1, flip)
    total = float((s ** 2).sum())
    explained = (s[:2] ** 2) / total if total > 0 else np.zeros(2)
    return Projection(coords.astype(np.float32), explained)


__all__ = ["Projection", "pca_2d"]
