"""Run `marimo export html-wasm` for one staged notebook in one of the site's two views.

    edit   the full notebook, code editable: learners do the exercises here
    embed  run mode with the code hidden: outputs and widgets only, for iframes in a textbook

Why the CLI and not marimo's Python internals: the CLI is marimo's supported interface and
does the local-wheel and local-module bundling; its output folder is then merged into the
site by `wasm.assets`. It needs `uv` on PATH (marimo runs `uv tool run ruff` to find the
notebook's local imports). It runs with the staged folder as working directory: marimo takes
the first `.marimo.toml` it finds walking up from there, the site's (written by `wasm.stage`),
and never reads the developer's own config.

marimo writes `==` pins into the exported header for every dependency found in the Pyodide lock
file it fetches from wasm.marimo.app, or, when that host is out of reach (offline builds, CI),
the version installed on the build machine (`numpy==2.4.6`: no such wasm build exists, the app
stops). `MARIMO_PYODIDE_LOCK_FILE` pointed at a lock file listing no packages makes it pin
nothing: the headers keep what `wasm.script_header` wrote.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from tinytorch.datasets import sources

VIEWS = {
    "edit": ["--mode", "edit"],
    "embed": ["--mode", "run", "--no-show-code"],
}
# `--execute` runs the notebook here, at build time, and embeds its outputs in the page (a
# session snapshot), which marimo's frontend draws at once while Pyodide boots, then replaces
# as the browser runs every cell itself. Without it a page is blank for the 15-35 s Pyodide
# takes to start (bench/bench_site.py --first-visit). `--no-sandbox` keeps the run in this
# Python (the working tree's tinytorch) instead of a fresh uv environment from PyPI.
PRERENDER = ["--execute"]
# An app whose cells run longer than this at build time (heavy work not behind a button) is
# exported without pre-rendered outputs, with a note, rather than holding up the build.
PRERENDER_TIMEOUT_S = 180
# What marimo prints when the export was written but a cell raised while it ran.
_CELLS_FAILED = "some cells failed to execute"


class ExportError(RuntimeError):
    pass


def require_tools() -> None:
    if shutil.which("uv") is None:
        raise ExportError("`uv` is not on PATH: marimo export html-wasm needs it (pip install uv)")


def _site_data_only(data_dir: Path, tmp: Path) -> dict[str, str]:
    """Environment in which tinytorch's loaders find exactly the site's datasets, as the browser
    does: `data_dir` as the mirror, an empty download cache, and the upstream hosts replaced by a
    closed local port (a dataset the site lacks fails at once, with the same message)."""
    return {sources.MIRROR_ENV: str(data_dir), sources.CACHE_ENV: str(tmp / "no-cache"),
            sources.UPSTREAM_URL_ENV: "http://127.0.0.1:9/"}


def export_notebook(notebook: Path, out_dir: Path, view: str, data_dir: Path,
                    prerender: bool = True) -> tuple[Path, str | None]:
    """Export `notebook` into the fresh folder `out_dir` (index.html, assets/, public/...); with
    `prerender`, run it first (its datasets read from `data_dir`, the site's `data/` folder) and
    embed its outputs. Returns the folder and, when a cell raised during that run, marimo's
    message (the page is written, the failing cell's output is its error; the browser runs the
    notebook again anyway)."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    with tempfile.TemporaryDirectory(prefix="marimo-export-") as tmp:
        no_pins = Path(tmp) / "pyodide-lock.json"
        no_pins.write_text(json.dumps({"packages": {}}))
        env = dict(os.environ, MARIMO_SKIP_UPDATE_CHECK="1", MARIMO_PYODIDE_LOCK_FILE=str(no_pins))
        if prerender:
            env.update(_site_data_only(data_dir, Path(tmp)))
        command = [sys.executable, "-m", "marimo", "export", "html-wasm", notebook.name, "-o", str(out_dir),
                   *VIEWS[view], *(PRERENDER if prerender else []), "--no-sandbox", "--force"]
        try:
            proc = _run(command, notebook.parent, env, PRERENDER_TIMEOUT_S if prerender else None)
        except subprocess.TimeoutExpired:
            exported, _ = export_notebook(notebook, out_dir, view, data_dir, prerender=False)
            return exported, (f"{notebook.stem} ({view}): not pre-rendered, its cells ran longer than "
                              f"{PRERENDER_TIMEOUT_S} s on the build machine (heavy work belongs behind "
                              "a button)")
    said = (proc.stderr or proc.stdout).strip()
    written = (out_dir / "index.html").is_file()
    if written and proc.returncode != 0 and prerender and _CELLS_FAILED in said:
        return out_dir, f"{notebook.stem} ({view}): a cell raised while pre-rendering its outputs"
    if proc.returncode != 0 or not written:
        raise ExportError(f"marimo export html-wasm {notebook.name} ({view}) failed:\n{said[-2000:]}")
    return out_dir, None


def _run(command: list[str], cwd: Path, env: dict, timeout_s: float | None) -> subprocess.CompletedProcess:
    """`command`'s result; on timeout its whole process group (marimo and any kernel process it
    started) is killed before TimeoutExpired is raised."""
    with subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, text=True, start_new_session=True) as proc:
        try:
            out, err = proc.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
    return subprocess.CompletedProcess(command, proc.returncode, out, err)
