"""Speed of the spatial and attention layers: tinytorch against PyTorch on the CPU.

1. Conv2d forward + backward, batch 64, 32 -> 64 channels, 3x3, padding 1, 32x32 images.
2. One pre-norm Transformer block, forward + backward (batch 32, 128 tokens, 192 wide,
   6 heads, causal): the step of the GPT milestone.
3. Attention alone as the sequence grows: forward + backward time and the peak memory of
   tinytorch's scaled_dot_product_attention, which grow with the square of the length.

Both frameworks run in one process, interleaved, with the same weights and inputs (outputs
are compared before timing), 2 threads each; the median of the rounds is kept.

    python bench/bench_conv_attention.py [--rounds 7]

Target (issue 6): tinytorch / PyTorch within 3x for (1) and (2).
"""

import argparse
import statistics
import time
import tracemalloc

import numpy as np

import tinytorch
from tinytorch.core import spatial
from tinytorch.core.attention import scaled_dot_product_attention
from tinytorch.core.transformer import TransformerBlock


def median_seconds(fn, rounds: int) -> float:
    fn()  # warm up: first-touch page faults and BLAS thread start-up are not the steady state
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# ----- 1. convolution ---------------------------------------------------------------------

def conv_cases(torch):
    conv = spatial.Conv2d(32, 64, 3, padding=1)
    x = tinytorch.randn(64, 32, 32, 32, requires_grad=True)
    grad = np.ones((64, 64, 32, 32), np.float32)

    def ours():
        x.grad = conv.weight.grad = conv.bias.grad = None
        conv(x).backward(grad)

    cases = {"tinytorch": ours}
    if torch:
        t_conv = torch.nn.Conv2d(32, 64, 3, padding=1)
        with torch.no_grad():
            t_conv.weight.copy_(torch.from_numpy(conv.weight.numpy()))
            t_conv.bias.copy_(torch.from_numpy(conv.bias.numpy()))
        t_x = torch.from_numpy(x.numpy()).requires_grad_()
        t_grad = torch.from_numpy(grad)

        def theirs():
            t_x.grad = None
            t_conv.zero_grad()
            t_conv(t_x).backward(t_grad)

        ours()
        theirs()
        np.testing.assert_allclose(x.grad.numpy(), t_x.grad.numpy(), rtol=1e-3, atol=1e-3)
        cases["pytorch"] = theirs
    return cases


# ----- 2. transformer block ---------------------------------------------------------------

def torch_block(torch, ours: TransformerBlock, heads: int):
    """PyTorch modules with our block's weights, wired the same way (pre-norm, causal)."""
    nn = torch.nn
    dim = ours.ln1.normalized_shape[0]

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
            self.qkv, self.proj = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)
            self.fc, self.out = nn.Linear(dim, 4 * dim), nn.Linear(4 * dim, dim)

        def forward(self, x):
            b, t, _ = x.shape
            q, k, v = self.qkv(self.ln1(x)).view(b, t, 3, heads, -1).permute(2, 0, 3, 1, 4)
            attended = nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
            x = x + self.proj(attended.transpose(1, 2).reshape(b, t, dim))
            mlp = self.out(nn.functional.gelu(self.fc(self.ln2(x))))
            return x + mlp

    block = Block()
    sources = {"ln1": ours.ln1, "ln2": ours.ln2, "qkv": ours.attn.qkv, "proj": ours.attn.proj,
               "fc": ours.mlp.fc, "out": ours.mlp.proj}
    with torch.no_grad():
        for name, module in sources.items():
            getattr(block, name).weight.copy_(torch.from_numpy(module.weight.numpy()))
            getattr(block, name).bias.copy_(torch.from_numpy(module.bias.numpy()))
    return block


def block_cases(torch, batch=32, length=128, dim=192, heads=6):
    block = TransformerBlock(dim, heads)
    x = tinytorch.randn(batch, length, dim, requires_grad=True)
    grad = np.ones((batch, length, dim), np.float32)

    def ours():
        block.zero_grad()
        x.grad = None
        block(x, causal=True).backward(grad)

    cases = {"tinytorch": ours}
    if torch:
        t_block = torch_block(torch, block, heads)
        t_x = torch.from_numpy(x.numpy()).requires_grad_()
        t_grad = torch.from_numpy(grad)

        def theirs():
            t_block.zero_grad()
            t_x.grad = None
            t_block(t_x).backward(t_grad)

        ours()
        theirs()
        np.testing.assert_allclose(x.grad.numpy(), t_x.grad.numpy(), rtol=2e-3, atol=2e-3)
        cases["pytorch"] = theirs
    return cases


# ----- 3. attention as the sequence grows -------------------------------------------------

def attention_step(length: int, heads: int, head_dim: int):
    """A function running causal attention forward + backward on (1, heads, length, d)."""
    q, k, v = (tinytorch.randn(1, heads, length, head_dim, requires_grad=True)
               for _ in range(3))
    grad = np.ones((1, heads, length, head_dim), np.float32)

    def step():
        q.grad = k.grad = v.grad = None
        out, _ = scaled_dot_product_attention(q, k, v, causal=True)
        out.backward(grad)

    return step


def attention_scaling(lengths, rounds: int, heads=4, head_dim=32) -> list[tuple]:
    """(T, seconds forward + backward, peak MiB allocated by NumPy during one step)."""
    rows = []
    for length in lengths:
        step = attention_step(length, heads, head_dim)
        seconds = median_seconds(step, rounds)
        tracemalloc.start()
        step()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append((length, seconds, peak / 2**20))
    return rows


def compare(title: str, cases: dict, rounds: int) -> None:
    seconds = {name: [] for name in cases}
    for fn in cases.values():
        fn()  # warm up
    for _ in range(rounds):  # interleaved, so a busy moment hits both alike
        for name, fn in cases.items():
            start = time.perf_counter()
            fn()
            seconds[name].append(time.perf_counter() - start)
    median = {name: statistics.median(s) for name, s in seconds.items()}
    print(title)
    for name, s in median.items():
        print(f"  {name:10s} {s * 1e3:8.1f} ms")
    if "pytorch" in median:
        print(f"  ratio tinytorch/pytorch = {median['tinytorch'] / median['pytorch']:.2f}  "
              "(target <= 3)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    tinytorch.manual_seed(0)
    try:
        import torch

        torch.set_num_threads(2)
        print(f"numpy {np.__version__}, torch {torch.__version__} ({torch.get_num_threads()} "
              "threads)")
    except ImportError:
        torch = None
        print(f"numpy {np.__version__}; PyTorch not importable (pip install torch==2.13.0 for "
              "the ratios)")

    compare("Conv2d 32->64, 3x3, pad 1, batch 64, 32x32: forward + backward",
            conv_cases(torch), args.rounds)
    compare("TransformerBlock 192 wide, 6 heads, causal, batch 32 x 128 tokens: forward + "
            "backward", block_cases(torch), args.rounds)
    print("Causal attention, 4 heads of 32, batch 1: forward + backward, tinytorch")
    print(f"  {'T':>6s} {'ms':>9s} {'peak MiB':>9s} {'ns / T^2':>10s}")
    for length, seconds, mib in attention_scaling([128, 256, 512, 1024, 2048], args.rounds):
        print(f"  {length:6d} {seconds * 1e3:9.2f} {mib:9.1f} {seconds / length**2 * 1e9:10.2f}")


if __name__ == "__main__":
    main()
