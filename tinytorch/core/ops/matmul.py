"""Matrix multiplication, the op where nearly all of a network's time goes.

The kernel itself is chosen in `tinytorch.core.kernels`. `Linear` fuses `x @ W.T + b` into
one node: one graph node instead of three is less Python per step, and its backward is the
three products every deep-learning course derives by hand.
"""

from tinytorch.core.autograd import Function
from tinytorch.core.kernels import matmul


def _swap_last(a):
    return a.swapaxes(-1, -2)


class MatMul(Function):
    """a @ b for 2-D or batched (..., n, k) @ (..., k, m) arrays; batch dims broadcast."""

    def forward(self, a, b):
        self.a, self.b = a, b
        return matmul(a, b)

    def backward(self, grad):
        need_a, need_b = self.needs_input_grad
        grad_a = matmul(grad, _swap_last(self.b)) if need_a else None
        grad_b = matmul(_swap_last(self.a), grad) if need_b else None
        return grad_a, grad_b


class LinearFunction(Function):
    """y = x @ W.T + b, with W of shape (out_features, in_features) as in PyTorch.

    x may have any number of leading dims (..., in_features); they are flattened for the
    weight gradient, dW = g.T @ x, which sums over every row of every batch.
    """

    def forward(self, x, weight, bias=None):
        self.x, self.weight = x, weight
        out = matmul(x, weight.T)
        if bias is not None:
            out += bias
        return out

    def backward(self, grad):
        need_x, need_w, *need_b = self.needs_input_grad
        x2d = self.x.reshape(-1, self.x.shape[-1])
        g2d = grad.reshape(-1, grad.shape[-1])
        grad_x = matmul(grad, self.weight) if need_x else None
        grad_w = matmul(g2d.T, x2d) if need_w else None
        if not need_b:
            return grad_x, grad_w
        return grad_x, grad_w, (g2d.sum(axis=0) if need_b[0] else None)
