"""Sparse storage: a pruned matrix kept as its nonzeros only (CSR, compressed sparse row).

A matrix that is 90% zeros still costs 4 bytes per entry stored densely. CSR keeps three
arrays: the nonzero `values` row after row, the column index of each, and `indptr`, where row
i's entries start (row i is values[indptr[i]:indptr[i + 1]]). Its size is
nnz x (value bytes + index bytes) + (rows + 1) x 4, so it only pays below some density: with
float32 values and 2-byte indices, below 2/3; with int8 values, below 1/3.

Multiplying by a CSR matrix touches only the nonzeros, but in an irregular pattern; dense
BLAS touches everything in a pattern the CPU streams at full speed. Which wins depends on the
sparsity, measured in bench/bench_optimization.py (the crossover is in the benchmark notes).
"""

from __future__ import annotations

import numpy as np


def _index_dtype(columns: int) -> np.dtype:
    """The smallest unsigned integer type that can name every column."""
    return np.dtype(np.uint16 if columns <= 1 << 16 else np.uint32)


class CSRMatrix:
    """A 2-D matrix stored as (values, indices, indptr), like scipy.sparse.csr_matrix."""

    def __init__(self, values: np.ndarray, indices: np.ndarray, indptr: np.ndarray, shape):
        self.values, self.indices, self.indptr = values, indices, indptr
        self.shape = tuple(int(s) for s in shape)
        self.validate()

    @classmethod
    def from_dense(cls, dense) -> CSRMatrix:
        dense = np.asarray(dense)
        if dense.ndim != 2:
            raise ValueError(f"CSRMatrix stores 2-D matrices, got shape {dense.shape}")
        rows, cols = np.nonzero(dense)  # row-major order: row after row, columns ascending
        indptr = np.zeros(dense.shape[0] + 1, np.int32)
        np.cumsum(np.bincount(rows, minlength=dense.shape[0]), out=indptr[1:])
        return cls(dense[rows, cols], cols.astype(_index_dtype(dense.shape[1])), indptr,
                   dense.shape)

    def validate(self) -> None:
        """Refuse arrays that do not describe a matrix of `shape` (e.g. from a corrupt file)."""
        rows, columns = self.shape
        if self.values.ndim != 1 or self.indices.shape != self.values.shape:
            raise ValueError(f"CSR values {self.values.shape} and indices {self.indices.shape} "
                             f"must be 1-D and of one length")
        if self.indices.dtype.kind not in "iu" or self.indptr.dtype.kind not in "iu":
            raise ValueError(f"CSR indices and indptr must be integers, got "
                             f"{self.indices.dtype} and {self.indptr.dtype}")
        if self.indptr.shape != (rows + 1,) or self.indptr[0] != 0 or \
                self.indptr[-1] != self.values.size or np.any(np.diff(self.indptr) < 0):
            raise ValueError(f"CSR indptr must rise from 0 to nnz={self.values.size} over "
                             f"{rows + 1} entries")
        if self.indices.size and self.indices.max() >= columns:
            raise ValueError(f"CSR column index {self.indices.max()} is out of range for "
                             f"{columns} columns")

    @property
    def nnz(self) -> int:
        return self.values.size

    @property
    def density(self) -> float:
        return self.nnz / max(self.shape[0] * self.shape[1], 1)

    @property
    def nbytes(self) -> int:
        return self.values.nbytes + self.indices.nbytes + self.indptr.nbytes

    def _rows(self) -> np.ndarray:
        """The row of every stored value."""
        return np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))

    def to_dense(self) -> np.ndarray:
        dense = np.zeros(self.shape, self.values.dtype)
        dense[self._rows(), self.indices] = self.values
        return dense

    def matmul(self, x: np.ndarray) -> np.ndarray:
        """self @ x for a dense x (columns, n): each stored value scales one row of x, and the
        products are summed into their output rows (one vectorised gather and one reduceat)."""
        x = np.asarray(x)
        if x.ndim != 2 or x.shape[0] != self.shape[1]:
            raise ValueError(f"CSRMatrix of shape {self.shape} @ x needs x of shape "
                             f"({self.shape[1]}, n), got {x.shape}")
        out = np.zeros((self.shape[0], x.shape[1]), np.result_type(self.values, x))
        if not self.nnz:
            return out
        products = x[self.indices] * self.values[:, None]
        nonempty = np.flatnonzero(np.diff(self.indptr))
        out[nonempty] = np.add.reduceat(products, self.indptr[nonempty], axis=0)
        return out

    def __repr__(self) -> str:
        return (f"CSRMatrix(shape={self.shape}, nnz={self.nnz}, density={self.density:.3f}, "
                f"{self.nbytes} bytes)")


__all__ = ["CSRMatrix"]
