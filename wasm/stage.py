"""A throw-away copy of `apps/` from which the notebooks are exported.

Why a copy of the whole folder: marimo's exporter bundles the local modules a notebook imports
(`apps/_helpers.py`, say) by looking next to the notebook, and copies a `public/` folder found
there; both must sit beside the notebook exactly as in `apps/`. What differs from `apps/` is
the notebooks' PEP 723 headers (see `script_header`), the tinytorch wheel placed beside them,
and a `.marimo.toml` with the site's marimo settings, so that the developer's own marimo
config (themes, AI keys) never leaks into a published page.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from packaging.utils import parse_wheel_filename

from wasm.apps import App
from wasm.script_header import rewrite_source

_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "__marimo__", ".ipynb_checkpoints", "*.whl")

# The site's marimo settings: [runtime] auto_instantiate = false keeps marimo's default
# (edit-mode pages wait for "run all"; run-mode pages always run).
MARIMO_TOML = """\
[runtime]
auto_instantiate = false

[display]
theme = "light"
width = "medium"
"""


@dataclass
class Staged:
    dir: Path
    notebooks: dict[str, Path]  # stem -> staged notebook
    notes: dict[str, list[str]] = field(default_factory=dict)  # stem -> header rewrite notes


def stage_apps(
    apps: list[App], apps_dir: Path, stage_dir: Path, wheel: Path, pyodide_packages: set[str]
) -> Staged:
    """Copy `apps_dir` to `stage_dir` and rewrite the notebooks' headers there (see module doc)."""
    if stage_dir.exists():
        shutil.rmtree(stage_dir)
    if apps_dir.is_dir():
        shutil.copytree(apps_dir, stage_dir, ignore=_IGNORE)
    else:
        stage_dir.mkdir(parents=True)
    shutil.copy2(wheel, stage_dir / wheel.name)
    (stage_dir / ".marimo.toml").write_text(MARIMO_TOML)
    local = {str(parse_wheel_filename(wheel.name)[0]): wheel.name}
    staged = Staged(stage_dir, {})
    for app in apps:
        target = stage_dir / app.path.name
        source, notes = rewrite_source(app.path.read_text(encoding="utf-8"), local, pyodide_packages)
        target.write_text(source, encoding="utf-8")
        staged.notebooks[app.stem] = target
        if notes:
            staged.notes[app.stem] = notes
    return staged
