"""The optimization tier's figures (issue 11), each measured by this one run and printed as a
ratio against its target.

  kv        module 17: KV-cache generation speed-up for 32..512 new tokens on a GPT with a
            512-token context (the 2017 recipe's width and depth), tokens compared, and the
            time per token at growing positions, with and without the cache.
  quant     module 15: INT8 / INT4 quantization of the 1986 MLP and the 1998 LeNet: test
            accuracy, bytes of the saved files against the float32 checkpoint, and the speed of
            int32-accumulation and dequantize-on-the-fly inference against float32.
  compress  module 16: magnitude pruning of the 1986 MLP to 90% with fine-tuning, pruned +
            INT8 + CSR file size, sparse vs dense matmul across sparsities, structured
            pruning, distillation against training from scratch, low-rank curve.
  accel     module 18: every pair of bench/bench_acceleration.py (loops vs vectorised matmul
            and conv2d against their 10x targets, direct conv vs im2col, tiling, `@` vs einsum,
            float64 vs float32, fused vs unfused, buffer reuse, batch size vs throughput).

Module 14's figures (roofline, Adam's memory, latency percentiles) come from
bench/bench_profiling.py, and the browser's `@` vs einsum from bench/bench_pyodide.py.

The trained models come from the recipes: pass --mlp-checkpoint / --lenet-checkpoint files
written by `python -m milestones.mlp_1986 --save PATH` and
`python -m milestones.cnn_1998 --dataset mnist --save PATH`; without them this script runs
the recipes itself for fewer epochs (--mlp-epochs, --lenet-epochs) and says so. MNIST via
TINYTORCH_DATA.

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
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before NumPy loads OpenBLAS; see above

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]  # tinytorch, and the benchmarks beside this one

import tinytorch  # noqa: E402
import tinytorch.nn as nn  # noqa: E402
from tinytorch.core.checkpoint import load_checkpoint, save_checkpoint  # noqa: E402
from tinytorch.core.dataloader import DataLoader, TensorDataset  # noqa: E402
from tinytorch.core.optimizers import Adam  # noqa: E402
from tinytorch.core.training import Trainer  # noqa: E402
from tinytorch.core.transformer import GPT  # noqa: E402
from tinytorch.core.transforms import Compose, Normalize, ToFloat  # noqa: E402
from tinytorch.course.measure import best_time  # noqa: E402
from tinytorch.perf import compression, quantization  # noqa: E402
from tinytorch.perf.memoization import KVCache  # noqa: E402
from tinytorch.perf.quantized_checkpoint import load_quantized, save_quantized  # noqa: E402
from tinytorch.perf.sparse import CSRMatrix  # noqa: E402

TARGETS: list[str] = []  # one line per issue target, printed together at the end


def interleaved_medians(cases: dict, rounds: int, warm_up: bool = True) -> dict[str, float]:
    """Median seconds of each case, the cases run in turn in every round (after one untimed
    run of each, unless the cases are too long for that)."""
    for fn in cases.values() if warm_up else ():
        fn()
    times = {name: [] for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def verdict(value: float, target: float, at_least: bool, what: str = "") -> str:
    """'(target >= 10: met)', and the line is kept for the summary when `what` names it."""
    met = value >= target if at_least else value <= target
    text = f"(target {'>=' if at_least else '<='} {target:g}: {'met' if met else 'NOT met'})"
    if what:
        TARGETS.append(f"{what}: {value:.4g} {text}")
    return text


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
          f"batch 1, greedy, {rounds} interleaved rounds")
    cache_bytes = KVCache.for_model(model).nbytes
    print(f"cache memory {cache_bytes / 2**20:.2f} MiB (2 x {layers} layers x {context} positions "
          f"x {embed_dim} x 4 bytes)")
    print(f"{'prompt':>6} {'new tokens':>10} {'uncached s':>11} {'cached s':>9} {'speed-up':>9}  "
          f"tokens equal")
    # From a 1-token prompt (the least the cache can save), then after a prompt of half the
    # context (a question before its answer): the longer the text, the more the cache saves.
    cases = [(1, n) for n in new_tokens] + [(context // 2, context // 2)]
    prompts = np.random.default_rng(1).integers(0, 96, (1, context))
    for prompt_length, n in cases:
        if prompt_length + n - 1 > context:
            print(f"{prompt_length:>6} {n:>10} skipped: longer than the context of {context}")
            continue
        outputs, prompt = {}, prompts[:, :prompt_length]

        def run(use_cache, n=n, outputs=outputs, prompt=prompt):
            outputs[use_cache] = model.generate(prompt, n, temperature=0, use_cache=use_cache)

        t = interleaved_medians({False: lambda: run(False), True: lambda: run(True)}, rounds,
                                warm_up=False)
        same = np.array_equal(outputs[False].numpy(), outputs[True].numpy())
        what = f"KV-cache speed-up, {n} new tokens after a {prompt_length}-token prompt ({where()})"
        target = verdict(t[False] / t[True], 10, True, what) if n == 256 else ""
        print(f"{prompt_length:>6} {n:>10} {t[False]:11.3f} {t[True]:9.3f} "
              f"{t[False] / t[True]:8.1f}x  {same} {target}")
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


def where() -> str:
    return "Pyodide" if sys.platform == "emscripten" else "native"


# ----- the trained models and MNIST -------------------------------------------------------

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081  # the recipes' normalisation


class Mnist:
    """MNIST as the recipes feed it (normalised floats), images kept (N, 28, 28) for the MLP
    (whose first layer flattens) and made (N, 1, 28, 28) for LeNet."""

    def __init__(self, limit: int | None):
        from tinytorch.datasets import load_mnist

        (self.x_train, self.y_train), (self.x_test, self.y_test) = (
            (x[:limit], y[:limit]) for x, y in (load_mnist("train"), load_mnist("test")))
        self.normalize = Compose([ToFloat(), Normalize(MNIST_MEAN, MNIST_STD)])

    def loader(self, split: str, image: bool, batch_size: int = 128, shuffle=False, seed=0):
        x, y = (self.x_train, self.y_train) if split == "train" else (self.x_test, self.y_test)
        return DataLoader(TensorDataset(x[:, None] if image else x, y), batch_size,
                          shuffle=shuffle, seed=seed, transform=self.normalize)


def accuracy(model, loader) -> float:
    model.eval()
    correct = total = 0
    with tinytorch.no_grad():
        for x, y in loader:
            correct += int((model(x).numpy().argmax(axis=1) == y.numpy()).sum())
            total += len(y)
    return correct / total


def fine_tune(model, data: Mnist, image: bool, epochs: int, lr: float, loss_fn=None):
    """Adam at a small constant rate for `epochs` epochs (the recipes' batch size and data)."""
    train = data.loader("train", image, shuffle=True, seed=1)
    options = {} if loss_fn is None else {"loss_fn": loss_fn}
    Trainer(model, Adam(model.parameters(), lr=lr), **options).fit(train, epochs=epochs)
    return model


def trained_models(args, data: Mnist, workdir: Path) -> dict:
    """{'mlp': (model, note), 'lenet': (model, note)} from the given checkpoints, or from
    shorter runs of the recipes themselves."""
    from milestones import cnn_1998, mlp_1986

    hidden = [64] if args.quick else [512, 256]
    found = {}
    for kind, given, build, recipe, extra in (
            ("mlp", args.mlp_checkpoint, lambda: mlp_1986.build_model(hidden, 0.2), mlp_1986,
             ["--hidden", *map(str, hidden)]),
            ("lenet", args.lenet_checkpoint, lambda: cnn_1998.lenet(0.2), cnn_1998,
             ["--dataset", "mnist"])):
        if kind not in args.models:
            continue
        path, note = given, f"trained by the full recipe ({given})"
        if path is None:
            path = workdir / f"{kind}.npz"
            epochs = 1 if args.quick else args.train_epochs[kind]
            limit = ["--limit", str(args.limit)] if args.limit else []
            print(f"training the {kind} with its recipe for {epochs} epoch(s) ...", flush=True)
            recipe.main([*extra, "--epochs", str(epochs), *limit, "--save", str(path)])
            note = f"trained here by the recipe for {epochs} epoch(s) (shorter than its full run)"
        model = build()
        load_checkpoint(path, model, restore_rng=False)
        found[kind] = (model.eval(), note)
    return found


def file_bytes(path: Path) -> int:
    return path.stat().st_size


# ----- module 15: quantization ------------------------------------------------------------

def bench_quantization(args, data: Mnist, models: dict, workdir: Path) -> None:
    for kind, (model, note) in models.items():
        bench_quantized_model(args, data, kind, model, note, workdir)


def bench_quantized_model(args, data: Mnist, kind: str, model, note: str, workdir: Path) -> None:
    image = kind == "lenet"
    test = data.loader("test", image, batch_size=1000)
    float_accuracy = accuracy(model, test)
    float_size = file_bytes(save_checkpoint(workdir / f"{kind}-float32.npz", model))
    print(f"\n== Quantization (module 15): {kind}, {note}; {model.num_parameters():,} "
          f"parameters; float32 test accuracy {float_accuracy:.4f} on {len(data.y_test)} "
          f"images; float32 checkpoint {float_size:,} bytes")
    calibration = [x for _, (x, _) in zip(range(args.calibration_batches),
                                          data.loader("train", image), strict=False)]
    variants = {
        "int8 dynamic, per-channel": lambda: quantization.quantize_dynamic(model),
        "int8 dynamic, per-tensor": lambda: quantization.quantize_dynamic(
            model, per_channel=False),
        "int8 static (min-max)": lambda: quantization.quantize(model, calibration),
        "int8 static (99.99th percentile)": lambda: quantization.quantize(
            model, calibration, observer="percentile"),
        "int4 weights packed, dynamic, per-channel": lambda: quantization.quantize_dynamic(
            model, bits=4),
    }
    print(f"{'scheme':<42} {'acc int32-acc':>13} {'acc dequant':>11} {'drop pts':>8} "
          f"{'file bytes':>10} {'/ float32':>9}")
    for name, make in variants.items():
        quantized = make()
        path = save_quantized(workdir / f"{kind}-{len(name)}-{name.split()[0]}.npz", quantized)
        loaded = load_quantized(path, model)  # measure the model as it comes off disk
        integer = accuracy(loaded, test)
        dequantized = accuracy(quantization.set_compute(loaded, "float"), test)
        drop, ratio = 100 * (float_accuracy - integer), file_bytes(path) / float_size
        targets = ""
        if name == "int8 dynamic, per-channel":
            targets = (verdict(drop, 0.5, False, f"{kind} INT8 accuracy drop, points") + " " +
                       verdict(ratio, 0.27, False, f"{kind} INT8 file / float32 file"))
        print(f"{name:<42} {integer:13.4f} {dequantized:11.4f} {drop:8.2f} "
              f"{file_bytes(path):10,} {ratio:9.3f} {targets}")

    batch = next(iter(test))[0]
    integer = quantization.quantize_dynamic(model)
    on_the_fly = quantization.quantize_dynamic(model, compute="float")
    with tinytorch.no_grad():
        t = interleaved_medians({"float32": lambda: model(batch),
                                 "int8, int32 accumulation": lambda: integer(batch),
                                 "int8, dequantize on the fly": lambda: on_the_fly(batch)},
                                args.rounds)
    print(f"inference on a batch of {len(batch)} (median of {args.rounds} interleaved): " +
          ", ".join(f"{k} {v * 1e3:.1f} ms ({v / t['float32']:.2f}x float32)"
                    for k, v in t.items()))
    if kind == "mlp":
        torch_int8_reference(args, model, batch)


def torch_int8_reference(args, model, batch) -> None:
    """What int8 gains with a real int8 kernel: PyTorch's dynamic quantization (fbgemm) of the
    same MLP, float32 against int8 on the same batch, one thread like ours."""
    import warnings

    try:
        import torch
        with warnings.catch_warnings():  # torch.ao.quantization is deprecated, still there
            warnings.simplefilter("ignore")
            from torch.ao.quantization import quantize_dynamic as torch_quantize_dynamic
    except ImportError:
        print("PyTorch is not importable (pip install torch==2.13.0): no int8-kernel reference")
        return
    torch.set_num_threads(1)
    linears = [m for m in model if isinstance(m, nn.Linear)]
    layers = []
    for i, m in enumerate(linears):
        layer = torch.nn.Linear(m.in_features, m.out_features)
        with torch.no_grad():
            layer.weight.copy_(torch.from_numpy(m.weight.numpy()))
            layer.bias.copy_(torch.from_numpy(m.bias.numpy()))
        layers += [layer] + ([torch.nn.ReLU()] if i < len(linears) - 1 else [])
    reference = torch.nn.Sequential(torch.nn.Flatten(), *layers).eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        int8 = torch_quantize_dynamic(reference, {torch.nn.Linear}, dtype=torch.qint8)
    x = torch.from_numpy(batch.numpy())
    with torch.no_grad():
        model.eval()
        np.testing.assert_allclose(reference(x).numpy(), model(batch).numpy(), rtol=1e-3, atol=1e-3)
        t = interleaved_medians({"float32": lambda: reference(x), "int8": lambda: int8(x)},
                                max(args.rounds, 5))
    print(f"PyTorch {torch.__version__} reference (fbgemm int8 kernels, 1 thread): float32 "
          f"{t['float32'] * 1e3:.1f} ms, dynamic int8 {t['int8'] * 1e3:.1f} ms "
          f"({t['int8'] / t['float32']:.2f}x float32)")


# ----- module 16: compression -------------------------------------------------------------

def bench_compression(args, data: Mnist, models: dict, workdir: Path) -> None:
    teacher, note = models["mlp"]
    test = data.loader("test", False, batch_size=1000)
    base = accuracy(teacher, test)
    float_size = file_bytes(save_checkpoint(workdir / "mlp-float32.npz", teacher))
    epochs = args.finetune_epochs
    print(f"\n== Compression (module 16): 1986 MLP, {note}; test accuracy {base:.4f}; "
          f"fine-tuning: Adam lr {args.finetune_lr:g}, {epochs} epoch(s), batch 128")

    print("magnitude pruning to 90% sparsity (Linear weights; masks held during fine-tuning):")
    for scope in ("global", "layer"):
        pruned = compression.magnitude_prune(teacher, 0.9, scope=scope)
        before = accuracy(pruned, test)
        fine_tune(pruned, data, False, epochs, args.finetune_lr)
        after = accuracy(pruned, test)
        drop = 100 * (base - after)
        what = "MLP 90% sparsity (global) accuracy drop after fine-tuning, points"
        print(f"  {scope:>6}: accuracy {before:.4f} before fine-tuning, {after:.4f} after, drop "
              f"{drop:.2f} points {verdict(drop, 1.0, False, what if scope == 'global' else '')}; "
              f"sparsity after fine-tuning {compression.sparsity(pruned):.3f}")
        if scope == "global":
            best = pruned

    small = quantization.quantize_dynamic(compression.strip_pruning(best))
    dense_path = save_quantized(workdir / "mlp-pruned-int8.npz", small)
    sparse_path = save_quantized(workdir / "mlp-pruned-int8-csr.npz", small, sparse=True)
    loaded = load_quantized(sparse_path, teacher)
    ratio = file_bytes(sparse_path) / float_size
    target = verdict(ratio, 0.10, False, "MLP pruned+INT8+CSR file / float32 file")
    print(f"pruned (global 90%) + INT8 + CSR file: {file_bytes(sparse_path):,} bytes = "
          f"{ratio:.3f} of the float32 file {target}; dense INT8 "
          f"{file_bytes(dense_path) / float_size:.3f}; its test accuracy {accuracy(loaded, test):.4f}")

    bench_sparse_matmul(args)
    bench_structured(args, data, teacher, base, test)
    bench_distillation(args, data, teacher, test)
    bench_low_rank(args, teacher, base, test)


def bench_sparse_matmul(args) -> None:
    """CSR @ x against dense W @ x for the MLP's first layer shape, across sparsities."""
    rng = np.random.default_rng(0)
    weight = rng.normal(size=(512, 784)).astype(np.float32)
    print("sparse (CSR) vs dense matmul, W 512x784 float32 (time dense / time CSR; > 1: CSR "
          "faster):")
    sparsities = [0.5, 0.9, 0.99] if args.quick else [0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995]
    for columns in (1, 128):
        x = rng.normal(size=(784, columns)).astype(np.float32)
        ratios, crossover = [], None
        for level in sparsities:
            pruned = np.where(rng.random(weight.shape) < level, 0, weight).astype(np.float32)
            csr = CSRMatrix.from_dense(pruned)
            np.testing.assert_allclose(csr.matmul(x), pruned @ x, rtol=1e-3, atol=1e-3)
            dense_time = best_time(lambda pruned=pruned, x=x: pruned @ x, repeat=3)
            sparse_time = best_time(lambda csr=csr, x=x: csr.matmul(x), repeat=3)
            ratios.append(f"{level:.3g}: {dense_time / sparse_time:.2f}")
            if crossover is None and sparse_time < dense_time:
                crossover = level
        where_ = "never, up to the sparsest tried" if crossover is None else f"at {crossover:g}"
        print(f"  x 784x{columns}: " + "  ".join(ratios) + f"  -> CSR overtakes dense {where_}")


def bench_structured(args, data: Mnist, teacher, base: float, test) -> None:
    small = compression.prune_structured(teacher, 0.5)
    before = accuracy(small, test)
    fine_tune(small, data, False, args.finetune_epochs, args.finetune_lr)
    after = accuracy(small, test)
    batch = next(iter(test))[0]
    with tinytorch.no_grad():
        t = interleaved_medians({"full": lambda: teacher(batch), "small": lambda: small(batch)},
                                args.rounds)
    layers = "-".join(str(m.weight.shape[0]) for m in small if isinstance(m, nn.Linear))
    print(f"structured pruning, half the hidden neurons (784-{layers}): parameters "
          f"{small.num_parameters() / teacher.num_parameters():.3f} of the original, accuracy "
          f"{before:.4f} before fine-tuning, {after:.4f} after (original {base:.4f}); forward "
          f"time {t['small'] / t['full']:.2f} of the original (batch {len(batch)})")


class WithTeacher(nn.Module):
    """Runs the student, and (without gradients) the teacher on the same batch, keeping the
    teacher's logits for the distillation loss."""

    def __init__(self, student, teacher):
        super().__init__()
        self.student, self.teacher_logits = student, None
        object.__setattr__(self, "teacher", teacher)  # not a child: it stays frozen, in eval

    def forward(self, x):
        with tinytorch.no_grad():
            self.teacher_logits = self.teacher(x).numpy()
        return self.student(x)


def bench_distillation(args, data: Mnist, teacher, test) -> None:
    from milestones import mlp_1986

    hidden = [32]
    teacher.eval()

    def student():
        tinytorch.manual_seed(0)  # every student starts from the same weights
        return mlp_1986.build_model(hidden, 0.0)

    def distilled(temperature: float, alpha: float) -> float:
        pair = WithTeacher(student(), teacher)

        def loss(outputs, y):
            return compression.distillation_loss(outputs, pair.teacher_logits, y, temperature,
                                                 alpha)

        fine_tune(pair, data, False, args.distill_epochs, 1e-3, loss)
        return accuracy(pair.student, test)

    scratch = fine_tune(student(), data, False, args.distill_epochs, 1e-3)
    print(f"distillation: student 784-{hidden[0]}-10 ({scratch.num_parameters():,} parameters, "
          f"{scratch.num_parameters() / teacher.num_parameters():.3f} of the teacher), "
          f"{args.distill_epochs} epoch(s) of Adam 1e-3, same initial weights, batches and steps "
          f"for every student; teacher {accuracy(teacher, test):.4f}")
    print(f"  from scratch on the labels: {accuracy(scratch, test):.4f}")
    for temperature, alpha in ((4.0, 0.9), (2.0, 0.5)):
        print(f"  distilled, T={temperature:g}, alpha={alpha:g}: "
              f"{distilled(temperature, alpha):.4f}", flush=True)


def bench_low_rank(args, teacher, base: float, test) -> None:
    ranks = [4, 16] if args.quick else [8, 16, 32, 64, 128]
    print("low-rank factorisation (SVD, no fine-tuning): rank, parameters / original, test "
          "accuracy")
    for rank in ranks:
        factored = compression.factorize_linear(teacher, rank)
        print(f"  rank {rank:4d}: {factored.num_parameters() / teacher.num_parameters():.3f}  "
              f"{accuracy(factored, test):.4f}  (original {base:.4f})")


SECTIONS = ("kv", "quant", "compress", "accel")


def bench_acceleration(args) -> None:
    """Module 18 through bench/bench_acceleration.py's own run; its two targets join this run's."""
    import bench_acceleration

    print("\n== Acceleration (module 18)")
    figures = bench_acceleration.run(budget=0.3 if args.quick else 2.0)
    for label in ("matmul 64x64x64: loops / a @ b",
                  "conv2d 2x3x16x16, 8 filters 3x3, pad 1: loops / im2col"):
        ratio = figures[label]
        TARGETS.append(f"{label}: {ratio:.4g} (target >= 10: {'met' if ratio >= 10 else 'NOT met'})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS))
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes, 600 MNIST images, 1 epoch: a smoke run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--new-tokens", type=int, nargs="+", default=[32, 64, 128, 256, 512])
    parser.add_argument("--mlp-checkpoint", type=Path, help="the 1986 recipe's --save file")
    parser.add_argument("--lenet-checkpoint", type=Path, help="the 1998 recipe's --save file")
    parser.add_argument("--mlp-epochs", type=int, default=3,
                        help="recipe epochs when no --mlp-checkpoint is given")
    parser.add_argument("--lenet-epochs", type=int, default=2,
                        help="recipe epochs when no --lenet-checkpoint is given")
    parser.add_argument("--limit", type=int, help="only the first N MNIST images of each split")
    parser.add_argument("--calibration-batches", type=int, default=10)
    parser.add_argument("--finetune-epochs", type=int, default=2)
    parser.add_argument("--finetune-lr", type=float, default=1e-4)
    parser.add_argument("--distill-epochs", type=int, default=3)
    parser.add_argument("--pyodide", action="store_true",
                        help="run the chosen parts inside Pyodide under Node instead")
    args = parser.parse_args(argv)
    if args.pyodide:
        forwarded = [a for a in (sys.argv[1:] if argv is None else argv) if a != "--pyodide"]
        from pyodide_runner import run_script_in_pyodide

        raise SystemExit(run_script_in_pyodide("bench/bench_optimization.py", forwarded))
    if sys.platform == "emscripten":
        print(f"Pyodide (wasm, one thread, no BLAS), numpy {np.__version__}, matmul kernel "
              f"{tinytorch.core.kernels.active_matmul_kernel()}")
    else:
        print(f"native, numpy {np.__version__}, matmul kernel "
              f"{tinytorch.core.kernels.active_matmul_kernel()}, OPENBLAS_NUM_THREADS="
              f"{os.environ['OPENBLAS_NUM_THREADS']}, load average "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.quick:
        args.limit, args.finetune_epochs, args.distill_epochs = args.limit or 600, 1, 1
        args.calibration_batches, args.rounds = 2, 1
    args.train_epochs = {"mlp": args.mlp_epochs, "lenet": args.lenet_epochs}
    if "kv" in args.only:
        bench_kv_cache(args)
    if "quant" in args.only or "compress" in args.only:
        import tempfile

        args.models = ["mlp", "lenet"] if "quant" in args.only else ["mlp"]
        data = Mnist(args.limit)
        with tempfile.TemporaryDirectory() as workdir:
            models = trained_models(args, data, Path(workdir))
            if "quant" in args.only:
                bench_quantization(args, data, models, Path(workdir))
            if "compress" in args.only:
                bench_compression(args, data, models, Path(workdir))
    if "accel" in args.only:
        bench_acceleration(args)
    print("\n== Targets (issue 11), from this run:")
    for line in TARGETS:
        print("  " + line)


if __name__ == "__main__":
    main()
