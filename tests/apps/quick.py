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
    "milestone_1998_cnn": {
        "budget": dict(filters=(4, 8), samples=5000, epochs=1, batch_size=64, lr=3e-3),
        "cifar_budget": dict(samples=500, epochs=1, width=4, batch_size=64, lr=2e-3, test_samples=1000)},
    "07_training": {"budget": dict(max_epochs=3, measure_points=64, batch_sizes=(16, 64), widths=(8,))},
    "09_convolutions": {"budget": dict(train_samples=512, test_samples=200, batch_size=64, speed_images=1,
                                       linear_batch=2, repeat=1)},
    "10_tokenization": {"budget": dict(corpus_chars=5000, heldout_chars=1000, measure_points=3)},
    "11_embeddings": {"budget": dict(train_chars=3000, heldout_chars=500, batch_size=128, lookup_tokens=64,
                                     vocab_sizes=(16, 64), repeat=1)},
    "milestone_2017_transformer": {"budget": dict(layers=1, heads=2, width=16, context=16, batch_size=4,
                                                  steps=10, lr=1e-2, sample_length=20)},
    "13_transformers": {"budget": dict(steps=6, batch_size=4, temperatures=(0.5, 1.0), sample_length=60)},
    "12_attention": {"budget": {"steps": 6, "batch_size": 4, "lengths": (16, 32, 64)}},
    "14_profiling": {"budget": dict(batch=4, hidden=16, filters=(2, 4), matmul_size=64, megabytes=2)},
    "15_quantization": {"budget": dict(hidden=(32, 32), epochs=2, batch_size=64, lr=3e-3, timing_rows=64,
                                       timing_repeat=1)},
    "16_compression": {"budget": dict(hidden=(32, 32), epochs=3, batch_size=64, lr=3e-3,
                                      sparsities=(0.5, 0.9), fine_tune_epochs=1, fine_tune_lr=1e-3,
                                      student_hidden=(8,), student_epochs=2, student_lr=3e-3)},
    "17_memoization": {"budget": {"steps": 4, "batch_size": 4, "window": 32, "context": 64,
                                  "new_tokens": (8, 24), "temperature": 0.8, "prompt": "Shall I "}},
    "18_acceleration": {"budget": dict(sizes=(16, 32), loops_size=8, gelu_shape=(4, 8, 16), batches=(1, 8),
                                       conv_x=(2, 3, 8, 8), conv_filters=4, seconds=0.05)},
    "19_benchmarking": {"budget": {"widths": (8, 64), "epochs": 1, "time_budget": 0.3, "max_repeats": 300}},
    "20_capstone": {"budget": {"limit": 2000, "queries": 20, "sizes": {"windows": 4, "new_tokens": 20},
                               "isolation": "in-process"}},
    "milestone_2018_olympics": {"budget": {"limit": 2000, "queries": 20, "isolation": "in-process",
                                           "sizes": {"windows": 4, "new_tokens": 20},
                                           "events": ("lightweight", "generation")}},
}
