"""The site's Python modules as bytecode, compiled by the browser's own Python at build time.

Why: a page imports about a thousand modules before its first cell runs (marimo, its
dependencies, numpy, altair, and the standard library), and neither Pyodide's standard library
(`python_stdlib.zip`) nor any wheel the site carries holds bytecode. So every page load
compiled all of them from source, in WebAssembly, again: under Node, importing marimo's
browser bootstrap, numpy, altair and tinytorch took 10.1 s from source and 5.4 s from bytecode
(`docs/site.md`, "Bytecode").

How: each archive's `module.py` is replaced by `module.pyc` (the layout Python imports without a
source file: `SourcelessFileLoader` in a folder, zipimport in a zip), compiled by Pyodide's
Python running under Node (bytecode is specific to the exact Python, here 3.14 built for
WebAssembly). This is what Pyodide's own distribution did (`pyodide py-compile`). The cost is
source lines in tracebacks that pass through these libraries; tinytorch, whose code learners
read and whose tracebacks they debug, keeps its sources and gets its bytecode beside them
(`keep_sources`: `__pycache__/`, checked against the source, with column ranges). A file
that does not compile keeps its source. A wheel keeps its name, so the lock file and the PEP 503
index need no change; its RECORD lists the new files.

This file has two halves: `compile_archive` runs inside Pyodide (it and what it imports use
the standard library only, any Python), `precompile` runs on the build machine and drives it,
caching each result by the archive's content, the content of the code that writes it, and the
Pyodide version.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib._bootstrap_external as bootstrap
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from wasm.selfhost import repack
from wasm.selfhost.repack import record_row
from wasm.selfhost.runtime import RuntimeUnavailable

RUNNER = Path(__file__).with_name("run_script.mjs")
REPO = Path(__file__).resolve().parents[2]
# Where Pyodide puts what it imports from (read from Pyodide 314.0.0's `sys.path`): wheels
# unpack into site-packages, the standard library is imported from the zip itself.
SITE_PACKAGES = "/lib/python3.14/site-packages/"
STDLIB_ZIP = "/lib/python314.zip/"


# No column ranges in the bytecode (`python -X no_debug_ranges`): they only place the ^^^ marks
# under a traceback's source line, and these modules have no source to show. Without them a
# first visit to an app sends 26.7 MB instead of 30.2 (`bench/bench_site.py --first-visit`).
COMPILE_OPTIONS = {"PYTHONNODEBUGRANGES": "1"}


class BytecodeUnavailable(RuntimeUnavailable):
    """Pyodide's Python cannot be run here (no Node.js), or it failed: the reason, in one line."""


def compile_archive(source: str, target: str, install_prefix: str, keep_sources: bool = False) -> dict:
    """Write the zip `target`: `source` with every `.py` that compiles replaced by its `.pyc`.

    `install_prefix` is where the archive's files live when imported (tracebacks name the
    module's source path there). With `keep_sources` (tinytorch, whose tracebacks learners
    read), each `.py` stays and its bytecode goes beside it, where Python looks first:
    `__pycache__/<module>.<cache tag>.pyc`, checked against the source's hash on import, so an
    edited source is compiled anew. Returns {"compiled": n, "kept": [files left as source]}.
    """
    compiled, kept, renamed, added = 0, [], {}, []
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        record_name = next((i.filename for i in zin.infolist()
                            if i.filename.endswith(".dist-info/RECORD")), None)
        for item in zin.infolist():
            if item.filename == record_name or item.is_dir():
                continue
            data = zin.read(item)
            name = item.filename
            if name.endswith(".py"):
                try:
                    code = compile(data, install_prefix + name, "exec", dont_inherit=True)
                except (SyntaxError, ValueError):
                    kept.append(name)
                else:
                    # checked only when there is a source to check against
                    pyc = bytes(bootstrap._code_to_hash_pyc(
                        code, importlib.util.source_hash(data), checked=keep_sources))
                    compiled += 1
                    if keep_sources:
                        cached = importlib.util.cache_from_source(name)
                        zout.writestr(_entry(item, cached), pyc)
                        added.append(cached)
                    else:
                        renamed[name] = name + "c"
                        name, data = name + "c", pyc
            zout.writestr(_entry(item, name), data)
        if record_name is not None:
            record = _rewrite_record(zin.read(record_name).decode(), renamed, added, zout)
            zout.writestr(_entry(zin.getinfo(record_name), record_name), record)
    return {"compiled": compiled, "kept": kept}


def _entry(item: zipfile.ZipInfo, name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, item.date_time)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = item.external_attr
    return entry


