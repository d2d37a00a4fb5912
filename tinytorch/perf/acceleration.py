"""Module 18, Acceleration: the same maths, written so the machine does less or does it faster.

Each technique is a pair (or a family) of implementations with the same results, so the only
difference a benchmark can see is speed (`bench/bench_acceleration.py` measures every pair):

- Python loops vs vectorised NumPy: `matmul_loops`, `conv2d_loops` against `a @ b` and
  im2col. The loop pays the interpreter for every multiply-add; NumPy pays it once per array.
- direct convolution vs im2col: `conv2d_direct` loops over the kh*kw kernel taps, each a
  whole-image product; `conv2d_im2col` copies every receptive field into one matrix first and
  does a single large product (what `tinytorch.core.ops.conv` does).
- blocked (tiled) matmul: `matmul_blocked` walks the product in tile x tile blocks. On a CPU
  in C, tiles that fit in cache are the classic speed-up; through NumPy each block is a BLAS
  call that already tiles internally, so tiling here mostly adds Python overhead per block:
  the benchmark shows what it does and does not buy.
- fused vs unfused: `gelu_unfused`, `layer_norm_unfused`, `cross_entropy_unfused` build the
  same function from elementary ops (a graph node, a temporary array and a pass over memory
  each); tinytorch's fused ops (`gelu(x, approximate="tanh")`, `layer_norm`, `cross_entropy`)
  do it in one node. `temporary_bytes` and `graph_nodes` measure the difference.
- buffer reuse: `DenseBuffers` runs a layer into preallocated arrays (`out=`), where
  `dense_allocating` allocates fresh ones on every call.
"""

from __future__ import annotations

import math
import tracemalloc

import numpy as np

from tinytorch.core import ops
from tinytorch.core.kernels import matmul
from tinytorch.core.ops.conv import Window
from tinytorch.core.tensor import Tensor


def _check_matmul(a: np.ndarray, b: np.ndarray) -> None:
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:
        raise ValueError(f"need (n, k) @ (k, m) matrices, got {a.shape} @ {b.shape}")


# ----- loops vs vectorised ------------------------------------------------------------------------

