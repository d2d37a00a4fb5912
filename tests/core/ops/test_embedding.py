"""Embedding lookup (tinytorch/core/ops/embedding.py): indexing forward, scatter-add backward."""

import numpy as np

import tinytorch
from tinytorch import gradcheck
from tinytorch.core.embeddings import embedding


def test_embedding_gradient_with_repeated_ids():
    table = tinytorch.randn(5, 3, dtype=tinytorch.float64)
    ids = np.array([[0, 4, 4], [2, 0, 4]])
    assert gradcheck(lambda t: embedding(ids, t), table)


def test_each_row_collects_the_gradient_of_every_position_that_read_it():
    table = tinytorch.zeros(4, 2, requires_grad=True)
    ids = np.array([3, 1, 3, 3])
    upstream = np.arange(8, dtype=np.float32).reshape(4, 2)
    embedding(ids, table).backward(upstream)
    expected = np.zeros((4, 2), np.float32)
    np.add.at(expected, ids, upstream)
    np.testing.assert_array_equal(table.grad.numpy(), expected)
    np.testing.assert_array_equal(table.grad.numpy()[[0, 2]], 0)
