"""The import paths the course text uses all work."""

import importlib

import pytest

PATHS = {
    "tinytorch": ["Tensor", "tensor", "no_grad", "manual_seed", "zeros", "ones", "full", "arange", "eye",
                  "rand", "randn", "zeros_like", "ones_like", "full_like", "rand_like", "randn_like", "cat",
                  "stack", "where", "maximum", "minimum", "gradcheck", "detect_anomaly"],
    "tinytorch.core.tensor": ["Tensor", "tensor", "zeros", "cat", "stack"],
    "tinytorch.core.activations": ["ReLU", "LeakyReLU", "Sigmoid", "Tanh", "GELU", "SiLU", "Softmax",
                                   "LogSoftmax"],
    "tinytorch.core.layers": ["Module", "Parameter", "Linear", "Sequential", "Dropout", "Flatten",
                              "Identity"],
    "tinytorch.core.losses": ["MSELoss", "CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss"],
    "tinytorch.core.autograd": ["Function", "no_grad", "gradcheck", "backward", "detect_anomaly"],
    "tinytorch.core.optimizers": ["SGD", "Adam", "AdamW", "RMSprop", "clip_grad_norm_"],
    "tinytorch.core.training": ["Trainer", "Callback", "EarlyStopping", "Checkpoint"],
    "tinytorch.nn": ["Module", "Linear", "ReLU", "CrossEntropyLoss", "init", "functional"],
    "tinytorch.nn.functional": ["relu", "softmax", "cross_entropy", "mse_loss", "linear", "dropout"],
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
