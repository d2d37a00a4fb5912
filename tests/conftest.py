"""Shared test set-up: every test starts from the same seed, so failures reproduce."""

import os
from pathlib import Path

import pytest

import tinytorch

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True, scope="session")
def _no_dataset_downloads_from_the_internet():
    """No test reaches the datasets' upstream hosts: unless TINYTORCH_UPSTREAM_URL is set, it points
    downloads at a closed local port (tests that download serve their own copy; tests/upstream_layout)."""
    with pytest.MonkeyPatch.context() as patch:
        if not os.environ.get("TINYTORCH_UPSTREAM_URL"):
            patch.setenv("TINYTORCH_UPSTREAM_URL", "http://127.0.0.1:9/")
        yield


@pytest.fixture(autouse=True, scope="session")
def _progress_in_a_temporary_file(tmp_path_factory):
    """Apps run by tests record exercises and milestones (tinytorch.course.recording): into a
    file of the test session, never into the developer's own progress record."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TINYTORCH_PROGRESS", str(tmp_path_factory.mktemp("progress") / "progress.json"))
        yield


@pytest.fixture(autouse=True)
def _seeded():
    tinytorch.manual_seed(0)


def _worker_group(item) -> str | None:
    """Tests that share one expensive thing run on the same xdist worker, so it is made once:
    the capstone's trained references (one cache folder, trained on first use) and the
    fresh-clone site (built from a stand-in upstream host). The site builds every worker uses
    are shared through `tests/once.py` instead, so their tests spread over both workers."""
    where = Path(str(item.path)).relative_to(REPO).as_posix()
    if where.startswith("tests/capstone/") or where == "tests/milestones/test_olympics.py":
        return "capstone-references"
    if "fresh_clone_site" in item.fixturenames:
        return "fresh-clone-site"
    return None


def pytest_collection_modifyitems(config, items):
    if not config.pluginmanager.has_plugin("xdist"):
        return
    for item in items:
        if group := _worker_group(item):
            item.add_marker(pytest.mark.xdist_group(group))
