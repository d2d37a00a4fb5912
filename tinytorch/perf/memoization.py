"""Module 17, Memoization: a KV cache makes generating each new token cost the same.

A GPT generates one token at a time. Without a cache, every step feeds the whole window again
and every layer recomputes the keys and values of tokens it has already seen: step t costs
O(t) projections and O(t^2) attention, so the time per token grows with the text.

But a token's key and value at a given position never change once computed (attention is
causal: later tokens cannot affect earlier ones). So keep them: each layer writes the new
token's key and value into a buffer and the new query attends to the whole buffer. Each step
then projects one token, and only the attention over the cached keys grows, linearly.

The buffers are allocated once at the model's full context length, (batch, heads, context,
head_dim) per layer for keys and again for values, so a step never reallocates. That memory is
the price: `KVCache.nbytes` = 2 x layers x batch x context x embed_dim x 4 bytes in float32.

The cache is used by the real attention code (`MultiHeadAttention(..., kv_cache=...)`, threaded
through `TransformerBlock` and `GPT.forward`), and `GPT.generate(..., use_cache=True)` gives
the same tokens as without it; tests/perf/test_memoization.py asserts that, and
bench/bench_optimization.py measures the speed-up.
"""

from __future__ import annotations

import numpy as np

from tinytorch.core.autograd import is_grad_enabled
from tinytorch.core.tensor import Tensor


class LayerKVCache:
    """One attention layer's keys and values, each a preallocated (B, H, capacity, d) array;
    positions 0 .. length - 1 are filled."""

    def __init__(self, keys: np.ndarray, values: np.ndarray):
        self.keys, self.values = keys, values
        self.length = 0

    @property
    def capacity(self) -> int:
        return self.keys.shape[2]

    def append(self, k: Tensor, v: Tensor) -> tuple[Tensor, Tensor]:
        """Store the new positions' k, v (B, H, T, d); return all keys and values so far,
        (B, H, length, d) views of the buffers (no copy).

        Called once per layer for every generated token, so it works on the arrays and keeps
        its checks to a few comparisons of shapes.
        """
        if is_grad_enabled() and (k.requires_grad or v.requires_grad):
            raise RuntimeError("the KV cache is for inference: gradients cannot flow through "
                               "cached keys and values; generate under tinytorch.no_grad()")
        new_keys, new_values = k.data, v.data
        batch, heads, _, head_dim = self.keys.shape
        for name, shape in (("keys", new_keys.shape), ("values", new_values.shape)):
            if len(shape) != 4 or shape[0] != batch or shape[1] != heads or shape[3] != head_dim:
                raise ValueError(f"KV cache: new {name} must have shape ({batch}, {heads}, T, "
                                 f"{head_dim}), got {shape}")
        if new_keys.shape != new_values.shape:
            raise ValueError(f"KV cache: keys {new_keys.shape} and values {new_values.shape} differ "
                             f"in length")
        start, end = self.length, self.length + new_keys.shape[2]
        if end > self.capacity:
            raise ValueError(f"KV cache overflow: {start} cached + {new_keys.shape[2]} new "
                             f"positions is more than its capacity of {self.capacity} (the "
                             f"context length); reset() it and feed the cropped window")
        self.keys[:, :, start:end] = new_keys
        self.values[:, :, start:end] = new_values
        self.length = end
        return Tensor(self.keys[:, :, :end]), Tensor(self.values[:, :, :end])


class KVCache:
    """Keys and values of every layer of a Transformer, preallocated for `capacity` positions.

    Pass it to `GPT.forward(ids, kv_cache=cache)`: each call appends the new positions, so the
    next call feeds only what comes after them. `reset()` empties it for a new sequence.
    """

    def __init__(self, num_layers: int, batch_size: int, num_heads: int, capacity: int,
                 head_dim: int, dtype=np.float32):
        sizes = {"num_layers": num_layers, "batch_size": batch_size, "num_heads": num_heads,
                 "capacity": capacity, "head_dim": head_dim}
        bad = {name: size for name, size in sizes.items()
               if not isinstance(size, (int, np.integer)) or size < 1}
        if bad:
            raise ValueError(f"KVCache sizes must be positive integers, got {bad}")
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"KVCache stores float keys and values, got dtype {dtype}")
        shape = (batch_size, num_heads, capacity, head_dim)
        self.layers = [LayerKVCache(np.zeros(shape, dtype), np.zeros(shape, dtype))
                       for _ in range(num_layers)]

    @classmethod
    def for_model(cls, model, batch_size: int = 1) -> KVCache:
        """A cache shaped for a `GPT` (its layers, heads and context length, its dtype)."""
        attention = model.blocks[0].attn
        return cls(len(model.blocks), batch_size, attention.num_heads, model.context_length,
                   attention.embed_dim // attention.num_heads, model.token_embedding.weight.dtype)

    @property
    def length(self) -> int:
        """Positions cached so far (the same in every layer between forward passes)."""
        lengths = {layer.length for layer in self.layers}
        if len(lengths) > 1:
            raise RuntimeError(f"KV cache layers hold different lengths {sorted(lengths)}: a "
                               f"forward pass stopped half-way; reset() the cache")
        return lengths.pop()

    @property
    def capacity(self) -> int:
        return self.layers[0].capacity

    @property
    def nbytes(self) -> int:
        """Memory held by the buffers, allocated up front whatever the length."""
        return sum(layer.keys.nbytes + layer.values.nbytes for layer in self.layers)

    def truncate(self, length: int) -> None:
        """Forget every position from `length` on (e.g. to roll back rejected tokens)."""
        filled = min(layer.length for layer in self.layers)  # reset() works on a half-done cache
        if not 0 <= length <= filled:
            raise ValueError(f"KV cache: can truncate to 0..{filled} positions, got {length}")
        for layer in self.layers:
            layer.length = length

    def reset(self) -> None:
        """Empty the cache for a new sequence (the buffers stay allocated)."""
        self.truncate(0)

    def __repr__(self) -> str:
        batch, heads, capacity, head_dim = self.layers[0].keys.shape
        return (f"KVCache(layers={len(self.layers)}, batch={batch}, heads={heads}, "
                f"head_dim={head_dim}, length={self.length}/{capacity}, "
                f"{self.nbytes / 2**20:.2f} MiB)")


__all__ = ["KVCache", "LayerKVCache"]
