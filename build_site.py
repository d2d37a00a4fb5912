"""Build the course's static WebAssembly site from apps/*.py (see docs/site.md).

    python build_site.py                       # -> _site/, Pyodide and packages from the CDN
    python build_site.py --self-host           # -> _site/, zero third-party requests
    python build_site.py --self-host --serve   # build, then serve on http://127.0.0.1:8000/
    python build_site.py --serve-only          # serve an existing _site/

Options with environment defaults:
    --wheels-dir DIR   wheels no index has (numpy's wasm wheel); TINYTORCH_WHEELS, ~/.cache/tinytorch-wheels
    --data-source DIR  dataset mirror to copy from; TINYTORCH_DATA (unset: fetched as tinytorch.datasets
                       does: its cache, else downloaded from upstream and checked; wasm/data.py)
    --data LIST        datasets to copy: default (all but cifar-10) | all | none | mnist,text,...
    --cache-dir DIR    npm/PyPI downloads reused between builds; TINYTORCH_SITE_CACHE, ~/.cache/tinytorch-site

Exit status: 0 built; 3 built but incomplete (wheels missing, listed with where to put them,
or an inconsistent lock file / pin, listed as PROBLEM); 1 failed.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from wasm.data import parse_selection  # noqa: E402
from wasm.serve import ServeError, serve_forever  # noqa: E402
from wasm.site import Options, build  # noqa: E402

INCOMPLETE = 3


def _env_path(name: str, default: Path | None) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else default


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "_site")
    ap.add_argument("--apps-dir", type=Path, default=ROOT / "apps")
    ap.add_argument("--self-host", action="store_true", help="vendor the Pyodide runtime and every wheel")
    ap.add_argument(
        "--wheels-dir", type=Path, action="append", help="folder of wheels no index has (repeatable)"
    )
    ap.add_argument("--data-source", type=Path, default=_env_path("TINYTORCH_DATA", None))
    ap.add_argument("--data", default="default", help="default | all | none | comma-separated dataset names")
    ap.add_argument(
        "--cache-dir",
        type=Path,
        default=_env_path("TINYTORCH_SITE_CACHE", Path.home() / ".cache" / "tinytorch-site"),
    )
    ap.add_argument("--jobs", type=int, default=2, help="exports run in parallel")
    ap.add_argument("--no-prerender", dest="prerender", action="store_false",
                    help="do not run the apps at build time to show their outputs while Pyodide starts")
    ap.add_argument("--serve", action="store_true", help="serve the site after building it")
    ap.add_argument("--serve-only", action="store_true", help="serve --out as it is, without building")
    ap.add_argument("--port", type=int, default=8000)
    args = ap.parse_args(argv)
    if args.wheels_dir is None:
        args.wheels_dir = [_env_path("TINYTORCH_WHEELS", Path.home() / ".cache" / "tinytorch-wheels")]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.serve_only:
        return serve(args.out, args.port)
    opts = Options(
        repo=ROOT,
        out=args.out.resolve(),
        apps_dir=args.apps_dir.resolve(),
        cache_dir=args.cache_dir,
        wheel_dirs=[d.expanduser() for d in args.wheels_dir],
        self_host=args.self_host,
        data_source=args.data_source,
        datasets=parse_selection(args.data),
        jobs=args.jobs,
        prerender=args.prerender,
    )
    try:
        report = build(opts)
    except Exception as e:  # a one-line reason beats a traceback for the expected failures
        print(f"build failed: {e}", file=sys.stderr)
        return 1
    for note in report.notes:
        print(f"note: {note}")
    mb = {k: v / 1e6 for k, v in report.sizes.items()}
    print(
        "size: "
        + ", ".join(f"{k} {v:.1f} MB" for k, v in mb.items() if k != "total")
        + f"; total {mb['total']:.1f} MB"
    )
    packed = report.compressed
    print(f"gzip copies: {packed.files} files, {packed.bytes_before / 1e6:.1f} MB -> "
          f"{packed.bytes_after / 1e6:.1f} MB (sent to browsers that accept gzip)")
    print("seconds: " + ", ".join(f"{k} {v}" for k, v in report.seconds.items()))
    for line in report.missing + [f"PROBLEM {p}" for p in report.problems]:
        print(line, file=sys.stderr)
    status = 0 if report.complete else INCOMPLETE
    print(f"site {'built' if status == 0 else 'built INCOMPLETE (see MISSING/PROBLEM above)'}: {report.out}")
    if args.serve:
        return serve(report.out, args.port) or status
    return status


def serve(site: Path, port: int) -> int:
    """Serve `site` until Ctrl-C: 0, or 1 with a one-line reason (no site there, port taken)."""
    try:
        serve_forever(site, port)
    except ServeError as error:
        print(f"serve failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
