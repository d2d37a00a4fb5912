"""Where each wheel of the self-hosted site comes from, in order of preference.

1. a local folder (`--wheels-dir`, `TINYTORCH_WHEELS`, default `~/.cache/tinytorch-wheels`):
   the only source of wheels no reachable index carries, such as numpy's wasm wheel;
2. the build cache (wheels downloaded or repacked by an earlier build);
3. PyPI through pip (`pip download --no-deps` for Pyodide's platform tags);
4. for the few packages in `repack.REPACKABLE`, the sdist from PyPI repacked as pure Python.

Why a separate module: the resolver asks "a wheel for this requirement, please" and must not
care whether the answer came from disk or the network; the build report, however, must say
exactly which wheels could not be found anywhere and where to put them.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename
from packaging.version import Version

from wasm.selfhost.repack import REPACKABLE, repack_sdist
from wasm.selfhost.wheels import WheelInfo, compatible, read_wheel


@dataclass(frozen=True)
class Target:
    """The interpreter the wheels are for, read from the Pyodide lock file's `info`."""

    python: str  # "3.14.0"
    python_tag: str  # "cp314"
    platform: str  # "pyemscripten_2026_0_wasm32"

    @classmethod
    def from_lock_info(cls, info: dict) -> Target:
        major, minor = info["python"].split(".")[:2]
        return cls(info["python"], f"cp{major}{minor}", f"pyemscripten_{info['abi_version']}_{info['arch']}")


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class WheelSource:
    local_dirs: list[Path]
    cache_dir: Path
    target: Target
    expected_sha256: dict[str, str] = field(default_factory=dict)  # wasm wheel name -> sha256 (Pyodide lock)
    download: bool = True
    notes: list[str] = field(default_factory=list)

    @property
    def pypi_dir(self) -> Path:
        return self.cache_dir / "pypi"

    @property
    def repacked_dir(self) -> Path:
        return self.cache_dir / "repacked"

    def get(self, req: Requirement) -> WheelInfo | None:
        """The best wheel for `req`: highest matching version from disk, else from PyPI."""
        found = self._best_on_disk(req)
        if found is None and self.download:
            self._pip_download(req) or self._repack(req)
            found = self._best_on_disk(req)
        return read_wheel(found) if found else None

    def _candidates(self):
        for d in [*self.local_dirs, self.pypi_dir, self.repacked_dir]:
            if d.is_dir():
                yield from sorted(d.glob("*.whl"))

    def _best_on_disk(self, req: Requirement) -> Path | None:
        best: tuple[Version, int, Path] | None = None
        for rank, path in enumerate(self._candidates()):
            try:
                name, version, _, tags = parse_wheel_filename(path.name)
            except InvalidWheelFilename:
                continue
            if name != canonicalize_name(req.name) or not req.specifier.contains(version, prereleases=True):
                continue
            if not compatible(frozenset(tags), self.target.python_tag, self.target.platform):
                continue
            if not any(t.platform == "any" for t in tags) and not self._hash_ok(path):
                continue
            # highest version wins; at equal versions the earlier folder (local before cache) wins
            if best is None or version > best[0]:
                best = (version, rank, path)
        return best[2] if best else None

    def _hash_ok(self, path: Path) -> bool:
        """A compiled (wasm) wheel named like one in Pyodide's lock file must be that very file.

        Pure-Python wheels are exempt: Pyodide repacks those (tests removed), so a PyPI wheel of
        the same name and version differs byte-wise but not in what it installs.
        """
        want = self.expected_sha256.get(path.name)
        if want is None or sha256(path) == want:
            return True
        note = f"ignored {path}: its sha256 differs from Pyodide's lock file ({want})"
        if note not in self.notes:
            self.notes.append(note)
        return False

    def _pip(self, dest: Path, *args: str) -> bool:
        """`pip download --no-deps ARGS` into `dest`, through a scratch folder so that a build
        running at the same time never sees a half-written file."""
        dest.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=dest, prefix=".download-") as tmp:
            cmd = [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--quiet",
                "--disable-pip-version-check",
                "-d",
                tmp,
                *args,
            ]
            if subprocess.run(cmd, capture_output=True, text=True).returncode != 0:
                return False
            for f in Path(tmp).iterdir():
                os.replace(f, dest / f.name)
        return True

    def _pip_download(self, req: Requirement) -> bool:
        t = self.target
        python = ".".join(t.python.split(".")[:2])
        abis = ["--abi", t.python_tag, "--abi", "abi3", "--abi", "none"]
        platforms = ["--platform", t.platform, "--platform", "any"]
        return self._pip(
            self.pypi_dir,
            "--only-binary=:all:",
            "--python-version",
            python,
            "--implementation",
            "cp",
            *abis,
            *platforms,
            _plain(req),
        )

    def _repack(self, req: Requirement) -> bool:
        key = canonicalize_name(req.name)
        if key not in REPACKABLE:
            return False
        sdists = self.cache_dir / "sdist"
        # Without build isolation pip skips installing build tools (4 min for PyYAML here); with
        # it, as a fallback, where setuptools is not importable.
        ok = self._pip(sdists, "--no-binary=:all:", "--no-build-isolation", _plain(req)) or self._pip(
            sdists, "--no-binary=:all:", _plain(req)
        )
        if not ok:
            return False
        matching = []
        for sdist in sdists.glob("*.tar.gz"):
            name, _, version = sdist.name[: -len(".tar.gz")].rpartition("-")
            if canonicalize_name(name) == key and req.specifier.contains(version, prereleases=True):
                matching.append((Version(version), sdist))
        if not matching:
            return False
        sdist = max(matching)[1]
        repack_sdist(sdist, REPACKABLE[key], self.repacked_dir)
        self.notes.append(f"repacked {sdist.name} as pure Python (its C speed-ups are optional)")
        return True


def _plain(req: Requirement) -> str:
    """The requirement without extras or markers: what pip download needs for one wheel."""
    return f"{req.name}{req.specifier}"
