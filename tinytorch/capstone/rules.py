"""The rules of a submission, and how the harness enforces them.

A submission may use tinytorch and NumPy (and a few pure-Python standard modules), must not
use the network, start processes, write files or read anything outside its own folder, and
must not bring the held-out test data with it. Checked in three places:

1. Before anything runs (`check_source`, `check_weights`, in the harness's process): the
   source compiles, its import statements name allowed modules only, the weights file exists,
   is a plain `.npz` (loaded with `allow_pickle=False`: no code in it), and holds no held-out
   image (an array whose rows are test images, raw or scaled) and no run of held-out labels.
2. While it runs, in a fresh Python process or, where there are none (the browser), in the
   harness's own (`Guard`, armed by `tinytorch.capstone.runner.run` after the held-out inputs
   are loaded and before the submission is imported, disarmed after its run):
   - `builtins.__import__` is wrapped, so an import made by the submission's own code of a
     module outside the allowed list fails, however it is spelled (`__import__("soc" + "ket")`);
     imports that numpy or tinytorch make internally are theirs and stay allowed;
   - an audit hook (`sys.addaudithook`, PEP 578) refuses network events (`socket.connect`,
     `socket.getaddrinfo`, `urllib.Request`, ...), new processes (`subprocess.Popen`,
     `os.system`, `os.exec*`, `os.fork`, ...), file writes and deletions, and reads outside
     the submission folder and the Python installation, so the dataset mirror cannot be read.
   A violation raises `RuleViolation` where it happens and is also recorded, so a submission
   that catches the exception is still reported.
3. After it runs (in the harness): the labels never enter the submission's process, so the
   accuracy is computed where the submission cannot reach it.

What this cannot prevent, honestly: it is a course harness, not a security sandbox. Audit
hooks see only what CPython reports; code that reaches C directly (ctypes on an already loaded
library, a NumPy buffer trick) or that inspects the interpreter (gc, frames, the original
`__import__` kept in a closure) can get around it; and CPU, memory and time are bounded only by
the process's time limit. In-process (the browser) it is weaker still: the labels and the
harness share the submission's interpreter (reachable through gc or frames), the time limit is
checked only after the run ends (a loop that never ends hangs the page, it cannot be stopped),
and a submission that crashes the interpreter or changes tinytorch or NumPy changes them for
everything that runs afterwards in that page. Run submissions you do not trust in a container
or VM; this harness makes honest mistakes and casual cheating visible, and names them.
"""

from __future__ import annotations

import ast
import builtins
import os
import sys
import threading
import zipfile
from pathlib import Path

import numpy as np

SOURCE_FILE = "submission.py"
WEIGHTS_FILE = "weights.npz"

ALLOWED_MODULES = frozenset({"numpy", "tinytorch", "math", "__future__", "typing", "dataclasses",
                             "functools", "itertools", "collections", "operator"})
# tinytorch subpackages that reach data or the harness itself
FORBIDDEN_SUBMODULES = ("tinytorch.datasets", "tinytorch.capstone")

_NETWORK_EVENTS = ("socket.", "urllib.Request", "http.client.connect", "ftplib.", "smtplib.",
                   "imaplib.", "poplib.", "nntplib.", "telnetlib.", "webbrowser.open")
_PROCESS_EVENTS = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
                   "os.fork", "os.forkpty", "pty.spawn", "os.startfile", "os.kill", "os.killpg")
_FILESYSTEM_EVENTS = ("os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.truncate",
                      "os.chmod", "os.chown", "os.link", "os.symlink", "shutil.", "os.utime")


class SubmissionProblem(Exception):
    """A named reason why a submission gets no score: `kind` is a short identifier
    ("syntax_error", "forbidden_import", "network", "timeout", ...), the message says what
    exactly was wrong."""

    def __init__(self, kind: str, message: str):
        super().__init__(f"{kind}: {message}")
        self.kind, self.message = kind, message


class RuleViolation(SubmissionProblem):
    """Raised inside the submission's process where it breaks a rule."""


def module_allowed(name: str) -> bool:
    top = name.split(".")[0]
    return top in ALLOWED_MODULES and not any(
        name == f or name.startswith(f + ".") for f in FORBIDDEN_SUBMODULES)


