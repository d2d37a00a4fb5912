"""Load times of the real datasets: first load in a process (read, decompress, check, decode),
with and without checksum verification, and a repeated load (served from memory); and the time
to sha256 every byte of content the catalog lists.

    python bench/bench_datasets.py [--rounds 3]

Uses the mirror in TINYTORCH_DATA, else ../shared/data beside the repository.
"""

import argparse
import os
import time
from pathlib import Path

from tinytorch.datasets import load_cifar10, load_digits, load_fashion_mnist, load_mnist, load_text
from tinytorch.datasets.catalog import FILES, check_members
from tinytorch.datasets.cifar10 import load_cifar10_splits
from tinytorch.datasets.mnist import load_idx_dataset
from tinytorch.datasets.sources import MIRROR_ENV, fetch
from tinytorch.datasets.text import load_text_file

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

# name, the undecorated decoder (no per-process memory) and its arguments, the public call.
CASES = [
    ("MNIST train", load_idx_dataset.__wrapped__, ("mnist", "train"), lambda: load_mnist("train")),
    ("MNIST test", load_idx_dataset.__wrapped__, ("mnist", "test"), lambda: load_mnist("test")),
    ("Fashion train", load_idx_dataset.__wrapped__, ("fashion-mnist", "train"),
     lambda: load_fashion_mnist("train")),
    ("CIFAR-10 both splits", load_cifar10_splits.__wrapped__, (), lambda: load_cifar10("train")),
    ("Moby Dick", load_text_file.__wrapped__, ("text/moby_dick.txt",), lambda: load_text("moby_dick")),
    ("digits (packaged)", load_digits.__wrapped__, None, load_digits),
]


def best_seconds(run, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not os.environ.get(MIRROR_ENV):
        os.environ[MIRROR_ENV] = str(SHARED_DATA)
    print(f"mirror: {os.environ[MIRROR_ENV]}; best of {args.rounds}")
    print(f"{'dataset':22s} {'first load':>11s} {'unverified':>11s} {'again':>9s}")
    for name, decode, decode_args, load in CASES:
        if decode_args is None:  # nothing to verify but the small packaged file itself
            first = unverified = best_seconds(decode, args.rounds)
        else:
            first = best_seconds(lambda d=decode, a=decode_args: d(*a, True), args.rounds)
            unverified = best_seconds(lambda d=decode, a=decode_args: d(*a, False), args.rounds)
        load()
        again = best_seconds(load, args.rounds)
        print(f"{name:22s} {first:10.3f}s {unverified:10.3f}s {again * 1e6:7.1f}us")

    contents = {path: fetch(path, verify=False) for path in FILES}
    total = sum(len(data) for members in contents.values() for data in members.values())
    seconds = best_seconds(lambda: [check_members(p, m, FILES[p]) for p, m in contents.items()], args.rounds)
    print(f"sha256 of all {len(FILES)} files' content, {total / 1e6:.0f} MB: {seconds:.3f}s "
          f"({total / 1e9 / seconds:.1f} GB/s)")


if __name__ == "__main__":
    main()
