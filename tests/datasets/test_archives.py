"""Unwrapping: gzip (whole, multi-stream, cut short), tar members, and Gutenberg's licence text."""

import gzip
import tarfile

import pytest
from datafiles import tar_gz

from tinytorch.datasets import CorruptFileError
from tinytorch.datasets.archives import gunzip, gutenberg_body, untar


def test_gunzip_whole_and_multi_stream():
    assert gunzip(gzip.compress(b"abc"), "x") == b"abc"
    assert gunzip(gzip.compress(b"abc") + gzip.compress(b"def"), "x") == b"abcdef"


def test_truncated_gzip_names_file_and_sizes():
    raw = gzip.compress(bytes(range(256)) * 400)
    with pytest.raises(CorruptFileError) as error:
        gunzip(raw[: len(raw) // 2], "mnist/train-images-idx3-ubyte.gz", expected_size=102_400)
    message = str(error.value)
    assert "mnist/train-images-idx3-ubyte.gz is truncated" in message
    assert f"its {len(raw) // 2:,} bytes decompress to only" in message
    assert "the full content is 102,400 bytes" in message


@pytest.mark.parametrize("raw", [b"", b"\x1f"])
def test_empty_or_tiny_gzip_is_truncated(raw):
    with pytest.raises(CorruptFileError, match="truncated"):
        gunzip(raw, "x")


def test_not_gzip():
    with pytest.raises(CorruptFileError, match="x.gz is not a valid gzip file"):
        gunzip(b"plain text, not gzip", "x.gz")


def test_untar_returns_regular_files_by_name():
    members = untar(gunzip(tar_gz({"d/a.bin": b"aaa", "d/b.bin": b"bbbb"}), "x"), "x")
    assert {name: bytes(data) for name, data in members.items()} == {"d/a.bin": b"aaa", "d/b.bin": b"bbbb"}


def test_tar_member_cut_short_names_member_and_sizes():
    tar = gunzip(tar_gz({"d/a.bin": bytes(5000)}), "x")
    with pytest.raises(CorruptFileError, match=r"x.tar is cut short: member d/a.bin should be 5,000 bytes, "
                                               r"but only 1,000 are present"):
        untar(tar[: tarfile.BLOCKSIZE + 1000], "x.tar")


def test_not_a_tar():
    with pytest.raises(CorruptFileError, match="not a valid tar archive"):
        untar(b"\x01" * 2000, "x")


def test_gutenberg_header_and_licence_are_stripped():
    ebook = (b"\xef\xbb\xbfThe Project Gutenberg eBook of Moby-Dick\r\n"
             b"*** START OF THE PROJECT GUTENBERG EBOOK MOBY-DICK ***\r\n\r\n"
             b"Call me Ishmael.\r\nSome years ago.\r\n\r\n"
             b"*** END OF THE PROJECT GUTENBERG EBOOK MOBY-DICK ***\r\nLicence text\r\n")
    assert gutenberg_body(ebook) == b"Call me Ishmael.\nSome years ago.\n"


def test_text_without_gutenberg_markers_is_unchanged():
    text = b"1\n\nFrom fairest creatures we desire increase,\r\n"
    assert gutenberg_body(text) == text
