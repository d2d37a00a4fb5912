"""Module 10, Tokenization: exact round trips, special tokens, BPE training, JSON files."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinytorch.core.tokenization import BPETokenizer, CharTokenizer, Tokenizer

CORPUS = ("the cat sat on the mat. the cat ate the rat; the rat sat on the hat. " * 20
          + "Ahab's whale, 1851: \"Call me Ishmael.\"\n")
EOT = "<|endoftext|>"


BPE_TOKENIZER = BPETokenizer.train(CORPUS, vocab_size=300, special_tokens=[EOT])
CHAR_TOKENIZER = CharTokenizer.from_text(CORPUS, special_tokens=[EOT])


@pytest.fixture
def bpe():
    return BPE_TOKENIZER


@pytest.fixture
def chars():
    return CHAR_TOKENIZER


@settings(max_examples=100, deadline=None)
@given(st.text() | st.lists(st.sampled_from(["the", " cat", EOT, "€", "\n", "'s"])).map("".join))
def test_round_trip_is_exact_on_any_text(text):
    for tok in (CHAR_TOKENIZER, BPE_TOKENIZER):
        assert tok.decode(tok.encode(text)) == text


def test_char_vocabulary_is_sorted_characters_then_bytes_then_specials(chars):
    assert chars.chars == "".join(sorted(set(CORPUS)))
    assert chars.vocab_size == len(chars.chars) + 256 + 1
    assert chars.encode("cat") == [chars.chars.index(c) for c in "cat"]
    assert chars.special_tokens == {EOT: chars.vocab_size - 1}


def test_unseen_characters_fall_back_to_their_utf8_bytes(chars):
    ids = chars.encode("a€")
    assert ids[1:] == [len(chars.chars) + b for b in "€".encode()]
    assert chars.decode(ids) == "a€"


def test_without_byte_fallback_an_unseen_character_is_an_error():
    tok = CharTokenizer.from_text("abc", byte_fallback=False)
    assert tok.vocab_size == 3
    with pytest.raises(ValueError, match=r"'z' at position 2 is not in the vocabulary"):
        tok.encode("abz")


def test_special_tokens_are_one_id_and_never_merged(bpe):
    text = f"the cat{EOT}the mat"
    ids = bpe.encode(text)
    assert ids.count(bpe.special_tokens[EOT]) == 1
    assert bpe.decode(ids) == text
    assert bpe.encode(EOT) == [bpe.vocab_size - 1]


def test_decoding_an_unknown_id_names_it(bpe, chars):
    with pytest.raises(ValueError, match="token id 300 is not in the vocabulary"):
        bpe.decode([5, 300])
    with pytest.raises(ValueError, match="token id -1"):
        chars.decode([-1])


def test_bpe_merges_the_most_frequent_pair_first():
    tok = BPETokenizer.train("ab ab ab cd", vocab_size=257)
    # Chunks: "ab", " ab" x2, " cd": ("a", "b") occurs 3 times, more than any other pair.
    assert tok.merges == [(ord("a"), ord("b"))]
    assert tok.encode(" ab") == [ord(" "), 256]


def test_bpe_learns_whole_words_and_reaches_the_vocab_size(bpe):
    assert bpe.vocab_size == 300
    assert len(bpe.merges) == 300 - 256 - 1
    assert " the" in {bpe.decode([i]) for i in range(256, 299)}
    assert len(bpe.encode(CORPUS)) < len(CORPUS.encode()) / 2


def test_bpe_merges_a_run_of_equal_bytes_left_to_right():
    tok = BPETokenizer.train("aaaaa", vocab_size=257)
    assert tok.merges == [(97, 97)]
    assert tok.encode("aaaaa") == [256, 256, 97]


def test_bpe_stops_when_nothing_is_left_to_merge():
    assert BPETokenizer.train("ab", vocab_size=1000).vocab_size == 257


def test_bpe_vocab_size_below_the_bytes_is_refused():
    with pytest.raises(ValueError, match="smaller than the 256 byte tokens"):
        BPETokenizer.train("abc", vocab_size=200)


def test_save_and_load_round_trip(tmp_path, bpe, chars):
    for tok in (bpe, chars):
        path = tmp_path / f"{type(tok).__name__}.json"
        tok.save(path)
        loaded = Tokenizer.load(path)
        assert type(loaded) is type(tok) and loaded.vocab_size == tok.vocab_size
        text = f"the whale{EOT} ∑"
        assert loaded.encode(text) == tok.encode(text)


def test_loading_a_file_that_is_not_a_tokenizer_is_refused(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"type": "Pickle"}')
    with pytest.raises(ValueError, match="not a saved tokenizer"):
        Tokenizer.load(path)


def test_decode_accepts_arrays_and_replaces_half_characters(chars):
    ids = np.array(chars.encode("a€"))
    assert chars.decode(ids) == "a€"
    assert chars.decode(ids[:-1]) == "a\ufffd"
