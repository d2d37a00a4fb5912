"""Argument checks (tinytorch/core/arguments.py) and the constructors that use them: a zero or
negative size is refused where it is given, naming the class and the argument, instead of a
ZeroDivisionError at initialisation or an empty layer."""

import numpy as np
import pytest

from tinytorch.core.arguments import check_counts
from tinytorch.core.attention import MultiHeadAttention
from tinytorch.core.dataloader import DataLoader, TensorDataset
from tinytorch.core.embeddings import Embedding, PositionalEmbedding, SinusoidalPositionalEncoding
from tinytorch.core.layers import Dropout, Linear
from tinytorch.core.spatial import (
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm1d,
    BatchNorm2d,
    Conv2d,
    Dropout2d,
    MaxPool2d,
)
from tinytorch.core.transformer import GPT, MLP, LayerNorm


def test_check_counts_names_the_owner_and_argument():
    check_counts("Thing", size=3, other=np.int64(1))
    with pytest.raises(ValueError, match="Thing: size must be >= 1, got 0"):
        check_counts("Thing", size=0)
    with pytest.raises(ValueError, match="Thing: steps must be >= 0, got -1"):
        check_counts("Thing", minimum=0, steps=-1)
    for value in (2.0, True, "3"):
        with pytest.raises(TypeError, match="Thing: size must be an integer"):
            check_counts("Thing", size=value)


@pytest.mark.parametrize(("make", "message"), [
    (lambda: Linear(0, 2), "Linear: in_features must be >= 1, got 0"),
    (lambda: Linear(2, -1), "Linear: out_features must be >= 1, got -1"),
    (lambda: Conv2d(0, 2, 3), "Conv2d: in_channels must be >= 1"),
    (lambda: Conv2d(1, 1, kernel_size=0), r"kernel_size \(0, 0\).*must be positive"),
    (lambda: Conv2d(2, 2, 3, groups=0), "Conv2d: groups must be >= 1, got 0"),
    (lambda: Conv2d(2, 2, 3, stride=0), r"stride \(0, 0\).*must be positive"),
    (lambda: Conv2d(2, 2, 3, padding=-1), r"padding \(-1, -1\) not negative"),
    (lambda: MaxPool2d(0), r"kernel_size \(0, 0\)"),
    (lambda: AvgPool2d(2, stride=0), r"stride \(0, 0\)"),
    (lambda: MaxPool2d(2, padding=2), "MaxPool2d: padding .* at most half the kernel"),
    (lambda: AdaptiveAvgPool2d(0), "output_height must be >= 1, got 0"),
    (lambda: BatchNorm1d(0), "BatchNorm1d: num_features must be >= 1"),
    (lambda: BatchNorm2d(3, momentum=1.5), "BatchNorm2d: momentum must be in"),
    (lambda: BatchNorm2d(3, eps=0), "eps > 0"),
    (lambda: LayerNorm(0), r"LayerNorm: normalized_shape\[0\] must be >= 1"),
    (lambda: LayerNorm((4, -2)), r"normalized_shape\[1\] must be >= 1"),
    (lambda: Embedding(0, 3), "Embedding: num_embeddings must be >= 1"),
    (lambda: Embedding(10, 0), "Embedding: embedding_dim must be >= 1"),
    (lambda: PositionalEmbedding(0, 4), "PositionalEmbedding: max_len must be >= 1"),
    (lambda: SinusoidalPositionalEncoding(8, 0), "dim must be >= 1"),
    (lambda: MultiHeadAttention(8, 0), "MultiHeadAttention: num_heads must be >= 1"),
    (lambda: MultiHeadAttention(8, 3), r"embed_dim \(8\) must be divisible by num_heads \(3\)"),
    (lambda: MLP(4, 0), "MLP: hidden_dim must be >= 1"),
    (lambda: GPT(10, 8, 8, 2, num_layers=0), "GPT: num_layers must be >= 1"),
    (lambda: Dropout(1.5), "dropout probability has to be between 0 and 1, but got 1.5"),
    (lambda: Dropout(float("nan")), "dropout probability"),
    (lambda: Dropout2d(-0.1), "dropout probability"),
    (lambda: DataLoader(TensorDataset(np.zeros(3)), batch_size=0), "DataLoader: batch_size must be >= 1"),
])
def test_constructors_refuse_sizes_that_make_no_layer(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_a_fractional_size_is_a_type_error():
    with pytest.raises(TypeError, match="Linear: in_features must be an integer, got 2.5"):
        Linear(2.5, 3)
