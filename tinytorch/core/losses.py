"""Module 04, Losses: one number that says how wrong the model is, and whose gradient says how
to be less wrong.

Each loss is a function (`cross_entropy(logits, target)`) and a Module (`CrossEntropyLoss()`).
`reduction` is 'mean' (default), 'sum' or 'none' (one loss per item).

Shapes are checked, not broadcast: MSE of predictions (N, 1) against targets (N,) would
silently broadcast to an (N, N) matrix of every pair and train on nonsense, so it is an error.
"""

import numpy as np

from tinytorch.core import ops
from tinytorch.core.module import Module
from tinytorch.core.tensor import Tensor, apply

_REDUCTIONS = ("mean", "sum", "none")


def _check_reduction(reduction: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def _reduce(per_item: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return per_item.mean()
    return per_item.sum() if reduction == "sum" else per_item


def _same_shape(name: str, input: Tensor, target: Tensor) -> None:
    if input.shape != target.shape:
        raise ValueError(
            f"{name}: input shape {input.shape} and target shape {target.shape} differ; "
            "they would broadcast to the wrong loss. Reshape one of them (e.g. .reshape(-1))."
        )


def _as_tensor(x, dtype=None) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x, dtype=dtype)


def _class_targets(name: str, logits: Tensor, target) -> np.ndarray:
    """Check integer class targets: shape (N,), integer dtype, each in [0, C)."""
    target = np.asarray(target.data if isinstance(target, Tensor) else target)
    if logits.ndim != 2:
        raise ValueError(f"{name}: expected logits of shape (N, C), got {logits.shape}")
    if target.dtype.kind not in "iu":
        raise TypeError(
            f"{name}: targets must be integer class indices, got dtype {target.dtype} "
            "(for probabilities or one-hot targets, convert with argmax or use another loss)"
        )
    n, c = logits.shape
    if target.shape != (n,):
        raise ValueError(f"{name}: {n} rows of logits need targets of shape ({n},), "
                         f"got {target.shape}")
    if n and (target.min() < 0 or target.max() >= c):
        bad = target[(target < 0) | (target >= c)][0]
        raise IndexError(f"{name}: target class {bad} is out of range for {c} classes [0, {c})")
    return target


def mse_loss(input: Tensor, target, reduction: str = "mean") -> Tensor:
    """Mean squared error: the average of (input - target)^2."""
    _check_reduction(reduction)
    target = _as_tensor(target, input.dtype)
    _same_shape("mse_loss", input, target)
    diff = input - target
    return _reduce(diff * diff, reduction)


def cross_entropy(logits: Tensor, target, label_smoothing: float = 0.0,
                  reduction: str = "mean") -> Tensor:
    """Softmax cross-entropy from raw scores (logits, (N, C)) and integer classes ((N,)).

    Computed with log-sum-exp, so logits of 1000 give finite losses (see `ops.loss`).
    """
    _check_reduction(reduction)
    target = _class_targets("cross_entropy", logits, target)
    if not 0 <= label_smoothing <= 1:
        raise ValueError(f"label_smoothing must be in [0, 1], got {label_smoothing}")
    return apply(ops.SoftmaxCrossEntropy, logits._as_float(), target=target,
                 label_smoothing=label_smoothing, reduction=reduction)


def nll_loss(log_probs: Tensor, target, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of the target class, given log-probabilities (N, C)."""
    _check_reduction(reduction)
    target = _class_targets("nll_loss", log_probs, target)
    return _reduce(-log_probs[np.arange(len(target)), target], reduction)


def binary_cross_entropy(probs: Tensor, target, reduction: str = "mean") -> Tensor:
    """BCE of probabilities in [0, 1]; a probability of exactly 0 or 1 gives a large finite
    loss and gradient instead of infinity (see `ops.BCE`)."""
    _check_reduction(reduction)
    probs = probs._as_float()
    target = _as_tensor(target, probs.dtype)
    _same_shape("binary_cross_entropy", probs, target)
    if probs.numel() and (probs.data.min() < 0 or probs.data.max() > 1):
        raise ValueError("binary_cross_entropy: inputs must be probabilities in [0, 1]; "
                         "for raw scores use binary_cross_entropy_with_logits")
    return apply(ops.BCE, probs, target=target.data, reduction=reduction)


def binary_cross_entropy_with_logits(logits: Tensor, target, reduction: str = "mean") -> Tensor:
    """BCE of sigmoid(logits), computed without forming the sigmoid (stable for any logit)."""
    _check_reduction(reduction)
    logits = logits._as_float()
    target = _as_tensor(target, logits.dtype)
    _same_shape("binary_cross_entropy_with_logits", logits, target)
    return apply(ops.BCEWithLogits, logits, target=target.data, reduction=reduction)


class _Loss(Module):
    def __init__(self, reduction: str = "mean"):
        super().__init__()
        _check_reduction(reduction)
        self.reduction = reduction

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    def forward(self, input, target):
        return mse_loss(input, target, self.reduction)


class CrossEntropyLoss(_Loss):
    def __init__(self, label_smoothing: float = 0.0, reduction: str = "mean"):
        super().__init__(reduction)
        self.label_smoothing = label_smoothing

    def forward(self, logits, target):
        return cross_entropy(logits, target, self.label_smoothing, self.reduction)


class NLLLoss(_Loss):
    def forward(self, log_probs, target):
        return nll_loss(log_probs, target, self.reduction)


class BCELoss(_Loss):
    def forward(self, probs, target):
        return binary_cross_entropy(probs, target, self.reduction)


class BCEWithLogitsLoss(_Loss):
    def forward(self, logits, target):
        return binary_cross_entropy_with_logits(logits, target, self.reduction)


# The MLSysBook textbook's name for BCELoss (probabilities in, as PyTorch's BCELoss). Same class.
BinaryCrossEntropyLoss = BCELoss
