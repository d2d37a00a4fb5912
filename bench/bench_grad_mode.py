"""Grad mode's switches in the browser, measured: a `threading.local` against a ContextVar.

    python bench/bench_grad_mode.py --site _site     # a site built with --self-host

Every tinytorch op reads two switches (is grad mode on? is anomaly detection on?) when it runs
and backward reads one per node. In the browser, marimo replaces `threading.local` with
`AsyncLocal`, a Python emulation keyed by its synthetic threads, so a switch kept in a
`threading.local` (as tinytorch's were) costs microseconds per read. tinytorch now keeps them in
ContextVars (`tinytorch/core/autograd.py`). This prints, inside the site's own Pyodide under
Node with marimo imported (as a page has it) and then natively:

- one read of a `threading.local` attribute and one `ContextVar.get()`;
- a small MLP's training step (2-16-16-2, batch 64, Adam: the size of the course's
  playgrounds, where per-op overhead dominates) with tinytorch's ContextVars, and with the same
  switches read through a `threading.local` instead.

Ratios from one interleaved run each; nothing passes or fails. Needs Node and a site built
with `python build_site.py --self-host` from this tinytorch.
"""

import argparse
import contextvars
import subprocess
import sys
import threading
from pathlib import Path

if sys.platform == "emscripten":  # before LocalSwitch subclasses threading.local
    import marimo  # noqa: F401  (installs marimo's browser shims, threading.local among them)

REPO = Path(__file__).resolve().parents[1] if "__file__" in globals() else None


class LocalSwitch(threading.local):
    """A switch with ContextVar's get/set, kept in a `threading.local` (whatever class
    `threading.local` is when this module runs: marimo's `AsyncLocal` in the browser)."""

    def __init__(self, default):
        self.value = default

    def get(self):
        return self.value

    def set(self, value):
        self.value = value


def measure() -> None:
    import numpy as np

    import tinytorch
    from tinytorch import nn
    from tinytorch.bench import compare, measure_interleaved, system_info
    from tinytorch.core import autograd

    where = "Pyodide, marimo imported" if sys.platform == "emscripten" else "native"
    local_class = f"{threading.local.__module__}.{threading.local.__name__}"
    print(f"{where}: {system_info()}; threading.local is {local_class}")

    local, var = LocalSwitch(True), contextvars.ContextVar("bench_switch", default=True)
    reads = 1000
    t = measure_interleaved({"threading.local": lambda: [local.get() for _ in range(reads)],
                             "ContextVar": lambda: [var.get() for _ in range(reads)]}, time_budget=2)
    c = compare(t["threading.local"], t["ContextVar"])
    print(f"  one read: threading.local {t['threading.local'].median / reads * 1e6:.2f} us, "
          f"ContextVar {t['ContextVar'].median / reads * 1e6:.2f} us ({c.ratio:.1f}x)")

    if not hasattr(autograd, "_grad_enabled"):
        print("  this tinytorch keeps its switches in a threading.local (built before they moved to "
              "ContextVars): rebuild the site from this repository to compare training steps")
        return
    rng = np.random.default_rng(0)
    x = tinytorch.tensor(rng.standard_normal((64, 2)).astype(np.float32))
    y = tinytorch.tensor(rng.integers(0, 2, 64))
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 2))
    optimizer = tinytorch.optim.Adam(model.parameters(), lr=1e-2)
    as_is = (autograd._grad_enabled, autograd._detect_anomaly)
    in_locals = (LocalSwitch(True), LocalSwitch(False))

    def step(switches):
        autograd._grad_enabled, autograd._detect_anomaly = switches
        try:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        finally:
            autograd._grad_enabled, autograd._detect_anomaly = as_is

    t = measure_interleaved({"ContextVar": lambda: step(as_is), "threading.local": lambda: step(in_locals)},
                            time_budget=4)
    c = compare(t["threading.local"], t["ContextVar"])
    print(f"  small MLP training step: ContextVar {t['ContextVar'].median * 1e6:.0f} us, threading.local "
          f"{t['threading.local'].median * 1e6:.0f} us: {c.ratio:.2f}x [{c.ci[0]:.2f}, {c.ci[1]:.2f}] "
          f"the time with threading.local{'' if c.significant else ' (not significant)'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, required=True, help="a site built with --self-host")
    args = parser.parse_args()
    if not (args.site / "pyodide" / "pyodide-lock.json").is_file():
        sys.exit(f"{args.site} is not a self-hosted site (no pyodide/pyodide-lock.json): "
                 "build one with `python build_site.py --self-host --out <folder>`")
    sys.path.insert(0, str(REPO))
    from tests.wasm.pyodide_site import RUNNER

    code = subprocess.call(["node", str(RUNNER), str(args.site.resolve()),
                            "marimo-base,tinytorch", str(Path(__file__).resolve())])
    if code:
        sys.exit(f"the run in the site's Pyodide failed (exit {code})")
    import marimo  # noqa: F401  (natively it leaves threading.local as it is)
    measure()


if sys.platform == "emscripten":
    measure()
elif __name__ == "__main__":
    main()
