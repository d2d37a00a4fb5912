"""Where the latency sprint's time goes: single-image latency of the MLP shapes the references
considered, as tinytorch Modules and as one fused float32 NumPy forward, measured interleaved
(so the shared machine's drifting load hits every system alike), with PyTorch on CPU for scale.
And the generation event's speed-up, through the harness.

    python bench/bench_capstone.py              # latency
    python bench/bench_capstone.py --accuracy   # and the widths' accuracy (a few minutes of training)
    python bench/bench_capstone.py --generation # generation: baseline and KV-cached reference
    python bench/bench_capstone.py --counting   # what counting models score on generation's held-out text

Prints each system's median and p90 per image and its ratio to the baseline (784-256-128-10
Modules) with a 95% interval and a significance verdict (`tinytorch.bench.compare`). Latency
does not depend on the weights' values, so the weights are the seeded initial ones. With
`--accuracy`, the other side of the choice: each one-hidden-layer width trained with the
references' recipe on 50,000 training digits and scored on the last 10,000 training digits
(never the test set, which only the harness uses), as float32 and as the lightweight
reference's pruned int8 (its pixel rule, `tinytorch.perf.quantization` per output row).

With `--generation`: the generation event's two references (trained on first use, a few
minutes) evaluated by the harness, each in its own process as in the Olympics, and their
ratio with its interval; then the same two generators timed interleaved in this process
(`measure_interleaved`), which the harness's one-after-the-other evaluations cannot be, so the
ratio is also seen with both under the same load.

With `--counting`: the bar the generation event's 2.4 nats/char threshold is set against.
Counting models that predict each character from the previous n (n = 0..4), counted on the
training 90% of Moby Dick with add-k smoothing, scored on the event's held-out windows (the
best k of 1, 0.1, 0.01 on those same windows, so an optimistic bar).
"""

import argparse
import importlib.util

import numpy as np

import tinytorch
import tinytorch.nn as nn
from tinytorch.bench import compare, measure_interleaved
from tinytorch.capstone.reference import REFERENCES_DIR, mnist_training_set, train_classifier
from tinytorch.capstone.rules import load_weights
from tinytorch.core.autograd import no_grad
from tinytorch.core.tensor import Tensor
from tinytorch.perf.quantization import QuantizedTensor

SHAPES = {"784-256-128-10": (256, 128), "784-128-10": (128,), "784-96-10": (96,), "784-64-10": (64,)}


def mlp(hidden) -> nn.Sequential:
    layers, width = [nn.Flatten()], 784
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    return nn.Sequential(*layers, nn.Linear(width, 10)).eval()