def _imported_names(node) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            return [f"<relative import from {'.' * node.level}{node.module or ''}>"]
        return [node.module] + [f"{node.module}.{a.name}" for a in node.names]
    return []


def check_source(folder: Path) -> ast.Module:
    """The submission's source, parsed; SubmissionProblem if it is missing, does not compile
    or imports a module outside the rules."""
    path = folder / SOURCE_FILE
    if not path.is_file():
        raise SubmissionProblem("missing_source", f"{path} does not exist; a submission folder "
                                f"holds {SOURCE_FILE} and {WEIGHTS_FILE}")
    try:
        tree = ast.parse(path.read_bytes(), str(path))
        compile(tree, str(path), "exec")
    except (SyntaxError, ValueError) as e:
        where = f" line {e.lineno}" if getattr(e, "lineno", None) else ""
        reason = e.msg if isinstance(e, SyntaxError) else e
        raise SubmissionProblem("syntax_error", f"{SOURCE_FILE}{where}: {reason}") from None
    for node in ast.walk(tree):
        for name in _imported_names(node):
            if not module_allowed(name):
                raise SubmissionProblem("forbidden_import", f"{SOURCE_FILE} line {node.lineno} imports "
                                        f"{name}; allowed: {', '.join(sorted(ALLOWED_MODULES))} "
                                        f"(not {', '.join(FORBIDDEN_SUBMODULES)})")
    if not any(isinstance(n, ast.FunctionDef) and n.name == "build_model" for n in tree.body):
        raise SubmissionProblem("no_build_model", f"{SOURCE_FILE} defines no build_model(weights)")
    return tree


