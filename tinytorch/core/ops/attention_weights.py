"""Attention weights, softmax(q k^T * scale) with a mask, as one fused op.

Built from elementary ops this is a matmul, a scale, a masked fill and a softmax: four nodes
that each save a (T, T) array per head and each allocate another in backward. Fused, it saves
only the weights (and q, k, which are saved anyway), and its backward is

    dS = P * (dP - sum(dP * P, last axis))      softmax's backward, P the weights
    dq = dS @ k * scale,  dk = dS^T @ q * scale

Masked positions have P = 0, so they get no gradient without any extra work. The product of
the weights with the values stays an ordinary `MatMul`, so the weights are a real tensor that
can be inspected, plotted or even differentiated.
"""

import numpy as np

from tinytorch.core.autograd import Function
from tinytorch.core.kernels import matmul


class AttentionWeights(Function):
    """q (..., Tq, d), k (..., Tk, d) -> weights (..., Tq, Tk), each row summing to 1.

    `mask` is a boolean array broadcastable to (..., Tq, Tk), True where a query may attend
    to a key (PyTorch's scaled_dot_product_attention convention), or None for no mask.
    """

    def forward(self, q, k, *, mask, scale):
        scores = matmul(q, k.swapaxes(-1, -2))
        scores *= scale
        if mask is not None:
            np.copyto(scores, -np.inf, where=~mask)
        scores -= scores.max(axis=-1, keepdims=True)
        weights = np.exp(scores, out=scores)
        weights /= weights.sum(axis=-1, keepdims=True)
        self.q, self.k, self.weights, self.scale = q, k, weights, scale
        return weights

    def backward(self, grad):
        need_q, need_k = self.needs_input_grad
        p = self.weights
        d_scores = p * (grad - (grad * p).sum(axis=-1, keepdims=True))
        d_scores *= self.scale
        grad_q = matmul(d_scores, self.k) if need_q else None
        grad_k = matmul(d_scores.swapaxes(-1, -2), self.q) if need_k else None
        return grad_q, grad_k
