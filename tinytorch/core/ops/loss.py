"""Fused loss ops: the maths of a loss and its gradient in one node, for stability and speed.

Cross-entropy from logits never forms softmax probabilities that could underflow to 0 and
turn log(0) into -inf: it works with log-softmax computed by the log-sum-exp trick, and its
gradient is the famous `softmax - onehot`. BCE from logits likewise never forms sigmoid(x).
"""

import numpy as np

from tinytorch.core.autograd import Function
from tinytorch.core.ops.elementwise import stable_sigmoid


def _reduce(per_item: np.ndarray, reduction: str) -> np.ndarray:
    if reduction == "mean":
        return np.asarray(per_item.mean())
    if reduction == "sum":
        return np.asarray(per_item.sum())
    return per_item


def _scale(grad: np.ndarray, n: int, reduction: str) -> np.ndarray:
    """The upstream gradient per item, shaped to multiply an (n, ...) gradient."""
    if reduction == "none":
        return grad[:, None]
    return grad / n if reduction == "mean" else grad


class SoftmaxCrossEntropy(Function):
    """-log softmax(logits)[target], with optional label smoothing.

    logits: (N, C) floats. target: (N,) integer classes in [0, C). With smoothing eps, the
    target distribution is (1 - eps) on the true class plus eps / C on every class.
    """

    def forward(self, logits, *, target, label_smoothing=0.0, reduction="mean"):
        n, c = logits.shape
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        rows = np.arange(n)
        per_item = -(1 - label_smoothing) * log_probs[rows, target]
        if label_smoothing:
            per_item -= label_smoothing / c * log_probs.sum(axis=1)
        self.log_probs, self.target, self.rows = log_probs, target, rows
        self.smoothing, self.reduction = label_smoothing, reduction
        return _reduce(per_item, reduction).astype(logits.dtype)

    def backward(self, grad):
        n, c = self.log_probs.shape
        d = np.exp(self.log_probs)
        d[self.rows, self.target] -= 1 - self.smoothing
        if self.smoothing:
            d -= self.smoothing / c
        return d * _scale(grad, n, self.reduction)


class BCEWithLogits(Function):
    """Binary cross-entropy of sigmoid(x) against y in [0, 1], never forming sigmoid(x):
    loss = max(x, 0) - x*y + log(1 + exp(-|x|)); gradient = sigmoid(x) - y.
    """

    def forward(self, x, *, target, reduction="mean"):
        y = target
        self.x, self.y, self.reduction = x, y, reduction
        per_item = np.maximum(x, 0) - x * y + np.log1p(np.exp(-np.abs(x)))
        return _reduce(per_item, reduction).astype(x.dtype)

    def backward(self, grad):
        d = stable_sigmoid(self.x) - self.y
        if self.reduction == "none":
            return grad * d
        return d * (grad / d.size if self.reduction == "mean" else grad)


class BCE(Function):
    """Binary cross-entropy of probabilities p against y: -(y log p + (1-y) log(1-p)).

    Each log is clamped at -100 (as in PyTorch), so p of exactly 0 or 1 gives a large finite
    loss; the gradient (p - y) / (p (1 - p)) has its denominator kept above 1e-12 for the
    same reason, instead of multiplying an infinite derivative by a zero clamp mask.
    """

    def forward(self, p, *, target, reduction="mean"):
        self.p, self.y, self.reduction = p, target, reduction
        with np.errstate(divide="ignore"):
            log_p = np.maximum(np.log(p), -100)
            log_not_p = np.maximum(np.log(1 - p), -100)
        per_item = -(target * log_p + (1 - target) * log_not_p)
        return _reduce(per_item, reduction).astype(p.dtype)

    def backward(self, grad):
        d = (self.p - self.y) / np.maximum(self.p * (1 - self.p), 1e-12)
        if self.reduction == "none":
            return grad * d
        return d * (grad / d.size if self.reduction == "mean" else grad)
