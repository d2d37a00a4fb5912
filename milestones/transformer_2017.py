"""Milestone 2017: a character-level GPT trained on Moby Dick.

Vaswani et al.'s "Attention Is All You Need" (2017) replaced recurrence with attention;
GPT (2018) kept only the decoder, trained to predict the next token. This recipe trains
tinytorch's GPT on the characters of Moby Dick (the first 90% for training, the last 10% for
validation), prints the validation loss in nats per character every `--eval-every` steps
and samples of generated text, on 2 CPU cores.

    python -m milestones.transformer_2017              # the recorded run, target val <= 1.6
    python -m milestones.transformer_2017 --steps 200  # a quick look

A model that only knew the character frequencies would score about 3.1 nats/char; 1.6 means
it has learnt words, spelling and some grammar. Data comes through `tinytorch.datasets`
(set TINYTORCH_DATA to a local mirror).
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

import tinytorch
from tinytorch.core.optimizers import AdamW, clip_grad_norm_
from tinytorch.core.random import default_generator
from tinytorch.core.schedulers import LinearWarmupLR
from tinytorch.core.tokenization import CharTokenizer
from tinytorch.core.transformer import GPT
from tinytorch.course.language import evaluate, windows
from tinytorch.datasets import load_text


def main(argv: list[str] | None = None, progress=None) -> dict:
    """Train, print the figures and samples; returns them as values ("val_loss" at the end,
    "val_losses" per evaluation, "samples"), for tests, benchmarks and `tinytorch milestone
    run`, which passes `progress(total=, unit=)`: a progress bar advanced after every step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--context", type=int, default=128)
    parser.add_argument("--embed-dim", type=int, default=128)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--dropout", type=float, default=0.0)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--eval-every", type=int, default=250)
    parser.add_argument("--eval-windows", type=int, default=256,
                        help="validation windows of `context` characters per evaluation")
    parser.add_argument("--sample-length", type=int, default=300,
                        help="characters generated after each prompt at the end")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    tinytorch.manual_seed(args.seed)

    text = load_text("moby_dick")
    tokenizer = CharTokenizer.from_text(text, byte_fallback=False)
    data = np.array(tokenizer.encode(text), dtype=np.int64)
    split = int(0.9 * len(data))
    train, val = data[:split], data[split:]
    val_starts = np.linspace(0, len(val) - args.context - 1, args.eval_windows).astype(np.int64)

    model = GPT(tokenizer.vocab_size, args.context, args.embed_dim, args.heads, args.layers,
                args.dropout)
    # Weight decay on the matrices only: shrinking LayerNorm gains or biases is no regulariser.
    decay = [p for p in model.parameters() if p.ndim == 2]
    no_decay = [p for p in model.parameters() if p.ndim < 2]
    optimizer = AdamW([{"params": decay, "weight_decay": 0.1},
                       {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, betas=(0.9, 0.99))
    schedule = LinearWarmupLR(optimizer, warmup_steps=args.steps // 20, total_steps=args.steps)
    print(f"Moby Dick: {len(train):,} training / {len(val):,} validation characters, vocabulary "
          f"{tokenizer.vocab_size}; uniform guessing = {math.log(tokenizer.vocab_size):.2f} nats")
    print(f"GPT: {args.layers} layers, {args.heads} heads, {args.embed_dim} wide, context "
          f"{args.context}, {model.num_parameters():,} parameters; batch {args.batch_size}, "
          f"{args.steps} steps, AdamW lr {args.lr} warm-up + cosine", flush=True)

    bar = progress(total=args.steps, unit="steps") if progress is not None else None
    start, running, val_losses, samples = time.perf_counter(), None, [], []
    rng = default_generator()
    for step in range(1, args.steps + 1):
        starts = rng.integers(0, len(train) - args.context - 1, args.batch_size)
        loss = model.loss(*windows(train, starts, args.context))
        optimizer.zero_grad()
        loss.backward()
        clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        running = loss.item() if running is None else 0.95 * running + 0.05 * loss.item()
        if bar is not None:
            bar.update(1, f"loss {running:.3f}")
        if step % args.eval_every == 0 or step == args.steps:
            val_loss = evaluate(model, val, val_starts, args.batch_size)
            val_losses.append(val_loss)
            print(f"step {step:5d}  train {running:.3f}  val {val_loss:.3f} nats/char  "
                  f"{time.perf_counter() - start:7.1f} s", flush=True)

    if bar is not None:
        bar.close()
    seconds = time.perf_counter() - start
    print(f"final validation loss {val_loss:.3f} nats/char, training wall time {seconds:.1f} s")
    for prompt in ("Call me", "The whale"):
        ids = model.generate(tokenizer.encode(prompt), max_new_tokens=args.sample_length, temperature=0.8,
                             seed=args.seed)
        samples.append(tokenizer.decode(ids))
        print(f"\n--- sample (temperature 0.8) ---\n{samples[-1]}")
    return {"val_loss": val_loss, "val_losses": val_losses, "samples": samples, "seconds": seconds}


if __name__ == "__main__":
    main()
