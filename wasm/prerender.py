"""Outputs a page shows before Python has started: marimo's session snapshot, written into an
exported page by `marimo export html-wasm --execute` (`wasm.export` runs each app's embed view
that way, at build time). The snapshot is two values of the page's mount config: "notebook"
(the cells, ids and code) and "session" (each cell's outputs, keyed by cell id). The build
reads it, leaves out the large outputs, and writes it back.
"""

from __future__ import annotations

import html
import json
import re

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


# --- the same outputs as plain HTML in the page body, shown before any script has run ---------
#
# marimo draws the snapshot only once its frontend (about 4 MB of JavaScript) has loaded and run:
# 3-15 s after navigation on this machine, depending on its load. The page's own HTML can show the
# text outputs (markdown, plain HTML, printed text) at once: the build writes them into marimo's
# `<div id="root">`, which React empties when marimo's app mounts and draws the same outputs
# itself. Outputs that need marimo's scripts (its widgets and charts, `<marimo-...>` elements)
# or carry a frame or script (the course's progress recorder writes the learner's record from a
# frame: a build-time run must never record anything) are left to marimo.
ROOT = '<div id="root"></div>'
_NEEDS_SCRIPTS = re.compile(r"<(?!marimo-tex\b)(marimo-|iframe|script|object|embed)|\son[a-z]+\s*=", re.I)
# marimo's markdown writes math as <marimo-tex>||(x||)</marimo-tex> (inline) or ||[x||] (display),
# typeset by KaTeX in the browser; until then the formula shows as its source.
_TEX = re.compile(r"<marimo-tex\b[^>]*>\|\|[(\[](.*?)\|\|[)\]]</marimo-tex>", re.S)


def static_outputs(values: dict[str, object]) -> str:
    """The text outputs of a snapshot (as `snapshot` returns it) as HTML, in notebook order; ""
    when it has none."""
    if values["session"] is None or values["notebook"] is None:
        return ""
    outputs = {cell["id"]: cell["outputs"] for cell in values["session"]["cells"]}
    parts = []
    for cell in values["notebook"]["cells"]:
        for output in outputs.get(cell["id"], []):
            shown = _as_static_html(output.get("data", {}))
            if shown:
                parts.append(f'<div class="output-area tt-static-output">{shown}</div>')
    return f'<div class="tt-prerendered">{"".join(parts)}</div>' if parts else ""


def _as_static_html(data: dict[str, str]) -> str:
    for mimetype in ("text/markdown", "text/html"):
        body = data.get(mimetype, "")
        if body and not _NEEDS_SCRIPTS.search(body):
            return _TEX.sub(lambda m: f'<code class="tt-tex">{m[1]}</code>', body)
    text = data.get("text/plain", "")
    return f"<pre>{html.escape(text)}</pre>" if text.strip() else ""


def with_static_outputs(page: str, values: dict[str, object]) -> str:
    """`page` showing the text outputs of `values` in its body until marimo's app mounts."""
    if ROOT not in page:
        raise ValueError(f"no {ROOT} in the page: not a marimo 0.25.2 WASM export")
    return page.replace(ROOT, f'<div id="root">{static_outputs(values)}</div>', 1)
