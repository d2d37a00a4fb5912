"""The milestone recipes run as on a fresh clone: no mirror (`TINYTORCH_DATA` unset), an empty
download cache, and the datasets' upstream hosts stood in for by a local server that serves the
real content in upstream's own wrappers (tests/upstream_layout). So each quick run exercises
the download path a learner meets first: fetch, check against the catalog, cache, load.

The stand-in is made from the course's data mirror; without it the tests that need MNIST or
CIFAR-10 skip, saying how to run them. The texts ship inside tinytorch and need nothing.
"""

import os
from pathlib import Path

import pytest

from tests.upstream_layout import rewrap_from_mirror
from tinytorch.datasets import sources
from wasm.serve import serving

REAL_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


class Upstream:
    """A local upstream-layout folder, filled one dataset at a time from the mirror on demand."""

    def __init__(self, folder: Path, mirror: Path | None):
        self.folder, self.mirror, self.ready = folder, mirror, set()

    def provide(self, dataset: str) -> None:
        if dataset in self.ready:
            return
        if self.mirror is None or not (self.mirror / dataset).is_dir():
            pytest.skip(f"no {dataset} to stand in for its upstream host: set TINYTORCH_DATA to the data "
                        "mirror (../shared/data) when running the tests")
        rewrap_from_mirror(self.mirror, self.folder, dataset)
        self.ready.add(dataset)


def mirror_folder() -> Path | None:
    given = os.environ.get(sources.MIRROR_ENV)
    for candidate in (Path(given) if given else None, REAL_DATA):
        if candidate is not None and candidate.is_dir():
            return candidate.resolve()
    return None


@pytest.fixture(scope="session")
def upstream(tmp_path_factory):
    """(Upstream, its base URL, a download cache shared by the session's recipe runs)."""
    root = tmp_path_factory.mktemp("upstream")
    hosts = root / "hosts"
    hosts.mkdir()
    with serving(hosts, isolation=False) as base:
        yield Upstream(hosts, mirror_folder()), base, root / "cache"


@pytest.fixture
def needs(upstream, monkeypatch):
    """needs(dataset folder or None): a fresh clone's environment, downloads served locally."""
    stand_in, base, cache = upstream
    monkeypatch.delenv(sources.MIRROR_ENV, raising=False)
    monkeypatch.delenv(sources.DATA_URL_ENV, raising=False)
    monkeypatch.setenv(sources.CACHE_ENV, str(cache))
    monkeypatch.setenv(sources.UPSTREAM_URL_ENV, base)

    def need(dataset: str | None) -> None:
        if dataset is not None:
            stand_in.provide(dataset)

    return need
