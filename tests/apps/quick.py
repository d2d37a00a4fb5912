"""Per-app overrides that shrink long computations for the pressed-button test run.

Keys are app file stems; values are cell definitions to override (see marimo's
`App.run(defs=...)`): every app keeps the workload its buttons run in one cell named
`budget`, so each entry here is `{"budget": {...}}`.
"""

SETTINGS: dict[str, dict] = {
    "01_tensor": {"budget": {"sizes": [1024, 4096]}},
    "02_activations": {"budget": {"sizes": [256, 1024]}},
    "03_layers": {"budget": {"widths": [64, 128]}},
    "04_losses": {"budget": {"classes": [10, 100]}},
    "milestone_1969_xor": {"budget": {"widths": (0, 2), "seeds": 1, "steps": 20}},
    "08_dataloader": {"budget": {"samples": 256, "batch_sizes": (1, 64), "repeat": 1}},
    "milestone_1986_mlp": {"budget": dict(hidden=32, epochs=1, batch_size=128, lr=2e-3, samples=3000)},
    "05_autograd": {"budget": {"n": 1000, "depths": (1, 4)}},
    "06_optimizers": {"budget": {"sizes": (100, 1000)}},
    "07_training": {"budget": dict(max_epochs=3, measure_points=64, batch_sizes=(16, 64), widths=(8,))},
}
