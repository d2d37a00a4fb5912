"""`<site>/pyodide/`: everything the browser would otherwise fetch from third-party hosts.

Layout (the folder the pages' `data-pyodide-index-url` points at):

    pyodide/pyodide.asm.mjs, pyodide.asm.wasm, python_stdlib.zip, ...   the runtime (npm package)
    pyodide/<wheel>.whl                                                  every wheel the apps need
    (the wheels and python_stdlib.zip hold bytecode, not sources: `bytecode` says why)
    pyodide/<own wheel>.whl                                              tinytorch: sources, bytecode beside
    pyodide/pyodide-lock.json                                            exactly those wheels, hashed
    pyodide/simple/<project>/index.html                                  PEP 503 index of the same

Why the PEP 503 index: micropip consults the lock file first and an index only for packages the
lock file does not list. Pointing `data-pypi-index-url` at this same-origin index (instead of
PyPI) means a package the site does not carry fails with "not found" rather than reaching out.

Why the project's own wheel is in the lock file too, with its `course` extra's requirements as
`depends`: marimo's worker loads the packages a notebook imports from the lock file, all at once,
and hands only the rest of the notebook's header to micropip. With tinytorch listed (and through
it altair), nothing is left for micropip, whose resolution took 0.3-0.4 s of every page load.
"""

from __future__ import annotations

import html
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import Requirement

from wasm.selfhost.bytecode import precompile
from wasm.selfhost.lockfile import build_lock, verify_lock, write_lock
from wasm.selfhost.resolve import Missing, resolve
from wasm.selfhost.runtime import STDLIB, copy_runtime
from wasm.selfhost.sources import WheelSource, sha256
from wasm.selfhost.wheels import read_wheel

OWN_EXTRAS = ("course",)  # the extra of the project's wheel the apps use (altair; marimo is the runtime)


@dataclass
class MirrorReport:
    files: dict[str, str] = field(default_factory=dict)  # lock key -> wheel file name
    missing: dict[str, Missing] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def build_mirror(
    dest: Path,
    runtime_dir: Path,
    upstream_lock: dict,
    roots: list[tuple[Requirement, str]],
    source: WheelSource,
    bytecode_cache: Path,
    own_wheel: Path | None = None,
    log=print,
) -> MirrorReport:
    copy_runtime(runtime_dir, dest)
    resolution = resolve(roots, upstream_lock["packages"], source, upstream_lock["info"]["python"])
    for whl in resolution.wheels.values():
        shutil.copy2(whl.path, dest / whl.path.name)
    # before the lock file: its hashes are of the compiled wheels
    precompile([dest / w.path.name for w in resolution.wheels.values()] + [dest / STDLIB],
               runtime_dir, bytecode_cache, log)
    wheels, extras = dict(resolution.wheels), {}
    if own_wheel is not None:  # its bytecode beside its sources: tracebacks keep their code
        shutil.copy2(own_wheel, dest / own_wheel.name)
        precompile([dest / own_wheel.name], runtime_dir, bytecode_cache, log, keep_sources=True)
        own = read_wheel(dest / own_wheel.name)
        wheels[own.key], extras[own.key] = own, OWN_EXTRAS
    lock = build_lock(upstream_lock["info"], wheels, dest, extras)
    write_lock(lock, dest / "pyodide-lock.json")
    write_simple_index(dest, lock)
    return MirrorReport(
        files={k: p["file_name"] for k, p in lock["packages"].items()},
        missing=resolution.missing,
        notes=list(source.notes),
        problems=verify_lock(dest / "pyodide-lock.json"),
    )


def write_simple_index(dest: Path, lock: dict) -> None:
    """A static PEP 503 'simple' index of the lock file's wheels under dest/simple/."""
    root = dest / "simple"
    shutil.rmtree(root, ignore_errors=True)
    links = []
    for key, pkg in sorted(lock["packages"].items()):
        (root / key).mkdir(parents=True)
        name = html.escape(pkg["file_name"])
        digest = pkg["sha256"] or sha256(dest / pkg["file_name"])
        (root / key / "index.html").write_text(
            "<!DOCTYPE html>\n<html><body>\n"
            f'<a href="../../{name}#sha256={digest}">{name}</a>\n</body></html>\n'
        )
        links.append(f'<a href="{key}/">{key}</a>')
    (root / "index.html").write_text(
        "<!DOCTYPE html>\n<html><body>\n" + "\n".join(links) + "\n</body></html>\n"
    )


def missing_report(missing: dict[str, Missing], wheel_dirs: list[Path]) -> list[str]:
    """Human-readable lines saying what is missing, who needs it, and where to put it."""
    where = wheel_dirs[0] if wheel_dirs else Path("~/.cache/tinytorch-wheels")
    lines = []
    for _, m in sorted(missing.items()):
        need = f"{m.requirement} (needed by {', '.join(sorted(m.required_by))})"
        if m.lock_file_name:
            lines.append(
                f"MISSING {need}: no reachable index has it. Put {m.lock_file_name} "
                f"(sha256 {m.lock_sha256}) into {where} (or pass --wheels-dir / set TINYTORCH_WHEELS)"
            )
        else:
            lines.append(f"MISSING {need}: no wheel for Pyodide found on PyPI or in {where}")
    return lines
