"""Module 11, Embeddings: lookup tables and positional information."""

import math

import numpy as np
import pytest

import tinytorch
from tinytorch.core.embeddings import (
    Embedding,
    PositionalEmbedding,
    SinusoidalPositionalEncoding,
    sinusoidal_positional_encoding,
)


def test_embedding_returns_the_rows_of_its_table():
    emb = Embedding(10, 4)
    ids = np.array([[1, 7, 1], [0, 9, 3]])
    out = emb(ids)
    assert out.shape == (2, 3, 4)
    np.testing.assert_array_equal(out.numpy(), emb.weight.numpy()[ids])
    np.testing.assert_array_equal(emb(tinytorch.tensor(ids)).numpy(), out.numpy())


def test_embedding_is_a_one_hot_matrix_product():
    emb = Embedding(5, 3)
    ids = np.array([4, 0, 4])
    np.testing.assert_allclose(emb(ids).numpy(), np.eye(5)[ids] @ emb.weight.numpy(), rtol=1e-6)


def test_embedding_gradient_reaches_only_the_rows_used():
    emb = Embedding(6, 2)
    emb(np.array([2, 2, 5])).sum().backward()
    np.testing.assert_array_equal(emb.weight.grad.numpy()[:, 0], [0, 0, 2, 0, 0, 1])


def test_embedding_rejects_bad_ids():
    emb = Embedding(5, 2)
    with pytest.raises(IndexError, match=r"index 5 is out of range for a table of 5 rows"):
        emb(np.array([0, 5]))
    with pytest.raises(IndexError, match="index -1"):
        emb(np.array([-1]))
    with pytest.raises(TypeError, match="integers"):
        emb(np.array([0.5]))


def test_sinusoidal_table_matches_the_formula():
    table = sinusoidal_positional_encoding(50, 6).numpy()
    pos, i = 7, 2
    angle = pos / 10000 ** (2 * i / 6)
    assert table.shape == (50, 6)
    assert math.isclose(table[pos, 2 * i], math.sin(angle), rel_tol=1e-5)
    assert math.isclose(table[pos, 2 * i + 1], math.cos(angle), rel_tol=1e-5)
    np.testing.assert_array_equal(table[0], [0, 1, 0, 1, 0, 1])
    assert sinusoidal_positional_encoding(4, 5).shape == (4, 5)  # odd widths work too


def test_positional_encodings_add_one_vector_per_position():
    x = tinytorch.zeros(2, 3, 4)
    fixed = SinusoidalPositionalEncoding(10, 4)
    np.testing.assert_array_equal(fixed(x).numpy()[1], fixed.table.numpy()[:3])
    assert not list(fixed.parameters()) and "table" in fixed.state_dict()
    learned = PositionalEmbedding(10, 4)
    np.testing.assert_array_equal(learned(x).numpy()[0], learned.weight.numpy()[:3])
    assert learned.weight.requires_grad


@pytest.mark.parametrize("layer", [PositionalEmbedding, SinusoidalPositionalEncoding])
def test_positional_encodings_refuse_sequences_longer_than_built_for(layer):
    with pytest.raises(ValueError, match="length 11 is longer than the 10 positions"):
        layer(10, 4)(tinytorch.zeros(1, 11, 4))
