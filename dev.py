"""The two commands a fresh clone needs, each installing what it needs first:

    python3 dev.py course    build the course site and serve it at http://127.0.0.1:8000/
    python3 dev.py test      run the test suite (extra arguments go to pytest)
    python3 dev.py edit 04   open an app in marimo's editor (module number, milestone year)

Both create `.venv/` beside this file on first use and reinstall only when pyproject.toml
changes, so the second run starts at once.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

from wasm.selfhost.numpy_wheel import FILE_NAME as NUMPY_WASM_WHEEL
from wasm.selfhost.numpy_wheel import SHA256 as NUMPY_WASM_SHA256

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
SHARED_DATA = ROOT.parent / "shared" / "data"
SHARED_WHEELS = ROOT.parent / "shared" / "wheels"
# numpy's Pyodide wheel (wasm/selfhost/numpy_wheel.py): on no registry reachable here, so CI
# takes it from ../shared/wheels.


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
    if "TINYTORCH_WHEELS" not in env and (SHARED_WHEELS / NUMPY_WASM_WHEEL).is_file():
        env["TINYTORCH_WHEELS"] = str(SHARED_WHEELS)
    return env


def wheels_dir(env: dict) -> Path:
    return Path(env.get("TINYTORCH_WHEELS", Path.home() / ".cache" / "tinytorch-wheels"))


def ci_preflight(env: dict) -> list[str]:
    """What CI lacks to run every test. Elsewhere the browser tests skip, naming what is
    missing; in CI a skip would hide that the site and the browser were never tested."""
    problems = []
    if shutil.which("chromium") is None:
        problems.append("Debian's chromium is not installed (.ci/run installs it with apt-get)")
    wheel = wheels_dir(env) / NUMPY_WASM_WHEEL
    if not wheel.is_file():
        problems.append(f"numpy's wasm wheel is not at {wheel} (CI takes it from ../shared/wheels)")
    elif hashlib.sha256(wheel.read_bytes()).hexdigest() != NUMPY_WASM_SHA256:
        problems.append(f"{wheel} does not have the sha256 Pyodide publishes ({NUMPY_WASM_SHA256})")
    return problems


def course() -> int:
    """Build the site and serve it. Self-hosted (no third-party requests) when numpy's wasm
    wheel is at hand; otherwise the browser fetches Pyodide's packages from its CDN."""
    ensure_env("site")
    env = course_env()
    self_host = ["--self-host"] if any(wheels_dir(env).glob("numpy-*pyemscripten*.whl")) else []
    return run(BIN / "python", "build_site.py", *self_host, "--serve", env=env)


def test(pytest_args: list[str]) -> int:
    ensure_env("dev,site")
    env = course_env()
    if os.environ.get("CI") == "true" and (problems := ci_preflight(env)):
        print("CI cannot run the browser tests:\n  " + "\n  ".join(problems))
        return 1
    code = run(BIN / "python", "-m", "pytest", *pytest_args, env=env)
    if code == 5:
        print("pytest collected no tests: that is a failure here, the suite is never empty")
        return 1
    return code


def edit(which: list[str]) -> int:
    """Open one app with `marimo edit`, with the environment's tools (marimo needs `uv`) on
    PATH. The number is looked up in the course map (`tinytorch.course.course_map`)."""
    ensure_env("site")
    lookup = [BIN / "python", "-m", "tinytorch.course.course_map"]
    if len(which) != 1:
        run(*lookup)
        print("which one? python3 dev.py edit 04")
        return 2
    found = subprocess.run([str(c) for c in [*lookup, "app", which[0]]], cwd=ROOT,
                           capture_output=True, text=True)
    if found.returncode != 0:
        print(found.stderr.strip())
        return 2
    return run(BIN / "marimo", "edit", Path("apps") / f"{found.stdout.strip()}.py", env=course_env())


def main() -> int:
    commands = {"course": lambda: course(), "test": lambda: test(sys.argv[2:]),
                "edit": lambda: edit(sys.argv[2:])}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]]()


if __name__ == "__main__":
    sys.exit(main())
