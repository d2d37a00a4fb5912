"""Finding files: mirror, then cache, then a checked download cached atomically; the browser's
synchronous fetch (against a fake XMLHttpRequest); and the once-per-process memory."""

import dataclasses
import gzip
import hashlib
import io
import sys
import types
from pathlib import PurePosixPath

import numpy as np
import pytest
from datafiles import UNREACHABLE, write

from tinytorch.datasets import ChecksumError, DatasetNotFoundError, set_data_url, sources
from tinytorch.datasets.catalog import FILES

MOBY = "text/moby_dick.txt"
LABELS = "mnist/t10k-labels-idx1-ubyte.gz"


def test_mirror_comes_before_cache(mirror, cache):
    write(mirror / MOBY, b"from the mirror")
    write(cache / MOBY, b"from the cache")
    assert sources.fetch(MOBY, verify=False) == {"moby_dick.txt": b"from the mirror"}
    (mirror / MOBY).unlink()
    assert sources.fetch(MOBY, verify=False) == {"moby_dick.txt": b"from the cache"}


def test_offline_without_mirror_names_the_env_var_and_the_urls_tried(cache):
    with pytest.raises(DatasetNotFoundError) as error:
        sources.fetch(LABELS)
    message = str(error.value)
    assert "TINYTORCH_DATA" in message and str(cache / LABELS) in message
    assert f"{UNREACHABLE}{LABELS}: " in message


def test_unset_mirror_is_reported(monkeypatch):
    monkeypatch.delenv(sources.MIRROR_ENV)
    with pytest.raises(DatasetNotFoundError, match="TINYTORCH_DATA is not set"):
        sources.fetch(LABELS)


@pytest.fixture
def served_labels(http_folder, monkeypatch):
    """A small gzipped label file served over HTTP as the only upstream URL for LABELS: its bytes."""
    folder, base = http_folder
    raw = gzip.compress(b"labels")
    write(folder / "labels.gz", raw)
    monkeypatch.setitem(FILES, LABELS, dataclasses.replace(FILES[LABELS], urls=(base + "labels.gz",)))
    return raw


def test_download_is_checked_then_cached_atomically(served_labels, http_folder, cache, expect_content,
                                                    capsys):
    expect_content(LABELS, "t10k-labels-idx1-ubyte", b"labels")
    assert sources.fetch(LABELS) == {"t10k-labels-idx1-ubyte": b"labels"}
    assert (cache / LABELS).read_bytes() == served_labels
    assert [p.name for p in (cache / "mnist").iterdir()] == ["t10k-labels-idx1-ubyte.gz"]  # no temp file left
    assert "downloading http://127.0.0.1" in capsys.readouterr().err

    write(http_folder[0] / "labels.gz", b"changed upstream")  # the cached copy is used from now on
    assert sources.fetch(LABELS) == {"t10k-labels-idx1-ubyte": b"labels"}


def test_checksum_mismatch_on_download_names_url_and_hashes_and_caches_nothing(served_labels, cache):
    with pytest.raises(ChecksumError) as error:
        sources.fetch(LABELS)
    message = str(error.value)
    assert "labels.gz" in message and FILES[LABELS].contents["t10k-labels-idx1-ubyte"].sha256 in message
    assert hashlib.sha256(b"labels").hexdigest() in message
    assert not cache.exists() or not any(cache.rglob("*"))


def test_unverified_download_is_used_but_never_cached(served_labels, cache):
    assert sources.fetch(LABELS, verify=False) == {"t10k-labels-idx1-ubyte": b"labels"}
    assert not (cache / LABELS).exists()


def test_site_url_is_tried_first(http_folder, expect_content):
    folder, base = http_folder
    write(folder / "data" / LABELS, gzip.compress(b"from the site"))
    expect_content(LABELS, "t10k-labels-idx1-ubyte", b"from the site")
    set_data_url(base + "data/")
    assert sources.fetch(LABELS) == {"t10k-labels-idx1-ubyte": b"from the site"}


def test_site_url_from_the_environment(monkeypatch):
    monkeypatch.setenv(sources.DATA_URL_ENV, "https://course.example/data")
    assert sources.data_url() == "https://course.example/data"
    set_data_url("https://other.example/data")
    assert sources.data_url() == "https://other.example/data"


class FakeResponse(io.BytesIO):
    """What urlopen returns, for a server that promises more bytes than it sends."""

    headers = {"Content-Length": "1000"}


