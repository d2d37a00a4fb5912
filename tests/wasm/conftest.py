"""Fixtures for the site-build tests.

`make_wheel` / `make_sdist` write tiny archives for the pure unit tests (no network).
`built_site` builds ONE self-hosted site from `fixtures/apps/` per test session (~30 s with a
warm cache) and is shared by the build checks and the browser tests; `course_site` builds the
real course from `apps/` (~2 min) for the tests that open every app. It skips, naming what is
missing and where it goes, when this machine cannot build one: marimo, uv, npm (for the Pyodide
runtime) or numpy's Pyodide wheel, which no registry carries.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.once import once
from tests.wasm.browser import missing as browser_missing

REPO = Path(__file__).resolve().parents[2]
FIXTURE_APPS = Path(__file__).resolve().parent / "fixtures" / "apps"


def _wheel_files(name: str, version: str, requires: list[str], files: dict[str, str], tag: str):
    dist = name.replace("-", "_").lower()
    di = f"{dist}-{version}.dist-info"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + "".join(
        f"Requires-Dist: {r}\n" for r in requires
    )
    out = {**files, f"{di}/METADATA": meta, f"{di}/WHEEL": f"Wheel-Version: 1.0\nTag: {tag}\n"}
    record = "".join(
        f"{n},sha256={base64.urlsafe_b64encode(hashlib.sha256(d.encode()).digest()).rstrip(b'=').decode()},"
        f"{len(d)}\n"
        for n, d in out.items()
    )
    out[f"{di}/RECORD"] = record + f"{di}/RECORD,,\n"
    return out


@pytest.fixture
def make_wheel():
    """make_wheel(dir, "pkg", "1.0", requires=[...], files={...}, tag="py3-none-any") -> Path"""

    def make(directory: Path, name: str, version: str, requires=(), files=None, tag="py3-none-any") -> Path:
        dist = name.replace("-", "_").lower()
        files = files if files is not None else {f"{dist}/__init__.py": f"__version__ = {version!r}\n"}
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{dist}-{version}-{tag}.whl"
        with zipfile.ZipFile(path, "w") as zf:
            for n, d in _wheel_files(name, version, list(requires), files, tag).items():
                zf.writestr(n, d)
        return path

    return make


@pytest.fixture
def make_sdist():
    """make_sdist(dir, "PyYAML", "6.0.3", {"lib/yaml/__init__.py": "..."}) -> Path (.tar.gz)"""

    def make(directory: Path, name: str, version: str, files: dict[str, str]) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        root = f"{name.lower()}-{version}"
        path = directory / f"{root}.tar.gz"
        members = {"PKG-INFO": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", **files}
        with tarfile.open(path, "w:gz") as tar:
            for n, d in members.items():
                data = d.encode()
                info = tarfile.TarInfo(f"{root}/{n}")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        return path

    return make


@pytest.fixture
def record_figure(record_property):
    """record_figure(name, text): keep a measured figure in the test report (JUnit property)
    and print it in pytest's summary, so every run of the browser tests shows its timings."""

    def record(name: str, text: str) -> None:
        record_property(name, text)

    return record


def pytest_terminal_summary(terminalreporter):
    """The figures, read from the reports: under xdist the tests ran in other processes, and
    only their reports (with their properties) come back to this one."""
    figures = [f"{name}: {text}" for report in terminalreporter.stats.get("passed", [])
               if getattr(report, "when", None) == "call" for name, text in report.user_properties]
    if figures:
        terminalreporter.write_sep("-", "figures measured in the browser")
        for line in figures:
            terminalreporter.write_line(line)


@dataclass
class BuiltSite:
    path: Path
    report: object  # wasm.site.Report
    log: list[str]  # what the build printed


def wheel_dirs() -> list[Path]:
    return [
        Path(os.environ.get("TINYTORCH_WHEELS", Path.home() / ".cache" / "tinytorch-wheels")).expanduser()
    ]


def cache_dir() -> Path:
    return Path(
        os.environ.get("TINYTORCH_SITE_CACHE", Path.home() / ".cache" / "tinytorch-site")
    ).expanduser()


def site_build_missing() -> str | None:
    """Why a self-hosted site cannot be built here (what is missing, where it goes), or None."""
    try:
        from wasm.selfhost.runtime import RuntimeUnavailable, fetch_pyodide, load_lock, marimo_pins

        _, pyodide_version = marimo_pins()
    except ImportError:
        return "marimo is not installed: pip install 'marimo==0.25.2' (the project's `course` extra)"
    if shutil.which("uv") is None:
        return "uv is not on PATH: pip install uv (marimo export html-wasm runs `uv tool run ruff`)"
    try:
        runtime = fetch_pyodide(pyodide_version, cache_dir())
    except RuntimeUnavailable as e:
        return str(e)
    numpy = load_lock(runtime)["packages"]["numpy"]
    if not any((d / numpy["file_name"]).is_file() for d in wheel_dirs()):
        return (
            f"numpy's Pyodide wheel {numpy['file_name']} (sha256 {numpy['sha256']}) is not in "
            f"{wheel_dirs()[0]}: no registry carries it; put it there, or set TINYTORCH_WHEELS to "
            f"the folder that holds it"
        )
    return None


