"""Module 10, Tokenization: text in, integers out, and back again exactly.

A language model predicts the next token, so text must first become a sequence of ids from a
fixed vocabulary. Two classic choices:

- `CharTokenizer`: one id per character seen in the training text. A tiny vocabulary (about
  80 ids for an English novel) but long sequences: every letter is one prediction.
- `BPETokenizer`: byte-pair encoding as in GPT-2. Start from the 256 byte values (so any text
  at all can be encoded) and repeatedly merge the most frequent adjacent pair into a new
  token: " the" soon becomes one id. Fewer, more meaningful tokens per sentence.

Both promise `decode(encode(text)) == text` for any text. Characters the CharTokenizer never
saw are not dropped or replaced by <unk>: with `byte_fallback` (the default) they are spelled
as their UTF-8 bytes, 256 extra ids, as SentencePiece does; without it they raise an error
naming the character. Special tokens such as "<|endoftext|>" get their own ids, are found in
the text as whole strings, and are never split or merged.

Both save to and load from JSON, readable and safe to share (no pickle). Loading checks the
file as strictly as any input: a regex from a file could backtrack for hours or skip
characters, so only the patterns this module knows are accepted, and every merge must refer to
ids that exist before it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinytorch.core.tensor import Tensor

# GPT-2's pre-tokenizer with the `re` module's classes: contractions, a word with an optional
# leading space, a number, a run of punctuation, whitespace. BPE merges never cross these
# chunks, so " the" can become a token but "e. T" cannot. Every character matches some branch.
CHUNK_PATTERN = r"""'(?:[sdmt]|ll|ve|re)| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+"""
KNOWN_PATTERNS = (CHUNK_PATTERN,)  # what `Tokenizer.load` accepts from a file


def _chunks(pattern: re.Pattern, text: str) -> list[str]:
    """`pattern.findall(text)`, refusing a pattern that skips characters (the text would be lost)."""
    chunks = pattern.findall(text)
    if sum(map(len, chunks)) != len(text):
        position = 0
        for match in pattern.finditer(text):
            if match.start() != position:
                break
            position = match.end()
        raise ValueError(f"the pre-tokenizer pattern {pattern.pattern!r} skips the character "
                         f"{text[position]!r} at position {position}: its text would be lost. Every "
                         "character must match some branch of the pattern")
    return chunks


def _check_special_tokens(special_tokens) -> list[str]:
    tokens = list(special_tokens)
    bad = [t for t in tokens if not isinstance(t, str) or not t]
    if bad:
        raise ValueError(f"special tokens must be non-empty strings; got {bad[0]!r}")
    if len(set(tokens)) != len(tokens):
        raise ValueError(f"special tokens repeat: {sorted(t for t in set(tokens) if tokens.count(t) > 1)}")
    return tokens


def _special_token_splitter(special_tokens):
    """A regex whose `split` cuts text around special tokens (longest first, so one that
    contains another wins) and keeps them, at the odd positions of the result."""
    if not special_tokens:
        return None
    alternatives = sorted(special_tokens, key=len, reverse=True)
    return re.compile("(" + "|".join(map(re.escape, alternatives)) + ")")


