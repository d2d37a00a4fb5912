"""The optimization tier's figures (issue 11), each measured by this one run and printed as a
ratio against its target.

  kv        module 17: KV-cache generation speed-up for 32..512 new tokens on a GPT with a
            512-token context (the 2017 recipe's width and depth), tokens compared, and the
            time per token at growing positions, with and without the cache.

    python bench/bench_optimization.py                   # everything, native
    python bench/bench_optimization.py --only kv         # one part
    python bench/bench_optimization.py --quick           # a fast smoke run (tiny sizes)
    python bench/bench_optimization.py --only kv --pyodide   # the same inside Pyodide under Node

One BLAS thread unless OPENBLAS_NUM_THREADS says otherwise: on the shared 2-core machine,
OpenBLAS's second thread waits for a busy core and small products slow down 10-50x (a 16-token
GPT forward took 120-220 ms with two threads under load, 5 ms with one), which would flatter
whichever variant does fewer, larger products. The browser has one thread as well.
Timings interleave the variants being compared (uncached, cached, uncached, ...) so that a
machine shared with other jobs slows both alike; the median of the rounds is kept.
Conditions of the recorded runs: docs/benchmarks-optimization-size.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before NumPy loads OpenBLAS; see above

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import tinytorch  # noqa: E402
from tinytorch.core.transformer import GPT  # noqa: E402
from tinytorch.course.measure import best_time  # noqa: E402
from tinytorch.perf.memoization import KVCache  # noqa: E402


def interleaved_medians(cases: dict, rounds: int) -> dict[str, float]:
    """Median seconds of each case, the cases run in turn in every round."""
    times = {name: [] for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def verdict(value: float, target: float, at_least: bool) -> str:
    met = value >= target if at_least else value <= target
    return f"(target {'>=' if at_least else '<='} {target:g}: {'met' if met else 'NOT met'})"


# ----- module 17: KV cache ----------------------------------------------------------------

def bench_kv_cache(args) -> None:
    if args.quick:
        config, new_tokens, positions, rounds = (64, 32, 2, 2), [8, 16, 32], [8, 32, 63], 1
    else:
        config, new_tokens, positions, rounds = (512, 128, 4, 4), args.new_tokens, \
            [16, 64, 128, 256, 511], args.rounds
    context, embed_dim, heads, layers = config
    tinytorch.manual_seed(0)
    model = GPT(vocab_size=96, context_length=context, embed_dim=embed_dim, num_heads=heads,
                num_layers=layers).eval()
    print(f"\n== KV cache (module 17): GPT context {context}, embed {embed_dim}, {heads} heads, "
          f"{layers} layers, vocab 96 (random weights: speed does not depend on them), "
          f"batch 1, greedy, 1-token prompt, {rounds} interleaved rounds")
    cache_bytes = KVCache.for_model(model).nbytes
    print(f"cache memory {cache_bytes / 2**20:.2f} MiB (2 x {layers} layers x {context} positions "
          f"x {embed_dim} x 4 bytes)")
    print(f"{'new tokens':>10} {'uncached s':>11} {'cached s':>9} {'speed-up':>9}  tokens equal")
    prompt = np.array([[7]])
    for n in new_tokens:
        if n > context:
            print(f"{n:>10} skipped: more than the context of {context}")
            continue
        outputs = {}

        def run(use_cache, n=n, outputs=outputs):
            outputs[use_cache] = model.generate(prompt, n, temperature=0, use_cache=use_cache)

        t = interleaved_medians({False: lambda: run(False), True: lambda: run(True)}, rounds)
        same = np.array_equal(outputs[False].numpy(), outputs[True].numpy())
        target = verdict(t[False] / t[True], 10, at_least=True) if n == 256 else ""
        print(f"{n:>10} {t[False]:11.3f} {t[True]:9.3f} {t[False] / t[True]:8.1f}x  {same} {target}")
        if not same:
            raise SystemExit("cached and uncached generation differ: the cache is wrong")

    print("time for one new token at position p (ms): the cached step feeds 1 token and reads "
          "p cached; the uncached step feeds all p + 1")
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 96, (1, context))
    cache = KVCache.for_model(model)
    with tinytorch.no_grad():
        for p in positions:
            cache.reset()
            model(ids[:, :p], kv_cache=cache)

            def cached_step(p=p):
                cache.truncate(p)
                model(ids[:, p:p + 1], kv_cache=cache)

            uncached = best_time(lambda p=p: model(ids[:, :p + 1]), repeat=3)
            cached = best_time(cached_step, repeat=3)
            print(f"  p={p:4d}  uncached {uncached * 1e3:8.2f}  cached {cached * 1e3:6.2f}  "
                  f"ratio {uncached / cached:6.1f}")


# ----- running inside Pyodide -------------------------------------------------------------

PYODIDE_RUNNER = """
import { loadPyodide } from "pyodide";
import fs from "node:fs";
const [repo, wheel, ...argv] = process.argv.slice(1);
const pyodide = await loadPyodide();
pyodide.setStdout({ write: (b) => { process.stdout.write(b); return b.length; } });
const site = pyodide.runPython("import site; site.getsitepackages()[0]");
pyodide.unpackArchive(new Uint8Array(fs.readFileSync(wheel)), "wheel", { extractDir: site });
pyodide.FS.mkdir("/repo");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: repo }, "/repo");
pyodide.globals.set("argv", pyodide.toPy(argv));
await pyodide.runPythonAsync(`
import runpy, sys
sys.argv = ["bench_optimization.py", *argv]
runpy.run_path("/repo/bench/bench_optimization.py", run_name="__main__")
`);
"""


def run_in_pyodide(argv: list[str]) -> int:
    """Run this script with `argv` inside Pyodide under Node (tests/pyodide's npm package and
    numpy's wasm wheel from TINYTORCH_WHEELS), printing what it prints."""
    node_dir = REPO / "tests" / "pyodide"
    wheels = Path(os.environ.get("TINYTORCH_WHEELS", Path.home() / ".cache" / "tinytorch-wheels"))
    wheel = next(iter(sorted(wheels.glob("numpy-*pyemscripten*.whl"))), None)
    if wheel is None or not (node_dir / "node_modules" / "pyodide").is_dir():
        raise SystemExit(f"--pyodide needs numpy's wasm wheel in {wheels} (TINYTORCH_WHEELS) and "
                         f"`npm install` run in {node_dir}")
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"Pyodide under Node {node}, {wheel.name}", flush=True)
    return subprocess.call(["node", "--input-type=module", "-e", PYODIDE_RUNNER, str(REPO),
                            str(wheel), *argv], cwd=node_dir)


SECTIONS = {"kv": bench_kv_cache}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(SECTIONS), default=list(SECTIONS))
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--new-tokens", type=int, nargs="+", default=[32, 64, 128, 256, 512])
    parser.add_argument("--pyodide", action="store_true",
                        help="run the chosen parts inside Pyodide under Node instead")
    args = parser.parse_args(argv)
    if args.pyodide:
        forwarded = [a for a in (sys.argv[1:] if argv is None else argv) if a != "--pyodide"]
        raise SystemExit(run_in_pyodide(forwarded))
    if sys.platform == "emscripten":
        print(f"Pyodide (wasm, one thread, no BLAS), numpy {np.__version__}, matmul kernel "
              f"{tinytorch.core.kernels.active_matmul_kernel()}")
    else:
        print(f"native, numpy {np.__version__}, matmul kernel "
              f"{tinytorch.core.kernels.active_matmul_kernel()}, OPENBLAS_NUM_THREADS="
              f"{os.environ['OPENBLAS_NUM_THREADS']}, load average "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for name in args.only:
        SECTIONS[name](args)


if __name__ == "__main__":
    main()
