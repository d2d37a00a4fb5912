"""Module 17 exercise: the KV cache's update, the step that makes each new token cheap.

The learner's `cache_update(keys, values, length, k, v)` gets one layer's preallocated buffers
`keys` and `values` (NumPy, (B, H, capacity, d)), of which positions 0 .. length - 1 are filled,
and the new positions' `k` and `v` ((B, H, T, d)). It writes them at positions length ..
length + T - 1 and returns every key and value so far, (B, H, length + T, d), as views of the
buffers (no copy: copying the whole cache every token would cost what the cache saves). Like
`tinytorch.perf.memoization.LayerKVCache.append`, which the checks compare against; the last
check runs attention token by token through the learner's cache and compares it with causal
attention over the whole sequence at once.
"""

import numpy as np

from tinytorch.core.attention import scaled_dot_product_attention
from tinytorch.core.tensor import Tensor
from tinytorch.course.checks import Check, Exercise, expect_close, expect_equal, expect_raises


def cache_update_solution(keys, values, length, k, v):
    """Write k, v at positions length.. of the buffers; return the filled part of both."""
    end = length + k.shape[2]
    if end > keys.shape[2]:  # NumPy would silently write only what fits: refuse instead
        raise ValueError(f"KV cache overflow: {length} cached + {k.shape[2]} new positions is more "
                         f"than its capacity of {keys.shape[2]}")
    keys[:, :, length:end] = k
    values[:, :, length:end] = v
    return keys[:, :, :end], values[:, :, :end]  # views: no copy of the cache per token


def _buffers(capacity, batch=1, heads=2, head_dim=3):
    shape = (batch, heads, capacity, head_dim)
    return np.zeros(shape, np.float32), np.zeros(shape, np.float32)


def _new(tokens, seed, batch=1, heads=2, head_dim=3):
    rng = np.random.default_rng(seed)
    shape = (batch, heads, tokens, head_dim)
    return rng.standard_normal(shape).astype(np.float32), rng.standard_normal(shape).astype(np.float32)


def _pair(result):
    if not isinstance(result, tuple) or len(result) != 2:
        raise AssertionError(f"return two arrays, (keys so far, values so far), got {type(result).__name__}")
    return [np.asarray(r.data if isinstance(r, Tensor) else r) for r in result]


def _first_token(candidate):
    keys, values = _buffers(capacity=8)
    k, v = _new(1, seed=0)
    got_k, got_v = _pair(candidate(keys, values, 0, k, v))
    expect_equal(got_k.shape, (1, 2, 1, 3), "the shape of the keys so far after one token")
    expect_close(got_k, k, "the keys so far", rtol=0)
    expect_close(got_v, v, "the values so far", rtol=0)


def _appends_after_the_cached(candidate):
    keys, values = _buffers(capacity=8)
    old_k, old_v = _new(3, seed=1)
    keys[:, :, :3], values[:, :, :3] = old_k, old_v
    k, v = _new(1, seed=2)
    got_k, got_v = _pair(candidate(keys, values, 3, k, v))
    expect_equal(got_k.shape, (1, 2, 4, 3), "the shape of the keys so far (3 cached + 1 new)")
    expect_close(got_k, np.concatenate([old_k, k], axis=2), "the keys so far: the 3 cached, then the new",
                 rtol=0)
    expect_close(got_v, np.concatenate([old_v, v], axis=2), "the values so far", rtol=0)
    expect_close(keys[:, :, 3:4], k, "the buffer at position 3 (where the new key belongs)", rtol=0)
    expect_close(keys[:, :, 4:], np.zeros_like(keys[:, :, 4:]), "the buffer after position 3 (untouched)",
                 rtol=0)


def _a_prompt_then_a_token(candidate):
    keys, values = _buffers(capacity=8, batch=2)
    prompt_k, prompt_v = _new(5, seed=3, batch=2)
    candidate(keys, values, 0, prompt_k, prompt_v)
    k, v = _new(1, seed=4, batch=2)
    got_k, got_v = _pair(candidate(keys, values, 5, k, v))
    expect_close(got_k, np.concatenate([prompt_k, k], axis=2), "the keys after a 5-token prompt and 1 more",
                 rtol=0)
    expect_close(got_v, np.concatenate([prompt_v, v], axis=2), "the values after a 5-token prompt and 1 more",
                 rtol=0)


def _views_not_copies(candidate):
    keys, values = _buffers(capacity=8)
    got_k, got_v = _pair(candidate(keys, values, 0, *_new(2, seed=5)))
    if not (np.shares_memory(got_k, keys) and np.shares_memory(got_v, values)):
        raise AssertionError("the keys and values returned are copies: return slices of the buffers "
                             "(keys[:, :, :end]), so no token copies the whole cache")


def _overflow_is_refused(candidate):
    keys, values = _buffers(capacity=4)
    keys[:, :, :3] = 1.0
    before = keys.copy()
    expect_raises(ValueError, candidate, keys, values, 3, *_new(2, seed=6),
                  what="writing 2 new positions after 3 into a cache of capacity 4")
    expect_close(keys, before, "the keys buffer after the refused update (unchanged)", rtol=0)


def _attention_token_by_token(candidate):
    """Decode 6 positions one at a time through the learner's cache: each new query attends to
    the returned keys and values; the outputs must equal causal attention over all 6 at once."""
    rng = np.random.default_rng(7)
    q, k, v = (rng.standard_normal((1, 2, 6, 4)).astype(np.float32) for _ in range(3))
    keys, values = _buffers(capacity=6, head_dim=4)
    steps = []
    for t in range(6):
        got_k, got_v = _pair(candidate(keys, values, t, k[:, :, t:t + 1], v[:, :, t:t + 1]))
        out, _ = scaled_dot_product_attention(Tensor(q[:, :, t:t + 1]), Tensor(got_k), Tensor(got_v))
        steps.append(out.data)
    whole, _ = scaled_dot_product_attention(Tensor(q), Tensor(k), Tensor(v), causal=True)
    expect_close(np.concatenate(steps, axis=2), whole.data,
                 "attention computed token by token with your cache vs all at once with the causal mask",
                 rtol=1e-5, atol=1e-6)


CACHE_UPDATE = Exercise(
    name="CACHE_UPDATE",
    checks=(
        Check("the first token goes to position 0", _first_token,
              "end = length + k.shape[2]; keys[:, :, length:end] = k; return keys[:, :, :end], ..."),
        Check("a new token goes after the 3 cached ones", _appends_after_the_cached,
              "Write at positions length .. end - 1 (the time axis is axis 2) and return positions "
              "0 .. end - 1, not only the new ones and not the empty rest of the buffer."),
        Check("a 5-token prompt at once, then one more token (batch 2)", _a_prompt_then_a_token,
              "k may hold several positions (a prompt): k.shape[2] of them, all written at once."),
        Check("returns views of the buffers, not copies", _views_not_copies,
              "Slicing (keys[:, :, :end]) gives a view; np.concatenate or .copy() copies the cache."),
        Check("overflow raises ValueError and changes nothing", _overflow_is_refused,
              "NumPy silently writes only the part of a slice that fits: check length + T <= capacity "
              "(keys.shape[2]) before writing."),
        Check("token-by-token attention through your cache equals causal attention",
              _attention_token_by_token,
              "Keys into the keys buffer, values into the values buffer, each at its own position."),
    ),
    solution=cache_update_solution,
)
