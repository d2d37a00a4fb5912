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
import json
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


# What the site adds to every exported page (`decorate`): a loading message in the course's
# words while Pyodide starts (marimo shows a bare spinner for 15-25 s), and the style that
# makes the embed view show "try this exercise in the notebook" instead of checks it cannot
# pass (`tinytorch.course.checks.EMBED_ONLY`).
EMBED_STYLE = ".tt-embed-only{display:block !important}.tt-notebook-only{display:none !important}"
_LOADING_STYLE = (
    "#tt-loading{position:fixed;top:12px;left:50%;transform:translateX(-50%);z-index:10000;"
    "max-width:640px;width:calc(100% - 24px);background:#fff;border:1px solid #d9dee3;"
    "border-left:4px solid #c2410c;border-radius:8px;padding:12px 16px;"
    "font:15px/1.45 system-ui,sans-serif;color:#1d232b;box-shadow:0 2px 12px rgba(0,0,0,.12)}"
    "#tt-loading b{font-size:16px}#tt-loading a{color:#c2410c}#tt-loading .tt-wait{color:#5b6570}"
    "#tt-loading.tt-outputs-shown{top:auto;bottom:12px;border-left-color:#2563eb}"
    # the build's text outputs in the page body (`wasm.prerender.static_outputs`), laid out like
    # marimo's run mode until its app replaces them
    ".tt-prerendered{max-width:1110px;margin:0 auto;padding:4rem 1.5rem 6rem}"
    ".tt-prerendered .output-area{margin-bottom:1rem}.tt-prerendered .tt-tex{white-space:pre-wrap}"
)
# marimo's kernel runs in a web worker and sends every cell's status and output to the page as an
# rpc message ({"[transport-id]": "marimo-transport", data: {id: "kernelMessage", payload:
# {message: '{"op": "cell-op", "data": {"cell_id": ..., "status": "running"}}'}}} in marimo
# 0.25.2). The page keeps, through a wrapped `Worker` (installed before marimo's scripts run):
# how many kernel messages came, when the first and the last came, how many were cell status
# updates, and which cells are queued or running now. The loading message reads it (Python has
# started once the kernel speaks); the browser tests install the same script before the page's own
# (`tests/wasm/browser.py`), which then leaves theirs in place.
KERNEL_WATCH_SCRIPT = """
(() => {
  const Native = window.Worker;
  if (window.__ttKernel) return;
  const kernel = window.__ttKernel = {messages: 0, first: 0, last: 0, cellOps: 0, busy: {}};
  if (!Native) return;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        const rpc = event.data && event.data["[transport-id]"] === "marimo-transport" && event.data.data;
        if (!rpc || rpc.id !== "kernelMessage") return;
        kernel.messages += 1;
        kernel.last = performance.now();
        kernel.first = kernel.first || kernel.last;
        let op = null;
        try { op = JSON.parse(rpc.payload.message); } catch (e) { return; }
        const cell = op && op.op === "cell-op" && op.data;
        if (!cell || !cell.status) return;
        kernel.cellOps += 1;
        if (cell.status === "queued" || cell.status === "running") kernel.busy[cell.cell_id] = true;
        else delete kernel.busy[cell.cell_id];
      });
    }
  };
})();
"""
# Until an output shows, the message says what is loading. Pre-rendered outputs (the embed view)
# show long before Python has started, and widgets do not respond until it has, so the page
# must not look ready: the message then shrinks to a note that Python is still starting
# (OUTPUTS_SHOWN_NOTE), and goes once marimo's kernel has said anything (it runs the cells).
# After two minutes the message says what to try instead of waiting on. An address ending in
# #<heading-id> (marimo gives headings ids) scrolls there once the heading exists: the browser's
# own jump happens before any output is drawn.
OUTPUTS_SHOWN_NOTE = (
    "<b>Python is still starting in your browser.</b> What you see was computed when the site was "
    "built; buttons, sliders and code respond once Python has started. <span class=\"tt-wait\"></span>"
)
_LOADING_SCRIPT = """
(function () {
  var started = Date.now();
  var target = decodeURIComponent(location.hash.slice(1));
  if (target) {
    var seek = setInterval(function () {
      var heading = document.getElementById(target);
      if (heading) { heading.scrollIntoView(); clearInterval(seek); }
      else if (Date.now() - started > 180000) { clearInterval(seek); }
    }, 500);
  }
  var tick = function () {
    var box = document.getElementById("tt-loading");
    if (!box) { clearInterval(timer); return; }
    var spinning = document.querySelector('[data-testid="large-spinner"]');
    var shown = [].some.call(document.querySelectorAll(".output-area"), function (e) {
      return e.innerText.trim() !== "";
    });
    var kernel = window.__ttKernel;
    var pythonUp = !kernel || kernel.messages > 0;
    if (!spinning && shown && pythonUp) { box.remove(); clearInterval(timer); return; }
    if (shown && !box.classList.contains("tt-outputs-shown")) {
      box.classList.add("tt-outputs-shown");
      box.innerHTML = OUTPUTS_SHOWN_NOTE;
    }
    var wait = box.querySelector(".tt-wait");
    var s = Math.round((Date.now() - started) / 1000);
    wait.textContent = s < 120 ? s + " s so far." :
      s + " s so far: slower than usual. Reloading the page often helps; the site needs a browser " +
      "with WebAssembly and about 1.5 GB of free memory.";
  };
  var timer = setInterval(tick, 250);
})();
"""


