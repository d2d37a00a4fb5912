"""PCA to two dimensions: the directions of largest spread, their variance shares, a stable
sign, and refusal of matrices it cannot project."""

import numpy as np
import pytest

from tinytorch.course.projection import pca_2d


def test_points_on_a_plane_are_recovered_up_to_rotation():
    rng = np.random.default_rng(0)
    plane = rng.standard_normal((50, 2)) * [5.0, 1.0]
    basis = np.linalg.qr(rng.standard_normal((8, 8)))[0][:, :2]
    embedded = plane @ basis.T + 3.0  # 8-D points on a shifted 2-D plane
    p = pca_2d(embedded)
    assert p.coords.shape == (50, 2)
    np.testing.assert_allclose(p.explained.sum(), 1.0, atol=1e-9)
    centred = plane - plane.mean(axis=0)
    np.testing.assert_allclose(np.linalg.norm(p.coords, axis=1), np.linalg.norm(centred, axis=1), rtol=1e-4)
    assert p.explained[0] > 0.9  # the axis with 5x the spread holds ~25/26 of the variance


def test_the_first_direction_is_the_widest_and_matches_numpy():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((40, 5)) * [1, 4, 2, 0.5, 0.1]
    p = pca_2d(x)
    variances = np.linalg.eigvalsh(np.cov(x.T, bias=True))[::-1]
    np.testing.assert_allclose(p.coords.var(axis=0), variances[:2], rtol=1e-4)
    np.testing.assert_allclose(p.explained, variances[:2] / variances.sum(), rtol=1e-6)


def test_signs_are_fixed_so_the_picture_is_repeatable():
    x = np.random.default_rng(2).standard_normal((10, 4))
    a, b = pca_2d(x).coords, pca_2d(-x).coords
    np.testing.assert_allclose(a, b, atol=1e-5)
    assert (a[np.abs(a).argmax(axis=0), [0, 1]] > 0).all()


@pytest.mark.parametrize("bad", [np.zeros(5), np.zeros((1, 4)), np.zeros((4, 1)), [[1.0, np.nan], [0, 1]]])
def test_matrices_it_cannot_project_are_refused(bad):
    with pytest.raises(ValueError, match="pca_2d"):
        pca_2d(bad)
