"""Weight initialisers under PyTorch's import path (`tinytorch.nn.init.kaiming_normal_`)."""

from tinytorch.core.init import (
    fans,
    kaiming_normal_,
    kaiming_uniform_,
    normal_,
    uniform_,
    xavier_normal_,
    xavier_uniform_,
    zeros_,
)

__all__ = ["fans", "kaiming_normal_", "kaiming_uniform_", "normal_", "uniform_", "xavier_normal_",
           "xavier_uniform_", "zeros_"]