def build_site(out: Path, apps_dir: Path, data: Path | None, datasets: tuple[str, ...]) -> BuiltSite:
    """A self-hosted site of `apps_dir`, or skip naming what this machine lacks to build one."""
    reason = site_build_missing()
    if reason:
        pytest.skip(reason)
    from wasm.site import Options, build

    opts = Options(
        repo=REPO,
        out=out,
        apps_dir=apps_dir,
        cache_dir=cache_dir(),
        wheel_dirs=wheel_dirs(),
        self_host=True,
        data_source=data,
        datasets=datasets,
    )
    log: list[str] = []
    report = build(opts, log=log.append)
    return BuiltSite(opts.out, report, log)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuiltSite:
    """The fixture notebooks in `fixtures/apps/`, with a stand-in dataset folder."""
    def make(tmp: Path) -> BuiltSite:
        data = tmp / "mirror"
        (data / "digits").mkdir(parents=True, exist_ok=True)
        (data / "digits" / "digits.csv.gz").write_bytes(b"not really gzip, only copied")
        (data / "README.md").write_text("licences\n")
        return build_site(tmp / "site", FIXTURE_APPS, data, ("digits", "mnist"))

    return once(tmp_path_factory, "wasm-site", make)


@pytest.fixture(scope="session")
def course_site(tmp_path_factory) -> BuiltSite:
    """The real course: every app in apps/, with the default datasets from `TINYTORCH_DATA`
    (none when it is unset: the apps then say how to get them, and the MNIST test skips).
    Without the capstone's trained references: on a machine without their cache, training them
    takes minutes of CPU (the GPT alone 4-5), and no default test presses the buttons that load
    them (apps 20 and 2018 open without them and say what is missing when pressed)."""
    from wasm.data import DEFAULT

    data = os.environ.get("TINYTORCH_DATA")
    datasets = tuple(d for d in DEFAULT if d != "capstone")
    return once(tmp_path_factory, "course-site",
                lambda tmp: build_site(tmp / "site", REPO / "apps", Path(data) if data else None, datasets))


def _served_for_browser(request, site_fixture: str):
    reason = browser_missing()
    if reason:
        pytest.skip(reason)
    from wasm.serve import serving

    with serving(request.getfixturevalue(site_fixture).path) as base:  # built once per session
        yield base


@pytest.fixture(scope="module")
def site_url(request):
    """The fixture site served on 127.0.0.1, for Chromium (skips without Chromium/Playwright)."""
    yield from _served_for_browser(request, "built_site")


@pytest.fixture(scope="module")
def course_url(request):
    """The course site served on 127.0.0.1, for Chromium (skips without Chromium/Playwright)."""
    yield from _served_for_browser(request, "course_site")


@pytest.fixture(scope="session")
def fresh_clone_site(tmp_path_factory) -> BuiltSite:
    """The 1986 app's site built as on a fresh clone: no mirror (`--data-source` and
    `TINYTORCH_DATA` unset), an empty download cache, and MNIST's upstream host stood in for by a
    local server serving the real content in upstream's wrappers (tests/upstream_layout). Skips
    without the data mirror to make that content from. `.upstream` is the stand-in's folder."""
    from tests.upstream_layout import rewrap_from_mirror
    from tinytorch.datasets import sources
    from wasm.serve import serving

    mirror = Path(os.environ.get(sources.MIRROR_ENV) or REPO.parent / "shared" / "data")
    if not (mirror / "mnist").is_dir():
        pytest.skip(f"no MNIST at {mirror} to stand in for its upstream host: set TINYTORCH_DATA to the "
                    "data mirror (../shared/data)")
    tmp = tmp_path_factory.mktemp("fresh-clone")
    (tmp / "upstream").mkdir()
    rewrap_from_mirror(mirror, tmp / "upstream", "mnist")
    (tmp / "apps").mkdir()
    shutil.copy(REPO / "apps" / "milestone_1986_mlp.py", tmp / "apps")
    with pytest.MonkeyPatch.context() as patch, serving(tmp / "upstream", isolation=False) as base:
        patch.delenv(sources.MIRROR_ENV, raising=False)
        patch.setenv(sources.CACHE_ENV, str(tmp / "cache"))
        patch.setenv(sources.UPSTREAM_URL_ENV, base)
        built = build_site(tmp / "site", tmp / "apps", None, ("mnist", "text", "digits"))
    built.upstream = tmp / "upstream"
    return built


@pytest.fixture(scope="module")
def fresh_clone_url(request):
    """The fresh-clone site served on 127.0.0.1, for Chromium (skips without Chromium/Playwright)."""
    yield from _served_for_browser(request, "fresh_clone_site")


@pytest.fixture(scope="session")
def wide_site(tmp_path_factory) -> BuiltSite:
    """`fixtures/wide_apps/`: one notebook whose chart is wider than marimo's "medium" column."""
    out = tmp_path_factory.mktemp("wide-site") / "site"
    return build_site(out, FIXTURE_APPS.parent / "wide_apps", None, ())


@pytest.fixture(scope="module")
def wide_url(request):
    """The wide-chart site served on 127.0.0.1, for Chromium (skips without Chromium/Playwright)."""
    yield from _served_for_browser(request, "wide_site")