def matmul_loops(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(n, k) @ (k, m) as three Python loops: n*k*m multiply-adds, each a bytecode round trip."""
    _check_matmul(a, b)
    (n, k), m = a.shape, b.shape[1]
    rows, cols = a.tolist(), b.T.tolist()
    out = [[0.0] * m for _ in range(n)]
    for i in range(n):
        row = rows[i]
        for j in range(m):
            col = cols[j]
            total = 0.0
            for p in range(k):
                total += row[p] * col[p]
            out[i][j] = total
    return np.array(out, dtype=np.result_type(a, b))


def _conv_window(weight: np.ndarray, stride: int, padding: int) -> Window:
    return Window(tuple(weight.shape[2:]), (stride, stride), (padding, padding))


def _check_conv(x: np.ndarray, weight: np.ndarray) -> None:
    if x.ndim != 4 or weight.ndim != 4 or x.shape[1] != weight.shape[1]:
        raise ValueError(f"need x (N, C, H, W) and weight (O, C, kh, kw) with the same C, got "
                         f"{x.shape} and {weight.shape}")


def conv2d_loops(x: np.ndarray, weight: np.ndarray, stride: int = 1, padding: int = 0) -> np.ndarray:
    """Cross-correlation as seven nested loops over images, output channels, output pixels,
    input channels and kernel taps: the definition, one multiply-add at a time."""
    _check_conv(x, weight)
    window = _conv_window(weight, stride, padding)
    xp = window.pad(x).tolist()
    (n, c), (o, _, kh, kw) = x.shape[:2], weight.shape
    oh, ow = window.output_hw(*x.shape[2:])
    w = weight.tolist()
    out = np.zeros((n, o, oh, ow), dtype=np.result_type(x, weight))
    for b in range(n):
        for f in range(o):
            for i in range(oh):
                for j in range(ow):
                    total = 0.0
                    for ch in range(c):
                        image, kernel = xp[b][ch], w[f][ch]
                        for di in range(kh):
                            pixels, taps = image[i * stride + di], kernel[di]
                            for dj in range(kw):
                                total += pixels[j * stride + dj] * taps[dj]
                    out[b, f, i, j] = total
    return out


def conv2d_direct(x: np.ndarray, weight: np.ndarray, stride: int = 1, padding: int = 0) -> np.ndarray:
    """Direct convolution, vectorised over images, channels and pixels: one loop over the
    kh*kw taps, each multiplying the pixels that tap reads in every image by that tap's (O, C)
    weights. No im2col matrix is built: one tap's pixels at a time, kh*kw times less memory,
    but kh*kw smaller products instead of one large one."""
    _check_conv(x, weight)
    window = _conv_window(weight, stride, padding)
    xp = window.pad(x)
    out_hw = window.output_hw(*x.shape[2:])
    out = np.zeros((x.shape[0], weight.shape[0], *out_hw), dtype=np.result_type(x, weight))
    n, c = x.shape[:2]
    # (kh, kw, O, C), contiguous: a strided weight slice would push np.matmul off BLAS
    tap_weights = np.ascontiguousarray(weight.transpose(2, 3, 0, 1))
    for i, j, where in window.taps(out_hw):
        # (O, C) @ (N, C, OH*OW) -> (N, O, OH*OW): this tap's weights on every pixel it reads
        pixels = xp[where].reshape(n, c, -1)
        out += matmul(tap_weights[i, j], pixels).reshape(out.shape)
    return out


def conv2d_im2col(x: np.ndarray, weight: np.ndarray, stride: int = 1, padding: int = 0) -> np.ndarray:
    """im2col then one matrix product: tinytorch's own convolution forward."""
    _check_conv(x, weight)
    window = _conv_window(weight, stride, padding)
    return ops.conv.Conv2dFunction().forward(x, weight, window=window, groups=1)


# ----- blocked matmul -----------------------------------------------------------------------------

def matmul_blocked(a: np.ndarray, b: np.ndarray, tile: int, order: list | None = None,
                   kernel=np.matmul) -> np.ndarray:
    """(n, k) @ (k, m) computed tile x tile block by block: out[I, J] += a[I, P] @ b[P, J] for
    every block row I, block of the shared dimension P and block column J, in that order.

    The tile size decides how the work is split and in which order the partial sums are
    added, so results differ from `a @ b` in the last bits of rounding (they agree to
    rounding, and exactly for integer-valued inputs). `order`, if given, receives the
    (I, P, J) block coordinates in the order they were computed. `kernel` multiplies two
    blocks (`np.matmul` by default; `tinytorch.core.kernels.matmul_einsum` to tile einsum).
    """
    _check_matmul(a, b)
    if tile < 1:
        raise ValueError(f"tile must be >= 1, got {tile}")
    (n, k), m = a.shape, b.shape[1]
    out = np.zeros((n, m), dtype=np.result_type(a, b))
    for i in range(0, n, tile):
        for p in range(0, k, tile):
            a_block = a[i:i + tile, p:p + tile]
            for j in range(0, m, tile):
                out[i:i + tile, j:j + tile] += kernel(a_block, b[p:p + tile, j:j + tile])
                if order is not None:
                    order.append((i // tile, p // tile, j // tile))
    return out


def block_products(n: int, k: int, m: int, tile: int) -> int:
    """How many block products `matmul_blocked` performs: the Python calls tiling costs."""
    return math.ceil(n / tile) * math.ceil(k / tile) * math.ceil(m / tile)


# ----- fused vs unfused -------------------------------------------------------------------------

_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)


def gelu_unfused(x: Tensor) -> Tensor:
    """GELU (tanh form) from nine elementary tinytorch ops: nine graph nodes, each keeping
    its own temporaries for backward. `F.gelu(x, approximate="tanh")` is one fused node."""
    inner = (x + 0.044715 * (x * x * x)) * _SQRT_2_OVER_PI
    return 0.5 * x * (1 + inner.tanh())


def layer_norm_unfused(x: Tensor, weight: Tensor, bias: Tensor, eps: float = 1e-5) -> Tensor:
    """LayerNorm over the last axis from mean, subtract, square, mean, add, sqrt, divide,
    scale and shift: about ten nodes where `ops.LayerNormFunction` is one."""
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / (var + eps).sqrt() * weight + bias


def cross_entropy_unfused(logits: Tensor, target: np.ndarray) -> Tensor:
    """Mean cross-entropy as softmax, log, pick the target's entry, negate, mean: the textbook
    formula, which also underflows (log 0) where `ops.SoftmaxCrossEntropy` cannot."""
    probs = logits.softmax(-1)
    picked = probs.log()[np.arange(len(target)), target]
    return -picked.mean()


def temporary_bytes(fn) -> int:
    """Peak bytes allocated while `fn()` runs, above what was allocated before: the
    temporaries a computation needs (NumPy reports its arrays to tracemalloc)."""
    started = tracemalloc.is_tracing()
    if not started:
        tracemalloc.start()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        if not started:
            tracemalloc.stop()


# ----- buffer reuse -------------------------------------------------------------------------------

def dense_allocating(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """relu(x @ W + b), allocating the product and the result on every call."""
    return np.maximum(x @ weight + bias, 0)


class DenseBuffers:
    """relu(x @ W + b) into arrays allocated once: the product is written straight into the
    output buffer (`out=`) and the bias and ReLU are applied in place, so a call allocates
    nothing that grows with the batch (only the few KB of buffer NumPy's iterator uses to
    broadcast the bias). The returned array is the buffer: the next call overwrites it."""

    def __init__(self, batch: int, weight: np.ndarray, bias: np.ndarray):
        self.weight, self.bias = weight, bias
        self.out = np.empty((batch, weight.shape[1]), dtype=np.result_type(weight, bias))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        if x.shape[0] != self.out.shape[0]:
            raise ValueError(f"buffers are for a batch of {self.out.shape[0]}, got {x.shape[0]}")
        np.matmul(x, self.weight, out=self.out)
        self.out += self.bias
        return np.maximum(self.out, 0, out=self.out)


def graph_nodes(fn, *inputs) -> int:
    """How many graph nodes `fn(*inputs)` records: the unit fusion removes."""
    out = fn(*inputs)
    seen, stack = set(), [out]
    while stack:
        t = stack.pop()
        if t._ctx is not None and id(t._ctx) not in seen:
            seen.add(id(t._ctx))
            stack.extend(t._ctx.inputs)
    return len(seen)


__all__ = ["DenseBuffers", "block_products", "conv2d_direct", "conv2d_im2col", "conv2d_loops",
           "cross_entropy_unfused", "dense_allocating", "gelu_unfused", "graph_nodes",
           "layer_norm_unfused", "matmul_blocked", "matmul_loops", "temporary_bytes"]
