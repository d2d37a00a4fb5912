"""The generation event end to end: the harness scores the baseline and the KV-cached
reference on the same weights, disqualifies a generation that is not the model's own greedy
output (the "KV-cache speed-up" that produced wrong text), refuses a model that looks ahead,
and names every bad submission. Each evaluation runs in its own process, like a real one."""

import dataclasses
import textwrap

import numpy as np
import pytest

import tinytorch
from tinytorch.capstone.events import get_event
from tinytorch.capstone.harness import evaluate, validate_result
from tinytorch.capstone.leaderboard import event_ratio
from tinytorch.capstone.reference import materialize
from tinytorch.capstone.rules import load_weights
from tinytorch.core.transformer import GPT

GENERATION = get_event("generation")
LENIENT = dataclasses.replace(GENERATION, max_val_loss=10.0)  # a one-step model qualifies
TINY = {"vocab_size": 83, "context_length": 256, "embed_dim": 16, "num_heads": 2, "num_layers": 1}

TINY_GPT = """
import numpy as np
from tinytorch.core.transformer import GPT

TEAM = "testers"

{body}

def build_model(weights):
    model = {cls}(vocab_size={vocab}, context_length=256, embed_dim=16, num_heads=2, num_layers=1)
    model.load_state_dict(weights)
    return model
"""

CONTEXT_DROPPING = """
class ContextDroppingGPT(GPT):
    \"\"\"Fast "cached" generation that feeds only the newest character: what it generates is
    not what the model, seeing the whole text, would pick.\"\"\"

    def generate(self, prompt_ids, max_new_tokens, temperature=0):
        ids = list(prompt_ids)
        for _ in range(max_new_tokens):
            ids.append(int(self(np.array([ids[-1:]])).data[0, -1].argmax()))
        return np.array(ids)
"""

CACHED = """
class CachedGPT(GPT):
    def generate(self, prompt_ids, max_new_tokens, **options):
        return super().generate(prompt_ids, max_new_tokens, use_cache=True, **options)
"""


def tiny_submission(folder, body="", cls="GPT", vocab=83, weights=True):
    """A 1-layer GPT whose matrices are scaled up, so that its choices depend strongly on the
    context (an untrained GPT's scores are nearly flat)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "submission.py").write_text(TINY_GPT.format(body=body, cls=cls, vocab=vocab))
    if weights:
        tinytorch.manual_seed(0)
        state = GPT(**{**TINY, "vocab_size": vocab}).state_dict()
        tinytorch.save({k: v * 10 if v.ndim == 2 else v for k, v in state.items()}, folder / "weights.npz")
    return folder


@pytest.fixture(scope="module")
def references(tmp_path_factory):
    """Baseline and cached reference trained for one step (4,096 characters): the same weights."""
    cache = tmp_path_factory.mktemp("capstone-cache")
    return materialize("moby_gpt_baseline", limit=4096, cache=cache), materialize(
        "moby_gpt_cached", limit=4096, cache=cache)


def problem(result):
    validate_result(result)
    assert result["status"] in ("failed", "not_qualified") and result["problem"], result
    return result["problem"]["kind"], result["problem"]["message"]


def test_the_harness_scores_the_baseline_and_the_cached_reference(references):
    baseline_folder, cached_folder = references
    assert load_weights(cached_folder).keys() == load_weights(baseline_folder).keys()
    assert (cached_folder / "weights.npz").read_bytes() == (baseline_folder / "weights.npz").read_bytes()
    baseline, cached = (evaluate(folder, LENIENT, queries=3) for folder in references)
    for result in (baseline, cached):
        validate_result(result)
        assert result["status"] == "scored", result["problem"]
        speed = result["figures"]["tokens_per_s"]
        assert speed["ci_low"] <= speed["value"] <= speed["ci_high"] and speed["queries"] == 3
        assert result["score"] == {"metric": "tokens_per_s", "value": speed["value"], "better": "higher"}
        assert result["figures"]["val_loss_nats"]["characters"] == 64 * 256
    # one model, two ways of generating: the same scores, so the same loss to the last digit
    assert cached["figures"]["val_loss_nats"] == baseline["figures"]["val_loss_nats"]
    assert 3.0 < baseline["figures"]["val_loss_nats"]["value"] < np.log(83) + 0.1  # one step: near uniform
    ratio, low, high = event_ratio("generation", cached, baseline)
    assert low <= ratio <= high and ratio == pytest.approx(
        cached["figures"]["tokens_per_s"]["value"] / baseline["figures"]["tokens_per_s"]["value"])


def test_a_generation_that_is_not_the_models_greedy_output_is_disqualified(tmp_path):
    folder = tiny_submission(tmp_path / "drops", CONTEXT_DROPPING, "ContextDroppingGPT")
    result = evaluate(folder, LENIENT, queries=3)
    kind, message = problem(result)
    assert result["status"] == "not_qualified" and kind == "wrong_tokens"
    assert "after prompt 1 ('Call me Ishmael. ')" in message and "uncached forward pass" in message
    assert result["figures"]["tokens_per_s"]["value"] > 0  # measured, and still not ranked


def test_a_correct_cache_passes_the_token_check_and_a_high_loss_does_not_qualify(tmp_path):
    """The same scaled-up model with the real KV cache: its text is the model's own (the token
    check comes first), and its held-out loss, far above 2 nats/char, keeps it unranked."""
    result = evaluate(tiny_submission(tmp_path / "cached", CACHED, "CachedGPT"), GENERATION, queries=3)
    kind, message = problem(result)
    assert result["status"] == "not_qualified" and kind == "loss_too_high"
    assert "above the event's 2.4" in message and result["figures"]["val_loss_nats"]["value"] > 2.4


PEEKING = """
import numpy as np

