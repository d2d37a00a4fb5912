"""What attention costs as the sequence grows, measured where the learner runs it (module 12).

Every query scores every key, so one head makes a (T, T) weight matrix: time and memory grow
with T squared while the rest of a transformer (the Linear layers) grows with T. The sweep
times the framework's `scaled_dot_product_attention` forward and backward at several lengths
and records its peak memory; `growth_exponent` fits the power of T the measurements follow.
"""

from __future__ import annotations

import numpy as np

from tinytorch.core.attention import scaled_dot_product_attention
from tinytorch.core.tensor import Tensor
from tinytorch.course import measure


def attention_step(length: int, heads: int = 4, head_dim: int = 16, causal: bool = True, seed: int = 0):
    """A function running one forward and backward pass of attention over `length` tokens
    (batch 1, `heads` heads of `head_dim` dimensions), on fixed random queries, keys, values."""
    if length < 1 or heads < 1 or head_dim < 1:
        raise ValueError(f"attention_step needs positive sizes, got length={length}, heads={heads}, "
                         f"head_dim={head_dim}")
    rng = np.random.default_rng(seed)
    q, k, v = (Tensor(rng.standard_normal((1, heads, length, head_dim)).astype(np.float32),
                      requires_grad=True) for _ in range(3))

    def step():
        out, _ = scaled_dot_product_attention(q, k, v, causal=causal)
        out.sum().backward()
        for t in (q, k, v):
            t.grad = None

    return step


def sweep(lengths, heads: int = 4, head_dim: int = 16, repeat: int = 3) -> list[dict]:
    """Per length: best time of a forward + backward pass (seconds), its peak memory (bytes),
    and the bytes of the weight matrices alone (heads * T * T float32), ready to chart."""
    rows = []
    for n in lengths:
        step = attention_step(int(n), heads, head_dim)
        rows.append({"length": int(n), "seconds": measure.best_time(step, repeat=repeat),
                     "bytes": measure.peak_bytes(step), "weights bytes": 4 * heads * int(n) ** 2})
    return rows


def growth_exponent(rows: list[dict], key: str, x: str = "length", tail: int = 3) -> float:
    """The power p in key ~ x**p, fitted (least squares in log-log) over the `tail` largest x,
    where fixed per-call costs no longer hide the growth."""
    last = sorted(rows, key=lambda r: r[x])[-tail:]
    if len(last) < 2:
        raise ValueError("growth_exponent needs measurements at two or more sizes")
    xs = np.log([r[x] for r in last])
    ys = np.log([max(r[key], 1e-12) for r in last])
    return float(np.polyfit(xs, ys, 1)[0])