# How long a first visit waits for Python, as the loading message and the course map say it. Measured
# self-hosted on a quiet 2-core machine (docs/site.md, "Start-up, measured (sixth round)"): every
# cell of an embed view run 5.0-7.2 s after navigation, of a notebook view 7.2-10.1 s; a second
# visit 1-2 s less. A busier machine or a slower network adds to it, hence the round upper bound.
FIRST_VISIT_WAIT = "5 to 10 seconds"


def loading_message(view: str, label: str, blurb: str) -> str:
    """The banner's HTML: what is loading, about how long, what to do once it has."""
    name = html.escape(label)
    what = f" {html.escape(blurb[0].upper() + blurb[1:])}." if blurb else ""
    if view == "edit":
        todo = ("Then every cell runs by itself. The exercises are the code cells under <i>Build it</i>: "
                "edit one and press <b>Ctrl+Enter</b> (<b>Cmd+Enter</b> on a Mac) to rerun its checks.")
    else:
        todo = "Then the page runs by itself."
    return (
        f'<div id="tt-loading" role="status"><b>TinyTorch &middot; {name}</b>{what}<br>'
        f"Starting Python in your browser (Pyodide): {FIRST_VISIT_WAIT} the first time, less once "
        f'your browser has cached it. {todo} <span class="tt-wait"></span> '
        '<a href="../../" target="_top">Course map</a></div>'
    )


# What the notebook view offers for databases, which the course never uses: the "add a cell" bar's
# SQL button and the "Data sources" section of the variables panel (database connections).
# marimo has no setting for either, so both are hidden by their label (checked once a second:
# marimo redraws them); the section is its accordion item, the heading's parent.
_HIDE_DATABASE_SCRIPT = """
setInterval(function () {
  document.querySelectorAll("button").forEach(function (b) {
    var label = b.textContent.trim();
    var heading = b.closest("h3");
    var hide = label === "SQL" ? b : label === "Data sources" && heading ? heading.parentElement : null;
    if (hide && hide.style.display !== "none") { hide.style.display = "none"; }
  });
}, 1000);
"""


def decorate(page: str, view: str, label: str, blurb: str = "") -> str:
    """`page` with the course's marimo settings (`configure`) and loading message, and for
    embed pages the embed-only style."""
    style = _LOADING_STYLE + (EMBED_STYLE if view == "embed" else "")
    loading = _LOADING_SCRIPT.replace("OUTPUTS_SHOWN_NOTE", json.dumps(OUTPUTS_SHOWN_NOTE))
    scripts = KERNEL_WATCH_SCRIPT + loading + (_HIDE_DATABASE_SCRIPT if view == "edit" else "")
    head = f"<style>{style}</style><script>{scripts}</script>"
    if "</head>" not in page or "<body>" not in page:
        raise ValueError("not an HTML page with <head> and <body>: cannot add the loading message")
    page = configure(page).replace("</head>", head + "</head>", 1)
    return page.replace("<body>", "<body>" + loading_message(view, label, blurb), 1)


# marimo's WASM export writes its default settings into the page, whatever the build's marimo
# config says (it reads only the display settings). What the course changes, in the page itself:
# the notebook view runs every cell on open, as the embed view does (marimo's default leaves a
# learner in front of greyed code and a small run button), and marimo's AI actions, which the
# course does not use and a learner has no key for, are hidden.
COURSE_CONFIG = {"runtime": {"auto_instantiate": True}, "ai": {"enabled": False}}
_MOUNT = "__MARIMO_MOUNT_CONFIG__"


def configure(page: str, settings: dict = COURSE_CONFIG) -> str:
    """`page` with `settings` merged into the marimo config of its mount script."""
    config, value_at, end = _find_config(page)
    for section, values in settings.items():
        config.setdefault(section, {}).update(values)
    return page[:value_at] + json.dumps(config) + page[end:]


def mount_config(page: str) -> dict:
    """The marimo config a page starts with (what `configure` changed)."""
    return _find_config(page)[0]


def _find_config(page: str) -> tuple[dict, int, int]:
    """The mount script's config, and where its JSON starts and ends in `page`."""
    start = page.find(_MOUNT)
    key = page.find('"config":', start) if start >= 0 else -1
    if key < 0:
        raise ValueError("no marimo mount config in the page: not a marimo WASM export")
    value_at = key + len('"config":')
    value_at += len(page[value_at:]) - len(page[value_at:].lstrip())
    config, end = json.JSONDecoder().raw_decode(page, value_at)
    return config, value_at, end
