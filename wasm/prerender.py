"""Outputs a page shows before Python has started: marimo's session snapshot, written into an
exported page by `marimo export html-wasm --execute` (`wasm.export` runs each app's embed view
that way, at build time). The snapshot is two values of the page's mount config: "notebook"
(the cells, ids and code) and "session" (each cell's outputs, keyed by cell id). The build
reads it, leaves out the large outputs, and writes it back.
"""

from __future__ import annotations

import json

_MOUNT = "__MARIMO_MOUNT_CONFIG__"
SNAPSHOT_KEYS = ("notebook", "session")


def _value_at(page: str, key: str) -> tuple[object, int, int]:
    """The JSON value of `"key":` in the page's mount config, and where it starts and ends."""
    start = page.find(_MOUNT)
    at = page.find(f'"{key}":', start) if start >= 0 else -1
    if at < 0:
        raise ValueError(f'no "{key}" in a marimo mount config: not a marimo WASM export')
    at += len(f'"{key}":')
    at += len(page[at:]) - len(page[at:].lstrip())
    value, end = json.JSONDecoder().raw_decode(page, at)
    return value, at, end


def snapshot(page: str) -> dict[str, object]:
    """The page's pre-rendered cells and outputs ({"notebook": ..., "session": ...}); None
    values when the page was exported without running."""
    return {key: _value_at(page, key)[0] for key in SNAPSHOT_KEYS}


def without_large_outputs(values: dict[str, object], max_bytes: int) -> tuple[dict[str, object], int]:
    """`values` (as `snapshot` returns them) with every output larger than `max_bytes` left out
    (that cell shows nothing until the browser has run it), and how many were left out.

    Why: a chart's output carries its data, HTML-escaped, twice; a page of charts pre-rendered in
    full grows from ~70 KB to 2.7 MB, which a first visit downloads before anything else."""
    session = values["session"]
    if session is None:
        return values, 0
    dropped = 0
    cells = []
    for cell in session["cells"]:
        kept = [o for o in cell["outputs"] if len(json.dumps(o)) <= max_bytes]
        dropped += len(cell["outputs"]) - len(kept)
        cells.append({**cell, "outputs": kept})
    return {**values, "session": {**session, "cells": cells}}, dropped


def with_snapshot(page: str, values: dict[str, object]) -> str:
    """`page` showing the pre-rendered outputs `values` (as `snapshot` returns them)."""
    for key in SNAPSHOT_KEYS:
        _, at, end = _value_at(page, key)
        # marimo writes the snapshot with "<" escaped, so no output can close the script
        page = page[:at] + json.dumps(values[key]).replace("<", "\\u003C") + page[end:]
    return page
