"""PyTorch's face on the course modules: `import tinytorch.nn as nn` then `nn.Linear(...)`.

Every layer the course builds is here under PyTorch's name. `MultiheadAttention` is PyTorch's
interface (query, key, value; `batch_first`; True in a boolean mask means "masked"); the course's
own self-attention layer, which takes one (B, T, E) input, stays `tinytorch.core.attention.
MultiHeadAttention`: two classes differing only in one capital letter would be a trap here.
"""

from tinytorch.core.activations import (
    GELU,
    LeakyReLU,
    LogSoftmax,
    ReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Tanh,
)
from tinytorch.core.embeddings import Embedding, PositionalEmbedding, SinusoidalPositionalEncoding
from tinytorch.core.layers import (
    Dropout,
    Flatten,
    Identity,
    Linear,
    Module,
    ModuleList,
    Parameter,
    Sequential,
)
from tinytorch.core.losses import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, NLLLoss
from tinytorch.core.spatial import (
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm1d,
    BatchNorm2d,
    Conv2d,
    Dropout2d,
    MaxPool2d,
)
from tinytorch.core.transformer import GPT, MLP, LayerNorm, TransformerBlock
from tinytorch.nn import functional, init, utils
from tinytorch.nn.multihead_attention import MultiheadAttention

__all__ = [
    "GELU", "GPT", "MLP", "AdaptiveAvgPool2d", "AvgPool2d", "BCELoss", "BCEWithLogitsLoss",
    "BatchNorm1d", "BatchNorm2d", "Conv2d", "CrossEntropyLoss", "Dropout", "Dropout2d", "Embedding",
    "Flatten", "Identity", "LayerNorm", "LeakyReLU", "Linear", "LogSoftmax", "MSELoss", "MaxPool2d",
    "Module", "ModuleList", "MultiheadAttention", "NLLLoss", "Parameter", "PositionalEmbedding", "ReLU",
    "Sequential", "SiLU", "Sigmoid", "SinusoidalPositionalEncoding", "Softmax", "Tanh",
    "TransformerBlock", "functional", "init", "utils",
]
