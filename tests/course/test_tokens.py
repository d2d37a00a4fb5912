"""Module 10's token display: visible whitespace, partial UTF-8 shown as bytes, one chip per
token, escaped HTML."""

from tinytorch.core.tokenization import BPETokenizer, CharTokenizer
from tinytorch.course.tokens import chips_html, token_text


def test_token_text_makes_whitespace_visible():
    tokenizer = BPETokenizer.train("the the the", 256 + 3)
    assert [token_text(tokenizer, i) for i in tokenizer.encode(" the\n")] == ["·the", "↵"]


def test_a_partial_character_shows_as_its_bytes():
    tokenizer = BPETokenizer([])
    assert [token_text(tokenizer, i) for i in tokenizer.encode("é")] == ["<0xc3>", "<0xa9>"]


def test_chips_are_one_per_token_escaped_and_limited():
    tokenizer = CharTokenizer.from_text("<b>")
    page = chips_html(tokenizer, "<b>")
    assert page.count("<span") == 3 and "&lt;" in page and "<b>" not in page.replace("<span", "")
    assert "… 7 more" in chips_html(tokenizer, "<b>" * 3 + "<", limit=3)
