"""`nn.MultiheadAttention` with PyTorch's interface, built on the course's attention (module 12).

The course's `tinytorch.core.attention.MultiHeadAttention` is self-attention over one (B, T, E)
input, the layer a GPT needs. PyTorch's layer is more general and differs in ways that would
silently change results if only the name were borrowed, so this is a layer of its own:

- separate query, key and value inputs (cross-attention; `kdim` / `vdim` for other widths);
- sequence-first (L, N, E) inputs unless `batch_first=True`, and unbatched (L, E) inputs;
- in `attn_mask` and `key_padding_mask` a boolean True means "may NOT attend" (the opposite
  of `F.scaled_dot_product_attention`), a float mask is added to the scores;
- it returns (output, weights averaged over heads), or per-head weights with
  `average_attn_weights=False`, or None for the weights with `need_weights=False`.

Parameters have PyTorch's names and layouts (`in_proj_weight` (3E, E), `in_proj_bias`,
`out_proj.weight`, `out_proj.bias`; `q_proj_weight` ... when kdim/vdim differ from E), so a
PyTorch state dict loads as it is. The returned weights are those before attention dropout
(PyTorch returns them after it); in evaluation, or with dropout 0, the two are the same.
"""

import functools

import numpy as np

from tinytorch.core import init
from tinytorch.core.attention import scaled_dot_product_attention
from tinytorch.core.layers import Linear, check_dropout_probability, linear
from tinytorch.core.module import Module, Parameter
from tinytorch.core.tensor import Tensor