def load_weights(folder: Path) -> dict[str, np.ndarray]:
    """The submission's weights as name -> array; SubmissionProblem if missing or not a plain
    `.npz` of arrays."""
    path = folder / WEIGHTS_FILE
    if not path.is_file():
        raise SubmissionProblem("missing_weights", f"{path} does not exist")
    try:
        with np.load(path, allow_pickle=False) as f:
            return {name: f[name] for name in f.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as e:
        raise SubmissionProblem("corrupt_weights", f"{WEIGHTS_FILE} is not a readable .npz of "
                                f"arrays ({type(e).__name__}: {e})") from None


def _row_set(rows: np.ndarray) -> set[bytes]:
    return {r.tobytes() for r in rows}


def check_weights(weights: dict[str, np.ndarray], inputs: np.ndarray, labels: np.ndarray,
                  label_run: int = 64) -> None:
    """Refuse weights that carry held-out data: any array holding a test input as a row
    (images: as the float32 inputs the harness serves, or as the original uint8 pixels; text:
    a held-out window of character ids in any integer or float32 form), or whose first
    `label_run` values are a run of consecutive held-out labels (or characters). A model
    cannot need either; a lookup table of the answers would."""
    features = int(np.prod(inputs.shape[1:]))
    flat_inputs = inputs.reshape(len(inputs), features)
    if flat_inputs.dtype.kind in "iu":
        forms = {np.dtype(t): _row_set(flat_inputs.astype(t))
                 for t in (np.int64, np.int32, np.int16, np.uint8, np.float32)}
    else:
        forms = {np.dtype(np.float32): _row_set(flat_inputs),
                 np.dtype(np.uint8): _row_set(np.rint(flat_inputs * 255).astype(np.uint8))}
    labels = labels.reshape(-1)
    windows = (np.lib.stride_tricks.sliding_window_view(labels, label_run)
               if len(labels) >= label_run else None)
    for name, array in weights.items():
        if array.size >= features and array.size % features == 0 and array.dtype in forms:
            rows = np.ascontiguousarray(array).reshape(-1, features)
            if not forms[array.dtype].isdisjoint(_row_set(rows)):
                raise SubmissionProblem("test_data_inside", f"weights {name!r} contain held-out "
                                        "test images; submissions must not ship the test set")
        if windows is not None and array.size >= label_run and array.dtype.kind in "iuf":
            head = array.reshape(-1)[:label_run]
            if np.array_equal(head, np.rint(head)) and (windows == head.astype(np.int64)).all(axis=1).any():
                raise SubmissionProblem("test_data_inside", f"weights {name!r} hold a run of "
                                        f"{label_run} held-out labels; submissions must not ship the answers")


def _within(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


class Guard:
    """The in-process half of the rules (see the module docstring): `install` before the
    submission is imported, `uninstall` after its run.

    Why it can be disarmed: where there are no processes (the browser), the harness runs the
    submission in its own process and goes on afterwards. An audit hook cannot be removed once
    added (PEP 578), so one hook is added per process and asks the guard armed at the time, if
    any; `builtins.__import__` is put back. Events of other threads are not the submission's
    (under `marimo edit` the kernel's own threads keep writing while it runs) and are let
    through: a submission is served on the thread that armed the guard.
    """

    _armed: Guard | None = None  # the guard the process's one audit hook consults
    _hook_added = False

    def __init__(self, folder: Path, forbidden_roots: tuple[str, ...] = ()):
        import tinytorch

        self.folder = os.path.realpath(folder)
        # Pyodide's prefix is "/", which would make every file readable: there the standard
        # library's folder stands for the installation.
        self.read_roots = tuple(root for root in {os.path.realpath(p) for p in (
            self.folder, sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.__file__),
            os.path.dirname(tinytorch.__file__), os.path.dirname(np.__file__))} if root != os.sep)
        self.forbidden_roots = tuple(os.path.realpath(p) for p in forbidden_roots if p)
        self.violations: list[RuleViolation] = []
        self._original_import = builtins.__import__
        self._thread: int | None = None

    def violate(self, kind: str, message: str):
        violation = RuleViolation(kind, message)
        self.violations.append(violation)
        raise violation

    def _guarded_import(self, name, globals=None, locals=None, fromlist=(), level=0):
        importer = sys._getframe(1).f_code.co_filename  # the code that imports, however it is spelled
        if _within(os.path.realpath(importer), (self.folder,)):
            if level:
                self.violate("forbidden_import", f"relative import {'.' * level}{name} "
                             "(a submission is one file)")
            for full in [name] + [f"{name}.{f}" for f in (fromlist or ()) if f != "*"]:
                if not module_allowed(full):
                    self.violate("forbidden_import", f"the submission imports {full} while running")
        return self._original_import(name, globals, locals, fromlist, level)

    @staticmethod
    def _dispatch(event: str, args) -> None:
        guard = Guard._armed
        if guard is not None and threading.get_ident() == guard._thread:
            guard._audit(event, args)

    def _audit(self, event: str, args) -> None:
        if event.startswith(_NETWORK_EVENTS):
            self.violate("network", f"network access ({event}{_short(args)}); submissions run offline")
        if event.startswith(_PROCESS_EVENTS):
            self.violate("process", f"starting or signalling a process ({event}{_short(args)})")
        if event.startswith(_FILESYSTEM_EVENTS):
            self.violate("file_access", f"changing the file system ({event}{_short(args)})")
        if event == "open":
            self._check_open(*args[:3])

    def _check_open(self, path, mode, flags) -> None:
        if isinstance(path, int) or path is None:
            return
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC))
        real = os.path.realpath(os.fsdecode(path))
        if writing:
            self.violate("file_access", f"writing {real}; submissions do not write files")
        if _within(real, (self.folder,)):
            return  # even when the folder sits inside a cache the rest of which is off limits
        if _within(real, self.forbidden_roots) or not _within(real, self.read_roots):
            self.violate("file_access", f"reading {real}, outside the submission folder")

    def install(self) -> None:
        if Guard._armed is not None:
            raise RuntimeError("another submission's guard is armed in this process")
        self._original_import = builtins.__import__
        self._thread = threading.get_ident()
        builtins.__import__ = self._guarded_import
        Guard._armed = self
        if not Guard._hook_added:
            sys.addaudithook(Guard._dispatch)
            Guard._hook_added = True

    def uninstall(self) -> None:
        """Disarm: the import wrapper is replaced by what it wrapped, the hook ignores events."""
        if Guard._armed is self:
            Guard._armed = None
            builtins.__import__ = self._original_import


def _short(args) -> str:
    text = repr(args)
    return f" {text[:80]}" if text != "()" else ""


__all__ = ["ALLOWED_MODULES", "SOURCE_FILE", "WEIGHTS_FILE", "Guard", "RuleViolation", "SubmissionProblem",
           "check_source", "check_weights", "load_weights", "module_allowed"]
