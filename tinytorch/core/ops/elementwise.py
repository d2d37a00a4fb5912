"""Elementwise ops: one output element per input element (after broadcasting).

Backward of a binary op returns gradients in the broadcast output shape; the engine sums them
back to each input's shape (`autograd.unbroadcast`), so no op here repeats that logic.
"""

import math

import numpy as np

from tinytorch.core.autograd import Function


class Add(Function):
    def forward(self, a, b):
        return a + b

    def backward(self, grad):
        return grad, grad


class Sub(Function):
    def forward(self, a, b):
        return a - b

    def backward(self, grad):
        return grad, -grad


class Mul(Function):
    def forward(self, a, b):
        self.a, self.b = a, b
        return a * b

    def backward(self, grad):
        need_a, need_b = self.needs_input_grad
        return (grad * self.b if need_a else None), (grad * self.a if need_b else None)


class Div(Function):
    def forward(self, a, b):
        self.a, self.b = a, b
        return a / b

    def backward(self, grad):
        need_a, need_b = self.needs_input_grad
        grad_a = grad / self.b
        return (grad_a if need_a else None), (-grad_a * self.a / self.b if need_b else None)


class Pow(Function):
    """a ** b. d/da = b a^(b-1); d/db = a^b ln a (only computed if b requires grad)."""

    def forward(self, a, b):
        self.a, self.b = a, b
        self.out = a**b
        return self.out

    def backward(self, grad):
        need_a, need_b = self.needs_input_grad
        grad_a = grad * self.b * self.a ** (self.b - 1) if need_a else None
        grad_b = grad * self.out * np.log(self.a) if need_b else None
        return grad_a, grad_b


class Maximum(Function):
    """Elementwise max; at a tie the gradient is shared equally, as PyTorch does."""

    def forward(self, a, b):
        self.a_wins = ((a > b) + 0.5 * (a == b)).astype(a.dtype)
        return np.maximum(a, b)

    def backward(self, grad):
        share = grad * self.a_wins
        return share, grad - share


class Minimum(Function):
    def forward(self, a, b):
        self.a_wins = ((a < b) + 0.5 * (a == b)).astype(a.dtype)
        return np.minimum(a, b)

    def backward(self, grad):
        share = grad * self.a_wins
        return share, grad - share


class Where(Function):
    """`condition ? a : b`; the condition is a boolean array, not differentiable."""

    def forward(self, a, b, condition):
        self.condition = condition
        return np.where(condition, a, b)

    def backward(self, grad):
        return np.where(self.condition, grad, 0), np.where(self.condition, 0, grad)


class Cast(Function):
    """Change dtype; the gradient goes back in the input's dtype."""

    def forward(self, x, dtype):
        self.input_dtype = x.dtype
        return x.astype(dtype)

    def backward(self, grad):
        return grad.astype(self.input_dtype)


class Neg(Function):
    def forward(self, x):
        return -x

    def backward(self, grad):
        return -grad


class Exp(Function):
    def forward(self, x):
        self.out = np.exp(x)
        return self.out

    def backward(self, grad):
        return grad * self.out


class Log(Function):
    def forward(self, x):
        self.x = x
        return np.log(x)

    def backward(self, grad):
        return grad / self.x


class Sqrt(Function):
    def forward(self, x):
        self.out = np.sqrt(x)
        return self.out

    def backward(self, grad):
        return grad / (2 * self.out)


class Abs(Function):
    def forward(self, x):
        self.sign = np.sign(x)
        return np.abs(x)

    def backward(self, grad):
        return grad * self.sign


class Clip(Function):
    """Clamp into [low, high]; the gradient passes only where the value was not clamped."""

    def forward(self, x, low, high):
        self.inside = np.ones(x.shape, dtype=bool)
        if low is not None:
            self.inside &= x >= low
        if high is not None:
            self.inside &= x <= high
        return np.clip(x, low, high)

    def backward(self, grad):
        return grad * self.inside


class ReLUFunction(Function):
    """max(x, 0). Not `x * (x > 0)`: that is -inf * 0 = NaN at x = -inf (e.g. a masked score)."""

    def forward(self, x):
        self.positive = x > 0
        return np.maximum(x, 0)

    def backward(self, grad):
        return grad * self.positive


class LeakyReLUFunction(Function):
    def forward(self, x, negative_slope):
        self.slope = np.where(x > 0, x.dtype.type(1), x.dtype.type(negative_slope))
        return x * self.slope

    def backward(self, grad):
        return grad * self.slope


class TanhFunction(Function):
    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, grad):
        return grad * (1 - self.out * self.out)


def stable_sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-x) written as (1 + tanh(x/2)) / 2, which never overflows."""
    return 0.5 + 0.5 * np.tanh(0.5 * x)


class SigmoidFunction(Function):
    def forward(self, x):
        self.out = stable_sigmoid(x)
        return self.out

    def backward(self, grad):
        return grad * self.out * (1 - self.out)


class SiLUFunction(Function):
    """x * sigmoid(x), also called swish."""

    def forward(self, x):
        self.x, self.s = x, stable_sigmoid(x)
        return x * self.s

    def backward(self, grad):
        return grad * self.s * (1 + self.x * (1 - self.s))


def erf(x: np.ndarray) -> np.ndarray:
    """The error function, which NumPy lacks (and SciPy is not in the browser).

    Abramowitz & Stegun 7.1.26: absolute error below 1.5e-7, finer than float32 needs.
    """
    t = 1 / (1 + 0.3275911 * np.abs(x))
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                                                                            + t * 1.061405429))))
    return np.sign(x) * (1 - poly * np.exp(-x * x))


_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_INV_SQRT_2 = 1 / math.sqrt(2)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)


class GELUFunction(Function):
    """x * Phi(x), Phi the standard normal CDF; `approximate='tanh'` is GPT-2's formula."""

    def forward(self, x, approximate="none"):
        self.x, self.approximate = x, approximate
        if approximate == "tanh":
            # x * x * x, not x**3: NumPy's float32 power is ~100x slower than two multiplies.
            self.t = np.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * (x * x * x)))
            return 0.5 * x * (1 + self.t)
        self.cdf = 0.5 * (1 + erf(x * _INV_SQRT_2))
        return x * self.cdf

    def backward(self, grad):
        x = self.x
        if self.approximate == "tanh":
            dt = (1 - self.t**2) * _SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x**2)
            return grad * (0.5 * (1 + self.t) + 0.5 * x * dt)
        pdf = _INV_SQRT_2PI * np.exp(-0.5 * x * x)
        return grad * (self.cdf + x * pdf)