class MultiheadAttention(Module):
    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0, bias: bool = True,
                 add_bias_kv: bool = False, add_zero_attn: bool = False, kdim: int | None = None,
                 vdim: int | None = None, batch_first: bool = False):
        super().__init__()
        if embed_dim % num_heads:
            raise ValueError(f"embed_dim ({embed_dim}) must be divisible by num_heads ({num_heads})")
        if add_bias_kv or add_zero_attn:
            raise ValueError("MultiheadAttention: add_bias_kv and add_zero_attn are not supported")
        check_dropout_probability(dropout)
        self.embed_dim, self.num_heads, self.dropout = embed_dim, num_heads, dropout
        self.kdim, self.vdim = kdim or embed_dim, vdim or embed_dim
        self.batch_first, self.head_dim = batch_first, embed_dim // num_heads
        if self.kdim == self.vdim == embed_dim:
            self.in_proj_weight = self._weight(3 * embed_dim, embed_dim)
        else:
            self.q_proj_weight = self._weight(embed_dim, embed_dim)
            self.k_proj_weight = self._weight(embed_dim, self.kdim)
            self.v_proj_weight = self._weight(embed_dim, self.vdim)
        self.in_proj_bias = Parameter(np.zeros(3 * embed_dim, np.float32)) if bias else None
        self.out_proj = Linear(embed_dim, embed_dim, bias=bias)
        if bias:
            init.zeros_(self.out_proj.bias)

    @staticmethod
    def _weight(rows: int, columns: int) -> Parameter:
        """PyTorch's initialisation of the input projections: Xavier uniform."""
        return init.xavier_uniform_(Parameter(np.empty((rows, columns), np.float32)))

    def _projections(self):
        """(weight, bias) of the query, key and value projections."""
        e = self.embed_dim
        if "in_proj_weight" in self._parameters:
            weights = [self.in_proj_weight[i * e:(i + 1) * e] for i in range(3)]
        else:
            weights = [self.q_proj_weight, self.k_proj_weight, self.v_proj_weight]
        if self.in_proj_bias is None:
            return [(w, None) for w in weights]
        return [(w, self.in_proj_bias[i * e:(i + 1) * e]) for i, w in enumerate(weights)]

    def forward(self, query: Tensor, key: Tensor, value: Tensor, key_padding_mask=None,
                need_weights: bool = True, attn_mask=None, average_attn_weights: bool = True,
                is_causal: bool = False):
        batched = query.ndim == 3
        self._check_inputs(query, key, value, batched)
        if not batched:
            query, key, value = query.unsqueeze(0), key.unsqueeze(0), value.unsqueeze(0)
            key_padding_mask = None if key_padding_mask is None else _array(key_padding_mask)[None]
        elif not self.batch_first:
            query, key, value = query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1)
        n, length, _ = query.shape
        source = key.shape[1]
        heads = [linear(x, w, b).reshape(n, x.shape[1], self.num_heads, self.head_dim).transpose(1, 2)
                 for x, (w, b) in zip((query, key, value), self._projections(), strict=True)]
        mask = self._combined_mask(attn_mask, key_padding_mask, n, length, source)
        p = self.dropout if self.training else 0.0
        attended, weights = scaled_dot_product_attention(*heads, mask, is_causal, p)
        output = self.out_proj(attended.transpose(1, 2).reshape(n, length, self.embed_dim))
        if not batched:
            output = output[0]
        elif not self.batch_first:
            output = output.transpose(0, 1)
        if not need_weights:
            return output, None
        if average_attn_weights:
            weights = weights.mean(axis=1)
        return output, (weights if batched else weights[0])

    def _check_inputs(self, query, key, value, batched: bool) -> None:
        layout = ("(N, L, E)" if self.batch_first else "(L, N, E)") if batched else "(L, E)"
        if query.ndim not in (2, 3) or key.ndim != query.ndim or value.ndim != query.ndim:
            raise ValueError(f"MultiheadAttention expects query, key and value of shape {layout} "
                             f"(or all unbatched), got {query.shape}, {key.shape}, {value.shape}")
        widths = (query.shape[-1], key.shape[-1], value.shape[-1])
        if widths != (self.embed_dim, self.kdim, self.vdim):
            raise ValueError(f"MultiheadAttention: query, key and value have {widths} features, "
                             f"the layer expects {(self.embed_dim, self.kdim, self.vdim)}")
        if key.shape[:-1] != value.shape[:-1]:
            raise ValueError(f"MultiheadAttention: key {key.shape} and value {value.shape} must "
                             "have the same batch and sequence sizes")
        batch_axis = 0 if self.batch_first else 1
        if batched and query.shape[batch_axis] != key.shape[batch_axis]:
            raise ValueError(f"MultiheadAttention: query {query.shape} and key {key.shape} differ "
                             f"in batch size (axis {batch_axis}, batch_first={self.batch_first})")

    def _combined_mask(self, attn_mask, key_padding_mask, n: int, length: int, source: int):
        """attn_mask (L, S) or (N * heads, L, S) and key_padding_mask (N, S), in PyTorch's
        convention, as one mask for `scaled_dot_product_attention` over (N, heads, L, S):
        boolean (True = may attend) if both are boolean, else a float mask to add."""
        parts = []
        if attn_mask is not None:
            if _array(attn_mask).ndim == 2:
                parts.append(_reshaped(attn_mask, (length, source), (length, source), "attn_mask"))
            else:
                parts.append(_reshaped(attn_mask, (n * self.num_heads, length, source),
                                       (n, self.num_heads, length, source), "attn_mask"))
        if key_padding_mask is not None:
            parts.append(_reshaped(key_padding_mask, (n, source), (n, 1, 1, source),
                                   "key_padding_mask"))
        if not parts:
            return None
        if all(_array(m).dtype == np.bool_ for m in parts):
            return ~functools.reduce(np.logical_or, parts)
        total = 0
        for m in parts:
            total = total + (Tensor(np.where(m, -np.inf, 0).astype(np.float32))
                             if _array(m).dtype == np.bool_ else m)
        return total


def _array(mask) -> np.ndarray:
    return np.asarray(mask.data if isinstance(mask, Tensor) else mask)


def _reshaped(mask, expected: tuple, shape: tuple, name: str):
    """Check that `mask` has the `expected` shape, and give it `shape`: a boolean mask as an
    array, a float mask as a tensor (it may carry a gradient)."""
    values = _array(mask)
    if values.dtype != np.bool_ and values.dtype.kind != "f":
        raise TypeError(f"MultiheadAttention: {name} must be boolean (True = may NOT attend) or "
                        f"float (added to the scores), got dtype {values.dtype}")
    if values.shape != expected:
        raise ValueError(f"MultiheadAttention: {name} should have shape {expected}, got {values.shape}")
    if values.dtype == np.bool_:
        return values.reshape(shape)
    return (mask if isinstance(mask, Tensor) else Tensor(values)).reshape(shape)
