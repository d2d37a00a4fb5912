"""Module 13, Transformer: attention and an MLP, each wrapped in a residual connection and a
LayerNorm, stacked; a GPT is that stack between a token embedding and a next-token classifier.

    x = x + attention(layer_norm(x))     tokens exchange information
    x = x + mlp(layer_norm(x))           each token thinks on its own

This is the "pre-norm" block of GPT-2 and later models: the residual path from input to
output is never normalised, so gradients reach the first layer undiminished and deep stacks
train without the warm-up tricks the original post-norm Transformer needed.

`GPT.generate` samples one token at a time, feeding each back in: temperature sharpens or
flattens the predicted distribution, top-k keeps only the k most likely tokens.
"""

import math

import numpy as np

from tinytorch.core import init
from tinytorch.core.activations import GELU
from tinytorch.core.arguments import check_counts
from tinytorch.core.attention import MultiHeadAttention
from tinytorch.core.autograd import no_grad
from tinytorch.core.embeddings import Embedding, PositionalEmbedding
from tinytorch.core.layers import Dropout, Linear, Sequential
from tinytorch.core.losses import cross_entropy
from tinytorch.core.module import Module, Parameter
from tinytorch.core.ops import norm
from tinytorch.core.random import default_generator
from tinytorch.core.tensor import Tensor, apply


