"""`max(dim)` (values and indices, gradient to the chosen index) and `amax(dim)` (values, the
gradient shared among ties), forward and backward, against the same computation hand-written
in NumPy and against PyTorch on the CPU when it is installed.

    python bench/bench_reductions.py [--repeats 20]

Shapes: a classifier's logits (batch 128, 10 classes), a language model's (batch 32, vocab
1000), and a long row (4, 65536). Times are the best of `--repeats` loops of at least 20 ms
(`tinytorch.course.measure.best_time`); the ratios divide tinytorch's time by the others'
(1.0 = as fast; above 1, slower).
"""

import argparse
import platform
import sys

import numpy as np

import tinytorch
from tinytorch.course.measure import best_time

SHAPES = [(128, 10), (32, 1000), (4, 65536)]


def numpy_max(x: np.ndarray):
    """What max(dim=1) forward and backward compute, written directly with NumPy."""
    indices = x.argmax(axis=1)[:, None]
    values = np.take_along_axis(x, indices, axis=1)
    grad = np.zeros_like(x)
    np.put_along_axis(grad, indices, np.ones_like(values), axis=1)
    return values, grad


def tinytorch_max(x: tinytorch.Tensor):
    x.grad = None
    values, _ = x.max(dim=1)
    values.sum().backward()


def tinytorch_amax(x: tinytorch.Tensor):
    x.grad = None
    x.amax(dim=1).sum().backward()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args(argv)
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        torch = None
    print(f"{sys.platform} {platform.machine()}, Python {platform.python_version()}, NumPy {np.__version__}"
          f"{', PyTorch ' + torch.__version__ + ' (1 thread)' if torch else ', no PyTorch'}; float32, "
          f"forward + backward, best of {args.repeats}")
    print(f"{'shape':>12} {'max(dim) us':>12} {'amax us':>9} {'NumPy us':>9} {'max/NumPy':>10} "
          f"{'torch us':>9} {'max/torch':>10}")
    rng = np.random.default_rng(0)
    for shape in SHAPES:
        data = rng.standard_normal(shape, dtype=np.float32)
        x = tinytorch.tensor(data, requires_grad=True)
        _, grad = numpy_max(data)  # agree before timing
        tinytorch_max(x)
        np.testing.assert_array_equal(x.grad.numpy(), grad)
        ours = best_time(lambda: tinytorch_max(x), args.repeats)  # noqa: B023 - timed at once
        shared = best_time(lambda: tinytorch_amax(x), args.repeats)  # noqa: B023
        by_hand = best_time(lambda: numpy_max(data), args.repeats)  # noqa: B023
        line = (f"{str(shape):>12} {ours * 1e6:12.1f} {shared * 1e6:9.1f} {by_hand * 1e6:9.1f} "
                f"{ours / by_hand:10.2f}")
        if torch is not None:
            t = torch.tensor(data, requires_grad=True)

            def torch_max(t=t):
                t.grad = None
                t.max(dim=1).values.sum().backward()

            theirs = best_time(torch_max, args.repeats)
            line += f" {theirs * 1e6:9.1f} {ours / theirs:10.2f}"
        print(line)


if __name__ == "__main__":
    main()
