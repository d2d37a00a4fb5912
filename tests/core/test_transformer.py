"""Module 13, Transformer: LayerNorm, the pre-norm block and a GPT that trains and samples."""

import math

import numpy as np
import pytest

import tinytorch
from tinytorch.core.optimizers import AdamW
from tinytorch.core.transformer import (
    GPT,
    MLP,
    LayerNorm,
    TransformerBlock,
    next_token_probabilities,
    sample_next,
)


def test_layer_norm_matches_its_formula():
    ln = LayerNorm(4)
    ln.weight.data[...] = [1, 2, 3, 4]
    ln.bias.data[...] = 0.5
    x = tinytorch.randn(2, 3, 4) * 5 + 3
    xs = x.numpy()
    mean, var = xs.mean(-1, keepdims=True), xs.var(-1, keepdims=True)
    expected = (xs - mean) / np.sqrt(var + 1e-5) * [1, 2, 3, 4] + 0.5
    np.testing.assert_allclose(ln(x).numpy(), expected, rtol=1e-4, atol=1e-5)


def test_layer_norm_checks_the_normalized_shape():
    with pytest.raises(ValueError, match=r"\(\.\.\., 3, 4\), got \(2, 4, 3\)"):
        LayerNorm((3, 4))(tinytorch.zeros(2, 4, 3))


def test_block_keeps_the_shape_and_is_causal():
    block = TransformerBlock(8, 2)
    x = tinytorch.randn(1, 5, 8)
    out = block(x, causal=True).numpy()
    assert out.shape == (1, 5, 8)
    changed = x.numpy().copy()
    changed[:, -1] += 1
    np.testing.assert_allclose(block(tinytorch.tensor(changed), causal=True).numpy()[:, :4],
                               out[:, :4], rtol=1e-5, atol=1e-6)
    assert MLP(8).fc.out_features == 32


def small_gpt(**kwargs):
    return GPT(vocab_size=11, context_length=8, embed_dim=16, num_heads=2, num_layers=2,
               **kwargs)


def test_gpt_logits_shape_and_initial_loss_is_uniform_guessing():
    model = small_gpt()
    ids = np.random.default_rng(0).integers(0, 11, (3, 8))
    assert model(ids).shape == (3, 8, 11)
    # Small init: the first predictions are close to uniform, loss close to ln(vocab).
    assert abs(model.loss(ids, ids).item() - math.log(11)) < 0.1


def test_gpt_refuses_sequences_longer_than_its_context():
    with pytest.raises(ValueError, match="length 9 is longer than the context length 8"):
        small_gpt()(np.zeros((1, 9), np.int64))
    with pytest.raises(ValueError, match=r"\(B, T\)"):
        small_gpt()(np.zeros(4, np.int64))


def test_gpt_learns_to_continue_a_pattern_and_generates_it():
    model = small_gpt()
    pattern = np.tile(np.arange(5), 4)  # 0 1 2 3 4 0 1 2 ...
    x = np.stack([pattern[i:i + 8] for i in range(5)])
    y = np.stack([pattern[i + 1:i + 9] for i in range(5)])
    optimizer = AdamW(model.parameters(), lr=1e-2, weight_decay=0.0)
    first = model.loss(x, y).item()
    for _ in range(60):
        loss = model.loss(x, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert loss.item() < first / 10
    out = model.generate([0, 1, 2], max_new_tokens=10, temperature=0).numpy()
    np.testing.assert_array_equal(out, np.tile(np.arange(5), 3)[:13])


def test_generate_is_repeatable_with_a_seed_and_respects_top_k():
    model = small_gpt()
    a = model.generate([1, 2], max_new_tokens=20, seed=3).numpy()
    b = model.generate([1, 2], max_new_tokens=20, seed=3).numpy()
    np.testing.assert_array_equal(a, b)
    assert a.shape == (22,) and a.dtype == np.int64
    greedy = model.generate(np.array([[1, 2]]), max_new_tokens=12, temperature=0).numpy()
    top1 = model.generate(np.array([[1, 2]]), max_new_tokens=12, top_k=1, seed=0).numpy()
    np.testing.assert_array_equal(greedy, top1)
    assert greedy.shape == (1, 14)  # longer than the context: only the last 8 are fed back
    assert model.training  # generate restores the mode it found


def test_generate_errors():
    with pytest.raises(ValueError, match="non-empty prompt"):
        small_gpt().generate([], 3)
    with pytest.raises(ValueError, match="temperature"):
        small_gpt().generate([1], 3, temperature=-1)


def test_layer_norm_of_integers_is_float32():
    from tinytorch.core.transformer import layer_norm

    x = tinytorch.tensor([[1, 2, 3, 6]])
    for out in (LayerNorm(4)(x), layer_norm(x, 4)):
        assert out.dtype == tinytorch.float32
        np.testing.assert_allclose(out.numpy(), LayerNorm(4)(x.float()).numpy(), rtol=1e-6)


def test_next_token_probabilities_follow_temperature_and_top_k_and_are_what_sampling_draws():
    logits = np.array([[2.0, 1.0, 0.0, -1.0]])
    plain = next_token_probabilities(logits, 1.0, None)
    np.testing.assert_allclose(plain, np.exp(logits) / np.exp(logits).sum())
    cold, hot = next_token_probabilities(logits, 0.5, None), next_token_probabilities(logits, 2.0, None)
    assert cold[0, 0] > plain[0, 0] > hot[0, 0]
    top2 = next_token_probabilities(logits, 1.0, 2)
    np.testing.assert_allclose(top2[0, 2:], 0) and np.testing.assert_allclose(top2.sum(), 1)
    np.testing.assert_array_equal(next_token_probabilities(logits, 0, None), [[1, 0, 0, 0]])
    draws = sample_next(np.repeat(logits, 20_000, axis=0), 1.0, 2, np.random.default_rng(0))
    np.testing.assert_allclose(np.bincount(draws[:, 0], minlength=4) / 20_000, top2[0], atol=0.01)
