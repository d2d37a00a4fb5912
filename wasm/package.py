"""Build the `tinytorch` wheel that every browser app installs.

Why from a copy: `pip wheel .` builds in the source tree and leaves `build/` and `*.egg-info`
behind, in a repository where others are editing `tinytorch/` right now. Building from a
snapshot of the working tree (pyproject.toml, README.md, tinytorch/) leaves the checkout as it
was and gives a wheel of exactly what was on disk when the build started.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SNAPSHOT = ("pyproject.toml", "README.md", "LICENSE", "tinytorch")
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".pytest_cache")


class WheelBuildError(RuntimeError):
    pass


def build_wheel(repo: Path, out_dir: Path) -> Path:
    """`pip wheel --no-deps` of a snapshot of `repo`; returns the wheel's path in `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tinytorch-wheel-") as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name in SNAPSHOT:
            p = repo / name
            if p.is_dir():
                shutil.copytree(p, src / name, ignore=_IGNORE)
            elif p.is_file():
                shutil.copy2(p, src / name)
        built = Path(tmp) / "dist"
        errors = []
        # Without build isolation when setuptools is importable (3 s instead of 12 s).
        for isolation in (["--no-build-isolation"], []):
            if isolation and not _has_setuptools():
                continue
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "wheel",
                    "--no-deps",
                    "--quiet",
                    "--disable-pip-version-check",
                    *isolation,
                    "-w",
                    str(built),
                    str(src),
                ],
                capture_output=True,
                text=True,
            )
            if proc.returncode == 0:
                break
            errors.append(proc.stderr.strip()[-1500:])
        else:
            raise WheelBuildError("pip wheel failed:\n" + "\n---\n".join(errors))
        wheels = sorted(built.glob("tinytorch-*.whl"))
        if len(wheels) != 1:
            raise WheelBuildError(f"expected one tinytorch wheel, got {[w.name for w in wheels]}")
        target = out_dir / wheels[0].name
        shutil.copy2(wheels[0], target)
        return target


def _has_setuptools() -> bool:
    try:
        import setuptools  # noqa: F401
    except ImportError:
        return False
    return True
