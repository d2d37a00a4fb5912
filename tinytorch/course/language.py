"""Character-level language modelling for the course apps (12 Attention, 13 Transformers and
milestone 2017): a shipped text cut into training and validation characters, random windows to
train on, the validation loss in nats per character, and the attention maps of a GPT.

Why characters: the vocabulary is tiny (about 70 symbols), so a GPT small enough to train in a
browser tab in minutes spends its parameters on context rather than on a huge embedding table,
and the learner can read what it gets right letter by letter.

Why random windows rather than epochs: a step's cost depends only on the batch and window size,
so the number of steps is the budget the learner chooses, and any step sees fresh text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from tinytorch.core.autograd import no_grad
from tinytorch.core.losses import cross_entropy
from tinytorch.core.tensor import Tensor
from tinytorch.core.tokenization import CharTokenizer
from tinytorch.core.training import Callback
from tinytorch.datasets import load_text


def windows(data: np.ndarray, starts: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Inputs data[s:s+length] and targets data[s+1:s+length+1] for every start s, as
    (len(starts), length) arrays built by one fancy index."""
    positions = np.asarray(starts)[:, None] + np.arange(length)
    return data[positions], data[positions + 1]


def evaluate(model, data: np.ndarray, starts: np.ndarray, batch_size: int) -> float:
    """Mean next-character loss of `model` (a GPT) over the windows of held-out `data` that begin
    at `starts`, each `model.context_length` long (nats per character)."""
    was_training = model.training
    model.eval()
    with no_grad():
        losses = [model.loss(*windows(data, chunk, model.context_length)).item()
                  for chunk in np.array_split(starts, max(len(starts) // batch_size, 1))]
    model.train(was_training)
    return float(np.mean(losses))


def next_token_loss(logits: Tensor, targets) -> Tensor:
    """Cross-entropy of logits (B, T, V) against targets (B, T): the `loss_fn` a `Trainer` needs
    for a language model (its default expects one label per sample)."""
    targets = np.asarray(targets.data if isinstance(targets, Tensor) else targets)
    if logits.ndim != 3 or targets.shape != logits.shape[:2]:
        raise ValueError(f"next_token_loss expects logits (B, T, V) and targets (B, T), got "
                         f"{logits.shape} and {targets.shape}")
    return cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


class RandomWindows:
    """`count` batches of `batch_size` random training windows, as (inputs, targets) pairs: the
    data a `Trainer` iterates over. The same seed gives the same batches on every iteration."""

    def __init__(self, data: np.ndarray, batch_size: int, length: int, count: int, seed: int = 0):
        for name, value in (("batch_size", batch_size), ("length", length), ("count", count)):
            if int(value) != value or value < 1:
                raise ValueError(f"RandomWindows: {name} must be a positive integer, got {value!r}")
        if len(data) < length + 2:
            raise ValueError(f"RandomWindows: {len(data)} tokens cannot hold a window of {length} "
                             "and its next token")
        self.data, self.batch_size, self.length, self.count, self.seed = data, batch_size, length, count, seed

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        rng = np.random.default_rng(self.seed)
        for _ in range(self.count):
            yield windows(self.data, rng.integers(0, len(self.data) - self.length - 1, self.batch_size),
                          self.length)


@dataclass
class CharCorpus:
    """A text as character ids: the first `1 - val_fraction` for training, the rest (a later
    stretch the model never trains on) for validation."""

    name: str
    tokenizer: CharTokenizer
    train: np.ndarray
    val: np.ndarray

    @classmethod
    def load(cls, name: str, val_fraction: float = 0.1, limit: int | None = None) -> CharCorpus:
        """`name` is a text of `tinytorch.datasets.load_text` ("shakespeare_sonnets",
        "moby_dick"); `limit` keeps only its first that many characters."""
        if not 0 < val_fraction < 1:
            raise ValueError(f"val_fraction must be between 0 and 1, got {val_fraction}")
        text = load_text(name)[:limit]
        return cls.from_text(text, name, val_fraction)

    @classmethod
    def from_text(cls, text: str, name: str = "text", val_fraction: float = 0.1) -> CharCorpus:
        tokenizer = CharTokenizer.from_text(text, byte_fallback=False)
        data = np.array(tokenizer.encode(text), dtype=np.int64)
        split = int((1 - val_fraction) * len(data))
        return cls(name, tokenizer, data[:split], data[split:])

    @property
    def vocab_size(self) -> int:
        return self.tokenizer.vocab_size

    def batches(self, batch_size: int, length: int, count: int, seed: int = 0) -> RandomWindows:
        return RandomWindows(self.train, batch_size, length, count, seed)

    def validation_starts(self, length: int, count: int = 64) -> np.ndarray:
        """`count` window starts spread evenly over the validation text: the same every time, so
        two validation losses differ only because the model changed."""
        if len(self.val) < length + 2:
            raise ValueError(f"the validation text ({len(self.val)} characters) is shorter than a "
                             f"window of {length}")
        return np.linspace(0, len(self.val) - length - 1, count).astype(np.int64)

    def validation_loss(self, model, count: int = 64, batch_size: int = 32) -> float:
        """Nats per character on `count` fixed validation windows of the model's context length."""
        return evaluate(model, self.val, self.validation_starts(model.context_length, count), batch_size)

    def unigram_loss(self) -> float:
        """What a model that knew only how often each character occurs would score on the
        validation text (nats per character): the bar any context must clear."""
        counts = np.bincount(self.train, minlength=self.vocab_size) + 1.0
        return float(-np.log(counts / counts.sum())[self.val].mean())

    def uniform_loss(self) -> float:
        """Guessing every character equally likely: log(vocabulary size) nats."""
        return math.log(self.vocab_size)


def words(text: str, min_length: int = 3) -> list[str]:
    """The lower-case runs of letters of `text` at least `min_length` long (shorter ones are
    often words by chance: "a", "to", "he")."""
    return [w for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= min_length]


def real_word_share(generated: str, reference: str, min_length: int = 3) -> float:
    """The share of the words of `generated` (see `words`) that occur in `reference`: how much
    of a sample is spelled English rather than letter soup (0.0 when it has no such word)."""
    vocabulary = set(words(reference, min_length))
    found = words(generated, min_length)
    return sum(w in vocabulary for w in found) / len(found) if found else 0.0


class ScheduleEachBatch(Callback):
    """Step a learning-rate schedule after every batch (a `Trainer` steps its `scheduler` once
    per epoch; a language model trained on random windows has one long epoch)."""

    def __init__(self, schedule):
        self.schedule = schedule

    def on_batch_end(self, trainer, batch, loss):
        self.schedule.step()


def attention_maps(model, ids) -> np.ndarray:
    """The attention weights of every layer and head of a GPT reading `ids` (a (T,) sequence):
    an array (layers, heads, T, T) whose row i says how much position i took from each
    position j <= i. Runs the model's own blocks, in evaluation mode, without gradients."""
    ids = np.asarray(ids, dtype=np.int64)
    if ids.ndim != 1 or not 0 < len(ids) <= model.context_length:
        raise ValueError(f"attention_maps needs a sequence of 1 to {model.context_length} token ids, "
                         f"got shape {ids.shape}")
    was_training = model.training
    model.eval()
    maps = []
    with no_grad():
        x = model.position_embedding(model.token_embedding(ids[None]))
        for block in model.blocks:
            _, weights = block.attn(block.ln1(x), causal=True)
            maps.append(weights.data[0])
            x = block(x, causal=True)
    model.train(was_training)
    return np.stack(maps)
