"""What a wheel says about itself: name, version, tags, requirements, importable top-level names.

Why: the Pyodide lock file needs, for every wheel the site vendors, its `imports` (so
`pyodide.loadPackagesFromImports` can map `import yaml` to PyYAML) and its `depends` (so
`loadPackage` pulls the dependencies in). Both are read from the wheel itself rather than
copied from another lock file, so they describe the file actually served.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import InvalidRequirement, Requirement
from packaging.tags import Tag
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version


@dataclass(frozen=True)
class WheelInfo:
    path: Path
    name: str  # as the metadata spells it
    version: Version
    tags: frozenset[Tag]
    requires: tuple[Requirement, ...]
    imports: tuple[str, ...]

    @property
    def key(self) -> str:
        """The PEP 503 name, which is also the key of the package in pyodide-lock.json."""
        return canonicalize_name(self.name)

    @property
    def is_pure(self) -> bool:
        return any(t.platform == "any" for t in self.tags)


def browser_environment(python: str) -> dict[str, str]:
    """PEP 508 marker values of Pyodide's interpreter (python like "3.14.0"), for Requires-Dist."""
    env = default_environment()
    env.update(
        sys_platform="emscripten",
        platform_system="Emscripten",
        os_name="posix",
        platform_machine="wasm32",
        implementation_name="cpython",
        platform_python_implementation="CPython",
        python_version=".".join(python.split(".")[:2]),
        python_full_version=python,
        implementation_version=python,
        extra="",
    )
    return env


def read_wheel(path: Path) -> WheelInfo:
    name, version, _build, tags = parse_wheel_filename(path.name)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        metadata = [n for n in names if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
        metadata_name = metadata[0] if metadata else None
        if metadata_name is None:
            raise ValueError(f"{path} is not a valid wheel: it has no <name>-<version>.dist-info/METADATA "
                             f"(its top-level entries: {sorted({n.split('/')[0] for n in names})})")
        meta = HeaderParser().parsestr(zf.read(metadata_name).decode("utf-8", "replace"))
        top_level = next((n for n in names if n.endswith(".dist-info/top_level.txt")), None)
        listed = zf.read(top_level).decode().split() if top_level else []
    requires = []
    for line in meta.get_all("Requires-Dist") or []:
        try:
            requires.append(Requirement(line))
        except InvalidRequirement:
            continue
    return WheelInfo(
        path=path,
        name=meta.get("Name", str(name)),
        version=Version(meta.get("Version", str(version))),
        tags=frozenset(tags),
        requires=tuple(requires),
        imports=tuple(sorted(set(listed) if listed else _top_level_names(names))),
    )


def _top_level_names(names: list[str]) -> set[str]:
    """Packages (folders holding an __init__.py) and modules at the root of the archive."""
    found = set()
    for n in names:
        first, _, rest = n.partition("/")
        if first.endswith((".dist-info", ".data")):
            continue
        if not rest and first.endswith(".py"):
            found.add(first[:-3])
        elif rest == "__init__.py":
            found.add(first)
    return found


def browser_requirements(info: WheelInfo, python: str, extras: tuple[str, ...] = ()) -> list[Requirement]:
    """The wheel's requirements that apply in the browser (emscripten markers), with those of
    `extras` (none by default)."""
    envs = [{**browser_environment(python), "extra": extra} for extra in ("", *extras)]
    return [r for r in info.requires if r.marker is None or any(r.marker.evaluate(env) for env in envs)]


def compatible(tags: frozenset[Tag], python_tag: str, platform: str) -> bool:
    """True when Pyodide can install a wheel with these tags: pure Python 3, or built for its ABI.

    python_tag like "cp314", platform like "pyemscripten_2026_0_wasm32" (both from the lock's info).
    """
    for t in tags:
        if t.platform == "any" and t.abi == "none" and t.interpreter in ("py3", python_tag):
            return True
        if (
            t.platform == platform
            and t.abi in (python_tag, "abi3", "none")
            and t.interpreter.startswith("cp3")
        ):
            return True
    return False
