"""Fixtures for the site-build tests.

`make_wheel` / `make_sdist` write tiny archives for the pure unit tests (no network).
`built_site` builds ONE self-hosted site from `fixtures/apps/` per test session (~30 s with a
warm cache) and is shared by the build checks and the browser tests. It skips, naming what is
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


@dataclass
class BuiltSite:
    path: Path
    report: object  # wasm.site.Report


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
        from wasm.runtime import RuntimeUnavailable, fetch_pyodide, load_lock, marimo_pins

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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuiltSite:
    reason = site_build_missing()
    if reason:
        pytest.skip(reason)
    from wasm.site import Options, build

    tmp = tmp_path_factory.mktemp("wasm-site")
    data = tmp / "mirror"
    (data / "digits").mkdir(parents=True)
    (data / "digits" / "digits.csv.gz").write_bytes(b"not really gzip, only copied")
    (data / "README.md").write_text("licences\n")
    opts = Options(
        repo=REPO,
        out=tmp / "site",
        apps_dir=FIXTURE_APPS,
        cache_dir=cache_dir(),
        wheel_dirs=wheel_dirs(),
        self_host=True,
        data_source=data,
        datasets=("digits", "mnist"),
    )
    report = build(opts, log=lambda *a: None)
    return BuiltSite(opts.out, report)
