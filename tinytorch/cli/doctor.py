"""`tinytorch doctor`: what the course needs on this machine, what is missing, and the command
that fixes it.

Also the one place that knows how to find the browser tests' tools (numpy's WebAssembly wheel,
Chromium): `dev.py test` runs `tinytorch doctor --ci` in CI, where they are required, instead
of keeping its own copy of these checks.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from tinytorch.cli.numpy_wheel import FILE_NAME as NUMPY_WASM_WHEEL
from tinytorch.cli.numpy_wheel import SHA256 as NUMPY_WASM_SHA256

MARIMO_VERSION = "0.25.2"  # pinned in pyproject.toml: the site's exports pin the Pyodide runtime
MIN_PYTHON = (3, 11)


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    detail: str  # what was found, or what is missing
    fix: str = ""  # the command (or step) that fixes it
    required: bool = True


def wheels_dir() -> Path:
    """Where the site builder and the browser tests look for numpy's wasm wheel."""
    folder = os.environ.get("TINYTORCH_WHEELS") or Path.home() / ".cache" / "tinytorch-wheels"
    return Path(folder).expanduser()


def chromium_path() -> Path:
    """The Chromium the browser tests drive (`wasm/browser.py`): never `playwright install`."""
    return Path(os.environ.get("TINYTORCH_CHROMIUM", "/usr/bin/chromium"))


def python_finding() -> Finding:
    version = ".".join(map(str, sys.version_info[:3]))
    return Finding("Python", sys.version_info[:2] >= MIN_PYTHON, f"{version} at {sys.executable}",
                   f"install Python >= {'.'.join(map(str, MIN_PYTHON))}")


def numpy_finding() -> Finding:
    import numpy as np

    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas_text = f"BLAS {blas.get('name', '?')} {blas.get('version', '')}".rstrip()
        found = blas.get("found", True)
    except Exception:  # numpy < 2 has no dict form: the version alone still helps
        blas_text, found = "BLAS unknown", True
    return Finding("NumPy", found, f"{np.__version__}, {blas_text}" + ("" if found else " (not found)"),
                   "pip install --force-reinstall numpy  (a wheel from PyPI bundles OpenBLAS)")


def marimo_finding() -> Finding:
    try:
        version = importlib.metadata.version("marimo")
    except importlib.metadata.PackageNotFoundError:
        return Finding("marimo", False, "not installed (the course apps, check, edit, course need it)",
                       "pip install -e '.[course]'  (or python3 dev.py course)")
    return Finding("marimo", version == MARIMO_VERSION,
                   version + ("" if version == MARIMO_VERSION else f", the course pins {MARIMO_VERSION}"),
                   f"pip install marimo=={MARIMO_VERSION}")


def data_finding() -> Finding:
    from tinytorch.datasets.catalog import FILES
    from tinytorch.datasets.sources import MIRROR_ENV, local_copies

    local = [path for path in FILES if any(p.is_file() for p in local_copies(path))]
    missing = sorted({path.split("/")[0] for path in FILES if path not in local})
    mirror = os.environ.get(MIRROR_ENV)
    where = f"{MIRROR_ENV}={mirror}" if mirror else f"{MIRROR_ENV} not set; cache only"
    if not missing:
        return Finding("data mirror", True, f"every dataset file found ({where})", required=False)
    return Finding("data mirror", False,
                   f"{where}; not local: {', '.join(missing)} (downloaded and checked on first use)",
                   f"export {MIRROR_ENV}=/path/to/mirror  (laid out as mnist/, cifar-10/, ...)",
                   required=False)


def chromium_finding(required: bool = False) -> Finding:
    path = chromium_path()
    if path.is_file() and os.access(path, os.X_OK):
        return Finding("Chromium", True, str(path), required=required)
    hint = shutil.which("chromium")
    return Finding("Chromium", False, f"no Chromium at {path} (only the browser tests need it)"
                   + (f"; one is at {hint}: set TINYTORCH_CHROMIUM" if hint else ""),
                   "sudo apt-get install chromium  (never `playwright install`)", required=required)


def wheel_finding(required: bool = False) -> Finding:
    folder = wheels_dir()
    wheel = folder / NUMPY_WASM_WHEEL
    fix = f"put {NUMPY_WASM_WHEEL} (Pyodide's release) in {folder}, or set TINYTORCH_WHEELS to its folder"
    cdn = "(the site then loads numpy from Pyodide's CDN)"
    name = "numpy wasm wheel"
    if not folder.is_dir():
        return Finding(name, False, f"the wheel folder {folder} does not exist {cdn}", fix, required)
    if not wheel.is_file():
        return Finding(name, False, f"{NUMPY_WASM_WHEEL} is not in {folder} {cdn}", fix, required)
    if hashlib.sha256(wheel.read_bytes()).hexdigest() != NUMPY_WASM_SHA256:
        return Finding("numpy wasm wheel", False, f"{wheel} does not have the sha256 Pyodide publishes "
                       f"({NUMPY_WASM_SHA256})", f"replace it: {fix}", required)
    return Finding("numpy wasm wheel", True, str(wheel), required=required)


def findings(ci: bool = False) -> list[Finding]:
    return [python_finding(), numpy_finding(), marimo_finding(), data_finding(),
            chromium_finding(required=ci), wheel_finding(required=ci)]


def add_parser(commands) -> None:
    p = commands.add_parser("doctor", help="check what the course needs on this machine",
                            description=__doc__.splitlines()[0],
                            epilog="Exit status: 0 everything required is there, 1 something required "
                            "is missing.")
    p.add_argument("--ci", action="store_true",
                   help="Chromium and the wasm wheel are required too (CI runs every browser test)")
    p.set_defaults(run=run)


def run(args) -> int:
    found = findings(args.ci)
    width = max(len(f.name) for f in found)
    for f in found:
        state = "ok" if f.ok else ("missing" if f.required else "missing (optional)")
        print(f"{f.name:<{width}}  {state:<18}  {f.detail}")
        if not f.ok and f.fix:
            print(f"{'':<{width}}  {'':<18}  fix: {f.fix}")
    missing = [f.name for f in found if not f.ok and f.required]
    if missing:
        print(f"required and missing: {', '.join(missing)}")
        return 1
    print("everything required is there" + ("" if all(f.ok for f in found) else "; the optional items "
                                             "are needed only for what their lines say"))
    return 0
