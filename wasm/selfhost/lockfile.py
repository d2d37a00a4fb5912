"""`pyodide-lock.json` for the self-hosted site: written from the vendored wheels, then verified.

Why: Pyodide installs a package only through its lock file entry and checks the downloaded
file against the entry's sha256. The npm package's lock file lists ~360 packages, most of
which the site does not carry and some at versions that cannot be used here (see
`resolve.OVERRIDES`). The site's lock file therefore lists exactly the wheels in the folder,
with hashes computed from those files, so every entry can be fetched and every fetch verifies.
"""

from __future__ import annotations

import json
from pathlib import Path

from packaging.utils import canonicalize_name

from wasm.selfhost.sources import sha256
from wasm.selfhost.wheels import WheelInfo, browser_requirements


def entry(info: WheelInfo, digest: str, depends: list[str]) -> dict:
    """One package entry in the shape of the upstream lock file (same keys, same meaning)."""
    return {
        "name": info.name,
        "version": str(info.version),
        "file_name": info.path.name,
        "install_dir": "site",
        "sha256": digest,
        "package_type": "package",
        "imports": list(info.imports),
        "depends": depends,
        "unvendored_tests": False,
    }


def build_lock(info: dict, wheels: dict[str, WheelInfo], directory: Path,
               extras: dict[str, tuple[str, ...]] | None = None) -> dict:
    """The lock file for `wheels` (key -> wheel) as copied into `directory`.

    `info` is the upstream lock file's `info` block (ABI, platform, Python version), kept as is.
    `extras` (key -> extras) adds the requirements of those extras to a package's `depends`.
    Dependencies that are not among `wheels` are left out of `depends`; the build reports them
    as missing instead of writing entries that would fail in the browser.
    """
    packages = {}
    for key in sorted(wheels):
        whl = wheels[key]
        requires = browser_requirements(whl, info["python"], (extras or {}).get(key, ()))
        deps = sorted({canonicalize_name(r.name) for r in requires} & set(wheels))
        packages[key] = entry(whl, sha256(directory / whl.path.name), deps)
    return {"info": dict(info), "packages": packages}


def write_lock(lock: dict, path: Path) -> None:
    path.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")


def verify_lock(path: Path) -> list[str]:
    """Problems with a lock file next to its wheels: absent files, wrong hashes, unknown depends."""
    lock = json.loads(path.read_text())
    packages = lock.get("packages", {})
    problems = []
    for key, pkg in sorted(packages.items()):
        f = path.parent / pkg["file_name"]
        if not f.is_file():
            problems.append(f"{key}: {pkg['file_name']} is not in {path.parent}")
        elif sha256(f) != pkg["sha256"]:
            problems.append(f"{key}: sha256 of {pkg['file_name']} differs from the lock file")
        if key != canonicalize_name(pkg["name"]):
            problems.append(f"{key}: key does not match the package name {pkg['name']!r}")
        problems += [
            f"{key}: depends on {d}, which the lock file does not list"
            for d in pkg["depends"]
            if d not in packages
        ]
    return problems
