"""Which wheels the browser needs: the closure of marimo's runtime and the apps' imports.

Why: a self-hosted site must serve every wheel Pyodide or micropip will ask for, and nothing
points at a third-party host, so the set has to be computed, not guessed. The roots are

* what marimo's worker loads before any notebook code runs (`WORKER_PACKAGES`, `WORKER_IMPORTS`,
  read off marimo's `worker-*.js`; a unit test checks them against the installed marimo);
* the packages the apps import (mapped to packages through the lock file's `imports`);
* the apps' PEP 723 dependencies and the tinytorch wheel's own requirements.

Each package is taken at the version Pyodide's lock file lists when that satisfies every
requirement on it (the version the runtime was built and tested with), otherwise at the
highest version that does. Dependencies come from each chosen wheel's own metadata, evaluated
for emscripten, so `depends` in the lock file describes the files actually served.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from wasm.selfhost.sources import WheelSource
from wasm.selfhost.wheels import WheelInfo, browser_requirements

# marimo 0.25.2 worker: loadPyodide({packages: [...]}) before the notebook starts ...
WORKER_PACKAGES = (
    "micropip",
    "msgspec",
    "marimo-base",
    "markdown",
    "pymdown-extensions",
    "narwhals",
    "packaging",
)
# ... then loadPackagesFromImports("import pyodide_http\nimport jedi\nimport pygments\nimport docutils\n...")
WORKER_IMPORTS = ("pyodide_http", "jedi", "pygments", "docutils")

# Known-good limits for the browser, each with its reason.
OVERRIDES = {
    # jsonschema >= 4.18 needs referencing -> rpds-py (Rust); no registry has rpds-py for wasm.
    "jsonschema": SpecifierSet("<=4.17.3"),
}


@dataclass
class Missing:
    requirement: str
    required_by: set[str]
    lock_file_name: str | None = None
    lock_sha256: str | None = None


@dataclass
class Resolution:
    wheels: dict[str, WheelInfo] = field(default_factory=dict)
    missing: dict[str, Missing] = field(default_factory=dict)


def runtime_roots(marimo_version: str) -> list[tuple[Requirement, str]]:
    reqs = [Requirement(f"marimo-base=={marimo_version}")]
    reqs += [Requirement(p) for p in WORKER_PACKAGES if p != "marimo-base"]
    return [(r, "marimo runtime") for r in reqs]


def import_map(lock_packages: dict) -> dict[str, str]:
    """Top-level import name -> lock key, as `pyodide.loadPackagesFromImports` uses it."""
    out = {}
    for key, pkg in sorted(lock_packages.items()):
        if pkg.get("package_type", "package") != "package" or key.endswith("-tests"):
            continue
        for name in pkg.get("imports", []):
            out.setdefault(name, key)
    return out


def import_roots(imports: dict[str, set[str]], lock_packages: dict) -> list[tuple[Requirement, str]]:
    """Roots for imported modules: {import name: {who imports it}} -> requirements (unknowns skipped)."""
    mapping = import_map(lock_packages)
    roots = []
    for name in sorted(imports):
        key = mapping.get(name)
        if key is not None:
            roots.append((Requirement(key), ", ".join(sorted(imports[name]))))
    return roots


def resolve(
    roots: list[tuple[Requirement, str]], lock_packages: dict, source: WheelSource, python: str
) -> Resolution:
    """Choose one wheel per package for the closure of `roots` (see the module docstring)."""
    constraints: dict[str, SpecifierSet] = {k: SpecifierSet(str(v)) for k, v in OVERRIDES.items()}
    for _attempt in range(10):
        result, conflict = _resolve_once(roots, lock_packages, source, python, constraints)
        if conflict is None:
            return result
        key, spec = conflict
        constraints[key] = constraints.get(key, SpecifierSet()) & spec
    raise RuntimeError(f"could not satisfy the requirements on {key}: {constraints[key]}")


def _resolve_once(roots, lock_packages, source, python, constraints):
    result = Resolution()
    queue = deque(roots)
    while queue:
        req, parent = queue.popleft()
        key = canonicalize_name(req.name)
        if key in result.wheels:
            if not req.specifier.contains(result.wheels[key].version, prereleases=True):
                return None, (key, req.specifier)  # start again with the tighter constraint
            continue
        if key in result.missing:
            result.missing[key].required_by.add(parent)
            continue
        spec = req.specifier & constraints.get(key, SpecifierSet())
        info = _choose(req.name, spec, lock_packages.get(key), source)
        if info is None:
            lock = lock_packages.get(key) or {}
            result.missing[key] = Missing(
                f"{req.name}{spec}", {parent}, lock.get("file_name"), lock.get("sha256")
            )
            continue
        result.wheels[key] = info
        queue.extend((dep, key) for dep in browser_requirements(info, python))
    return result, None


def _choose(name: str, spec: SpecifierSet, lock: dict | None, source: WheelSource) -> WheelInfo | None:
    if lock is not None and spec.contains(lock["version"], prereleases=True):
        info = source.get(Requirement(f"{name}=={lock['version']}"))
        if info is not None:
            return info
    return source.get(Requirement(f"{name}{spec}"))
