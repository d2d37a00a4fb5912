"""The Pyodide runtime (core only: interpreter, stdlib, lock file) from the npm registry.

Why npm: marimo's WASM worker pins one Pyodide release (marimo 0.25.2 -> 314.0.0) and refuses
others. The jsDelivr CDN that serves it by default is a third-party host (and unreachable on
offline build machines); the npm package `pyodide@<version>` holds the same core files and is
fetched with npm's ordinary client (`npm pack`), then cached.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
from pathlib import Path

STDLIB = "python_stdlib.zip"  # the standard library, which Python imports from the zip itself
# The files a browser fetches from Pyodide's indexURL (the .map files only when dev tools are open).
RUNTIME_FILES = (
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    STDLIB,
    "pyodide.mjs",
    "pyodide.js",
    "pyodide.mjs.map",
    "pyodide.js.map",
    "package.json",
)


class RuntimeUnavailable(RuntimeError):
    pass


def marimo_pins() -> tuple[str, str]:
    """(marimo version, the Pyodide version its WASM worker requires)."""
    import marimo
    from marimo._pyodide.pyodide_constraints import PYODIDE_VERSION

    return marimo.__version__, PYODIDE_VERSION


def fetch_pyodide(version: str, cache_dir: Path) -> Path:
    """The unpacked npm package `pyodide@version` (a folder with the runtime files), cached."""
    target = cache_dir / "npm" / f"pyodide-{version}"
    if (target / "pyodide-lock.json").is_file():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeUnavailable(
            f"npm is not on PATH: it is needed once to fetch the Pyodide runtime (npm package "
            f"pyodide@{version}); install Node.js/npm (Debian: apt-get install npm)"
        )
    tgz_dir = cache_dir / "npm"
    tgz_dir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [npm, "pack", f"pyodide@{version}", "--pack-destination", str(tgz_dir), "--silent"],
        capture_output=True,
        text=True,
    )
    tgz = tgz_dir / f"pyodide-{version}.tgz"
    if proc.returncode != 0 or not tgz.is_file():
        raise RuntimeUnavailable(f"npm pack pyodide@{version} failed: {proc.stderr.strip()[-800:]}")
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    with tarfile.open(tgz) as tar:
        tar.extractall(partial, filter="data")
    shutil.rmtree(target, ignore_errors=True)
    (partial / "package").rename(target)
    shutil.rmtree(partial, ignore_errors=True)
    return target


def load_lock(runtime_dir: Path) -> dict:
    return json.loads((runtime_dir / "pyodide-lock.json").read_text())


def copy_runtime(runtime_dir: Path, dest: Path) -> None:
    missing = [n for n in RUNTIME_FILES if not (runtime_dir / n).is_file() and not n.endswith(".map")]
    if missing:
        raise RuntimeUnavailable(f"{runtime_dir} lacks {', '.join(missing)}: not a Pyodide npm package?")
    dest.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_FILES:
        if (runtime_dir / name).is_file():
            shutil.copy2(runtime_dir / name, dest / name)
