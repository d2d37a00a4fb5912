"""The local server's headers and types, and the dataset selection and copy."""

import urllib.error
import urllib.request

import pytest

from wasm.data import DATASETS, DEFAULT, copy_datasets, parse_selection
from wasm.serve import ISOLATION_HEADERS, serving


def test_server_sends_isolation_headers_and_wasm_types(tmp_path):
    (tmp_path / "a.wasm").write_bytes(b"\0asm")
    (tmp_path / "b.mjs").write_text("export {}")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "index.html").write_text("<p>hi</p>")
    with serving(tmp_path) as base:
        for path, ctype in (
            ("a.wasm", "application/wasm"),
            ("b.mjs", "text/javascript"),
            ("d/", "text/html"),
        ):
            with urllib.request.urlopen(base + path) as r:
                assert r.headers["Content-Type"].startswith(ctype)
                for k, v in ISOLATION_HEADERS.items():
                    assert r.headers[k] == v
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(base + "missing.js")
        assert e.value.code == 404
    assert base.startswith("http://127.0.0.1:")


def test_dataset_selection():
    assert parse_selection(None) == DEFAULT and "cifar-10" not in DEFAULT
    assert parse_selection("all") == DATASETS and parse_selection("none") == ()
    assert parse_selection("mnist, text") == ("mnist", "text")
    with pytest.raises(ValueError, match="imagenet"):
        parse_selection("mnist,imagenet")


def test_copy_datasets_copies_the_chosen_and_lists_the_absent(tmp_path):
    mirror = tmp_path / "mirror"
    for name in ("mnist", "text", "cifar-10"):
        (mirror / name).mkdir(parents=True)
        (mirror / name / "f.bin").write_bytes(b"x" * 10)
    (mirror / "README.md").write_text("licences")
    report = copy_datasets(mirror, tmp_path / "site" / "data", ("mnist", "text", "digits"))
    assert report.copied == {"mnist": 10, "text": 10} and report.absent == ["digits"]
    assert sorted(p.name for p in (tmp_path / "site" / "data").iterdir()) == ["README.md", "mnist", "text"]
    assert copy_datasets(None, tmp_path / "x", ("mnist",)).absent == ["mnist"]
