"""CSR storage: the same matrix, its real bytes, and a matmul equal to the dense one."""

import numpy as np
import pytest

from tinytorch.perf.sparse import CSRMatrix


def sparse_matrix(density, shape=(50, 70), seed=0):
    rng = np.random.default_rng(seed)
    dense = rng.normal(size=shape).astype(np.float32)
    dense[rng.random(shape) >= density] = 0
    return dense


@pytest.mark.parametrize("density", [0.0, 0.05, 0.5, 1.0])
def test_round_trip_and_matmul_equal_the_dense_matrix(density):
    dense = sparse_matrix(density)
    dense[3] = 0  # an empty row
    csr = CSRMatrix.from_dense(dense)
    np.testing.assert_array_equal(csr.to_dense(), dense)
    x = np.random.default_rng(1).normal(size=(70, 9)).astype(np.float32)
    np.testing.assert_allclose(csr.matmul(x), dense @ x, rtol=1e-5, atol=1e-5)
    assert csr.nnz == np.count_nonzero(dense)


def test_bytes_are_the_arrays_bytes():
    dense = sparse_matrix(0.1)
    csr = CSRMatrix.from_dense(dense)
    assert csr.indices.dtype == np.uint16 and csr.indptr.dtype == np.int32
    assert csr.nbytes == csr.nnz * (4 + 2) + (50 + 1) * 4
    int8 = CSRMatrix.from_dense(np.round(dense * 10).astype(np.int8))
    assert int8.values.dtype == np.int8 and int8.nbytes < csr.nbytes


def test_invalid_arrays_are_refused():
    with pytest.raises(ValueError, match="2-D"):
        CSRMatrix.from_dense(np.zeros(3))
    with pytest.raises(ValueError, match="indptr must rise"):
        CSRMatrix(np.ones(2), np.array([0, 1], np.uint16), np.array([0, 3, 2], np.int32), (2, 2))
    with pytest.raises(ValueError, match="column index 5 is out of range"):
        CSRMatrix(np.ones(1), np.array([5], np.uint16), np.array([0, 1], np.int32), (1, 2))
    with pytest.raises(ValueError, match=r"needs x of shape \(70, n\)"):
        CSRMatrix.from_dense(sparse_matrix(0.1)).matmul(np.ones((3, 2)))
