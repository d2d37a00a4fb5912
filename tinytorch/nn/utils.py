"""`torch.nn.utils`'s gradient clipping, where PyTorch code imports it from.

The function itself lives with the optimizers (`tinytorch.core.optimizers.clip_grad_norm_`),
which the course builds it next to; this is its PyTorch import path, not a second copy.
"""

from tinytorch.core.optimizers import clip_grad_norm_

__all__ = ["clip_grad_norm_"]
