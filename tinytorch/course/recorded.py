"""Where a figure comes from: measured in this session (in the browser or natively), or recorded
on the project's machine by a benchmark command.

The optimization-tier apps measure every technique live and show, beside it, the figure the
project's benchmarks recorded (docs/benchmarks-optimization-*.md) with the command that
reproduces it. The two must never be confused: `machine()` names what a live measurement ran
on (the same app runs in Pyodide and under `marimo edit`), and a `Recorded` figure carries its
document and command, so `tests/course/test_recorded.py` can check that the document really
says it.
"""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import dataclass

import numpy as np

SPEED_DOC = "docs/benchmarks-optimization-speed.md"
# The Pyodide-under-Node benchmark; numpy's wasm wheel comes from TINYTORCH_WHEELS (docs/site.md).
PYODIDE_COMMAND = "python bench/bench_pyodide.py --budget 3"
PROJECT_MACHINE = "the project's machine (2 vCPUs, shared with other developers' jobs, so noisy)"


def in_browser() -> bool:
    """True in Pyodide (the course site), where NumPy has no BLAS and one thread."""
    return sys.platform == "emscripten"


def machine() -> str:
    """What this session's measurements ran on, in words a learner can compare."""
    if in_browser():
        return "this browser (Pyodide: NumPy compiled to WebAssembly, no BLAS, one thread)"
    return (f"this machine, natively ({platform.machine()}, {os.cpu_count()} cores, NumPy "
            f"{np.__version__} with its BLAS)")


@dataclass(frozen=True)
class Recorded:
    """A figure a benchmark printed on the project's machine: `figure` is quoted exactly as the
    document (`doc`) states it, `command` reproduces it."""

    what: str
    figure: str
    command: str
    doc: str = SPEED_DOC


def table(figures: list[Recorded]) -> str:
    """Markdown: the recorded figures with their commands, labelled as recorded elsewhere."""
    rows = "\n".join(f"| {f.what} | {f.figure} | `{f.command}` |" for f in figures)
    docs = ", ".join(sorted({f.doc for f in figures}))
    return (f"Recorded on {PROJECT_MACHINE}, from {docs} (not measured in this session):\n\n"
            f"| figure | recorded | command |\n|---|---|---|\n{rows}")


__all__ = ["PROJECT_MACHINE", "Recorded", "in_browser", "machine", "table"]
