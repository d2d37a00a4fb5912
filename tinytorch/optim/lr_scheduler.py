"""Learning-rate schedulers under PyTorch's import path."""

from tinytorch.core.schedulers import CosineAnnealingLR, LambdaLR, LinearWarmupLR, StepLR

__all__ = ["CosineAnnealingLR", "LambdaLR", "LinearWarmupLR", "StepLR"]
