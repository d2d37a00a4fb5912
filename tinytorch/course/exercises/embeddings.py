"""Module 11 exercise: the backward pass of an embedding lookup.

The forward pass reads row `indices[p]` of the (V, D) table for every position p. Its
gradient with respect to the table is a scatter-add: every position adds its output gradient
into the row it read. The classic mistake is `grad[indices] += grad_output`, which keeps only
one of the contributions of a token that occurs twice. The checks compare with tinytorch's
autograd through `Embedding`.
"""

import numpy as np

from tinytorch.core.embeddings import embedding
from tinytorch.core.tensor import Tensor
from tinytorch.course.checks import Check, Exercise, expect_close, expect_equal, expect_raises


def embedding_backward_solution(indices, grad_output, num_embeddings):
    """dL/dweight (V, D) from integer `indices` (...) and dL/dout (..., D)."""
    indices = np.asarray(indices)
    if indices.size and (indices.min() < 0 or indices.max() >= num_embeddings):
        raise IndexError(f"an index is outside the table of {num_embeddings} rows")
    grad_output = np.asarray(grad_output)
    grad_weight = np.zeros((num_embeddings, grad_output.shape[-1]), dtype=grad_output.dtype)
    np.add.at(grad_weight, indices.reshape(-1), grad_output.reshape(-1, grad_output.shape[-1]))
    return grad_weight


def reference(indices, grad_output, num_embeddings) -> np.ndarray:
    """The table's gradient by tinytorch's autograd: look up, then backpropagate grad_output."""
    weight = Tensor(np.zeros((num_embeddings, grad_output.shape[-1]), np.float32), requires_grad=True)
    embedding(np.asarray(indices), weight).backward(Tensor(grad_output))
    return weight.grad.numpy()


def _case(indices, num_embeddings, dim=3, seed=0):
    def test(candidate):
        ids = np.asarray(indices, dtype=np.int64)
        grad = np.random.default_rng(seed).standard_normal((*ids.shape, dim)).astype(np.float32)
        expect_close(candidate(ids, grad, num_embeddings), reference(ids, grad, num_embeddings),
                     f"the gradient of a {num_embeddings}-row table for indices {ids.tolist()}")
    return test


def _dtype_kept(candidate):
    grad = np.ones((2, 4), np.float32)
    result = np.asarray(candidate(np.array([0, 2]), grad, 3))
    expect_equal(str(result.dtype), "float32", "the gradient's dtype")


def _out_of_range(candidate):
    expect_raises(IndexError, candidate, np.array([0, 5]), np.ones((2, 3), np.float32), 5,
                  what="the backward of index 5 in a 5-row table")


EMBEDDING_BACKWARD = Exercise(
    name="EMBEDDING_BACKWARD",
    checks=(
        Check("distinct indices", _case([2, 0, 3], 5),
              "Row indices[p] of the gradient receives grad_output[p]; the other rows stay 0."),
        Check("a repeated index adds up", _case([1, 4, 1, 1], 5, seed=1),
              "grad[indices] += g keeps only one of the three contributions to row 1: use "
              "np.add.at(grad, indices, g), which adds every one."),
        Check("a batch of sequences (B, T)", _case([[0, 1, 1], [3, 1, 0]], 4, dim=2, seed=2),
              "Flatten: indices.reshape(-1) and grad_output.reshape(-1, D)."),
        Check("rows nobody read stay zero", _case([7, 7], 10, seed=3),
              "Start from np.zeros((num_embeddings, D))."),
        Check("float32 in, float32 out", _dtype_kept,
              "Create the zeros with dtype=grad_output.dtype."),
        Check("an index outside the table raises IndexError", _out_of_range,
              "Check 0 <= index < num_embeddings before adding (np.add.at would raise for 5 but "
              "silently wrap -1 to the last row)."),
    ),
    solution=embedding_backward_solution,
)
