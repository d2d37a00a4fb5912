"""Fixtures for the dataset tests: an isolated data location per test, small files made on the
spot, a local HTTP server, and the real mirror when it is there.

No test here touches the network or `~/.cache`: every test gets an empty mirror and cache under
`tmp_path`, and the catalog's upstream URLs point at a closed local port.
"""

import dataclasses
import functools
import hashlib
import http.server
import threading
from pathlib import Path

import pytest
from datafiles import REAL_DATA, UNREACHABLE

from tinytorch.datasets import catalog, sources


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """An empty mirror and cache of this test's own, no site URL, and no way out to the internet."""
    for name in (sources.MIRROR_ENV, sources.CACHE_ENV):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.delenv(sources.DATA_URL_ENV, raising=False)
    monkeypatch.delenv(sources.UPSTREAM_URL_ENV, raising=False)
    monkeypatch.setattr(sources, "_data_url", None)
    for path, file in catalog.FILES.items():
        monkeypatch.setitem(catalog.FILES, path, dataclasses.replace(file, urls=(UNREACHABLE + path,)))


@pytest.fixture
def mirror(tmp_path) -> Path:
    """The test's mirror folder (`TINYTORCH_DATA`); write files into it in the mirror layout."""
    return tmp_path / sources.MIRROR_ENV.lower()


@pytest.fixture
def cache(tmp_path) -> Path:
    """The test's download cache folder (`TINYTORCH_CACHE`)."""
    return tmp_path / sources.CACHE_ENV.lower()


@pytest.fixture
def real_data(monkeypatch) -> Path:
    """Point the loaders at the shared real-data mirror, or skip the test when it is absent."""
    if not REAL_DATA.is_dir():
        pytest.skip(f"real data mirror not found at {REAL_DATA.resolve()}")
    monkeypatch.setenv(sources.MIRROR_ENV, str(REAL_DATA.resolve()))
    return REAL_DATA.resolve()


@pytest.fixture
def expect_content(monkeypatch):
    """`expect_content(path, member, data)`: make `data` the catalog's content for that member,
    so small synthetic files pass verification the way the real ones do."""

    def expect(path: str, member: str, data: bytes) -> None:
        content = catalog.Content(hashlib.sha256(data).hexdigest(), len(data))
        file = catalog.FILES[path]
        contents = {**file.contents, member: content}
        monkeypatch.setitem(catalog.FILES, path, dataclasses.replace(file, contents=contents))

    return expect


@pytest.fixture
def http_folder(tmp_path):
    """A folder served over HTTP on 127.0.0.1 for the test's duration: yields (folder, base URL)."""
    folder = tmp_path / "served"
    folder.mkdir()

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(QuietHandler, directory=folder)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
