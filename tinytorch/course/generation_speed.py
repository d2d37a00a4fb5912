"""Module 17's measurement: generate with and without the KV cache, time both, compare tokens.

Why a module and not a few lines in the app: the comparison must be honest in three ways that
are easy to get wrong. Both runs start from the same prompt with the same seed, so the only
difference is the cache; the tokens are compared position by position (a cache that wrote a
key at the wrong position still produces plausible text, only different text; the best-known
course of this kind showed a "speed-up" whose cached tokens were wrong); and the cache's memory
is read from the arrays of a real `KVCache` filled by the model, not from a formula.
"""

from __future__ import annotations

import time

import numpy as np

from tinytorch.core.autograd import no_grad
from tinytorch.perf.memoization import KVCache


def timed_generation(model, prompt_ids, new_tokens: int, use_cache: bool, temperature: float,
                     seed: int) -> tuple[np.ndarray, float]:
    """(the `new_tokens` generated ids, seconds the `GPT.generate` call took)."""
    start = time.perf_counter()
    ids = model.generate(prompt_ids, new_tokens, temperature=temperature, seed=seed,
                         use_cache=use_cache).numpy()
    return ids[len(prompt_ids):], time.perf_counter() - start


def first_difference(a, b) -> int | None:
    """The first position where the token sequences `a` and `b` differ (a length counts), or
    None when they are identical."""
    a, b = np.asarray(a), np.asarray(b)
    n = min(a.size, b.size)
    differ = np.flatnonzero(a[:n] != b[:n])
    if differ.size:
        return int(differ[0])
    return None if a.size == b.size else n


def compare_generation(model, prompt_ids, new_tokens: int, temperature: float = 0.8,
                       seed: int = 0, cached_rounds: int = 3) -> dict:
    """Generate `new_tokens` after `prompt_ids` without the cache, then with it, and compare.

    The cached generation is short, so one load spike on a shared machine (or another tab)
    can double its time: it runs `cached_rounds` times and its median time is kept, every
    run's tokens checked. The uncached one runs once; it lasts long enough to average spikes.
    Returns the two token sequences, their times and tokens per second, the speed-up
    (uncached time / cached time) and the token-by-token verdict."""
    prompt_ids = np.asarray(prompt_ids, dtype=np.int64)
    if prompt_ids.ndim != 1 or prompt_ids.size == 0:
        raise ValueError(f"need a non-empty 1-d prompt of token ids, got shape {prompt_ids.shape}")
    if new_tokens < 1 or prompt_ids.size + new_tokens > model.context_length:
        raise ValueError(f"{prompt_ids.size} prompt + {new_tokens} new tokens must fit the context of "
                         f"{model.context_length} (past it the window slides and the cache restarts)")
    if cached_rounds < 1:
        raise ValueError(f"cached_rounds must be >= 1, got {cached_rounds}")
    uncached, uncached_s = timed_generation(model, prompt_ids, new_tokens, False, temperature, seed)
    runs = [timed_generation(model, prompt_ids, new_tokens, True, temperature, seed)
            for _ in range(cached_rounds)]
    cached_s = float(np.median([seconds for _, seconds in runs]))
    # the worst of the cached runs is the verdict: every one must match
    cached = min((ids for ids, _ in runs), key=lambda ids: int(np.count_nonzero(ids == uncached)))
    differ = first_difference(uncached, cached)
    return {
        "new_tokens": new_tokens, "uncached": uncached, "cached": cached,
        "uncached_s": uncached_s, "cached_s": cached_s,
        "uncached_tokens_per_s": new_tokens / uncached_s, "cached_tokens_per_s": new_tokens / cached_s,
        "speedup": uncached_s / cached_s, "cached_rounds": cached_rounds,
        "tokens_identical": int(np.count_nonzero(uncached == cached)),
        "identical": differ is None, "first_difference": differ,
    }


def cache_memory(model, ids) -> dict:
    """Fill a `KVCache` with `ids` (1-d) through the model and read its arrays: the bytes it
    holds (allocated once for the whole context), the bytes of the positions `ids` filled,
    and the model's parameter bytes to compare with."""
    ids = np.asarray(ids, dtype=np.int64).reshape(1, -1)
    cache = KVCache.for_model(model)
    with no_grad():
        model(ids, kv_cache=cache)
    filled = sum(layer.keys[:, :, :layer.length].nbytes + layer.values[:, :, :layer.length].nbytes
                 for layer in cache.layers)
    return {"allocated_bytes": cache.nbytes, "filled_bytes": int(filled), "length": cache.length,
            "capacity": cache.capacity, "layers": len(cache.layers),
            "parameter_bytes": int(sum(p.data.nbytes for p in model.parameters()))}


def per_token_bytes(num_layers: int, embed_dim: int, itemsize: int = 4) -> int:
    """What one more position costs in a KV cache: a key and a value of `embed_dim` numbers
    (all heads together) in every layer."""
    return 2 * num_layers * embed_dim * itemsize


__all__ = ["cache_memory", "compare_generation", "first_difference", "per_token_bytes", "timed_generation"]
