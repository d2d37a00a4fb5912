"""PyTorch's `torch.utils` path: `from tinytorch.utils.data import DataLoader, TensorDataset`."""

from tinytorch.utils import data

__all__ = ["data"]
