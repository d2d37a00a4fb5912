"""Work a whole test run shares, done once even when pytest-xdist runs the tests in several
processes.

Why: `python3 dev.py test` runs the suite on two workers to stay inside CI's 15 minutes, and a
session fixture runs once per *worker*. Building the course site (about two minutes) in both
would spend the time the workers were meant to save, on the same two cores. `once` builds in
the first worker that asks, under a file lock in the folder the workers share, and the others
wait and load what it built.
"""

from __future__ import annotations

import fcntl
import os
import pickle
from collections.abc import Callable
from pathlib import Path


def shared_folder(tmp_path_factory) -> Path:
    """The run's temporary folder that every worker sees (xdist gives each worker a subfolder)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once(tmp_path_factory, name: str, make: Callable[[Path], object]):
    """`make(folder)`'s result, computed by one worker per run into `<shared>/<name>/` and
    pickled there for the others. A `make` that fails or skips stores nothing, so each worker
    that asks meets the same failure or skip itself."""
    root = shared_folder(tmp_path_factory)
    folder = root / name
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        done = root / f"{name}.pickle"
        if done.exists():
            return pickle.loads(done.read_bytes())
        folder.mkdir(exist_ok=True)
        result = make(folder)
        done.write_bytes(pickle.dumps(result))
        return result
