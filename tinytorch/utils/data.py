"""Module 08's datasets and loader under PyTorch's import path, `torch.utils.data`."""

from tinytorch.core.dataloader import (
    Batch,
    DataLoader,
    Dataset,
    Subset,
    TensorDataset,
    default_collate,
    random_split,
)

__all__ = ["Batch", "DataLoader", "Dataset", "Subset", "TensorDataset", "default_collate", "random_split"]
