"""The import paths the course text uses all work."""

import importlib

import pytest

PATHS = {
    "tinytorch": ["Tensor", "tensor", "no_grad", "manual_seed", "save", "load", "allclose", "flatten",
                  "utils", "zeros", "ones", "full", "arange", "eye",
                  "rand", "randn", "zeros_like", "ones_like", "full_like", "rand_like", "randn_like", "cat",
                  "stack", "where", "maximum", "minimum", "gradcheck", "detect_anomaly"],
    "tinytorch.core.tensor": ["Tensor", "tensor", "zeros", "cat", "stack"],
    "tinytorch.core.activations": ["ReLU", "LeakyReLU", "Sigmoid", "Tanh", "GELU", "SiLU", "Softmax",
                                   "LogSoftmax"],
    "tinytorch.core.layers": ["Module", "Parameter", "Linear", "Sequential", "Dropout", "Flatten",
                              "Identity", "Layer"],
    "tinytorch.core.losses": ["MSELoss", "CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss",
                              "BinaryCrossEntropyLoss"],
    "tinytorch.core.autograd": ["Function", "no_grad", "gradcheck", "backward", "detect_anomaly",
                                "enable_autograd"],
    "tinytorch.core.optimizers": ["SGD", "Adam", "AdamW", "RMSprop", "clip_grad_norm_"],
    "tinytorch.core.training": ["Trainer", "Callback", "EarlyStopping", "Checkpoint"],
    "tinytorch.nn": ["Module", "Linear", "ReLU", "CrossEntropyLoss", "init", "functional", "Conv2d",
                     "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "BatchNorm1d", "BatchNorm2d", "Dropout2d",
                     "LayerNorm", "Embedding", "MultiheadAttention", "TransformerBlock", "GPT"],
    "tinytorch.nn.functional": ["relu", "softmax", "log_softmax", "cross_entropy", "nll_loss", "mse_loss",
                                "linear", "dropout", "conv2d", "max_pool2d", "avg_pool2d", "layer_norm",
                                "embedding", "flatten", "scaled_dot_product_attention"],
    "tinytorch.utils.data": ["Dataset", "TensorDataset", "DataLoader", "random_split", "Subset"],
    "tinytorch.nn.init": ["xavier_uniform_", "kaiming_normal_"],
    "tinytorch.optim": ["SGD", "Adam", "AdamW", "RMSprop", "lr_scheduler"],
    "tinytorch.optim.lr_scheduler": ["StepLR", "CosineAnnealingLR", "LinearWarmupLR"],
    "tinytorch.core.dataloader": ["Dataset", "TensorDataset", "DataLoader", "random_split", "Subset"],
    "tinytorch.core.transforms": ["Compose", "Normalize", "RandomHorizontalFlip", "RandomCrop", "ToFloat"],
    "tinytorch.datasets": ["load_mnist", "load_fashion_mnist", "load_cifar10", "load_digits", "load_text"],
}


@pytest.mark.parametrize("path", sorted(PATHS))
def test_course_import_paths(path):
    module = importlib.import_module(path)
    missing = [name for name in PATHS[path] if not hasattr(module, name)]
    assert not missing, f"{path} lacks {missing}"


def test_the_textbooks_names_are_the_same_objects():
    """Where the MLSysBook textbook's TinyTorch names differ from PyTorch's, both work."""
    from tinytorch.core import autograd, layers, losses

    assert layers.Layer is layers.Module and losses.BinaryCrossEntropyLoss is losses.BCELoss
    x = importlib.import_module("tinytorch").tensor([2.0], requires_grad=True)
    assert autograd.enable_autograd() is None  # a no-op: autograd is always on
    (x * x).sum().backward()
    assert x.grad.tolist() == [4.0]


def test_every_course_layer_is_in_nn_under_its_pytorch_name():
    """Every Module class the course modules define (bar the course's own self-attention layer,
    whose PyTorch counterpart is nn.MultiheadAttention) is reachable from tinytorch.nn."""
    import inspect

    import tinytorch.nn as nn
    from tinytorch.core.module import Module

    course = ["activations", "layers", "losses", "spatial", "embeddings", "attention", "transformer"]
    missing = []
    for name in course:
        module = importlib.import_module(f"tinytorch.core.{name}")
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            defined_here = cls.__module__ == module.__name__ and cls.__name__ == cls_name  # not aliases
            defined_here = defined_here and not cls_name.startswith("_")
            if defined_here and issubclass(cls, Module) and cls_name != "MultiHeadAttention":
                if getattr(nn, cls_name, None) is not cls:
                    missing.append(f"{name}.{cls_name}")
    assert not missing, f"tinytorch.nn lacks {missing}"


def test_no_op_shares_a_name_with_a_layer():
    """`ops.ReLU` next to `nn.ReLU` invited `Sequential(ops.ReLU(), ...)`: an op whose name a
    Module has carries the suffix Function, and its graph node still prints as PyTorch's."""
    import inspect
    import pkgutil

    import tinytorch
    import tinytorch.core.ops as ops
    import tinytorch.nn as nn
    from tinytorch.core.autograd import Function

    functions = {name for info in pkgutil.iter_modules(ops.__path__)
                 for name, cls in inspect.getmembers(importlib.import_module(f"{ops.__name__}.{info.name}"),
                                                     inspect.isclass)
                 if issubclass(cls, Function) and cls is not Function}
    assert {"ReLUFunction", "LinearFunction", "LayerNormFunction", "Conv2dFunction"} <= functions
    assert not functions & set(nn.__all__)
    x = tinytorch.ones(2, requires_grad=True)
    assert repr(x.relu().grad_fn) == "<ReLUBackward>" and x.relu().grad_fn.name == "ReLU"


def test_core_docstring_names_every_course_module():
    from pathlib import Path

    import tinytorch.core as core

    text = core.__doc__
    missing = [p.stem for p in Path(core.__file__).parent.glob("*.py")
               if p.stem != "__init__" and p.stem not in text]
    assert not missing, f"tinytorch/core/__init__.py does not mention {missing}"
    assert "13 transformer" in text


def test_docstrings_point_only_at_files_in_the_repository():
    """A docstring that sends the reader to a file must name one this repository has."""
    import re
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    broken = []
    for path in sorted((repo / "tinytorch").rglob("*.py")):
        text = path.read_text()
        pattern = r"(?<![\w/.])((?:\.\./|bench/|docs/|milestones/|tests/)[\w./-]+\.(?:py|md|mjs))"
        for ref in re.findall(pattern, text):
            if ref.startswith("../") or not (repo / ref).exists():
                broken.append(f"{path.relative_to(repo)}: {ref}")
    assert not broken, broken
