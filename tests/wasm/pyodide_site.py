"""Python's side of pyodide_site.mjs: run code in a built site's own Pyodide under Node.

One place for the command line, so the tests that check what the browser's Python does with the
site's exact packages (and bench/bench_grad_mode.py) start it the same way."""

import subprocess
from pathlib import Path

RUNNER = Path(__file__).resolve().with_name("pyodide_site.mjs")


def printed(site: Path, packages: str, code: str, folder: Path) -> str:
    """What `code` prints in the Pyodide of `site` with the comma-separated `packages` loaded
    from its lock file (the script is written into `folder`). A failure fails the calling test
    with the end of Node's error output."""
    script = folder / "site_script.py"
    script.write_text(code)
    run = subprocess.run(["node", str(RUNNER), str(site), packages, str(script)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stdout
