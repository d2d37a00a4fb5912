"""An exported page: its `<marimo-wasm>` element (where Pyodide comes from) and its notebook code.

marimo's frontend reads three optional attributes of `<marimo-wasm>` and resolves each
against the page URL (`new URL(value, document.baseURI)`):

    data-pyodide-index-url     the Pyodide runtime folder (default: the jsDelivr CDN)
    data-pyodide-lockfile-url  the lock file (default: https://wasm.marimo.app/pyodide-lock.json)
    data-pypi-index-url        micropip's package index (default: PyPI)

Why rewrite instead of `marimo export --offline`: the offline export resolves packages by
running a browser at export time, per notebook. Rewriting three attributes of a plain export,
with relative URLs, gives pages that load everything from the site wherever it is hosted
(a subpath such as https://user.github.io/course/ included).

The notebook code is embedded in the page (`<marimo-code>`, URL-encoded); its PEP 723 header is
what micropip installs from, so the build reads it back to check the pins marimo wrote there.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from urllib.parse import unquote

_ELEMENT = re.compile(r"<marimo-wasm\b(?P<attrs>[^>]*)>")
_ATTR = re.compile(
    r"""\s+(?P<name>[a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?P<q>["'])(?P<value>.*?)(?P=q))?""", re.S
)
NAMES = ("data-pyodide-index-url", "data-pyodide-lockfile-url", "data-pypi-index-url")


def read_attributes(page: str) -> dict[str, str]:
    m = _ELEMENT.search(page)
    if m is None:
        raise ValueError("no <marimo-wasm> element: not a marimo WASM export")
    return {a["name"]: html.unescape(a["value"] or "") for a in _ATTR.finditer(m["attrs"])}


def set_attributes(page: str, values: dict[str, str]) -> str:
    """`page` with `values` set on its `<marimo-wasm>` element (other attributes kept)."""
    m = _ELEMENT.search(page)
    if m is None:
        raise ValueError("no <marimo-wasm> element: not a marimo WASM export")
    attrs = {a["name"]: a["value"] for a in _ATTR.finditer(m["attrs"])}
    attrs.update({k: html.escape(v, quote=True) for k, v in values.items()})
    rendered = "".join(f' {k}="{v}"' if v is not None else f" {k}" for k, v in attrs.items())
    return page[: m.start()] + f"<marimo-wasm{rendered}>" + page[m.end() :]


def self_host_values(page_dir: Path, pyodide_dir: Path) -> dict[str, str]:
    """Relative URLs from a page folder to the site's runtime, lock file and simple index."""
    rel = os.path.relpath(pyodide_dir, page_dir).replace(os.sep, "/")
    return {
        "data-pyodide-index-url": f"{rel}/",
        "data-pyodide-lockfile-url": f"{rel}/pyodide-lock.json",
        "data-pypi-index-url": f"{rel}/simple/{{package_name}}/",
    }


def point_at_site(page: Path, pyodide_dir: Path) -> None:
    page.write_text(
        set_attributes(page.read_text(encoding="utf-8"), self_host_values(page.parent, pyodide_dir)),
        encoding="utf-8",
    )


_CODE = re.compile(r"<marimo-code\b[^>]*>(?P<code>.*?)</marimo-code>", re.S)


def notebook_code(page: str) -> str:
    """The notebook source embedded in an exported page."""
    m = _CODE.search(page)
    if m is None:
        raise ValueError("no <marimo-code> element: not a marimo WASM export")
    return unquote(m["code"])
