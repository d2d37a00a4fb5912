"""tinytorch.nn.utils: PyTorch's import path of gradient clipping."""

import numpy as np

import tinytorch
import tinytorch.nn as nn
from tinytorch.core.optimizers import clip_grad_norm_


def test_clip_grad_norm_is_importable_where_pytorch_has_it_and_clips():
    assert nn.utils.clip_grad_norm_ is clip_grad_norm_
    layer = nn.Linear(3, 2)
    (layer(tinytorch.ones(4, 3)) * 100).sum().backward()
    before = nn.utils.clip_grad_norm_(layer.parameters(), 1.0)
    after = np.sqrt(sum(float((p.grad.numpy() ** 2).sum()) for p in layer.parameters()))
    assert before > 1.0 and abs(after - 1.0) < 1e-4
