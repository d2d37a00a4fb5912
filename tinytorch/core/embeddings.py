"""Module 11, Embeddings: turn token ids into vectors, and tell the model where each token is.

An `Embedding` is a table with one learned row per token id: looking up id 42 is the same as
multiplying a one-hot vector by the table, without building the one-hot vector. Its backward
adds each position's gradient into the row it read (`tinytorch.core.ops.embedding`).

Attention compares every token with every other and by itself has no idea of order: "dog bites
man" and "man bites dog" hold the same tokens. So each position adds a vector of its own,
either learned (`PositionalEmbedding`, as in GPT-2) or fixed sinusoids of geometrically
spaced frequencies (`SinusoidalPositionalEncoding`, as in "Attention Is All You Need"), whose
pattern lets a model read relative offsets as rotations.
"""

import math

import numpy as np

from tinytorch.core import init
from tinytorch.core.arguments import check_counts
from tinytorch.core.module import Module, Parameter
from tinytorch.core.ops import embedding as embedding_op
from tinytorch.core.tensor import Tensor, apply


def embedding(indices, weight: Tensor) -> Tensor:
    """Rows of `weight` (V, D) for integer `indices` of any shape (...): returns (..., D)."""
    ids = np.asarray(indices.data if isinstance(indices, Tensor) else indices)
    if ids.dtype.kind not in "iu":
        raise TypeError(f"embedding indices must be integers, got dtype {ids.dtype}")
    vocab = weight.shape[0]
    if ids.size and (ids.min() < 0 or ids.max() >= vocab):
        bad = ids[(ids < 0) | (ids >= vocab)][0]
        raise IndexError(f"embedding index {bad} is out of range for a table of {vocab} rows "
                         f"[0, {vocab})")
    return apply(embedding_op.EmbeddingFunction, weight, indices=ids.astype(np.int64, copy=False))


class Embedding(Module):
    """A learned (num_embeddings, embedding_dim) table, initialised N(0, 1) like PyTorch's."""

    def __init__(self, num_embeddings: int, embedding_dim: int):
        super().__init__()
        check_counts("Embedding", num_embeddings=num_embeddings, embedding_dim=embedding_dim)
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.weight = init.normal_(Parameter(np.empty((num_embeddings, embedding_dim),
                                                      np.float32)))

    def forward(self, indices) -> Tensor:
        return embedding(indices, self.weight)

    def extra_repr(self) -> str:
        return f"{self.num_embeddings}, {self.embedding_dim}"


def _check_length(name: str, x: Tensor, max_len: int) -> int:
    """The sequence length of x (B, T, D); refuse sequences longer than the table."""
    if x.ndim < 2:
        raise ValueError(f"{name} expects input of shape (..., T, D), got {x.shape}")
    length = x.shape[-2]
    if length > max_len:
        raise ValueError(f"{name}: sequence of length {length} is longer than the "
                         f"{max_len} positions it was built for")
    return length


class PositionalEmbedding(Module):
    """Add a learned vector per position to x (..., T, D); T may be at most `max_len`."""

    def __init__(self, max_len: int, embedding_dim: int):
        super().__init__()
        check_counts("PositionalEmbedding", max_len=max_len, embedding_dim=embedding_dim)
        self.max_len, self.embedding_dim = max_len, embedding_dim
        self.weight = init.normal_(Parameter(np.empty((max_len, embedding_dim), np.float32)),
                                   std=0.02)

    def forward(self, x: Tensor) -> Tensor:
        length = _check_length("PositionalEmbedding", x, self.max_len)
        return x + self.weight[:length]

    def extra_repr(self) -> str:
        return f"max_len={self.max_len}, embedding_dim={self.embedding_dim}"


def sinusoidal_positional_encoding(max_len: int, dim: int) -> Tensor:
    """(max_len, dim) table: PE[p, 2i] = sin(p / 10000^(2i/dim)), PE[p, 2i+1] = cos(same).

    Each pair of columns is a rotation at its own frequency, from one turn per 2*pi
    positions down to one per 10000*2*pi, so nearby positions differ in the fast columns and
    far ones in the slow columns, and an offset k is the same rotation at every position.
    """
    check_counts("sinusoidal_positional_encoding", max_len=max_len, dim=dim)
    positions = np.arange(max_len)[:, None]
    frequencies = np.exp(-math.log(10000.0) * np.arange(0, dim, 2) / dim)
    angles = positions * frequencies
    table = np.empty((max_len, dim), dtype=np.float32)
    table[:, 0::2] = np.sin(angles)
    table[:, 1::2] = np.cos(angles[:, :dim // 2])
    return Tensor(table)


class SinusoidalPositionalEncoding(Module):
    """Add the fixed sinusoidal table to x (..., T, D). Nothing to learn: it is a buffer."""

    def __init__(self, max_len: int, embedding_dim: int):
        super().__init__()
        self.max_len, self.embedding_dim = max_len, embedding_dim
        self.register_buffer("table", sinusoidal_positional_encoding(max_len, embedding_dim))

    def forward(self, x: Tensor) -> Tensor:
        length = _check_length("SinusoidalPositionalEncoding", x, self.max_len)
        return x + Tensor(self.table.data[:length])

    def extra_repr(self) -> str:
        return f"max_len={self.max_len}, embedding_dim={self.embedding_dim}"


__all__ = ["Embedding", "PositionalEmbedding", "SinusoidalPositionalEncoding", "embedding",
           "sinusoidal_positional_encoding"]