class Tokenizer:
    """What both tokenizers share: special tokens, decoding, vocabulary checks, JSON files.

    Every id stands for a string of bytes (`id_bytes`), so decoding is one join and one UTF-8
    decode. Subclasses define `_encode_ordinary` for text without special tokens, and `config`.
    """

    def __init__(self, id_bytes: list[bytes], special_tokens=()):
        special_tokens = _check_special_tokens(special_tokens)
        self.special_tokens = {token: len(id_bytes) + i for i, token in enumerate(special_tokens)}
        self.id_bytes = list(id_bytes) + [token.encode("utf-8") for token in special_tokens]
        self._special_split = _special_token_splitter(special_tokens)

    @property
    def vocab_size(self) -> int:
        return len(self.id_bytes)

    def __len__(self) -> int:
        return self.vocab_size

    def encode(self, text: str) -> list[int]:
        """Ids of `text`; special-token strings in it become their single ids."""
        if self._special_split is None:
            return self._encode_ordinary(text)
        ids = []
        for i, piece in enumerate(self._special_split.split(text)):
            if i % 2:  # re.split puts the captured separators at odd positions
                ids.append(self.special_tokens[piece])
            elif piece:
                ids.extend(self._encode_ordinary(piece))
        return ids

    def _encode_ordinary(self, text: str) -> list[int]:
        raise NotImplementedError

    def decode(self, ids) -> str:
        """Text of `ids`. Byte sequences that are not valid UTF-8 (a model may sample half a
        character) become U+FFFD; ids from `encode` always decode to the exact text."""
        ids = _integer_ids(ids.data if isinstance(ids, Tensor) else ids)
        bad = ids[(ids < 0) | (ids >= self.vocab_size)]
        if bad.size:
            raise ValueError(f"token id {bad[0]} is not in the vocabulary "
                             f"(ids 0..{self.vocab_size - 1})")
        return b"".join(self.id_bytes[i] for i in ids.tolist()).decode("utf-8", errors="replace")

    # ----- files --------------------------------------------------------------------------
    def config(self) -> dict:
        raise NotImplementedError

    def save(self, path) -> None:
        """Write the tokenizer as JSON: its type, vocabulary and special tokens."""
        config = {"type": type(self).__name__, **self.config(),
                  "special_tokens": list(self.special_tokens)}
        Path(path).write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")

    @staticmethod
    def load(path) -> Tokenizer:
        """Read a tokenizer saved by `save`, whichever kind it is, checking every field.

        A file is input like any other: each field must have its type, a BPE pattern must be
        one of `KNOWN_PATTERNS`, merges must refer to existing ids (see `BPETokenizer`), and
        a field this module does not write is refused rather than ignored.
        """
        try:
            config = json.loads(Path(path).read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise ValueError(f"{path} is not a saved tokenizer: not JSON ({error})") from None
        kinds = {cls.__name__: cls for cls in (CharTokenizer, BPETokenizer)}
        kind = config.pop("type", None) if isinstance(config, dict) else None
        if kind not in kinds:
            raise ValueError(f"{path} is not a saved tokenizer: type {kind!r} is not one of "
                             f"{sorted(kinds)}")
        fields = {"special_tokens": list, **kinds[kind].FILE_FIELDS}
        unknown, missing = sorted(set(config) - set(fields)), sorted(set(fields) - set(config))
        if unknown or missing:
            raise ValueError(f"{path}: a saved {kind} has the fields {sorted(fields)}; "
                             f"unknown {unknown}, missing {missing}")
        for name, kind_of_value in fields.items():
            if type(config[name]) is not kind_of_value:
                raise ValueError(f"{path}: field {name!r} must be a JSON {kind_of_value.__name__}, "
                                 f"got {type(config[name]).__name__}")
        if config.get("pattern", CHUNK_PATTERN) not in KNOWN_PATTERNS:
            raise ValueError(f"{path}: pre-tokenizer pattern {config['pattern']!r} is not one this "
                             "module knows (CHUNK_PATTERN); a pattern from a file could backtrack "
                             "for hours or skip characters, so it is not compiled")
        try:
            return kinds[kind](**config)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{path}: {error}") from None


class CharTokenizer(Tokenizer):
    """One id per character of `chars`, then (with byte_fallback) 256 byte ids, then the
    special tokens. Build one from a corpus with `CharTokenizer.from_text(text)`, or, as the
    MLSysBook textbook writes it, `CharTokenizer().build_vocab(text)`."""

    FILE_FIELDS = {"chars": str, "byte_fallback": bool}

    def __init__(self, chars: str = "", special_tokens=(), byte_fallback: bool = True):
        if not isinstance(chars, str) and any(not isinstance(c, str) or len(c) != 1 for c in chars):
            raise ValueError(f"chars must be a string or single characters; got {list(chars)[:5]!r}...")
        self.chars, self.byte_fallback = "".join(sorted(set(chars))), byte_fallback
        byte_ids = [bytes([b]) for b in range(256)] if byte_fallback else []
        super().__init__([c.encode("utf-8") for c in self.chars] + byte_ids, special_tokens)
        self.char_to_id = {c: i for i, c in enumerate(self.chars)}

    @classmethod
    def from_text(cls, text: str, special_tokens=(), byte_fallback: bool = True) -> CharTokenizer:
        """The vocabulary of every distinct character in `text`, in code-point order."""
        return cls("".join(set(text)), special_tokens, byte_fallback)

    def build_vocab(self, corpus) -> CharTokenizer:
        """The textbook's name for `from_text`: make this tokenizer's vocabulary every distinct
        character of `corpus` (a text, or a list of texts), keeping its special tokens and byte
        fallback. Returns the tokenizer, so `CharTokenizer().build_vocab(text)` is one line."""
        texts = [corpus] if isinstance(corpus, str) else list(corpus)
        if not all(isinstance(text, str) for text in texts):
            raise TypeError(f"build_vocab takes a text or a list of texts; got {type(corpus).__name__} "
                            "holding non-strings")
        self.__init__("".join(set().union(*texts)), list(self.special_tokens), self.byte_fallback)
        return self

    def _encode_ordinary(self, text: str) -> list[int]:
        lookup, ids = self.char_to_id, []
        for position, char in enumerate(text):
            i = lookup.get(char)
            if i is not None:
                ids.append(i)
            elif self.byte_fallback:
                ids.extend(len(self.chars) + b for b in char.encode("utf-8"))
            else:
                raise ValueError(f"character {char!r} at position {position} is not in the "
                                 f"vocabulary (byte_fallback is off)")
        return ids

    def config(self) -> dict:
        return {"chars": self.chars, "byte_fallback": self.byte_fallback}


class BPETokenizer(Tokenizer):
    """Byte-level byte-pair encoding: ids 0..255 are bytes, id 256 + r is merge r (a pair of
    earlier ids), then the special tokens. Train one with `BPETokenizer.train(text, size)`."""

    FILE_FIELDS = {"merges": list, "pattern": str}

    def __init__(self, merges, special_tokens=(), pattern: str = CHUNK_PATTERN):
        self.merges = [_check_merge(rank, pair) for rank, pair in enumerate(merges)]
        self.pattern = pattern
        id_bytes = [bytes([b]) for b in range(256)]
        for a, b in self.merges:
            id_bytes.append(id_bytes[a] + id_bytes[b])
        super().__init__(id_bytes, special_tokens)
        self.ranks = {pair: rank for rank, pair in enumerate(self.merges)}
        self._chunker = re.compile(pattern)
        self._cache: dict[str, list[int]] = {}

    @classmethod
    def train(cls, text: str, vocab_size: int, special_tokens=(),
              pattern: str = CHUNK_PATTERN) -> BPETokenizer:
        """Learn `vocab_size - 256 - len(special_tokens)` merges from `text` (`merge_steps`
        shows how); stops early if no pair is left to merge."""
        n_merges = vocab_size - 256 - len(special_tokens)
        if n_merges < 0:
            raise ValueError(f"vocab_size {vocab_size} is smaller than the 256 byte tokens plus "
                             f"{len(special_tokens)} special tokens")
        merges = [step.pair for step in merge_steps(text, n_merges, special_tokens, pattern)]
        return cls(merges, special_tokens, pattern)

    def _encode_ordinary(self, text: str) -> list[int]:
        ids = []
        for chunk in _chunks(self._chunker, text):
            if chunk not in self._cache:
                self._cache[chunk] = self._encode_chunk(chunk)
            ids.extend(self._cache[chunk])
        return ids

    def _encode_chunk(self, chunk: str) -> list[int]:
        """Apply the merges in the order they were learned: repeatedly merge the adjacent pair
        with the lowest rank, which reproduces what training did to this chunk."""
        ids, never = list(chunk.encode("utf-8")), len(self.ranks)
        while len(ids) > 1:
            pair = min(zip(ids, ids[1:], strict=False), key=lambda p: self.ranks.get(p, never))
            rank = self.ranks.get(pair)
            if rank is None:
                break
            merged, i = [], 0
            while i < len(ids):
                if ids[i:i + 2] == list(pair):
                    merged.append(256 + rank)
                    i += 2
                else:
                    merged.append(ids[i])
                    i += 1
            ids = merged
        return ids

    def config(self) -> dict:
        return {"merges": [list(pair) for pair in self.merges], "pattern": self.pattern}


@dataclass(frozen=True)
class MergeStep:
    """One step of BPE training: `pair` became token `new_id`. `count` is how often the pair
    occurred side by side (what training ranks pairs by; in a run "aaa" the pair "aa" counts
    twice but merges once); after the merge the training text is `tokens` tokens long (it
    started as its UTF-8 bytes, outside special tokens)."""

    pair: tuple[int, int]
    new_id: int
    count: int
    tokens: int


def merge_steps(text: str, n_merges: int, special_tokens=(),
                pattern: str = CHUNK_PATTERN) -> Iterator[MergeStep]:
    """BPE training one merge at a time, for `BPETokenizer.train` and for watching it learn.

    The text is cut into chunks (words with their leading space, numbers, punctuation);
    each distinct chunk is stored once, weighted by how often it occurs, in one flat id array
    with -1 between chunks. A merge step is then a few whole-array operations: count every
    adjacent pair (weighted), take the most frequent, rewrite its occurrences. Stops after
    `n_merges` steps, or earlier when no pair is left to merge.
    """
    if not isinstance(n_merges, int | np.integer) or n_merges < 0:
        raise ValueError(f"n_merges must be a non-negative integer, got {n_merges!r}")
    splitter = _special_token_splitter(_check_special_tokens(special_tokens))
    pieces = splitter.split(text)[::2] if splitter else [text]
    chunker = re.compile(pattern)
    counts = Counter(chunk for piece in pieces for chunk in _chunks(chunker, piece))
    ids, weights = _flatten_chunks(counts)
    for new_id in range(256, 256 + n_merges):
        found = _most_frequent_pair(ids, weights)
        if found is None:
            return
        pair, count = found
        ids, weights = _merge(ids, weights, pair, new_id)
        yield MergeStep(pair, new_id, round(count), round(weights[ids >= 0].sum()))


def _check_merge(rank: int, pair) -> tuple[int, int]:
    """Merge `rank` as a pair of ids that exist before it: bytes 0..255 and earlier merges."""
    newest = 255 + rank
    if (not isinstance(pair, list | tuple) or len(pair) != 2
            or not all(isinstance(i, int | np.integer) and not isinstance(i, bool) and 0 <= i <= newest
                       for i in pair)):
        raise ValueError(f"merge {rank} is {pair!r}; a merge is two ids of earlier tokens, each in "
                         f"0..{newest}")
    return int(pair[0]), int(pair[1])


def _integer_ids(ids) -> np.ndarray:
    """`ids` as a flat int64 array; a fractional, infinite or NaN id is an error, never truncated."""
    array = np.asarray(ids)
    if array.dtype.kind == "f":
        whole = np.isfinite(array) & (array == np.round(array))
        if not whole.all():
            raise ValueError(f"token id {array[~whole].flat[0]} is not a whole number; ids are integers")
    elif array.size and array.dtype.kind not in "iu":
        raise TypeError(f"token ids must be integers; got an array of {array.dtype}")
    return array.astype(np.int64).reshape(-1)


def _flatten_chunks(counts: Counter) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct chunk's bytes followed by -1, and each position's chunk frequency."""
    chunks = list(counts)
    if not chunks:  # training on empty text: nothing to count, so no merges
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    encoded = [np.frombuffer(c.encode("utf-8") + b"\xff", dtype=np.uint8) for c in chunks]
    ids = np.concatenate(encoded).astype(np.int64) if chunks else np.zeros(0, np.int64)
    ids[np.cumsum([len(e) for e in encoded]) - 1] = -1
    weights = np.repeat([counts[c] for c in chunks], [len(e) for e in encoded]).astype(np.float64)
    return ids, weights


def _most_frequent_pair(ids: np.ndarray, weights: np.ndarray):
    """The adjacent pair (a, b) with the largest total weight, ties to the smallest (a, b), and
    that weight; None when no pair is left."""
    left, right = ids[:-1], ids[1:]
    inside = (left >= 0) & (right >= 0)
    if not inside.any():
        return None
    codes = (left[inside] << 32) | right[inside]
    unique_codes, which = np.unique(codes, return_inverse=True)
    totals = np.bincount(which, weights=weights[:-1][inside])
    best = int(totals.argmax())
    code = int(unique_codes[best])
    return (code >> 32, code & 0xFFFFFFFF), float(totals[best])


def _merge(ids: np.ndarray, weights: np.ndarray, pair: tuple, new_id: int):
    """Replace every non-overlapping occurrence of `pair`, left to right, by `new_id`."""
    a, b = pair
    starts = np.flatnonzero((ids[:-1] == a) & (ids[1:] == b))
    if a == b and starts.size:
        # In a run "a a a" the pair starts at 0 and at 1; only 0 may merge (then the next at
        # 2). Keep the starts at an even distance from the beginning of their run.
        run_begins = np.r_[True, np.diff(starts) != 1]
        run_start = np.maximum.accumulate(np.where(run_begins, starts, 0))
        starts = starts[(starts - run_start) % 2 == 0]
    ids = ids.copy()
    ids[starts] = new_id
    keep = np.ones(len(ids), dtype=bool)
    keep[starts + 1] = False
    return ids[keep], weights[keep]


__all__ = ["CHUNK_PATTERN", "KNOWN_PATTERNS", "BPETokenizer", "CharTokenizer", "MergeStep", "Tokenizer",
           "merge_steps"]