def reference_file(reference: str, name: str):
    spec = importlib.util.spec_from_file_location(f"{reference}_{name}", REFERENCES_DIR / reference / name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fused(model: nn.Sequential):
    """The latency reference's fused forward (its own build_model) on `model`'s weights; only
    one-hidden-layer shapes, as the reference."""
    return reference_file("mnist_mlp_fast", "submission.py").build_model(model.state_dict())


def held_out_accuracy(widths=((64, 10), (96, 8), (128, 5))) -> None:
    images, labels = mnist_training_set()
    train_x, train_y, held_x, held_y = images[:50_000], labels[:50_000], images[50_000:], labels[50_000:]
    held = held_x.reshape(len(held_x), -1).astype(np.float32) / 255
    pixels = reference_file("mnist_mlp_int8", "train.py").kept_pixels(train_x)
    for hidden, epochs in widths:
        tinytorch.manual_seed(0)
        model = mlp((hidden,)).train()
        train_classifier(model, train_x, train_y, epochs=epochs, lr=2e-3)
        state = model.eval().state_dict()
        first = np.zeros_like(state["1.weight"])
        first[:, pixels] = QuantizedTensor.from_float(state["1.weight"][:, pixels], axis=0).dequantize()
        second = QuantizedTensor.from_float(state["3.weight"], axis=0).dequantize()
        scores = np.maximum(held @ first.T + state["1.bias"], 0) @ second.T + state["3.bias"]
        print(f"784-{hidden}-10, {epochs} epochs: held-out accuracy float32 "
              f"{(module_call(model)(held).argmax(1) == held_y).mean():.2%}, pruned int8 "
              f"{(scores.argmax(1) == held_y).mean():.2%} ({len(pixels)} of 784 pixels kept)", flush=True)


def generation_speedup(generations: int) -> None:
    from tinytorch.capstone import evaluate, get_event, materialize
    from tinytorch.capstone.leaderboard import event_ratio
    from tinytorch.capstone.reference import BASELINES, OPTIMIZED

    event = get_event("generation")
    folders = {name: materialize(name) for name in (BASELINES["generation"], OPTIMIZED["generation"])}
    results = {}
    for name, folder in folders.items():
        results[name] = r = evaluate(folder, event, queries=generations)
        f = r["figures"]
        print(f"{name:18s} harness: {f['tokens_per_s']['value']:7.1f} chars/s "
              f"[{f['tokens_per_s']['ci_low']:.1f}, {f['tokens_per_s']['ci_high']:.1f}], val loss "
              f"{f['val_loss_nats']['value']:.3f} nats/char, {r['status']}"
              + (f" ({r['problem']['kind']})" if r["problem"] else ""), flush=True)
    baseline, cached = results.values()
    ratio, low, high = event_ratio("generation", cached, baseline)
    print(f"cached / baseline through the harness: {ratio:.2f}x [{low:.2f}, {high:.2f}]")
    prompt = event.task.prompt_ids()[0]
    generators = {name: reference_file(name, "submission.py").build_model(load_weights(folder))
                  for name, folder in folders.items()}
    systems = {name: (lambda g=g: g.generate(prompt, event.task.new_tokens, temperature=0))
               for name, g in generators.items()}
    measured = measure_interleaved(systems, warmup=1, min_repeats=5, max_repeats=30, time_budget=60.0)
    names = list(measured)
    c = compare(measured[names[0]], measured[names[1]])
    for name, m in measured.items():
        print(f"{name:18s} interleaved: {event.task.new_tokens / m.median:7.1f} chars/s ({m.repeats} rounds)")
    print(f"cached / baseline interleaved: {c.ratio:.2f}x [{c.ci[0]:.2f}, {c.ci[1]:.2f}] (time ratio "
          "baseline / cached)")


def counting_models(max_context: int = 4) -> None:
    from tinytorch.capstone import get_event

    task = get_event("generation").task
    train, _ = task.split()
    inputs, targets = task.load()
    held = np.concatenate([inputs[:, :1], targets], axis=1)  # each window's characters, (N, 257)
    vocab = task.classes
    print(f"uniform guessing: {np.log(vocab):.3f} nats/char")
    for n in range(max_context + 1):
        seen, seen_counts = np.unique(_grams(train, n, vocab), return_counts=True)
        contexts, context_counts = np.unique(_grams(train[:-1], n - 1, vocab) if n else [0],
                                             return_counts=True)
        # within each window, so at most the window's context; only the windows' targets
        queries = _grams(held if n else held[:, 1:], n, vocab)
        pairs = _lookup(seen, seen_counts, queries)
        context = _lookup(contexts, context_counts, queries // vocab) if n else len(train)
        losses = [-np.log((pairs + k) / (context + k * vocab)).mean() for k in (1.0, 0.1, 0.01)]
        print(f"counting model, previous {n} characters: {min(losses):.3f} nats/char "
              f"({queries.size} held-out predictions)")


def _grams(ids: np.ndarray, n: int, vocab: int) -> np.ndarray:
    """Each run of n + 1 consecutive ids (along the last axis) as one base-`vocab` number: the
    context's n characters, then the one that follows."""
    runs = np.lib.stride_tricks.sliding_window_view(ids, n + 1, axis=-1)
    return (runs * vocab ** np.arange(n, -1, -1, dtype=np.int64)).sum(axis=-1).reshape(-1)


def _lookup(keys: np.ndarray, counts: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """counts[keys == q] for each query, 0 where the key was never seen."""
    at = np.minimum(np.searchsorted(keys, queries), len(keys) - 1)
    return np.where(keys[at] == queries, counts[at], 0)


def module_call(model):
    """The harness's way to serve a Module: eval mode, no graph, NumPy in and out."""
    def run(x):
        with no_grad():
            return model(Tensor(x)).data
    return run


def torch_call(hidden):
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    layers, width = [torch.nn.Flatten()], 784
    for h in hidden:
        layers += [torch.nn.Linear(width, h), torch.nn.ReLU()]
        width = h
    model = torch.nn.Sequential(*layers, torch.nn.Linear(width, 10)).eval()

    def run(x):
        with torch.inference_mode():
            return model(torch.from_numpy(x)).numpy()
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accuracy", action="store_true", help="also train each width (minutes)")
    parser.add_argument("--generation", action="store_true",
                        help="only the generation event's speed-up (trains its references on first use)")
    parser.add_argument("--generations", type=int, default=10, help="timed generations per submission")
    parser.add_argument("--counting", action="store_true",
                        help="only the counting models' loss on the generation event's held-out text")
    args = parser.parse_args()
    if args.counting:
        counting_models()
        return
    if args.generation:
        generation_speedup(args.generations)
        return
    tinytorch.manual_seed(0)
    x = np.random.default_rng(0).random((1, 1, 28, 28), dtype=np.float32)
    forwards = {}
    for name, hidden in SHAPES.items():
        model = mlp(hidden)
        forwards[f"{name} modules"] = module_call(model)
        if len(hidden) == 1:
            forwards[f"{name} fused numpy"] = fused(model)
    for name in ("784-256-128-10", "784-128-10"):
        run = torch_call(SHAPES[name])
        if run is not None:
            forwards[f"{name} pytorch"] = run
    systems = {name: (lambda forward=forward: forward(x)) for name, forward in forwards.items()}
    measured = measure_interleaved(systems, time_budget=20.0, max_repeats=20_000)
    baseline = measured["784-256-128-10 modules"]
    print(f"{'system':34s} {'median':>10s} {'p90':>10s}  ratio to baseline (time; < 1 is faster)")
    for name, m in measured.items():
        c = compare(m, baseline)
        print(f"{name:34s} {m.median * 1e6:8.2f} us {m.percentiles['p90'] * 1e6:8.2f} us  "
              f"{c.ratio:.3f}x [{c.ci[0]:.3f}, {c.ci[1]:.3f}]"
              f"{'' if c.significant or m is baseline else ' (not significant)'}")
    print(f"{measured['784-256-128-10 modules'].repeats} rounds, stopped by {baseline.stopped_by}")
    if args.accuracy:
        held_out_accuracy()


if __name__ == "__main__":
    main()