def test_download_stopping_short_is_an_error(monkeypatch):
    monkeypatch.setattr(sources.urllib.request, "urlopen", lambda url, timeout: FakeResponse(b"x" * 10))
    with pytest.raises(OSError, match="closed after 10 of 1,000 bytes"):
        sources.http_get("http://example.invalid/x")


class FakeXMLHttpRequest:
    """The part of the browser's XMLHttpRequest that `browser_get` uses, serving `files` by URL.

    On a page's main thread (`main_thread = True`) browsers refuse `responseType` for synchronous
    requests; text decoded as x-user-defined maps byte b >= 0x80 to the character U+F700 + b.
    """

    files: dict[str, bytes] = {}
    requested: list[str] = []
    main_thread = False

    @classmethod
    def new(cls):
        return cls()

    def open(self, method, url, is_async):
        assert (method, is_async) == ("GET", False)
        self.url, self.as_buffer = url, False

    @property
    def responseType(self):  # noqa: N802 (the browser's name)
        return "arraybuffer" if self.as_buffer else ""

    @responseType.setter
    def responseType(self, value):  # noqa: N802
        if self.main_thread:
            raise RuntimeError("InvalidAccessError")
        self.as_buffer = value == "arraybuffer"

    def overrideMimeType(self, mime):  # noqa: N802
        assert mime == "text/plain; charset=x-user-defined"

    def send(self, body):
        self.requested.append(self.url)
        data = self.files.get(self.url)
        self.status, self.statusText = (200, "OK") if data is not None else (404, "Not Found")
        data = data or b""
        self.response = types.SimpleNamespace(to_bytes=lambda: data) if self.as_buffer else None
        self.responseText = "".join(chr(b if b < 0x80 else 0xF700 + b) for b in data)


@pytest.fixture(params=["worker", "main thread"])
def browser(request, monkeypatch):
    """Pretend to run in Pyodide (in a web worker, or on the main thread) with a fake `js` module."""
    fake = type("XMLHttpRequest", (FakeXMLHttpRequest,),
                {"files": {}, "requested": [], "main_thread": request.param == "main thread"})
    monkeypatch.setitem(sys.modules, "js", types.SimpleNamespace(XMLHttpRequest=fake))
    monkeypatch.delitem(sys.modules, "marimo", raising=False)  # other tests may have imported it
    monkeypatch.setattr(sources, "IN_BROWSER", True)
    return fake


def test_browser_reads_every_byte_value_from_the_site(browser):
    data = bytes(range(256)) * 3
    browser.files["https://course.example/data/" + MOBY] = data
    set_data_url("https://course.example/data")
    assert sources.fetch(MOBY, verify=False) == {"moby_dick.txt": data}


def test_browser_never_caches_nor_tries_upstream(browser, cache, expect_content):
    browser.files["https://course.example/data/" + LABELS] = gzip.compress(b"labels")
    expect_content(LABELS, "t10k-labels-idx1-ubyte", b"labels")
    set_data_url("https://course.example/data")
    sources.fetch(LABELS)
    assert not cache.exists()
    with pytest.raises(DatasetNotFoundError) as error:
        sources.fetch(MOBY)
    assert "HTTP 404 Not Found" in str(error.value) and "set_data_url" in str(error.value)
    assert browser.requested == [f"https://course.example/data/{path}" for path in (LABELS, MOBY)]


def test_browser_without_a_site_says_how_to_set_one(browser):
    with pytest.raises(DatasetNotFoundError, match="(?s)no URL to try.*set_data_url"):
        sources.fetch(MOBY)


def test_browser_defaults_to_marimo_notebook_location(browser, monkeypatch):
    marimo = types.SimpleNamespace(notebook_location=lambda: PurePosixPath("/site/apps"))
    monkeypatch.setitem(sys.modules, "marimo", marimo)
    assert sources.data_url() == "/site/apps/data"


def test_remember_loads_once_per_location_and_returns_read_only_arrays(monkeypatch, tmp_path):
    calls = []

    @sources.remember
    def load(n):
        calls.append(n)
        return np.arange(n), np.zeros(n)

    first = load(3)
    assert load(3) is first and calls == [3]
    assert not any(array.flags.writeable for array in first)
    monkeypatch.setenv(sources.MIRROR_ENV, str(tmp_path / "another mirror"))
    assert load(3) is not first and calls == [3, 3]
