"""Module 17 trains a small GPT, generates with and without the KV cache and shows that the
tokens are identical, the speeds measured and the cache's memory read from its arrays."""

from tests.apps.harness import APPS, Pressed, output_text, run_app
from tests.apps.quick import SETTINGS

APP = APPS / "17_memoization.py"
BUTTONS = {"train_button": Pressed(), "generate_button": Pressed()}


def test_cached_generation_gives_the_same_tokens_and_its_memory_is_measured():
    outputs, names = run_app(APP, defs=BUTTONS | SETTINGS[APP.stem])
    results = names["memoization_results"]
    budget = SETTINGS[APP.stem]["budget"]
    assert results["new_tokens"] == list(budget["new_tokens"])
    assert results["identical"] and results["tokens_identical"] == results["tokens_compared"] == sum(
        budget["new_tokens"])
    assert all(s > 0 for s in results["speedups"])
    assert results["speedup_at_longest"] == results["speedups"][-1]
    assert all(r > 0 for r in results["cached_tokens_per_s"] + results["uncached_tokens_per_s"])
    positions = len(budget["prompt"]) + budget["new_tokens"][-1]
    assert results["cache_filled_positions"] == positions
    # 2 layers x (keys + values) x 64 wide x 4 bytes per position, the whole context allocated
    assert results["cache_allocated_bytes"] == budget["context"] * 2 * 2 * 64 * 4
    assert results["cache_filled_bytes"] == positions * 2 * 2 * 64 * 4
    assert results["platform"] == "native"
    text = output_text(outputs)
    assert "match, position by position" in text and "tt-results" in text
