"""The built WebAssembly site, measured: size, build time, and per app in headless Chromium the
time to first output, resident memory, cell errors and requests that left 127.0.0.1.

    python bench/bench_site.py --build                       # build apps/ self-hosted, then measure
    python bench/bench_site.py --build --apps-dir tests/wasm/fixtures/apps --marker FIXTURE_RESULT
    python bench/bench_site.py --site _site --view edit --apps 01_tensor
    python bench/bench_site.py --site _site --json site-bench.json
    python bench/bench_site.py --site _site --apps none --mnist   # only the MNIST training ratio

"first output" is from navigation until any cell output has text (with --marker, until one
contains it: the test fixture's is FIXTURE_RESULT). Both views run every cell on open.
Memory is summed over all Chromium processes after `--settle` seconds: RSS (counts shared pages
once per process) and PSS (shares them out). --mnist trains the 1986 milestone app with its
default settings in the browser and natively (the same notebook run by marimo in this Python,
TINYTORCH_DATA pointing at the data) and prints both training times and their ratio.
Figures print; nothing passes or fails.
Needs what the browser tests need: playwright, /usr/bin/chromium, and for --build --self-host
numpy's Pyodide wheel (see docs/site.md).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import build_site  # noqa: E402
from tests.apps.harness import APPS, Pressed, run_app  # noqa: E402
from wasm import browser, mnist_in_browser  # noqa: E402
from wasm.serve import serving  # noqa: E402
from wasm.site import Options, build, sizes  # noqa: E402


def measure_app(
    base: str, path: str, marker: str | None, settle: float, timeout: float
) -> dict:
    with browser.Browser([base], timeout_s=timeout) as b:
        page = b.page()
        t0 = time.perf_counter()
        page.goto(base + path)
        result = {"page": path}
        try:
            browser.wait_for_output(page, marker, timeout)
            result["first_output_s"] = round(time.perf_counter() - t0, 1)  # from navigation
        except TimeoutError as e:
            result["error"] = str(e)
        page.wait_for_timeout(settle * 1000)
        result.update(b.memory())
        result["cell_errors"] = len(browser.cell_errors(page, b.console))
        result["outside_requests"] = b.net.outside()
        result["failed_requests"] = b.net.failed
        result["isolated"] = page.evaluate("crossOriginIsolated")
    return result


def mnist_ratio(base: str, timeout: float) -> dict:
    """The 1986 app trained with its defaults in the browser, then natively; seconds and ratio."""
    with browser.Browser([base], timeout_s=timeout) as b:
        run = mnist_in_browser.train(b.page(), base, timeout_s=timeout)
        memory = b.memory()
    _, names = run_app(APPS / f"{mnist_in_browser.APP}.py", defs={"train_button": Pressed()})
    return {
        "browser": {"train_s": run.train_s, "accuracy": run.accuracy, "open_s": round(run.open_s, 1),
                    **memory},
        "native": {"train_s": round(names["results"]["train_seconds"], 2),
                   "accuracy": names["results"]["test_accuracy"]},
        "ratio_browser_to_native": round(run.train_s / names["results"]["train_seconds"], 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--site", type=Path, help="an already built site")
    ap.add_argument("--build", action="store_true", help="build a self-hosted site into a temporary folder")
    ap.add_argument("--apps-dir", type=Path, default=ROOT / "apps")
    ap.add_argument("--view", choices=("embed", "edit"), default="embed")
    ap.add_argument("--apps", help="comma-separated app stems, or none (default: all)")
    ap.add_argument("--mnist", action="store_true", help="MNIST training in the browser vs natively")
    ap.add_argument(
        "--marker",
        help="wait for an output containing this text (default: any output); "
        f"the test fixture prints {browser.RESULT_MARKER}",
    )
    ap.add_argument("--settle", type=float, default=10.0)
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    reason = browser.missing()
    if reason:
        sys.exit(reason)
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        out = {}
        if args.build:
            defaults = build_site.parse_args([])
            site = Path(tmp) / "site"
            t0 = time.perf_counter()
            report = build(
                Options(
                    repo=ROOT,
                    out=site,
                    apps_dir=args.apps_dir.resolve(),
                    cache_dir=defaults.cache_dir,
                    wheel_dirs=defaults.wheels_dir,
                    self_host=True,
                    data_source=None,
                    datasets=(),
                ),
                log=lambda *a: None,
            )
            out["build"] = {
                "seconds": round(time.perf_counter() - t0, 1),
                "steps": report.seconds,
                "complete": report.complete,
                "missing": report.missing,
            }
        elif args.site:
            site = args.site.resolve()
        else:
            sys.exit("give --site DIR or --build")
        manifest = json.loads((site / "site.json").read_text())
        out["size_mb"] = {k: round(v / 1e6, 1) for k, v in sizes(site).items() if v > 1e5 or k == "total"}
        wanted = set(args.apps.split(",")) if args.apps else None
        out["apps"] = []
        with serving(site) as base:
            for app in manifest["apps"]:
                if wanted and app["stem"] not in wanted:
                    continue
                r = measure_app(
                    base, app[args.view], args.marker, args.settle, args.timeout
                )
                out["apps"].append(r)
                print(json.dumps(r), flush=True)
            if args.mnist:
                out["mnist"] = mnist_ratio(base, args.timeout)
    print(json.dumps({k: v for k, v in out.items() if k != "apps"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
