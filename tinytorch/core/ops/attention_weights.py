"""Attention weights, softmax(q k^T * scale) with a mask, as one fused op.

Built from elementary ops this is a matmul, a scale, a masked fill and a softmax: four nodes
that each save a (T, T) array per head and each allocate another in backward. Fused, it saves
only the weights (and q, k, which are saved anyway), and its backward is

    dS = P * (dP - sum(dP * P, last axis))      softmax's backward, P the weights
    dq = dS @ k * scale,  dk = dS^T @ q * scale

Masked positions have P = 0, so they get no gradient without any extra work. An additive
float mask (a bias on the scores, e.g. ALiBi's distance penalty) is an optional third input;
its gradient is dS itself, before the scale. The product of
the weights with the values stays an ordinary `MatMul`, so the weights are a real tensor that
can be inspected, plotted or even differentiated.
"""

import numpy as np

from tinytorch.core.autograd import Function
from tinytorch.core.kernels import matmul


class AttentionWeights(Function):
    """q (..., Tq, d), k (..., Tk, d) [, bias] -> weights (..., Tq, Tk), each row summing to 1.

    `mask` is a boolean array broadcastable to (..., Tq, Tk), True where a query may attend
    to a key (PyTorch's scaled_dot_product_attention convention), or None for no mask.
    `bias`, if given, is added to the scaled scores (-inf hides a key, as a False in `mask`).
    """

    def forward(self, q, k, bias=None, *, mask, scale):
        scores = matmul(q, k.swapaxes(-1, -2))
        scores *= scale
        if bias is not None:
            scores = scores + bias  # not in place: the bias may broadcast to more batch dims
        if mask is not None:
            np.copyto(scores, -np.inf, where=~mask)
        scores -= scores.max(axis=-1, keepdims=True)
        weights = np.exp(scores, out=scores)
        weights /= weights.sum(axis=-1, keepdims=True)
        self.q, self.k, self.weights, self.scale = q, k, weights, scale
        return weights

    def backward(self, grad):
        need_q, need_k, *need_bias = self.needs_input_grad
        p = self.weights
        d_scores = p * (grad - (grad * p).sum(axis=-1, keepdims=True))
        grad_bias = d_scores.copy() if need_bias and need_bias[0] else None
        d_scores *= self.scale
        grad_q = matmul(d_scores, self.k) if need_q else None
        grad_k = matmul(d_scores.swapaxes(-1, -2), self.q) if need_k else None
        return (grad_q, grad_k) if not need_bias else (grad_q, grad_k, grad_bias)
