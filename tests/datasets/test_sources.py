"""Finding files: mirror, then cache, then a checked download cached atomically; the browser's
synchronous fetch (against a fake XMLHttpRequest); and the once-per-process memory."""

import dataclasses
import gzip
import hashlib
import io
import os
import socket
import stat
import sys
import threading
import time
import types
import zlib
from pathlib import Path, PurePosixPath

import numpy as np
import pytest
from datafiles import UNREACHABLE, write

from tinytorch.datasets import (
    ChecksumError,
    CorruptFileError,
    DatasetError,
    DatasetNotFoundError,
    UnreadableFileError,
    catalog,
    set_data_url,
    sources,
)
from tinytorch.datasets.catalog import FILES

TRAIN_LABELS = "mnist/train-labels-idx1-ubyte.gz"
LABELS = "mnist/t10k-labels-idx1-ubyte.gz"


def test_mirror_comes_before_cache(mirror, cache):
    write(mirror / TRAIN_LABELS, gzip.compress(b"from the mirror"))
    write(cache / TRAIN_LABELS, gzip.compress(b"from the cache"))
    assert sources.fetch(TRAIN_LABELS, verify=False) == {"train-labels-idx1-ubyte": b"from the mirror"}
    (mirror / TRAIN_LABELS).unlink()
    assert sources.fetch(TRAIN_LABELS, verify=False) == {"train-labels-idx1-ubyte": b"from the cache"}


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
    browser.files["https://course.example/data/" + TRAIN_LABELS] = data
    assert sources.browser_get("https://course.example/data/" + TRAIN_LABELS) == data


def test_browser_never_caches_nor_tries_upstream(browser, cache, expect_content):
    browser.files["https://course.example/data/" + LABELS] = gzip.compress(b"labels")
    expect_content(LABELS, "t10k-labels-idx1-ubyte", b"labels")
    set_data_url("https://course.example/data")
    sources.fetch(LABELS)
    assert not cache.exists()
    with pytest.raises(DatasetNotFoundError) as error:
        sources.fetch(TRAIN_LABELS)
    assert "HTTP 404 Not Found" in str(error.value) and "set_data_url" in str(error.value)
    assert browser.requested == [f"https://course.example/data/{path}" for path in (LABELS, TRAIN_LABELS)]


def test_browser_without_a_site_says_how_to_set_one(browser):
    with pytest.raises(DatasetNotFoundError, match="(?s)no URL to try.*set_data_url"):
        sources.fetch(TRAIN_LABELS)


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


# ----- robustness: bombs, unreadable files, caches that cannot be written, slow servers ---------

def test_gzip_bomb_in_the_mirror_is_refused(mirror):
    stream = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    bomb = b"".join(stream.compress(bytes(1 << 20)) for _ in range(100)) + stream.flush()  # 100 MB
    write(mirror / LABELS, bomb)
    with pytest.raises(CorruptFileError, match=r"decompresses to more than 10,008 bytes.*gzip bomb"):
        sources.fetch(LABELS)


def test_a_local_copy_far_larger_than_the_dataset_is_refused_unread(mirror):
    write(mirror / LABELS, bytes(3_000_000))
    with pytest.raises(CorruptFileError, match=r"is 3,000,000 bytes, more than any copy of .*labels"):
        sources.fetch(LABELS)


def test_an_unreadable_local_copy_is_a_named_dataset_error(mirror, monkeypatch):
    write(mirror / LABELS, gzip.compress(b"labels"))
    real_read_bytes = Path.read_bytes

    def read_bytes(path):
        if path == mirror / LABELS:
            raise PermissionError(13, "Permission denied", str(path))
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(UnreadableFileError) as error:
        sources.fetch(LABELS, verify=False)
    assert isinstance(error.value, DatasetError)
    assert f"{mirror / LABELS} exists but cannot be read (Permission denied)" in str(error.value)
    assert "chmod u+r" in str(error.value)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_a_file_without_read_permission_is_a_named_dataset_error(mirror):
    path = write(mirror / LABELS, gzip.compress(b"labels"))
    path.chmod(0)
    with pytest.raises(UnreadableFileError, match="cannot be read"):
        sources.fetch(LABELS, verify=False)


