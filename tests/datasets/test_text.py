"""The two books: real text, Gutenberg's wrapper stripped, and bad input named."""

import pytest
from datafiles import write

from tinytorch.datasets import CorruptFileError, load_text


def test_bad_name_names_the_valid_ones():
    with pytest.raises(ValueError, match="must be one of 'moby_dick', 'shakespeare_sonnets'; got 'emma'"):
        load_text("emma")


def test_gutenberg_copy_in_a_mirror_loses_its_wrapper(mirror):
    write(mirror / "text" / "shakespeare_sonnets.txt",
          b"Header\r\n*** START OF THE PROJECT GUTENBERG EBOOK SONNETS ***\r\n"
          b"From fairest creatures\r\n*** END OF THE PROJECT GUTENBERG EBOOK SONNETS ***\r\nLicence\r\n")
    assert load_text("shakespeare_sonnets", verify=False) == "From fairest creatures\n"


def test_text_that_is_not_utf8(mirror):
    write(mirror / "text" / "moby_dick.txt", b"Call me \xff")
    with pytest.raises(CorruptFileError, match="moby_dick.txt is not UTF-8"):
        load_text("moby_dick", verify=False)


def test_real_texts(real_data):
    moby = load_text("moby_dick")
    assert len(moby) == 1_190_317 and moby.startswith("CHAPTER 1. Loomings.\n\nCall me Ishmael.")
    sonnets = load_text("shakespeare_sonnets")
    assert sonnets.startswith("1\n\nFrom fairest creatures we desire increase,")
    assert "Love's fire heats water, water cools not love." in sonnets
