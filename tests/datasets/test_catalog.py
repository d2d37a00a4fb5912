"""The checksum table: it matches the data README, and a mismatch names file and both hashes."""

import hashlib
import re

import pytest
from datafiles import REAL_DATA

from tinytorch.datasets import ChecksumError, CorruptFileError
from tinytorch.datasets.catalog import DIGITS_FILE, FILES, TEXT_CONTENT, Content, check_content, check_members


def catalog_checksums() -> dict[str, str]:
    """Every checksum in the catalog, named the way the data README names them."""
    named = {"digits/digits.csv.gz": DIGITS_FILE.sha256}
    named |= {f"text/{name}.txt": content.sha256 for name, content in TEXT_CONTENT.items()}
    for path, file in FILES.items():
        folder = path.split("/")[0]
        for member, content in file.contents.items():
            named[member if member.startswith("cifar") else f"{folder}/{member}"] = content.sha256
    return named


def test_catalog_matches_the_data_readme():
    readme = REAL_DATA / "README.md"
    if not readme.is_file():
        pytest.skip(f"no data README at {readme}")
    listed = dict(re.findall(r"^(\S+)(?: \(file itself\))?\s+([0-9a-f]{64})$", readme.read_text(), re.M))
    assert listed == catalog_checksums()


def test_every_file_has_upstream_urls_and_content():
    for path, file in FILES.items():
        assert file.urls and file.contents, path


def test_mismatch_names_file_expected_and_actual():
    expected = Content(hashlib.sha256(b"right").hexdigest(), 5)
    with pytest.raises(ChecksumError) as error:
        check_content("mnist/t10k-labels-idx1-ubyte.gz", b"wrong", expected)
    message = str(error.value)
    assert "mnist/t10k-labels-idx1-ubyte.gz" in message
    assert expected.sha256 in message and hashlib.sha256(b"wrong").hexdigest() in message


def test_right_hash_but_wrong_size_is_a_mismatch():
    with pytest.raises(ChecksumError, match=r"\(5 bytes\)"):
        check_content("x", b"12345", Content(hashlib.sha256(b"12345").hexdigest(), 6))


def test_missing_member_is_named():
    file = FILES["cifar-10/cifar-10-binary.tar.gz"]
    with pytest.raises(CorruptFileError, match="has no member 'cifar-10-batches-bin/data_batch_1.bin'"):
        check_members("archive.tar.gz", {}, file)