def _rewrite_record(record: str, renamed: dict[str, str], added: list[str], archive: zipfile.ZipFile) -> str:
    """A wheel's RECORD with each compiled module's row replaced by its bytecode file's, and a
    row for each bytecode file `added` beside its source."""
    rows = []
    for line in record.splitlines():
        path = line.rsplit(",", 2)[0]
        if path in renamed:
            line = record_row(renamed[path], archive.read(renamed[path]))
        rows.append(line)
    rows += [record_row(name, archive.read(name)) for name in added]
    return "\n".join(rows) + "\n"


def precompile(archives: list[Path], runtime_dir: Path, cache_dir: Path, log=print,
               keep_sources: bool = False) -> None:
    """Replace each archive in place by its compiled copy (wheels, and the runtime's
    `python_stdlib.zip`), compiling in the Pyodide of `runtime_dir` those not yet cached.
    `keep_sources`: bytecode beside the sources (`compile_archive`), with column ranges (they
    place a traceback's ^^^ marks under the source line it shows).

    Raises BytecodeUnavailable, saying what is missing, if Node.js cannot run that Pyodide.
    """
    pyodide_version = json.loads((runtime_dir / "package.json").read_text())["version"]
    # the code that writes the archives: this file and the RECORD row it borrows
    writer = b"".join(path.read_bytes() for path in (Path(__file__), Path(repack.__file__)))
    tool = hashlib.sha256(writer).hexdigest()[:12]
    folder = cache_dir / f"{pyodide_version}-{tool}{'-beside-sources' if keep_sources else ''}"
    folder.mkdir(parents=True, exist_ok=True)
    cached = {a: folder / f"{hashlib.sha256(a.read_bytes()).hexdigest()[:24]}-{a.name}" for a in archives}
    # one build compiles at a time (the tests build several sites at once): the others then
    # find its results in the cache
    with open(folder / "compiling.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        jobs = [{"source": str(a), "target": str(cached[a]), "keep_sources": keep_sources,
                 "prefix": STDLIB_ZIP if a.suffix == ".zip" else SITE_PACKAGES}
                for a in archives if not cached[a].is_file()]
        if jobs:
            log(f"compiling the Python modules of {len(jobs)} archive(s) to bytecode in Pyodide "
                f"{pyodide_version} under Node (cached for the next build)")
            options = {} if keep_sources else COMPILE_OPTIONS
            for line in _run_in_pyodide(runtime_dir, jobs, options):
                log(f"  {line}")
    for archive in archives:
        shutil.copy2(cached[archive], archive)


def _run_in_pyodide(runtime_dir: Path, jobs: list[dict], options: dict[str, str]) -> list[str]:
    """Run the compile `jobs` in Pyodide, with Python's `options` (environment variables);
    returns what it printed, a line per archive."""
    node = shutil.which("node")
    if node is None:
        raise BytecodeUnavailable("node is not on PATH: the build compiles the site's Python modules "
                                  "in Pyodide under Node.js (Debian: apt-get install nodejs)")
    with tempfile.TemporaryDirectory() as tmp:
        job_file = Path(tmp) / "jobs.json"
        # each result is written beside its target, then renamed: a cache entry is whole or absent
        job_file.write_text(json.dumps([dict(j, partial=f"{j['target']}.{os.getpid()}.partial")
                                        for j in jobs]))
        env = {k: v for k, v in os.environ.items() if k not in COMPILE_OPTIONS} | options
        proc = subprocess.run([node, str(RUNNER), str(runtime_dir), str(REPO), __spec__.name, str(job_file)],
                              capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            raise BytecodeUnavailable(f"compiling to bytecode in Pyodide failed: "
                                      f"{(proc.stderr or proc.stdout).strip()[-800:]}")
    for job in jobs:
        os.chmod(f"{job['target']}.{os.getpid()}.partial", 0o644)  # Pyodide's files are 0o666
        os.replace(f"{job['target']}.{os.getpid()}.partial", job["target"])
    return proc.stdout.splitlines()


def _main(job_file: str) -> None:
    """Inside Pyodide: compile every job of `job_file` (host paths, reached under /host)."""
    for job in json.loads(Path("/host" + job_file).read_text()):
        result = compile_archive("/host" + job["source"], "/host" + job["partial"], job["prefix"],
                                 job["keep_sources"])
        print(f"{Path(job['source']).name}: {result['compiled']} modules compiled, "
              f"{len(result['kept'])} kept as source")


if __name__ == "__main__":
    _main(sys.argv[1])
