"""The course map: three tiers of modules, a capstone, and six historical milestones.

Why a data module: the landing page shows the whole course, including modules whose app is
not written yet ("coming"), so the map cannot be derived from `apps/` alone. The app file
names decide which entries link somewhere (see `wasm.apps`); titles here are the defaults
for entries without an app.
"""

from __future__ import annotations

TIERS = (
    ("Foundation", "Build the engine: tensors, autograd, training.", range(1, 9)),
    ("Architecture", "Build the models: convolutions, tokens, attention, transformers.", range(9, 14)),
    (
        "Optimization",
        "Make it fast and small: profile, quantize, compress, cache, accelerate.",
        range(14, 20),
    ),
    ("Capstone", "Put it together.", range(20, 21)),
)

MODULES = {
    1: "Tensor",
    2: "Activations",
    3: "Layers",
    4: "Losses",
    5: "Autograd",
    6: "Optimizers",
    7: "Training",
    8: "DataLoader",
    9: "Spatial (convolutions)",
    10: "Tokenization",
    11: "Embeddings",
    12: "Attention",
    13: "Transformers",
    14: "Profiling",
    15: "Quantization",
    16: "Compression",
    17: "Memoization (KV cache)",
    18: "Acceleration",
    19: "Benchmarking",
    20: "Capstone",
}

MILESTONES = {
    1957: "Perceptron (Rosenblatt)",
    1969: "The XOR problem (Minsky and Papert)",
    1986: "Backpropagation trains an MLP (Rumelhart, Hinton, Williams)",
    1998: "Convolutional networks (LeCun et al.)",
    2017: "Attention is all you need (Vaswani et al.)",
    2018: "Benchmarking and optimisation (MLPerf)",
}
