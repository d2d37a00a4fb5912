"""Gzip copies of the site's text and WebAssembly files, written beside them (`x.js` ->
`x.js.gz`), for servers that send a precompressed copy to browsers that accept one.

Why: a first visit to one app downloads about 34 MB, of which the Pyodide runtime's
`pyodide.asm.wasm` (9.6 MB) and marimo's JavaScript are two thirds; gzip makes them about a
third of that. Wheels, zips and the datasets are compressed already and are left alone. Written
once by the build (level 6: level 9 saves 0.4% more in twice the time; no timestamp, so a
rebuild writes identical bytes), not by the server
on each request. `wasm.serve` sends the copies; other servers: docs/site.md.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

COMPRESSIBLE = (".js", ".mjs", ".css", ".wasm", ".json", ".html", ".svg", ".txt", ".webmanifest")
MIN_BYTES = 1024  # below this, the header and the extra file cost more than they save


@dataclass
class Compressed:
    files: int = 0
    bytes_before: int = 0
    bytes_after: int = 0


def precompress(site: Path) -> Compressed:
    """Write `<file>.gz` beside every compressible file of `site` that gzip makes smaller."""
    done = Compressed()
    for path in sorted(site.rglob("*")):
        if path.suffix not in COMPRESSIBLE or not path.is_file() or path.stat().st_size < MIN_BYTES:
            continue
        raw = path.read_bytes()
        packed = gzip.compress(raw, compresslevel=6, mtime=0)
        if len(packed) >= len(raw):
            continue
        path.with_name(path.name + ".gz").write_bytes(packed)
        done.files += 1
        done.bytes_before += len(raw)
        done.bytes_after += len(packed)
    return done
