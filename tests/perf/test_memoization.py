"""Module 17, Memoization: the KV cache changes the cost of generation, never its result."""

import numpy as np
import pytest

import tinytorch
from tinytorch.core.attention import MultiHeadAttention
from tinytorch.core.transformer import GPT
from tinytorch.perf.memoization import KVCache


def small_gpt(context_length: int = 16) -> GPT:
    tinytorch.manual_seed(0)
    model = GPT(vocab_size=13, context_length=context_length, embed_dim=16, num_heads=2,
                num_layers=2)
    # Larger weights than GPT-2's init, so the logits differ between tokens and positions
    # and a wrong cache (wrong position, stale key) would change them visibly.
    for p in model.parameters():
        p.data *= 8 if p.ndim == 2 else 1
    return model.eval()


def test_cached_forward_gives_the_logits_of_the_full_forward_at_every_position():
    model = small_gpt()
    ids = np.random.default_rng(1).integers(0, 13, (2, 16))
    with tinytorch.no_grad():
        full = model(ids).numpy()
        cache = KVCache.for_model(model, batch_size=2)
        # A prompt of 5, then one token at a time, then a chunk of 3.
        pieces = [model(ids[:, :5], kv_cache=cache).numpy()]
        pieces += [model(ids[:, t:t + 1], kv_cache=cache).numpy() for t in range(5, 13)]
        pieces.append(model(ids[:, 13:], kv_cache=cache).numpy())
    assert cache.length == 16
    cache.truncate(10)  # roll back six positions and feed them again
    with tinytorch.no_grad():
        again = model(ids[:, 10:], kv_cache=cache).numpy()
    np.testing.assert_allclose(again, full[:, 10:], atol=1e-4, rtol=0)
    assert np.abs(full).max() > 1  # the comparison below is not between near-zero numbers
    np.testing.assert_allclose(np.concatenate(pieces, axis=1), full, atol=1e-4, rtol=0)


@pytest.mark.parametrize("sampling", [dict(temperature=0), dict(temperature=1.0, seed=5),
                                      dict(temperature=0.8, top_k=4, seed=2)])
def test_generate_with_cache_gives_the_same_tokens(sampling):
    model = small_gpt()
    prompt = np.array([[1, 2, 3], [4, 5, 6]])
    uncached = model.generate(prompt, max_new_tokens=12, **sampling).numpy()
    cached = model.generate(prompt, max_new_tokens=12, use_cache=True, **sampling).numpy()
    np.testing.assert_array_equal(cached, uncached)
    assert len(set(uncached[0, 3:])) > 1  # a varied continuation, not one repeated token


def test_generate_past_the_context_window_gives_the_same_tokens():
    """Past the window both crop to the last context_length tokens at positions 0.. again."""
    model = small_gpt(context_length=6)
    for sampling in (dict(temperature=0), dict(seed=3)):
        uncached = model.generate([1, 2, 3, 4], max_new_tokens=15, **sampling).numpy()
        cached = model.generate([1, 2, 3, 4], max_new_tokens=15, use_cache=True,
                                **sampling).numpy()
        np.testing.assert_array_equal(cached, uncached)
    long_prompt = np.arange(10) % 13  # longer than the context from the start
    np.testing.assert_array_equal(model.generate(long_prompt, 4, temperature=0).numpy(),
                                  model.generate(long_prompt, 4, temperature=0,
                                                 use_cache=True).numpy())


def test_cache_memory_is_the_buffers_bytes_allocated_up_front():
    model = small_gpt(context_length=16)
    cache = KVCache.for_model(model, batch_size=3)
    buffers = [a for layer in cache.layers for a in (layer.keys, layer.values)]
    assert cache.nbytes == sum(a.nbytes for a in buffers)
    # 2 (K and V) x layers x batch x heads x context x head_dim x 4 bytes
    assert cache.nbytes == 2 * 2 * 3 * 2 * 16 * 8 * 4
    assert all(a.dtype == np.float32 and a.shape == (3, 2, 16, 8) for a in buffers)
    assert cache.length == 0 and cache.capacity == 16
    assert "length=0/16" in repr(cache)


def test_attention_appends_to_the_cache_and_matches_causal_attention():
    attention = MultiHeadAttention(8, 2).eval()
    x = tinytorch.randn(1, 4, 8)
    with tinytorch.no_grad():
        full, _ = attention(x, causal=True)
        cache = KVCache(1, 1, 2, 4, 4).layers[0]
        first, _ = attention(x[:, :3], causal=True, kv_cache=cache)
        last, weights = attention(x[:, 3:], causal=True, kv_cache=cache)
    assert cache.length == 4 and weights.shape == (1, 2, 1, 4)
    np.testing.assert_allclose(np.concatenate([first.numpy(), last.numpy()], axis=1),
                               full.numpy(), atol=1e-6)


def test_cache_errors_name_the_problem():
    model = small_gpt(context_length=4)
    cache = KVCache.for_model(model)
    with tinytorch.no_grad():
        model(np.array([[1, 2, 3]]), kv_cache=cache)
        with pytest.raises(ValueError, match=r"length 5 is longer than the context length 4 "
                                             r"\(3 of them cached\)"):
            model(np.array([[1, 2]]), kv_cache=cache)
        with pytest.raises(ValueError, match="KV cache overflow: 3 cached \\+ 2 new"):
            cache.layers[0].append(tinytorch.zeros(1, 2, 2, 8), tinytorch.zeros(1, 2, 2, 8))
        with pytest.raises(ValueError, match=r"new keys must have shape \(1, 2, T, 8\)"):
            cache.layers[0].append(tinytorch.zeros(1, 3, 1, 8), tinytorch.zeros(1, 3, 1, 8))
        with pytest.raises(ValueError, match="the KV cache has 1 layers, the model 2"):
            model(np.array([[1]]), kv_cache=KVCache(1, 1, 2, 4, 8))
    # Outside no_grad the cached keys would silently cut the gradient: refused.
    with pytest.raises(RuntimeError, match="for inference"):
        model.train()(np.array([[1]]), kv_cache=KVCache.for_model(model))
    with pytest.raises(ValueError, match="positive integers"):
        KVCache(2, 0, 2, 4, 8)
    with pytest.raises(TypeError, match="float"):
        KVCache(2, 1, 2, 4, 8, dtype=np.int8)
    with pytest.raises(ValueError, match="truncate to 0..0 positions, got 3"):
        KVCache.for_model(model).truncate(3)
    half_done = KVCache.for_model(model)
    half_done.layers[0].length = 2
    with pytest.raises(RuntimeError, match="stopped half-way"):
        _ = half_done.length
    half_done.reset()
    assert half_done.length == 0
