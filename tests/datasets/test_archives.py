"""Unwrapping: gzip (whole, multi-stream, cut short, bombs), tar members."""

import gzip
import tarfile
import tracemalloc
import zlib

import pytest
from datafiles import tar_gz

from tinytorch.datasets import CorruptFileError
from tinytorch.datasets.archives import gunzip, untar


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


def gzip_bomb(size: int) -> bytes:
    """A gzip file of `size` zero bytes, made in 1 MB steps: ~1,000 times smaller than its content."""
    stream = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1 << 20)
    return b"".join(stream.compress(zeros) for _ in range(size >> 20)) + stream.flush()


def test_gzip_bomb_is_refused_without_inflating_it():
    bomb = gzip_bomb(200 << 20)  # 200 MB of zeros in ~200 kB
    tracemalloc.start()
    try:
        with pytest.raises(CorruptFileError, match=r"x.gz decompresses to more than 10,008 bytes"):
            gunzip(bomb, "x.gz", expected_size=10_008, limit=10_008)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000, f"{peak:,} bytes held while refusing the bomb"


def test_limit_spans_every_gzip_stream_and_allows_exactly_the_limit():
    two = gzip.compress(b"a" * 600) + gzip.compress(b"b" * 400)
    assert gunzip(two, "x", limit=1000) == b"a" * 600 + b"b" * 400
    with pytest.raises(CorruptFileError, match="more than 999 bytes"):
        gunzip(two, "x", limit=999)
