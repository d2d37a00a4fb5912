"""The local server's headers and types, and the datasets: selection, copy from a mirror, or fetch."""

import dataclasses
import hashlib
import os
import urllib.error
import urllib.request

import pytest

from tests.upstream_layout import upstream_gzip, write_upstream
from tinytorch.datasets import catalog, sources
from wasm.data import DATASETS, DEFAULT, copy_datasets, parse_selection, provide_datasets
from wasm.serve import ISOLATION_HEADERS, cache_control, serving


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


def test_only_content_named_files_are_cached_without_asking(tmp_path):
    """assets/ (marimo's frontend, file names carry a content hash) may be kept for a year; all
    else is asked for again on every visit (a rebuilt site is never mixed with a cached one)."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "index-Bx3k9Qa1.js").write_text("export {}")
    (tmp_path / "index.html").write_text("<p>hi</p>")
    with serving(tmp_path) as base:
        with urllib.request.urlopen(base + "assets/index-Bx3k9Qa1.js?v=1") as r:
            assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        with urllib.request.urlopen(base + "index.html") as r:
            assert r.headers["Cache-Control"] == "no-cache"
    assert cache_control("/pyodide/pyodide.asm.wasm") == cache_control("/public/assets/x") == "no-cache"


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


@pytest.fixture
def no_mirror(tmp_path, monkeypatch):
    """No mirror, an empty cache of the test's own, and downloads going to a local folder it serves
    in upstream's layout: yields that folder."""
    folder = tmp_path / "upstream"
    folder.mkdir()
    monkeypatch.delenv(sources.MIRROR_ENV, raising=False)
    monkeypatch.delenv(sources.DATA_URL_ENV, raising=False)
    monkeypatch.setenv(sources.CACHE_ENV, str(tmp_path / "cache"))
    with serving(folder, isolation=False) as base:
        monkeypatch.setenv(sources.UPSTREAM_URL_ENV, base)
        yield folder


def small_mnist(folder, monkeypatch) -> dict[str, bytes]:
    """A tiny MNIST in upstream's layout and wrappers, made the catalog's content: path -> bytes served."""
    served = {}
    for path, file in list(catalog.FILES.items()):
        if path.startswith("mnist/"):
            (member,) = file.contents
            content = f"content of {member}".encode()
            expected = catalog.Content(hashlib.sha256(content).hexdigest(), len(content))
            monkeypatch.setitem(catalog.FILES, path, dataclasses.replace(file, contents={member: expected}))
            served[path] = write_upstream(folder, path, upstream_gzip(content, member)).read_bytes()
    return served


def test_without_a_mirror_datasets_are_fetched_as_the_library_does(no_mirror, tmp_path, monkeypatch):
    served = small_mnist(no_mirror, monkeypatch)
    logged = []
    report = provide_datasets(None, tmp_path / "site" / "data", ("mnist", "text", "digits"), logged.append)
    assert report.copied == {"mnist": sum(map(len, served.values()))} and report.absent == []
    for path, raw in served.items():
        assert (tmp_path / "site" / "data" / path).read_bytes() == raw  # upstream's bytes, served as is
        assert (tmp_path / "cache" / path).read_bytes() == raw  # and cached, as the library does
    log = "\n".join(logged)
    assert "no mirror given" in log and "mnist: 4 file(s), 0.0 MB of content" in log
    assert f"mnist/t10k-labels-idx1-ubyte.gz: 0.0 MB from {os.environ[sources.UPSTREAM_URL_ENV]}" in log
    assert report.notes == ["datasets fetched (no mirror given): mnist 0.0 MB"]
    assert "CC BY-SA 3.0" in (tmp_path / "site" / "data" / "README.md").read_text()
    assert not (tmp_path / "site" / "data" / "text").exists()  # ships inside tinytorch


def test_without_mirror_or_network_the_build_says_what_is_missing_and_how_to_provide_it(
        no_mirror, tmp_path, monkeypatch):
    monkeypatch.setenv(sources.UPSTREAM_URL_ENV, "http://127.0.0.1:9/")  # nothing listens on port 9
    logged = []
    report = provide_datasets(None, tmp_path / "data", DEFAULT, logged.append)
    assert report.copied == {} and report.absent == ["mnist", "fashion-mnist", "capstone"]
    assert report.notes == [
        "datasets missing (no mirror given, and they could not be downloaded): mnist, fashion-mnist; the "
        "apps that need them say so. To include them, provide them with --data-source <folder> (or "
        "TINYTORCH_DATA) naming a data mirror, or connect to the internet and build again",
        "capstone reference submissions not built: no dataset is on the site"]
    assert "mnist: not available: Could not find mnist/" in "\n".join(logged)
    assert not (tmp_path / "data").exists()


def test_a_mirror_missing_a_dataset_says_how_to_add_it(tmp_path):
    (tmp_path / "mirror").mkdir()
    report = provide_datasets(tmp_path / "mirror", tmp_path / "data", ("mnist",), print)
    assert report.notes == [f"datasets not copied (not found in {tmp_path / 'mirror'}): mnist; add them to "
                            "that folder in the mirror layout, or build without a mirror (no --data-source, "
                            "TINYTORCH_DATA unset) to download them"]