def build_model(weights):
    class Peeking:
        def __call__(self, ids):  # scores each position by the character that follows it
            return 10 * np.eye(83, dtype=np.float32)[np.roll(np.asarray(ids), -1, axis=1)]

        def generate(self, prompt_ids, max_new_tokens, temperature=0):
            return np.concatenate([prompt_ids, np.zeros(max_new_tokens, np.int64)])
    return Peeking()
"""


READS_THE_BOOK = """
import tinytorch

def build_model(weights):  # no import of tinytorch.datasets, which the rules refuse: an attribute
    tinytorch.datasets.load_text("moby_dick")
"""


@pytest.mark.parametrize("kind, source", [
    ("syntax_error", "def build_model(weights)\n    return None\n"),
    ("bad_model", "def build_model(weights):\n    return lambda ids: ids\n"),
    ("not_causal", PEEKING),
    ("file_access", READS_THE_BOOK),
])
def test_bad_generation_submissions_are_named(tmp_path, kind, source):
    folder = tiny_submission(tmp_path / "s")
    (folder / "submission.py").write_text(textwrap.dedent(source))
    found, message = problem(evaluate(folder, GENERATION, queries=3))
    assert found == kind, message


WRONG_SHAPE = """
import numpy as np

def build_model(weights):
    class TenScores:
        def __call__(self, ids):
            return np.zeros((*np.asarray(ids).shape, 10), np.float32)

        def generate(self, prompt_ids, max_new_tokens, temperature=0):
            return np.concatenate([prompt_ids, np.zeros(max_new_tokens, np.int64)])
    return TenScores()
"""


def test_wrong_output_shape_another_vocabulary_and_missing_weights_are_named(tmp_path):
    folder = tiny_submission(tmp_path / "ten")
    (folder / "submission.py").write_text(WRONG_SHAPE)
    kind, message = problem(evaluate(folder, GENERATION, queries=3))
    assert kind == "wrong_output_shape" and "(16, 256, 83) next-character scores" in message
    kind, message = problem(evaluate(tiny_submission(tmp_path / "v80", vocab=80), GENERATION, queries=3))
    assert kind == "submission_error" and "IndexError" in message, message
    no_weights = tiny_submission(tmp_path / "none", weights=False)
    assert problem(evaluate(no_weights, GENERATION, queries=3))[0] == "missing_weights"


def test_generation_needs_a_few_timed_generations(tmp_path):
    with pytest.raises(ValueError, match="at least 3 timed queries"):
        evaluate(tmp_path, GENERATION, queries=2)


@pytest.mark.parametrize("isolation", ["process", "in-process"])
def test_a_browser_sized_event_is_measured_alike_both_ways_and_says_so(tmp_path, isolation):
    """The browser's smaller measurement (8 windows, 40 characters): recorded in the result as
    not the standard event; the wrong-tokens check holds in-process too."""
    from tinytorch.capstone.events import sized

    small = sized(LENIENT, {"windows": 8, "new_tokens": 40})
    folder = tiny_submission(tmp_path / "drops", CONTEXT_DROPPING, "ContextDroppingGPT")
    result = evaluate(folder, small, queries=3, isolation=isolation)
    kind, _ = problem(result)
    assert kind == "wrong_tokens" and result["isolation"] == isolation
    assert result["settings"] == {"window": 256, "windows": 8, "new_tokens": 40, "queries": 3,
                                  "standard": False}
    assert result["figures"]["val_loss_nats"]["characters"] == 8 * 256
    assert result["figures"]["tokens_per_s"]["tokens_per_query"] == 40
    with pytest.raises(ValueError, match="window"):
        sized(LENIENT, {"window": 64})
    with pytest.raises(ValueError, match="new_tokens must be"):
        sized(LENIENT, {"new_tokens": 500})
