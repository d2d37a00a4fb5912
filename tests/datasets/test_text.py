"""The two books ship inside the package: real text, checked, and independent of any data folder."""

import gzip
from importlib.resources import files

import pytest

from tinytorch.datasets import ChecksumError, load_text, text
from tinytorch.datasets.catalog import FILES, TEXT_CONTENT


def test_bad_name_names_the_valid_ones():
    with pytest.raises(ValueError, match="must be one of 'moby_dick', 'shakespeare_sonnets'; got 'emma'"):
        load_text("emma")


def test_texts_ship_with_the_package_and_need_no_data_folder_nor_network(mirror, cache):
    # The autouse fixture gives an empty mirror and cache and no route to the internet.
    moby = load_text("moby_dick")
    assert len(moby) == 1_190_317 and moby.startswith("CHAPTER 1. Loomings.\n\nCall me Ishmael.")
    sonnets = load_text("shakespeare_sonnets")
    assert sonnets.startswith("1\n\nFrom fairest creatures we desire increase,")
    assert "Love's fire heats water, water cools not love." in sonnets
    assert load_text("moby_dick") is moby
    assert not mirror.exists() and not cache.exists()
    assert not any(path.startswith("text/") for path in FILES), "nothing about the texts is downloaded"


def test_shipped_files_are_compressed_and_small():
    data = files("tinytorch.datasets") / "data"
    for name, content in TEXT_CONTENT.items():
        size = len((data / f"{name}.txt.gz").read_bytes())
        assert size < content.size / 2, (name, size)
    note = (data / "texts-LICENSE.txt").read_text()
    assert "public domain" in note and all(content.sha256 in note for content in TEXT_CONTENT.values())


def test_a_changed_shipped_text_is_refused(tmp_path, monkeypatch):
    sonnets = (text.DATA / "shakespeare_sonnets.txt.gz").read_bytes()
    edited = gzip.decompress(sonnets).replace(b"fairest", b"fairer")
    (tmp_path / "shakespeare_sonnets.txt.gz").write_bytes(gzip.compress(edited))
    monkeypatch.setattr(text, "DATA", tmp_path)
    text.load_shipped_text.cache_clear()
    try:
        with pytest.raises(ChecksumError, match="shakespeare_sonnets.txt.gz is not the published"):
            load_text("shakespeare_sonnets")
    finally:
        text.load_shipped_text.cache_clear()
