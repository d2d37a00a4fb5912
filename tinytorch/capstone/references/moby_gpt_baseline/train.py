"""Train the generation baseline's character GPT on the first 90% of Moby Dick (never the
held-out part): AdamW 3e-3 (weight decay 0.1 on matrices), linear warm-up then cosine decay,
gradients clipped to norm 1, batches of 16 windows of 256 characters, 800 steps, seed 0.
`limit` stops after about that many training characters (at least one step), for quick runs.
The optimized reference generates with these same weights (reference.WEIGHTS_FROM)."""

import importlib.util
from pathlib import Path

import tinytorch
from tinytorch.capstone.reference import train_language_model

_spec = importlib.util.spec_from_file_location("moby_gpt_baseline", Path(__file__).with_name("submission.py"))
submission = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(submission)


def train(limit=None):
    tinytorch.manual_seed(0)
    model = submission.GPT(**submission.ARCHITECTURE)
    train_language_model(model, steps=800, batch_size=16, lr=3e-3, limit=limit)
    return model.state_dict()
