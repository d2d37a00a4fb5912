"""Run a course app headless, the way a learner would use it.

`run_app(path)` executes every cell top to bottom (a cell error raises). `press_buttons`
reruns it with every `mo.ui.run_button` pressed, so the long computations behind buttons run
too. `with_exercise` substitutes a function for the learner's exercise cell, so a test can
prove that the solution passes every check and a wrong answer fails one.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import marimo as mo

APPS = Path(__file__).resolve().parents[2] / "apps"


def load_app(path: Path):
    spec = importlib.util.spec_from_file_location(f"course_app_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.app


class Pressed:
    """Stands in for a run button that the learner has clicked."""

    value = True


def run_app(path: Path, defs: dict | None = None):
    """Run every cell; return (outputs, definitions)."""
    return load_app(path).run(defs=defs or {})


def with_replaced(path: Path, defs: dict, **replacements) -> dict:
    """`defs` (from a run of the app) with some names replaced, for `run_app(path, defs=...)`.

    marimo replaces a cell only as a whole, so every other name the replaced names' cells
    define is passed on unchanged (e.g. replacing the `live` module of the imports cell)."""
    cells = [c for c in load_app(path)._cell_manager.cells() if c is not None]
    names = {n for c in cells if c.defs & replacements.keys() for n in c.defs}
    return {n: defs[n] for n in names} | replacements


def run_buttons(defs) -> list[str]:
    return [name for name, value in defs.items() if isinstance(value, mo.ui.run_button)]


def output_text(outputs) -> str:
    """All cell outputs as one string of HTML/text, for assertions."""
    parts = []
    for out in outputs:
        if out is None:
            continue
        parts.append(out.text if hasattr(out, "text") else str(out))
    return "\n".join(parts)


def stopping_after(path: Path, batches: int) -> dict:
    """Definitions for `run_app(path, defs=...)` in which the app's live-training display
    (`tinytorch.course.live`, imported as `live`) asks for a stop after `batches` batches, as a
    click on its Stop button would."""
    from tinytorch.course import live

    class StopAfter(live.LiveTraining):
        def on_batch_end(self, trainer, batch, loss):
            if self.done == batches - 1:
                self.stop.request("Stop")
            super().on_batch_end(trainer, batch, loss)

    stopping = type(live)("stopping")
    stopping.LiveTraining = StopAfter
    return with_replaced(path, run_app(path)[1], live=stopping)