def layer_norm(x: Tensor, normalized_shape, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalise each sample over its last len(normalized_shape) axes, then scale and shift."""
    normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(
        normalized_shape)
    if x.shape[x.ndim - len(normalized_shape):] != normalized_shape:
        raise ValueError(f"layer_norm over {normalized_shape} expects input of shape "
                         f"(..., {', '.join(map(str, normalized_shape))}), got {x.shape}")
    params = () if weight is None else (weight, bias)
    # Like linear and conv2d: the input follows the parameters' dtype (integers become float).
    x = x._as_float() if weight is None else x.to(weight.dtype)
    return apply(norm.LayerNormFunction, x, *params, normalized_ndim=len(normalized_shape), eps=eps)


class LayerNorm(Module):
    """Per-sample normalisation with learned scale (starts at 1) and shift (starts at 0).

    Unlike BatchNorm it uses no batch statistics, so it behaves the same in training and
    evaluation and for a batch of one, which is why Transformers use it.
    """

    def __init__(self, normalized_shape, eps: float = 1e-5, elementwise_affine: bool = True):
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(
            normalized_shape)
        check_counts("LayerNorm", **{f"normalized_shape[{i}]": n for i, n in enumerate(shape)})
        self.normalized_shape, self.eps = shape, eps
        self.weight = Parameter(np.ones(shape, np.float32)) if elementwise_affine else None
        self.bias = Parameter(np.zeros(shape, np.float32)) if elementwise_affine else None

    def forward(self, x: Tensor) -> Tensor:
        return layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}"


class MLP(Module):
    """Position-wise feed-forward network: Linear -> GELU -> Linear, 4x wider in the middle."""

    def __init__(self, embed_dim: int, hidden_dim: int | None = None):
        super().__init__()
        hidden_dim = 4 * embed_dim if hidden_dim is None else hidden_dim
        check_counts("MLP", embed_dim=embed_dim, hidden_dim=hidden_dim)
        self.fc = Linear(embed_dim, hidden_dim)
        self.act = GELU()
        self.proj = Linear(hidden_dim, embed_dim)

    def forward(self, x: Tensor) -> Tensor:
        return self.proj(self.act(self.fc(x)))


class TransformerBlock(Module):
    """Pre-norm block: x + attention(LN(x)), then + MLP(LN(x)), with dropout on each branch."""

    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0):
        super().__init__()
        self.ln1 = LayerNorm(embed_dim)
        self.attn = MultiHeadAttention(embed_dim, num_heads, dropout)
        self.ln2 = LayerNorm(embed_dim)
        self.mlp = MLP(embed_dim)
        self.dropout = Dropout(dropout)

    def forward(self, x: Tensor, mask=None, causal: bool = False, kv_cache=None) -> Tensor:
        attended, _ = self.attn(self.ln1(x), mask=mask, causal=causal, kv_cache=kv_cache)
        x = x + self.dropout(attended)
        return x + self.dropout(self.mlp(self.ln2(x)))


class GPT(Module):
    """A decoder-only Transformer language model (GPT-2's architecture, any size).

    forward(idx (B, T) int) -> logits (B, T, vocab_size): at each position, scores for the
    token that comes next. T may be at most `context_length`.

    Initialisation follows GPT-2: weights N(0, 0.02), biases 0, and the two projections that
    write into the residual stream scaled by 1/sqrt(2 * num_layers), so the stream's variance
    does not grow with depth.
    """

    def __init__(self, vocab_size: int, context_length: int, embed_dim: int, num_heads: int,
                 num_layers: int, dropout: float = 0.0):
        super().__init__()
        check_counts("GPT", num_layers=num_layers)
        self.vocab_size, self.context_length = vocab_size, context_length
        self.token_embedding = Embedding(vocab_size, embed_dim)
        self.position_embedding = PositionalEmbedding(context_length, embed_dim)
        self.dropout = Dropout(dropout)
        self.blocks = Sequential(*[TransformerBlock(embed_dim, num_heads, dropout)
                                   for _ in range(num_layers)])
        self.ln_f = LayerNorm(embed_dim)
        self.head = Linear(embed_dim, vocab_size, bias=False)
        for name, p in self.named_parameters():
            if name.endswith("bias"):
                init.zeros_(p)
            elif p.ndim == 2:
                residual = name.endswith(("attn.proj.weight", "mlp.proj.weight"))
                init.normal_(p, std=0.02 / math.sqrt(2 * num_layers) if residual else 0.02)

    def forward(self, idx, kv_cache=None) -> Tensor:
        """Logits (B, T, vocab_size) for token ids (B, T).

        With `kv_cache` (a `tinytorch.perf.memoization.KVCache`, inference only), idx holds
        only the tokens after the cached ones: their positions continue from the cache's
        length, and each block's attention reads the earlier keys and values from the cache.
        """
        ids = np.asarray(idx.data if isinstance(idx, Tensor) else idx)
        if ids.ndim != 2:
            raise ValueError(f"GPT expects token ids of shape (B, T), got {ids.shape}")
        past = 0 if kv_cache is None else kv_cache.length
        if past + ids.shape[1] > self.context_length:
            cached = f" ({past} of them cached)" if past else ""
            raise ValueError(f"GPT: sequence of length {past + ids.shape[1]} is longer than the "
                             f"context length {self.context_length}{cached}; crop it to the last "
                             f"{self.context_length} tokens")
        x = self.token_embedding(ids)
        if kv_cache is None:
            x = self.position_embedding(x)
        else:
            if len(kv_cache.layers) != len(self.blocks):
                raise ValueError(f"GPT: the KV cache has {len(kv_cache.layers)} layers, the model "
                                 f"{len(self.blocks)}")
            x = x + self.position_embedding.weight[past:past + ids.shape[1]]
        x = self.dropout(x)
        layer_caches = [None] * len(self.blocks) if kv_cache is None else kv_cache.layers
        for block, layer_cache in zip(self.blocks, layer_caches, strict=True):
            x = block(x, causal=True, kv_cache=layer_cache)
        return self.head(self.ln_f(x))

    def loss(self, idx, targets) -> Tensor:
        """Mean next-token cross-entropy (nats per token): targets[b, t] follows idx[b, t]."""
        logits = self(idx)
        targets = np.asarray(targets.data if isinstance(targets, Tensor) else targets)
        return cross_entropy(logits.reshape(-1, self.vocab_size), targets.reshape(-1))

    def generate(self, prompt_ids, max_new_tokens: int, temperature: float = 1.0,
                 top_k: int | None = None, seed: int | None = None,
                 use_cache: bool = False) -> Tensor:
        """Continue `prompt_ids` ((T,) or (B, T)) by `max_new_tokens` sampled tokens.

        temperature < 1 makes likely tokens likelier, > 1 flattens; 0 always takes the most
        likely (greedy). top_k keeps only the k most likely tokens. `seed` makes the samples
        repeat exactly; without it they come from the framework's seeded generator. Only the
        last `context_length` tokens are fed back in. Runs in evaluation mode (no dropout).

        `use_cache=True` keeps every layer's keys and values in a `KVCache`, so each step
        feeds only the newest token instead of the whole window: the same tokens and logits,
        with per-token work that no longer grows with the sequence (module 17, Memoization).
        """
        ids = np.asarray(prompt_ids.data if isinstance(prompt_ids, Tensor) else prompt_ids,
                         dtype=np.int64)
        if ids.ndim not in (1, 2) or ids.shape[-1] == 0:
            raise ValueError(f"generate needs a non-empty prompt of shape (T,) or (B, T), got "
                             f"{ids.shape}")
        if temperature < 0:
            raise ValueError(f"temperature must be >= 0, got {temperature}")
        rng = default_generator() if seed is None else np.random.default_rng(seed)
        was_training = self.training
        self.eval()
        batch = np.atleast_2d(ids)
        cache = None
        if use_cache:
            from tinytorch.perf.memoization import KVCache  # the optimisation tier builds on core

            cache = KVCache.for_model(self, batch_size=len(batch))
        start = 0  # where in `batch` the cache's position 0 is
        with no_grad():
            for _ in range(max_new_tokens):
                if cache is None:
                    window = batch[:, -self.context_length:]
                else:
                    if batch.shape[1] - start > self.context_length:
                        # The window slides: every kept token moves to a new position, so the
                        # keys and values cached at the old positions are stale. Start again.
                        cache.reset()
                        start = batch.shape[1] - self.context_length
                    window = batch[:, start + cache.length:]
                logits = self(window, kv_cache=cache).data[:, -1, :].astype(np.float64)
                batch = np.concatenate([batch, sample_next(logits, temperature, top_k, rng)],
                                       axis=1)
        self.train(was_training)
        return Tensor(batch if ids.ndim == 2 else batch[0])


def next_token_probabilities(logits: np.ndarray, temperature: float, top_k: int | None) -> np.ndarray:
    """The distribution `sample_next` draws from, per row of logits (B, V): softmax(logits /
    temperature) over the `top_k` most likely tokens (all if None); temperature 0 puts all
    the probability on the most likely token."""
    if temperature == 0:
        return np.eye(logits.shape[-1])[logits.argmax(axis=-1)]
    logits = logits / temperature
    if top_k is not None:
        kth = np.sort(logits, axis=-1)[:, -min(top_k, logits.shape[-1]), None]
        logits = np.where(logits < kth, -np.inf, logits)
    probs = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return probs / probs.sum(axis=-1, keepdims=True)


def sample_next(logits: np.ndarray, temperature: float, top_k: int | None,
                rng: np.random.Generator) -> np.ndarray:
    """One token id per row of logits (B, V), as a (B, 1) array."""
    if temperature == 0:
        return logits.argmax(axis=-1, keepdims=True)
    cumulative = np.cumsum(next_token_probabilities(logits, temperature, top_k), axis=-1)
    draws = rng.random((len(logits), 1))
    return np.minimum((cumulative < draws).sum(axis=-1, keepdims=True), logits.shape[-1] - 1)


__all__ = ["GPT", "MLP", "LayerNorm", "TransformerBlock", "layer_norm", "next_token_probabilities",
           "sample_next"]
