"""`tinytorch course` builds the course site and serves it; `tinytorch edit 05` opens module
05's app in marimo's editor. Both run from the course repository (see `checkout`)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from tinytorch.cli import checkout
from tinytorch.cli.doctor import NUMPY_WASM_WHEEL, wheels_dir
from tinytorch.cli.errors import CliError
from tinytorch.course import course_map


def add_parser(commands) -> None:
    p = commands.add_parser("course", help="build the course site and serve it",
                            description="Build the course's WebAssembly site from apps/ and serve it at "
                            "http://127.0.0.1:PORT/ until Ctrl-C. Self-hosted (no third-party requests) "
                            "when numpy's wasm wheel is in TINYTORCH_WHEELS (see `tinytorch doctor`).")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--out", type=Path, help="the site folder (default: _site in the repository)")
    p.add_argument("--serve-only", action="store_true", help="serve the site as built last time")
    p.set_defaults(run=run_course)
    e = commands.add_parser("edit", help="open an app in marimo's editor",
                            description="Open a module's (or milestone's) app with `marimo edit`; "
                            "without a number, list the apps.")
    e.add_argument("module", nargs="?", help="module number or milestone year: 05, 1986")
    e.add_argument("marimo_args", nargs=argparse.REMAINDER,
                   help="passed on to marimo edit (e.g. --headless --port 2718)")
    e.set_defaults(run=run_edit)


def tools_env() -> dict:
    """This Python's scripts folder first on PATH: marimo's export runs `uv`, installed beside it."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def hand_over(command: list[str], cwd: Path) -> int:
    """Become `command` (exec) where the system can: Ctrl-C and a terminating signal then reach
    the server or the editor itself, and none is left running when its parent is stopped."""
    print("+", " ".join(command), flush=True)
    if os.name != "posix":
        return subprocess.call(command, cwd=cwd, env=tools_env())
    os.chdir(cwd)
    os.execve(command[0], command, tools_env())


def run_course(args) -> int:
    root = checkout.root("build_site.py")
    command = [sys.executable, str(root / "build_site.py"), "--port", str(args.port)]
    if args.out:
        command += ["--out", str(args.out)]
    if args.serve_only:
        command.append("--serve-only")
    else:
        self_host = (wheels_dir() / NUMPY_WASM_WHEEL).is_file()
        command += (["--self-host"] if self_host else []) + ["--serve"]
    return hand_over(command, root)


def run_edit(args) -> int:
    root = checkout.root("apps")
    checkout.require_marimo("tinytorch edit")
    if args.module is None:
        course_map.main([])
        print("which one? tinytorch edit 05", file=sys.stderr)
        return 2
    try:
        entry = course_map.entry(args.module)
    except KeyError as error:
        raise CliError(error.args[0], exit_code=2) from None
    if entry.app is None:
        raise CliError(f"{entry.label} has no app yet", exit_code=2)
    app = root / "apps" / f"{entry.app}.py"
    return hand_over([sys.executable, "-m", "marimo", "edit", str(app), *args.marimo_args], root)
