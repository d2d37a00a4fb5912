"""The two commands a fresh clone needs, each installing what it needs first:

    python3 dev.py course    build the course site and serve it at http://127.0.0.1:8000/
    python3 dev.py test      run the test suite on two workers (arguments go to pytest, one worker)
    python3 dev.py edit 04   open an app in marimo's editor (module number, milestone year)

Each creates `.venv/` beside this file on first use and reinstalls only when pyproject.toml
changes, so the second run starts at once. `course` and `edit` are the `tinytorch` command's
(`tinytorch.cli`), run from `.venv/` with the shared data and wheels; see docs/cli.md.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
SHARED_DATA = ROOT.parent / "shared" / "data"
SHARED_WHEELS = ROOT.parent / "shared" / "wheels"


def run(*cmd, **kwargs) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, **kwargs)


def ensure_env(extras: str) -> None:
    """Create the virtual environment and install tinytorch (editable) with `extras`."""
    stamp = VENV / f".installed-{extras}"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    if not (BIN / "python").exists() and not (BIN / "python.exe").exists():
        venv.create(VENV, with_pip=True)
    python = BIN / "python"
    if run(python, "-m", "pip", "install", "-q", "--upgrade", "pip") != 0:
        sys.exit("could not upgrade pip in .venv")
    if run(python, "-m", "pip", "install", "-q", "-e", f".[{extras}]") != 0:
        sys.exit(f"could not install tinytorch[{extras}] into .venv")
    stamp.write_text(wanted)


def course_env() -> dict:
    """The virtual environment's tools first on PATH (marimo's export calls `uv`), and the
    dataset loaders and the site builder pointed at ../shared/data and ../shared/wheels when
    they are there (as in CI); without a data mirror the site build and the loaders download the
    datasets on first use (README, "Two commands")."""
    env = dict(os.environ)
    env["PATH"] = str(BIN) + os.pathsep + env.get("PATH", "")
    if "TINYTORCH_DATA" not in env and SHARED_DATA.is_dir():
        env["TINYTORCH_DATA"] = str(SHARED_DATA)
    if "TINYTORCH_WHEELS" not in env and any(SHARED_WHEELS.glob("numpy-*pyemscripten*.whl")):
        env["TINYTORCH_WHEELS"] = str(SHARED_WHEELS)  # `tinytorch doctor` checks its name and sha256
    return env


def tinytorch(*args: str) -> int:
    """The `tinytorch` command of the virtual environment (tinytorch.cli)."""
    return run(BIN / "python", "-m", "tinytorch", *args, env=course_env())


def course() -> int:
    """Build the site and serve it (`tinytorch course`): self-hosted when numpy's wasm wheel is
    at hand, otherwise the browser fetches Pyodide's packages from its CDN."""
    ensure_env("site")
    return tinytorch("course")


def test(pytest_args: list[str]) -> int:
    ensure_env("dev,site")
    env = course_env()
    # Elsewhere the browser tests skip, naming what is missing; in CI a skip would hide that the
    # site and the browser were never tested, so Chromium and the wasm wheel are required.
    if os.environ.get("CI") == "true" and tinytorch("doctor", "--ci") != 0:
        print("CI cannot run the browser tests: see `missing` above (.ci/run installs chromium; "
              "CI takes the wheel from ../shared/wheels)")
        return 1
    # The whole default run is spread over two processes (tests/once.py shares the site builds
    # between them): it is what keeps CI's run under 15 minutes on two cores. A targeted run
    # (any pytest arguments) stays in one process, where -x, -k and pdb behave as usual.
    workers = [] if pytest_args else ["-n", "2", "--dist", "loadgroup", "--durations=30"]
    code = run(BIN / "python", "-m", "pytest", *workers, *pytest_args, env=env)
    if code == 5:
        print("pytest collected no tests: that is a failure here, the suite is never empty")
        return 1
    return code


def edit(which: list[str]) -> int:
    """Open one app with `marimo edit` (`tinytorch edit`); without a number, list the apps."""
    ensure_env("site")
    return tinytorch("edit", *which)


def main() -> int:
    commands = {"course": lambda: course(), "test": lambda: test(sys.argv[2:]),
                "edit": lambda: edit(sys.argv[2:])}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]]()


if __name__ == "__main__":
    sys.exit(main())
