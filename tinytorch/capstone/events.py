"""The Torch Olympics events: each a fixed task, a fixed held-out test set, a fixed measurement.

An event says what a submission is given (held-out inputs, never their labels), what it must
answer (scores of shape (N, classes), or next-character scores and greedy text), which figure
decides the ranking, and what it takes to qualify. The harness (`tinytorch.capstone.harness`)
does every measurement; an event only names them, so no submission can bring its own number.

| event | task | ranked by | qualifies with |
|---|---|---|---|
| latency | MNIST digits | p90 single-image latency (lower) | accuracy >= 97% |
| lightweight | MNIST digits | bytes on disk of the submission (lower) | accuracy >= 97% |
| vision | CIFAR-10 | accuracy (higher) | p90 latency <= 10 ms, accuracy >= 30% |
| generation | Moby Dick characters | greedy characters per second (higher) | loss <= 2.4 nats/char |

Inputs are float32 images in [0, 1], NCHW (MNIST: (N, 1, 28, 28), CIFAR-10: (N, 3, 32, 32));
a model normalises them itself, so its preprocessing is part of what is measured. Vision's
30% floor only keeps out models that learned nothing (chance is 10%); its budget is the
constraint, and accuracy the race: 10 ms at the 90th percentile, 100 images a second one at a
time, which a small CNN meets (median 0.5 ms) with room for a loaded machine's long tail.

Generation: a character-level language model of Moby Dick (the book that ships with
tinytorch; its vocabulary is the book's 83 characters, sorted, as
`CharTokenizer.from_text(text, byte_fallback=False)` makes it). The first 90% of the book is
for training, the last 10% is held out; the harness scores the model's next-character
predictions on 64 windows of 256 characters spread evenly over the held-out part (16,384
predictions) and times greedy generation of 200 characters after fixed prompts. A submission's
model answers `model(ids)` ((B, T) int64 -> (B, T, 83) scores, T up to 256) and
`model.generate(prompt_ids, max_new_tokens, temperature=0)` (the prompt followed by the
greedy continuation, as `GPT.generate` returns it); a tinytorch `GPT` does both. The harness
checks every generated character against the model's own uncached forward pass: a character
that is not the argmax of `model(text so far)` disqualifies the submission (`wrong_tokens`),
so a KV cache that drifts from the model it caches cannot buy speed with wrong text.
The 2.4 nats/char line is measured, not guessed (`python bench/bench_capstone.py --counting`):
on the same held-out windows, counting models that see the previous 0, 1, 2, 3 characters
score 3.12, 2.47, 2.01, 1.71 (add-k smoothing tuned on the held-out text itself, so an
optimistic bar), uniform guessing 4.42; a model under 2.4 has learnt more than which character
tends to follow which. The baseline GPT (800 training steps, 4-5 minutes of CPU time)
scores 2.29 [2.27, 2.32]: it qualifies with its interval clear of the line, and a submission
that trades quality for speed (fewer layers, narrower, int8) has about 0.1 nats to spend.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np


@dataclass(frozen=True)
class Task:
    """A held-out classification test set: the inputs a submission sees and the labels only
    the harness sees."""

    name: str
    dataset: str  # "mnist" or "cifar10"
    classes: int

    def load(self) -> tuple[np.ndarray, np.ndarray]:
        """(inputs float32 NCHW in [0, 1], labels int64) of the held-out split."""
        from tinytorch.datasets import load_cifar10, load_mnist

        loaders = {"mnist": load_mnist, "cifar10": load_cifar10}
        images, labels = loaders[self.dataset]("test")
        images = np.asarray(images, dtype=np.float32) / np.float32(255)
        if images.ndim == 3:
            images = images[:, None]
        return images, np.asarray(labels, dtype=np.int64)

    def load_inputs(self) -> np.ndarray:
        return self.load()[0]


@dataclass(frozen=True)
class TextTask:
    """Next-character prediction on a book shipped with tinytorch: the last `held_out` share
    of it is held out; `windows` windows of `window` characters spread evenly over that part
    are scored, and `new_tokens` characters are generated greedily after each prompt."""

    name: str
    book: str
    window: int
    windows: int
    prompts: tuple[str, ...]
    new_tokens: int
    held_out: float = 0.1

    def tokenizer(self):
        """The book's characters, sorted: the vocabulary every submission's ids use."""
        from tinytorch.core.tokenization import CharTokenizer

        return CharTokenizer.from_text(self.text(), byte_fallback=False)

    def text(self) -> str:
        from tinytorch.datasets import load_text

        return load_text(self.book)

    @property
    def classes(self) -> int:
        """The vocabulary's size: the number of scores per position."""
        return self.tokenizer().vocab_size

    def split(self) -> tuple[np.ndarray, np.ndarray]:
        """(training ids, held-out ids) of the book, int64."""
        ids = np.asarray(self.tokenizer().encode(self.text()), dtype=np.int64)
        cut = int((1 - self.held_out) * len(ids))
        return ids[:cut], ids[cut:]

    def load(self) -> tuple[np.ndarray, np.ndarray]:
        """(inputs, targets), both (windows, window) int64: each target is the character that
        follows its input."""
        held_out = self.split()[1]
        starts = np.linspace(0, len(held_out) - self.window - 1, self.windows).astype(np.int64)
        positions = starts[:, None] + np.arange(self.window)
        return held_out[positions], held_out[positions + 1]

    def load_inputs(self) -> np.ndarray:
        return self.load()[0]

    def prompt_ids(self) -> list[np.ndarray]:
        tokenizer = self.tokenizer()
        return [np.asarray(tokenizer.encode(p), dtype=np.int64) for p in self.prompts]


