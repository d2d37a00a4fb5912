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
import subprocess
import sys
import tempfile
from pathlib import Path

VIEWS = {
    "edit": ["--mode", "edit"],
    "embed": ["--mode", "run", "--no-show-code"],
}


class ExportError(RuntimeError):
    pass


def require_tools() -> None:
    if shutil.which("uv") is None:
        raise ExportError("`uv` is not on PATH: marimo export html-wasm needs it (pip install uv)")


def export_notebook(notebook: Path, out_dir: Path, view: str) -> Path:
    """Export `notebook` into the fresh folder `out_dir` (index.html, assets/, public/...)."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    with tempfile.TemporaryDirectory(prefix="marimo-export-") as tmp:
        no_pins = Path(tmp) / "pyodide-lock.json"
        no_pins.write_text(json.dumps({"packages": {}}))
        env = dict(os.environ, MARIMO_SKIP_UPDATE_CHECK="1", MARIMO_PYODIDE_LOCK_FILE=str(no_pins))
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "marimo",
                "export",
                "html-wasm",
                notebook.name,
                "-o",
                str(out_dir),
                *VIEWS[view],
                "--no-sandbox",
                "--force",
            ],
            cwd=notebook.parent,
            env=env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
    if proc.returncode != 0 or not (out_dir / "index.html").is_file():
        raise ExportError(
            f"marimo export html-wasm {notebook.name} ({view}) failed:\n"
            f"{(proc.stderr or proc.stdout).strip()[-2000:]}"
        )
    return out_dir
