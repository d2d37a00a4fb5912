"""Module 06 exercises: one step of SGD with momentum and one step of Adam, on NumPy arrays,
checked against tinytorch's optimizers over several steps.

The learner's functions return new arrays (they may also update the given ones in place):
the checks pass copies and compare the results with the weights and state of `tinytorch.optim`.
"""

import numpy as np

from tinytorch.core.module import Parameter
from tinytorch.core.tensor import Tensor
from tinytorch.course.checks import Check, Exercise, expect_close
from tinytorch.optim import SGD, Adam


def momentum_step_solution(w, g, velocity, lr, momentum):
    """v <- momentum * v + g, then w <- w - lr * v. Returns (w, velocity)."""
    velocity = momentum * velocity + g
    return w - lr * velocity, velocity


def adam_step_solution(w, g, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
    """Step number t (1 on the first step). Returns (w, m, v)."""
    beta1, beta2 = betas
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    m_hat = m / (1 - beta1**t)  # early averages start at 0: undo that bias
    v_hat = v / (1 - beta2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def _gradients(steps: int, shape=(4,), seed=0) -> list[np.ndarray]:
    """A different gradient each step, of mixed signs and sizes (some tiny, some large)."""
    rng = np.random.default_rng(seed)
    scale = np.logspace(-3, 1, int(np.prod(shape))).reshape(shape)
    return [rng.normal(size=shape) * scale for _ in range(steps)]


def _reference(make_optimizer, w0, grads):
    """Weights and state of a tinytorch optimizer after each gradient in `grads`."""
    p = Parameter(w0.copy())
    opt = make_optimizer([p])
    history = []
    for g in grads:
        p.grad = Tensor(g.copy())
        opt.step()
        history.append((p.data.copy(), {k: v.copy() for k, v in opt.state[id(p)].items()}))
    return history


def _momentum_case(steps, lr, momentum, state=False):
    def test(candidate):
        w0 = np.linspace(-1, 1, 4)
        grads = _gradients(steps)
        expected = _reference(lambda ps: SGD(ps, lr=lr, momentum=momentum), w0, grads)
        w, velocity = w0.copy(), np.zeros_like(w0)
        for k, (g, (w_ref, s_ref)) in enumerate(zip(grads, expected, strict=True), start=1):
            out = candidate(w.copy(), g.copy(), velocity.copy(), lr, momentum)
            if out is None:
                raise AssertionError("got None: did the function forget to `return w, velocity`?")
            w, velocity = (np.asarray(a, dtype=np.float64) for a in out)
            where = f"after step {k} (lr={lr}, momentum={momentum})"
            expect_close(w, w_ref, f"w {where}", rtol=1e-9)
            if state and momentum:
                expect_close(velocity, s_ref["velocity"], f"velocity {where}", rtol=1e-9)
    return test


MOMENTUM = Exercise(
    name="MOMENTUM",
    checks=(
        Check("momentum 0 is plain SGD", _momentum_case(3, 0.1, 0.0),
              "With momentum 0 the velocity is just `g`, and `w` moves by `-lr * g`."),
        Check("one step with momentum", _momentum_case(1, 0.1, 0.9),
              "The velocity starts at 0, so the first step is the same as plain SGD."),
        Check("five steps with momentum", _momentum_case(5, 0.05, 0.9),
              "Update the velocity first (`v = momentum * v + g`), then move `w` by `-lr * v`; "
              "return the new velocity so the next step can use it."),
        Check("the velocity is in gradient units, as in tinytorch and PyTorch",
              _momentum_case(4, 0.5, 0.8, state=True),
              "Keep lr out of the velocity: `v = momentum * v + g` (no `(1 - momentum)`, no `lr`)."),
    ),
    solution=momentum_step_solution,
)


def _adam_case(steps, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, state=False):
    def test(candidate):
        w0 = np.linspace(-1, 1, 4)
        grads = _gradients(steps, seed=1)
        expected = _reference(lambda ps: Adam(ps, lr=lr, betas=betas, eps=eps), w0, grads)
        w, m, v = w0.copy(), np.zeros_like(w0), np.zeros_like(w0)
        for t, (g, (w_ref, s_ref)) in enumerate(zip(grads, expected, strict=True), start=1):
            out = candidate(w.copy(), g.copy(), m.copy(), v.copy(), t, lr, betas, eps)
            if out is None:
                raise AssertionError("got None: did the function forget to `return w, m, v`?")
            w, m, v = (np.asarray(a, dtype=np.float64) for a in out)
            where = f"after step {t} (lr={lr}, betas={betas})"
            expect_close(w, w_ref, f"w {where}", rtol=1e-7, atol=1e-10)
            if state:
                expect_close(m, s_ref["m"], f"m {where}", rtol=1e-7, atol=1e-12)
                expect_close(v, s_ref["v"], f"v {where}", rtol=1e-7, atol=1e-14)
    return test


ADAM = Exercise(
    name="ADAM",
    checks=(
        Check("the first step moves each weight by about lr", _adam_case(1, lr=0.01),
              "On step 1, `m_hat = g` and `v_hat = g²`, so `w` moves by `lr * g / |g|`: divide `m` "
              "and `v` by `(1 - beta**t)` before using them."),
        Check("five steps", _adam_case(5),
              "m and v are running averages: `m = beta1 * m + (1 - beta1) * g`, "
              "`v = beta2 * v + (1 - beta2) * g²`."),
        Check("the moments m and v match tinytorch's state", _adam_case(3, state=True),
              "Return the moments themselves (not the bias-corrected m_hat, v_hat): the next "
              "step builds on them."),
        Check("other betas and learning rate", _adam_case(6, lr=0.1, betas=(0.5, 0.9), state=True),
              "Use the lr and betas you are given, not the defaults."),
        Check("a large eps (1e-3) is added to sqrt(v_hat)", _adam_case(2, lr=0.1, eps=1e-3),
              "Add eps outside the square root: `w -= lr * m_hat / (sqrt(v_hat) + eps)`."),
    ),
    solution=adam_step_solution,
)
