"""Module 10, Tokenization: exact round trips, special tokens, BPE training, JSON files."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinytorch.core.tokenization import BPETokenizer, CharTokenizer, Tokenizer, merge_steps

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


# ----- files are input: checked like any other -----------------------------------------------

def saved(tmp_path, tok, **changes) -> object:
    """The path of `tok` saved as JSON with `changes` applied to its fields."""
    path = tmp_path / "tok.json"
    tok.save(path)
    config = json.loads(path.read_text())
    config.update(changes)
    path.write_text(json.dumps(config))
    return path


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"[a-z]+"], ids=["backtracking", "skips characters"])
def test_load_refuses_a_pattern_it_does_not_know(tmp_path, bpe, pattern):
    with pytest.raises(ValueError, match="pattern .* is not one this module knows"):
        Tokenizer.load(saved(tmp_path, bpe, pattern=pattern))


@pytest.mark.parametrize(("merge", "problem"), [
    ([[97, 98], [256, 300]], r"merge 1 is \[256, 300\]; .* each in 0..256"),
    ([[97, -1]], r"merge 0 is \[97, -1\]"),
    ([[97, 98, 99]], r"merge 0 is \[97, 98, 99\]"),
    ([[97, 1.5]], r"merge 0 is \[97, 1.5\]"),
    ([[True, 98]], r"merge 0 is \[True, 98\]"),
])
def test_load_refuses_merges_of_ids_that_do_not_exist_yet(tmp_path, bpe, merge, problem):
    with pytest.raises(ValueError, match=problem):
        Tokenizer.load(saved(tmp_path, bpe, merges=merge))


@pytest.mark.parametrize(("changes", "problem"), [
    ({"chars": 5}, "field 'chars' must be a JSON str, got int"),
    ({"byte_fallback": "yes"}, "field 'byte_fallback' must be a JSON bool"),
    ({"special_tokens": [EOT, EOT]}, "special tokens repeat"),
    ({"special_tokens": [""]}, "non-empty strings"),
    ({"extra": 1}, r"unknown \['extra'\]"),
])
def test_load_refuses_fields_of_the_wrong_kind(tmp_path, chars, changes, problem):
    with pytest.raises(ValueError, match=problem):
        Tokenizer.load(saved(tmp_path, chars, **changes))


def test_load_refuses_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "tok.json"
    path.write_text("merges: [1, 2]")
    with pytest.raises(ValueError, match="tok.json is not a saved tokenizer: not JSON"):
        Tokenizer.load(path)


def test_a_pattern_that_skips_characters_is_an_error_not_lost_text():
    with pytest.raises(ValueError, match=r"skips the character ' ' at position 3"):
        BPETokenizer.train("the cat", 260, pattern=r"[a-z]+")
    tok = BPETokenizer([], pattern=r"[a-z]+")
    with pytest.raises(ValueError, match=r"skips the character '!' at position 2"):
        tok.encode("hi!")


def test_decode_refuses_fractional_ids_instead_of_truncating(chars):
    with pytest.raises(ValueError, match="token id 1.7 is not a whole number"):
        chars.decode([1.7])
    with pytest.raises(ValueError, match="not a whole number"):
        chars.decode(np.array([np.nan]))
    with pytest.raises(TypeError, match="must be integers"):
        chars.decode(np.array([True]))
    whole = np.array(chars.encode("cat"), dtype=np.float32)  # e.g. a model's output, exactly whole
    assert chars.decode(whole) == "cat"


def test_training_on_empty_text_gives_the_byte_tokenizer():
    tok = BPETokenizer.train("", vocab_size=300)
    assert tok.merges == [] and tok.vocab_size == 256
    assert tok.decode(tok.encode("any text €")) == "any text €"


def test_the_textbooks_build_vocab_names_the_same_vocabulary(chars):
    tok = CharTokenizer().build_vocab(CORPUS)
    assert tok.chars == CharTokenizer.from_text(CORPUS).chars
    assert tok.encode("cat") == CharTokenizer.from_text(CORPUS).encode("cat")
    listed = CharTokenizer(special_tokens=[EOT], byte_fallback=False)
    listed.build_vocab(["abc", "cd"])  # the textbook passes a list of texts and ignores the return
    assert listed.chars == "abcd" and listed.special_tokens == {EOT: 4}
    assert listed.decode(listed.encode(f"dab{EOT}")) == f"dab{EOT}"
    with pytest.raises(ValueError, match="single characters"):
        CharTokenizer(["ab", "c"])


def test_merge_steps_record_each_merge_and_the_text_length_after_it():
    text = "low lower lowest low low"
    steps = list(merge_steps(text, 5))
    assert [s.pair for s in steps] == BPETokenizer.train(text, 256 + 5).merges
    assert [s.new_id for s in steps] == list(range(256, 261))
    assert steps[0].pair == (ord("l"), ord("o")) and steps[0].count == 5
    tokenizer = BPETokenizer([s.pair for s in steps])
    for k, step in enumerate(steps, start=1):  # the recorded length is the encoded length
        assert step.tokens == len(BPETokenizer([s.pair for s in steps[:k]]).encode(text))
    assert steps[-1].tokens == len(tokenizer.encode(text)) < len(text.encode())


def test_merge_steps_count_a_run_of_one_byte_exactly():
    (step,) = merge_steps("aaa", 1)
    assert step.pair == (97, 97) and step.count == 2 and step.tokens == 2  # "aa" + "a"


def test_merge_steps_refuse_a_negative_count():
    with pytest.raises(ValueError, match="n_merges must be a non-negative integer"):
        list(merge_steps("abc", -1))
