"""Pure-Python wheels from the sdists of packages whose C speed-ups are optional.

Why: marimo's browser runtime needs PyYAML (through pymdown-extensions) and altair needs
MarkupSafe (through Jinja2). Pyodide builds wasm wheels of both, but no registry reachable
from a build machine carries them. Both packages fall back to pure Python when their C
extension is absent, so their sdists (on PyPI) repack into `py3-none-any` wheels that behave
the same, only slower. Only packages listed in `REPACKABLE` are repacked: for any other
package a missing extension is a real failure, never silently dropped.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import tarfile
import zipfile
from email.parser import HeaderParser
from pathlib import Path, PurePosixPath

# PEP 503 name -> the import packages to take from the sdist (C sources are left behind).
REPACKABLE: dict[str, tuple[str, ...]] = {
    "pyyaml": ("yaml",),  # yaml/__init__.py falls back when yaml._yaml (libyaml) is missing
    "markupsafe": ("markupsafe",),  # markupsafe imports ._native when ._speedups is missing
}
_KEEP = (".py", ".pyi", "py.typed")
_EPOCH = (1980, 1, 1, 0, 0, 0)


def _dist(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def repack_sdist(sdist: Path, packages: tuple[str, ...], out_dir: Path) -> Path:
    """Write `<name>-<version>-py3-none-any.whl` holding `packages` from the sdist; return its path."""
    files: dict[str, bytes] = {}
    pkg_info = None
    with tarfile.open(sdist) as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
        for m in members:
            parts = PurePosixPath(m.name).parts
            if len(parts) == 2 and parts[1] == "PKG-INFO":
                pkg_info = tar.extractfile(m).read()
        for pkg in packages:
            root = _package_root(members, pkg)
            if root is None:
                raise ValueError(f"{sdist.name}: no package folder {pkg!r} with an __init__.py")
            for m in members:
                rel = PurePosixPath(m.name)
                if rel.is_relative_to(root) and m.name.endswith(_KEEP):
                    files[str(PurePosixPath(pkg) / rel.relative_to(root))] = tar.extractfile(m).read()
    if pkg_info is None:
        raise ValueError(f"{sdist.name}: no PKG-INFO at the top of the sdist")
    meta = HeaderParser().parsestr(pkg_info.decode("utf-8", "replace"))
    name, version = meta["Name"], meta["Version"]
    dist_info = f"{_dist(name)}-{version}.dist-info"
    files[f"{dist_info}/METADATA"] = pkg_info
    files[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: tinytorch-wasm-repack\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    files[f"{dist_info}/top_level.txt"] = "".join(f"{p}\n" for p in packages).encode()
    files[f"{dist_info}/RECORD"] = _record(files, dist_info)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{_dist(name)}-{version}-py3-none-any.whl"
    tmp = out.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for arcname in sorted(files):
            info = zipfile.ZipInfo(arcname, _EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[arcname])
    tmp.replace(out)
    return out


def _package_root(members, pkg: str) -> PurePosixPath | None:
    """The shallowest `<...>/<pkg>/__init__.py` in the sdist (root, src/ or lib/ layouts)."""
    candidates = [
        PurePosixPath(m.name).parent
        for m in members
        if PurePosixPath(m.name).name == "__init__.py" and PurePosixPath(m.name).parent.name == pkg
    ]
    return min(candidates, key=lambda p: len(p.parts), default=None)


def record_row(arcname: str, data: bytes) -> str:
    """A wheel RECORD's row for a file: its path, urlsafe-base64 sha256 without padding, size."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{arcname},sha256={digest},{len(data)}"


def _record(files: dict[str, bytes], dist_info: str) -> bytes:
    out = io.StringIO()
    for arcname in sorted(files):
        out.write(record_row(arcname, files[arcname]) + "\n")
    out.write(f"{dist_info}/RECORD,,\n")
    return out.getvalue().encode()
