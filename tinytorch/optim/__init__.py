"""PyTorch's face on module 06: `tinytorch.optim.Adam(model.parameters(), lr=1e-3)`."""

from tinytorch.core.optimizers import SGD, Adam, AdamW, Optimizer, RMSprop, clip_grad_norm_
from tinytorch.optim import lr_scheduler

__all__ = ["SGD", "Adam", "AdamW", "Optimizer", "RMSprop", "clip_grad_norm_", "lr_scheduler"]