@dataclass(frozen=True)
class Event:
    """One event of the Olympics.

    `metric` is the figure the event ranks by ("p90_latency_s", "size_bytes", "accuracy",
    "tokens_per_s"), `better` says which direction wins; `min_accuracy` is the accuracy to
    qualify (classification), `max_val_loss` the held-out loss in nats per character
    (generation), `max_p90_latency_s` an optional latency budget. `queries` single-image
    queries, or greedy generations of `task.new_tokens` characters, are timed (at least
    `min_queries`); `time_limit_s` bounds the whole evaluation of one submission (loading,
    every held-out answer, the timed queries) in its own process.
    """

    name: str
    title: str
    task: Task | TextTask
    metric: str
    better: str  # "lower" or "higher"
    min_accuracy: float | None
    max_p90_latency_s: float | None = None
    queries: int = 1000
    time_limit_s: float = 300.0
    max_val_loss: float | None = None
    min_queries: int = 10

    @property
    def quality(self) -> str:
        """The figure that decides whether a submission qualifies: accuracy or validation loss."""
        return "accuracy" if isinstance(self.task, Task) else "val_loss_nats"

    def qualifies_with(self) -> str:
        """The qualification, in words."""
        if self.max_val_loss is not None:
            return (f"validation loss <= {self.max_val_loss:g} nats/char and greedy tokens that "
                    f"are the model's own")
        text = f"accuracy >= {self.min_accuracy:.0%}"
        if self.max_p90_latency_s is not None:
            text += f", p90 <= {self.max_p90_latency_s * 1e3:g} ms"
        return text

    def ratio_to(self, value: float, baseline: float) -> float:
        """How many times better `value` is than `baseline` (> 1: better), the all-around
        score's unit."""
        if value <= 0 or baseline <= 0:
            raise ValueError(f"{self.name}: figures must be positive to compare, got {value} and {baseline}")
        return baseline / value if self.better == "lower" else value / baseline


MNIST = Task("MNIST digits", "mnist", 10)
CIFAR10 = Task("CIFAR-10", "cifar10", 10)
MOBY_DICK = TextTask("Moby Dick characters", "moby_dick", window=256, windows=64,
                     prompts=("Call me Ishmael. ", "The whale "), new_tokens=200)

EVENTS = {
    "latency": Event("latency", "Latency sprint", MNIST, "p90_latency_s", "lower", 0.97),
    "lightweight": Event("lightweight", "Lightweight", MNIST, "size_bytes", "lower", 0.97),
    "vision": Event("vision", "Vision", CIFAR10, "accuracy", "higher", 0.30, max_p90_latency_s=0.010),
    # 10 timed generations of 200 characters: the uncached baseline takes about 2 s each.
    "generation": Event("generation", "Generation", MOBY_DICK, "tokens_per_s", "higher", None,
                        queries=10, time_limit_s=600.0, max_val_loss=2.4, min_queries=3),
}


# What a browser-sized measurement may change: the held-out windows scored and the characters
# generated per timed generation (the timed queries are a separate argument of `evaluate`).
SIZED_SETTINGS = ("windows", "new_tokens")


def settings(event: Event) -> dict:
    """The event's measurement settings that decide what its figures mean, as recorded in a
    result: a generation result over 16 windows and 50 characters is not the 64-window,
    200-character figure, and the leaderboard must know."""
    if isinstance(event.task, TextTask):
        task = event.task
        return {"window": task.window, "windows": task.windows, "new_tokens": task.new_tokens}
    return {}


def sized(event: Event, changes: dict) -> Event:
    """`event` with its measurement shrunk for a slower machine (the browser): `changes` maps
    names of SIZED_SETTINGS to smaller values; anything else is an error naming it."""
    unknown = sorted(set(changes) - set(SIZED_SETTINGS))
    if unknown or (changes and not isinstance(event.task, TextTask)):
        raise ValueError(f"the {event.name} event's measurement cannot change "
                         f"{', '.join(unknown or changes)}; what can be sized: "
                         f"{', '.join(SIZED_SETTINGS)} (generation only)")
    for name, value in changes.items():
        if not (isinstance(value, int) and 1 <= value <= getattr(event.task, name)):
            raise ValueError(f"{name} must be a whole number from 1 to the event's "
                             f"{getattr(event.task, name)}, got {value!r}")
    if not changes:
        return event
    return replace(event, task=replace(event.task, **changes))


def is_standard(event: Event) -> bool:
    """Whether `event` measures what the registered event of its name measures."""
    return settings(event) == settings(get_event(event.name))


def get_event(name: str) -> Event:
    if name not in EVENTS:
        raise ValueError(f"no event {name!r}; the events are {', '.join(EVENTS)}")
    return EVENTS[name]


__all__ = ["CIFAR10", "EVENTS", "MNIST", "MOBY_DICK", "SIZED_SETTINGS", "Event", "Task", "TextTask",
           "get_event", "is_standard", "settings", "sized"]
