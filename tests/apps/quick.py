"""Per-app overrides that shrink long computations for the pressed-button test run.

Keys are app file stems; values are cell definitions to override (see marimo's
`App.run(defs=...)`). Each app that trains keeps its settings in one cell for this reason.
"""

SETTINGS: dict[str, dict] = {
    "02_activations": {"activation_sizes": [256, 1024]},
    "03_layers": {"layer_widths": [64, 128]},
    "04_losses": {"ce_classes": [10, 100]},
    "milestone_1969_xor": {"budget": {"widths": (0, 2), "seeds": 1, "steps": 20}},
    "08_dataloader": {"throughput_settings": {"samples": 256, "batch_sizes": (1, 64), "repeat": 1}},
    "milestone_1986_mlp": {"budget": dict(hidden=32, epochs=1, batch_size=128, lr=2e-3, samples=3000)},
    "05_autograd": {"budget": {"n": 1000, "depths": (1, 4)}},
    "06_optimizers": {"budget": {"sizes": (100, 1000)}},
    "07_training": {"budget": dict(max_epochs=3, measure_points=64, batch_sizes=(16, 64), widths=(8,))},
}