def test_a_cache_that_cannot_be_written_keeps_the_checked_download(served_labels, tmp_path, monkeypatch,
                                                                   expect_content):
    expect_content(LABELS, "t10k-labels-idx1-ubyte", b"labels")
    (tmp_path / "a file").write_text("where the cache folder should be")
    monkeypatch.setenv(sources.CACHE_ENV, str(tmp_path / "a file" / "cache"))
    with pytest.warns(UserWarning, match=r"(?s)downloaded and checked, but could not be kept in the cache"
                                         r".*TINYTORCH_CACHE"):
        assert sources.fetch(LABELS) == {"t10k-labels-idx1-ubyte": b"labels"}


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_cached_files_get_the_permissions_the_umask_gives(served_labels, cache, expect_content, umask, mode):
    expect_content(LABELS, "t10k-labels-idx1-ubyte", b"labels")
    previous = os.umask(umask)
    try:
        sources.fetch(LABELS)
    finally:
        os.umask(previous)
    assert stat.S_IMODE((cache / LABELS).stat().st_mode) == mode


def test_temporaries_left_by_a_killed_process_are_removed(served_labels, cache, expect_content):
    expect_content(LABELS, "t10k-labels-idx1-ubyte", b"labels")
    folder = cache / "mnist"
    old = [write(folder / name, b"half") for name in ("t10k-labels-idx1-ubyte.gz.123-ab.part", "x.gz.tmp")]
    for path in old:
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    in_progress = write(folder / "train-images-idx3-ubyte.gz.456-cd.part", b"being written now")
    sources.fetch(LABELS)
    assert sorted(p.name for p in folder.iterdir()) == sorted([in_progress.name, "t10k-labels-idx1-ubyte.gz"])


@pytest.fixture
def trickling_server():
    """A server that promises 40 bytes and sends one every 0.1 s: each read is quick, the whole slow."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve():
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 40\r\n\r\n")
            for _ in range(40):
                time.sleep(0.1)
                try:
                    connection.sendall(b"x")
                except OSError:
                    return  # the client gave up

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/slow.gz"
    listener.close()


def test_a_download_has_a_total_timeout_not_only_one_per_read(trickling_server, monkeypatch):
    monkeypatch.setattr(sources, "DOWNLOAD_TOTAL_SECONDS", 0.5)
    monkeypatch.setitem(FILES, LABELS, dataclasses.replace(FILES[LABELS], urls=(trickling_server,)))
    started = time.monotonic()
    with pytest.raises(DatasetNotFoundError, match=r"slow.gz: the download took longer than 0.5 s in all"):
        sources.fetch(LABELS)
    assert time.monotonic() - started < 2


def test_a_server_sending_more_than_any_copy_can_be_is_cut_off(http_folder):
    folder, base = http_folder
    write(folder / "big.gz", bytes(5000))
    with pytest.raises(OSError, match="offers 5,000 bytes, more than any copy of this file can be"):
        sources.http_get(base + "big.gz", max_bytes=4000)


def test_upstream_urls_can_point_at_a_local_copy_of_upstream(http_folder, monkeypatch, expect_content):
    folder, base = http_folder
    real = dataclasses.replace(FILES[LABELS], urls=tuple(url + "t10k-labels-idx1-ubyte.gz"
                                                         for url in catalog.MNIST_URLS))
    monkeypatch.setitem(FILES, LABELS, real)
    monkeypatch.setenv(sources.UPSTREAM_URL_ENV, base)
    assert sources.upstream_urls(real) == [
        base + "ossci-datasets.s3.amazonaws.com/mnist/t10k-labels-idx1-ubyte.gz",
        base + "yann.lecun.com/exdb/mnist/t10k-labels-idx1-ubyte.gz",
    ]
    write(folder / "yann.lecun.com/exdb/mnist/t10k-labels-idx1-ubyte.gz", gzip.compress(b"labels"))
    expect_content(LABELS, "t10k-labels-idx1-ubyte", b"labels")
    assert sources.fetch(LABELS) == {"t10k-labels-idx1-ubyte": b"labels"}  # the first URL 404s
