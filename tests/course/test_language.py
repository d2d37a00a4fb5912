"""Character corpora, random windows, the validation loss and attention maps of a GPT."""

import math

import numpy as np
import pytest

import tinytorch
from tinytorch.core.optimizers import AdamW
from tinytorch.core.schedulers import LinearWarmupLR
from tinytorch.core.training import Trainer
from tinytorch.core.transformer import GPT
from tinytorch.course import language

TEXT = "the cat sat on the mat. " * 40


@pytest.fixture
def corpus():
    return language.CharCorpus.from_text(TEXT, "cats", val_fraction=0.25)


def test_windows_are_shifted_by_one():
    data = np.arange(20)
    x, y = language.windows(data, np.array([0, 5]), 4)
    assert x.tolist() == [[0, 1, 2, 3], [5, 6, 7, 8]] and y.tolist() == [[1, 2, 3, 4], [6, 7, 8, 9]]


def test_corpus_splits_text_into_train_then_validation(corpus):
    assert len(corpus.train) + len(corpus.val) == len(TEXT)
    assert corpus.tokenizer.decode(corpus.train[:8].tolist()) == TEXT[:8]
    assert corpus.tokenizer.decode(corpus.val[-8:].tolist()) == TEXT[-8:]
    assert corpus.vocab_size == len(set(TEXT))
    assert corpus.uniform_loss() == pytest.approx(math.log(corpus.vocab_size))
    assert corpus.unigram_loss() < corpus.uniform_loss()


def test_shipped_sonnets_load():
    sonnets = language.CharCorpus.load("shakespeare_sonnets", limit=5000)
    assert len(sonnets.train) == 4500 and 20 < sonnets.vocab_size < 100
    with pytest.raises(ValueError, match="val_fraction"):
        language.CharCorpus.load("shakespeare_sonnets", val_fraction=1.0)


def test_random_windows_repeat_with_their_seed(corpus):
    batches = corpus.batches(batch_size=3, length=5, count=4, seed=1)
    first, again = list(batches), list(batches)
    assert len(batches) == 4 and len(first) == 4
    for (x, y), (x2, _) in zip(first, again, strict=True):
        assert x.shape == y.shape == (3, 5)
        assert (x == x2).all() and (x[:, 1:] == y[:, :-1]).all()
    with pytest.raises(ValueError, match="batch_size"):
        corpus.batches(0, 5, 4)
    with pytest.raises(ValueError, match="cannot hold"):
        language.RandomWindows(np.arange(5), 2, 8, 1)


def test_next_token_loss_matches_the_models_loss_and_refuses_bad_shapes(corpus):
    tinytorch.manual_seed(0)
    model = GPT(corpus.vocab_size, 8, 16, 2, 1)
    x, y = next(iter(corpus.batches(2, 8, 1)))
    assert language.next_token_loss(model(x), y).item() == pytest.approx(model.loss(x, y).item())
    with pytest.raises(ValueError, match="targets"):
        language.next_token_loss(model(x), y[:, :4])


def test_training_with_the_trainer_lowers_the_validation_loss(corpus):
    tinytorch.manual_seed(0)
    model = GPT(corpus.vocab_size, 16, 32, 2, 1)
    before = corpus.validation_loss(model, count=8)
    assert before == pytest.approx(corpus.uniform_loss(), abs=0.3)  # an untrained model guesses
    optimizer = AdamW(model.parameters(), lr=1e-2, weight_decay=0.0)
    schedule = LinearWarmupLR(optimizer, warmup_steps=5, total_steps=60)
    trainer = Trainer(model, optimizer, loss_fn=language.next_token_loss,
                      callbacks=[language.ScheduleEachBatch(schedule)])
    trainer.fit(corpus.batches(8, 16, 60))
    assert schedule.last_step == 60
    after = corpus.validation_loss(model, count=8)
    assert after < corpus.unigram_loss() - 0.5, (before, after)
    assert model.training, "evaluation must put the model back in training mode"


def test_attention_maps_are_causal_rows_that_sum_to_one(corpus):
    tinytorch.manual_seed(0)
    model = GPT(corpus.vocab_size, 16, 16, 2, 3)
    maps = language.attention_maps(model, corpus.tokenizer.encode("the mat"))
    assert maps.shape == (3, 2, 7, 7)
    np.testing.assert_allclose(maps.sum(axis=-1), 1, rtol=1e-5)
    assert np.triu(maps, 1).max() == 0
    for bad in ([], list(range(17)), [[1, 2]]):
        with pytest.raises(ValueError, match="attention_maps"):
            language.attention_maps(model, bad)


def test_attention_maps_are_the_weights_the_model_uses(corpus):
    """The first layer's map equals the weights its attention computes on the embedded input."""
    tinytorch.manual_seed(1)
    model = GPT(corpus.vocab_size, 16, 16, 4, 1)
    ids = np.array(corpus.tokenizer.encode("on the mat"))
    x = model.position_embedding(model.token_embedding(ids[None]))
    _, weights = model.blocks[0].attn(model.blocks[0].ln1(x), causal=True)
    np.testing.assert_allclose(language.attention_maps(model, ids)[0], weights.data[0], rtol=1e-6)


def test_real_word_share_counts_spelled_words_of_three_letters_or_more():
    reference = "Shall I compare thee to a summer's day"
    assert language.words("Thee, TO a Summer!") == ["thee", "summer"]
    assert language.real_word_share("shall thee qzx", reference) == pytest.approx(2 / 3)
    assert language.real_word_share("a to I", reference) == 0.0
    assert language.real_word_share("Compare SUMMER", reference) == 1.0
