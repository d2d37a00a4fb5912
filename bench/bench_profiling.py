"""Module 14's measurements on real models: the roofline of this machine, every op of a training
step placed on it, the memory of training with Adam, inference latency percentiles, and what
the profiler's own hooks cost.

    OPENBLAS_NUM_THREADS=1 python bench/bench_profiling.py [--write-trace trace.json]

1. Roofline: matmul GFLOP/s (512^3, tinytorch's kernel) and copy bandwidth (64 MiB arrays),
   both measured; then one forward + backward of a small GPT (2 layers, 128 wide, 4 heads,
   batch 8 x 64 tokens) profiled and each op kind placed under the roof.
2. Memory of one training step of an MLP 784-512-256-10 (batch 128) with SGD and with Adam:
   parameters, gradients, optimizer state (Adam: 2x the parameters) and saved activations.
3. Latency of the MLP on one sample and on 64 (median, p90, p99).
4. Overhead: a training step with and without an active profile (interleaved), and the FLOPs
   the profiler counts for the step against count_flops' forward count.
"""

import argparse
import os

import numpy as np

import tinytorch
from tinytorch.bench import compare, measure_interleaved, system_info
from tinytorch.core.activations import ReLU
from tinytorch.core.layers import Linear, Sequential
from tinytorch.core.losses import cross_entropy
from tinytorch.core.optimizers import SGD, Adam
from tinytorch.core.transformer import GPT
from tinytorch.perf.profiling import count_flops, measure_latency, memory_report, profile
from tinytorch.perf.roofline import Roofline


def gpt_step(rng):
    model = GPT(vocab_size=256, context_length=64, embed_dim=128, num_heads=4, num_layers=2)
    ids = rng.integers(0, 256, (8, 64))
    targets = rng.integers(0, 256, (8, 64))

    def step():
        model.zero_grad()
        model.loss(ids, targets).backward()

    return model, ids, step


def roofline(rng, trace_path):
    print("1. Roofline")
    roof = Roofline.measure()
    _, _, step = gpt_step(rng)
    step()  # warm-up
    with profile() as prof:
        step()
    placed = roof.place(prof)
    print(roof.table(placed))
    by_bound = {b: [p for p in placed if p["bound"] == b] for b in ("compute", "memory")}
    for bound, rows in by_bound.items():
        seconds = sum(p["seconds"] for p in rows)
        share = seconds / prof.total_seconds()
        print(f"  {bound}-bound op kinds: {len(rows)}, {share:.0%} of op time")
    print("  by module (inclusive):")
    print("  " + prof.table(by="module", limit=8).replace("\n", "\n  "))
    if trace_path:
        prof.export_chrome_trace(trace_path)
        print(f"  trace written to {trace_path} (open in https://ui.perfetto.dev)")


def mlp():
    return Sequential(Linear(784, 512), ReLU(), Linear(512, 256), ReLU(), Linear(256, 10))


def memory(rng):
    print("2. Memory of one training step, MLP 784-512-256-10, batch 128 (measured from the arrays)")
    x = tinytorch.tensor(rng.standard_normal((128, 784)).astype(np.float32))
    y = rng.integers(0, 10, 128)
    optimizers = (("SGD", lambda p: SGD(p, lr=0.1)),
                  ("SGD momentum", lambda p: SGD(p, lr=0.1, momentum=0.9)), ("Adam", Adam))
    for name, make in optimizers:
        model = mlp()
        opt = make(model.parameters())
        loss = cross_entropy(model(x), y)
        loss.backward(retain_graph=True)
        opt.step()
        r = memory_report(model, opt, loss)
        print(f"  {name:<13} params {r['parameters'] / 2**20:.2f} MiB, grads {r['gradients'] / 2**20:.2f}, "
              f"optimizer state {r['optimizer_state'] / 2**20:.2f} "
              f"({r['optimizer_state'] / r['parameters']:.2f}x params), saved activations "
              f"{r['activations'] / 2**20:.2f} MiB; total {r['total'] / r['parameters']:.2f}x params")


def latency(rng):
    print("3. Inference latency, MLP 784-512-256-10 (eval, no graph)")
    model = mlp().eval()
    for batch in (1, 64):
        x = tinytorch.tensor(rng.standard_normal((batch, 784)).astype(np.float32))
        s = measure_latency(model, x, warmup=10, iters=200)
        print(f"  batch {batch:>3}: median {s['median'] * 1e3:.3f} ms, p90 {s['p90'] * 1e3:.3f} ms, "
              f"p99 {s['p99'] * 1e3:.3f} ms  (target < 100 ms: {'met' if s['p99'] < 0.1 else 'NOT met'})")


def overhead(rng, budget):
    print("4. What profiling costs: GPT training step with and without an active profile")
    model, ids, step = gpt_step(rng)

    def profiled():
        with profile():
            step()

    t = measure_interleaved({"plain": step, "profiled": profiled}, time_budget=budget)
    c = compare(t["profiled"], t["plain"])
    print(f"  profiled / plain = {c.ratio:.3f}x [{c.ci[0]:.3f}, {c.ci[1]:.3f}], p = {c.p_value:.3g}"
          f"{'' if c.significant else ' (not significant)'}")
    with profile() as prof:
        step()
    forward = count_flops(model, ids)
    backward = prof.total_flops("backward")
    print(f"  step FLOPs: forward {prof.total_flops('forward') / 1e6:.1f} M (count_flops on the model "
          f"alone: {forward / 1e6:.1f} M, the loss is outside it), backward "
          f"{backward / 1e6:.1f} M = {backward / forward:.2f}x forward")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-trace", default=None, help="also write the GPT step's Chrome trace")
    parser.add_argument("--budget", type=float, default=3.0)
    args = parser.parse_args()
    print(f"system: {system_info()}; OPENBLAS_NUM_THREADS="
          f"{os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}; load average {os.getloadavg()[0]:.1f}")
    rng = np.random.default_rng(0)
    tinytorch.manual_seed(0)
    roofline(rng, args.write_trace)
    memory(rng)
    latency(rng)
    overhead(rng, args.budget)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
