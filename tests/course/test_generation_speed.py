"""The KV-cache comparison the module 17 app shows: same tokens both ways, speeds measured,
the cache's memory read from its arrays, and an honest verdict when tokens differ."""

import numpy as np
import pytest

import tinytorch
from tinytorch.core.transformer import GPT
from tinytorch.course import generation_speed


@pytest.fixture(scope="module")
def model():
    tinytorch.manual_seed(0)
    return GPT(20, context_length=32, embed_dim=16, num_heads=2, num_layers=2)


def test_cached_and_uncached_generation_agree_token_by_token(model):
    run = generation_speed.compare_generation(model, [1, 2, 3], 20, temperature=1.0, seed=3)
    assert run["identical"] and run["first_difference"] is None
    assert run["tokens_identical"] == 20 and run["uncached"].shape == run["cached"].shape == (20,)
    np.testing.assert_array_equal(run["uncached"], run["cached"])
    assert run["uncached_s"] > 0 and run["cached_s"] > 0
    assert run["speedup"] == pytest.approx(run["uncached_s"] / run["cached_s"])
    assert run["cached_tokens_per_s"] == pytest.approx(20 / run["cached_s"])


def test_first_difference_names_the_position():
    assert generation_speed.first_difference([1, 2, 3], [1, 2, 3]) is None
    assert generation_speed.first_difference([1, 2, 3], [1, 5, 3]) == 1
    assert generation_speed.first_difference([1, 2], [1, 2, 3]) == 2


def test_a_wrong_cache_is_reported_not_hidden(monkeypatch):
    from tinytorch.perf import memoization

    tinytorch.manual_seed(1)
    model = GPT(20, context_length=32, embed_dim=16, num_heads=2, num_layers=2)
    for p in model.parameters():  # weights of a trained model's scale, so attention matters
        p.data *= 30

    right = memoization.LayerKVCache.append

    def stale(self, k, v):  # forgets the earlier values: plausible text, wrong tokens
        keys, values = right(self, k, v)
        self.values[:, :, :self.length - 1] = 0.0
        return keys, values

    monkeypatch.setattr(memoization.LayerKVCache, "append", stale)
    run = generation_speed.compare_generation(model, [1, 2, 3], 20, temperature=0.0, seed=0)
    assert not run["identical"] and run["tokens_identical"] < 20
    assert run["first_difference"] is not None


def test_cache_memory_is_read_from_the_arrays(model):
    memory = generation_speed.cache_memory(model, list(range(10)))
    per_position = generation_speed.per_token_bytes(num_layers=2, embed_dim=16)
    assert per_position == 2 * 2 * 16 * 4
    assert memory["allocated_bytes"] == 32 * per_position and memory["capacity"] == 32
    assert memory["length"] == 10 and memory["filled_bytes"] == 10 * per_position
    assert memory["parameter_bytes"] == sum(p.data.nbytes for p in model.parameters())


def test_lengths_past_the_context_are_refused(model):
    with pytest.raises(ValueError, match="must fit the context of 32"):
        generation_speed.compare_generation(model, [1, 2, 3], 30)
    with pytest.raises(ValueError, match="non-empty 1-d prompt"):
        generation_speed.compare_generation(model, [], 3)
