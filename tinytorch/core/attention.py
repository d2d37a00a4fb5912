"""Module 12, Attention: every token looks at every other and takes what it needs.

Each token makes a query ("what am I looking for?"), a key ("what do I contain?") and a value
("what do I pass on?"). The weight of token j for token i is softmax_j(q_i . k_j / sqrt(d)),
and token i's output is the weighted sum of the values. Dividing by sqrt(d) keeps the dot
products at unit scale however wide the vectors, so the softmax does not saturate.

Multi-head attention runs H such attentions side by side on d = embed_dim / H dimensions each,
so one head can follow syntax while another follows coreference. The heads are one batched
computation on (B, H, T, d) arrays: a reshape, not a loop.

A causal mask lets token i see only tokens 0..i, which is what makes a model that predicts the
next token honest: without it, position i could read the answer at i + 1.

The cost is the (T, T) weight matrix per head: time and memory grow with the square of the
sequence length (measured in bench/bench_conv_attention.py and docs/benchmarks-architecture.md).
"""

import math

import numpy as np

from tinytorch.core.arguments import check_counts
from tinytorch.core.layers import Dropout, Linear, dropout
from tinytorch.core.module import Module
from tinytorch.core.ops.attention_weights import AttentionWeights
from tinytorch.core.tensor import Tensor, apply


def causal_mask(query_length: int, key_length: int | None = None, offset: int = 0) -> np.ndarray:
    """Boolean (Tq, Tk) mask, True where query i may attend to key j, i.e. j <= i + offset.

    `offset` is the number of earlier positions already in the keys (a KV cache's length):
    the queries then sit at positions offset, offset + 1, ... of the sequence.
    """
    return np.tri(query_length, key_length, offset, dtype=bool)


def scaled_dot_product_attention(q: Tensor, k: Tensor, v: Tensor, mask=None,
                                 causal: bool = False, dropout_p: float = 0.0, *,
                                 scale: float | None = None):
    """softmax(q k^T * scale + bias) v for q (..., Tq, d), k (..., Tk, d), v (..., Tk, dv).

    `mask` follows PyTorch's function of this name: boolean, True where attention is allowed;
    or float, added to the scores (a bias; -inf hides a key; a float tensor that requires grad
    gets its gradient). Either broadcasts to (..., Tq, Tk). `causal=True` also hides later
    keys. `scale` defaults to 1/sqrt(d). `dropout_p` drops attention weights (pass 0 in
    evaluation). Returns (output (..., Tq, dv), weights (..., Tq, Tk)); rows of weights sum to 1.
    """
    if q.shape[-1] != k.shape[-1] or k.shape[-2] != v.shape[-2]:
        raise ValueError(f"attention needs q (..., Tq, d), k (..., Tk, d), v (..., Tk, dv); got "
                         f"q {q.shape}, k {k.shape}, v {v.shape}")
    allowed, bias = None, ()
    if mask is not None:
        values = np.asarray(mask.data if isinstance(mask, Tensor) else mask)
        if values.dtype == np.bool_:
            allowed = values
        elif values.dtype.kind == "f":
            bias = ((mask if isinstance(mask, Tensor) else Tensor(values)).to(q.dtype),)
        else:
            raise TypeError(f"attention mask must be boolean (True = may attend) or float (added "
                            f"to the scores), got dtype {values.dtype}")
    if causal:
        hide_later = causal_mask(q.shape[-2], k.shape[-2])
        allowed = hide_later if allowed is None else allowed & hide_later
    if allowed is not None or bias:
        visible = ~np.isneginf(bias[0].data) if bias else True
        if not np.any(visible if allowed is None else allowed & visible, axis=-1).all():
            raise ValueError("attention mask hides every key from some query; its softmax "
                             "would be 0/0")
    k = k.to(q.dtype)
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    weights = apply(AttentionWeights, q, k, *bias, mask=allowed, scale=scale)
    output = dropout(weights, dropout_p) @ v
    return output, weights


class MultiHeadAttention(Module):
    """Self-attention with `num_heads` heads over x (B, T, embed_dim).

    One Linear makes queries, keys and values for all heads at once (3 * embed_dim outputs);
    another mixes the heads' outputs back together. Returns (output (B, T, embed_dim),
    weights (B, H, T, T)).
    """

    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0, bias: bool = True):
        super().__init__()
        check_counts("MultiHeadAttention", embed_dim=embed_dim, num_heads=num_heads)
        if embed_dim % num_heads:
            raise ValueError(f"embed_dim ({embed_dim}) must be divisible by num_heads "
                             f"({num_heads})")
        self.embed_dim, self.num_heads = embed_dim, num_heads
        self.qkv = Linear(embed_dim, 3 * embed_dim, bias=bias)
        self.proj = Linear(embed_dim, embed_dim, bias=bias)
        self.attention_dropout = Dropout(dropout)

    def forward(self, x: Tensor, mask=None, causal: bool = False, kv_cache=None):
        if x.ndim != 3 or x.shape[-1] != self.embed_dim:
            raise ValueError(f"MultiHeadAttention expects input of shape (B, T, "
                             f"{self.embed_dim}), got {x.shape}")
        batch, length, _ = x.shape
        head_dim = self.embed_dim // self.num_heads
        # (B, T, 3E) -> (3, B, H, T, d): q, k, v for every head, one slice each.
        qkv = self.qkv(x).reshape(batch, length, 3, self.num_heads, head_dim)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)
        if kv_cache is not None:
            past = kv_cache.length
            k, v = kv_cache.append(k, v)
            if causal and length > 1:  # the new queries sit at positions past, past + 1, ...
                allowed = causal_mask(length, past + length, past)
                mask = allowed if mask is None else allowed & np.asarray(getattr(mask, "data", mask))
            causal = False  # (one new query is the last position: it may see every key)
        p = self.attention_dropout.p if self.training else 0.0
        heads, weights = scaled_dot_product_attention(q, k, v, mask, causal, p)
        merged = heads.permute(0, 2, 1, 3).reshape(batch, length, self.embed_dim)
        return self.proj(merged), weights

    def extra_repr(self) -> str:
        return f"embed_dim={self.embed_dim}, num_heads={self.num_heads}"


__all__ = ["MultiHeadAttention", "causal_mask", "scaled_dot_product_attention"]
