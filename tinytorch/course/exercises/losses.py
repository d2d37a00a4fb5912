"""Module 04 exercises: softmax cross-entropy from logits, computed stably with log-sum-exp, and
its gradient `(softmax - onehot) / N`, both checked against tinytorch's fused op."""

import numpy as np

import tinytorch
import tinytorch.nn.functional as F
from tinytorch.course.checks import Check, Exercise, expect_close


def _strict(candidate, *args):
    """Run the learner's function with overflow, 0/0 and log(0) raising instead of giving inf/nan."""
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        return candidate(*args)


def _reference(logits, target):
    """tinytorch's fused cross-entropy: the mean loss and its gradient with respect to the logits."""
    z = tinytorch.tensor(logits, requires_grad=True)
    loss = F.cross_entropy(z, target)
    loss.backward()
    return loss.numpy(), z.grad.numpy()


# ----- the loss ----------------------------------------------------------------------------
def cross_entropy_solution(logits: np.ndarray, target: np.ndarray) -> float:
    """Mean over rows of -log softmax(logits)[target], with log-softmax by the log-sum-exp trick:
    log softmax(z) = (z - m) - log(sum exp(z - m)), m the row's max, so no exp overflows and
    no probability is rounded to 0 before its log is taken."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_probs[np.arange(len(target)), target].mean()


def _case(logits, target, part):
    logits, target = np.asarray(logits, np.float32), np.asarray(target, np.int64)

    def test(candidate):
        loss, grad = _reference(logits, target)
        actual = _strict(candidate, logits, target)
        if part == "loss":
            expect_close(np.asarray(actual, np.float64).reshape(()), loss, "the loss", rtol=1e-4, atol=1e-5)
        else:
            expect_close(actual, grad, "the gradient", rtol=1e-4, atol=1e-6)
    return test


_BATCH = (np.random.default_rng(4).normal(0, 2, size=(6, 5)), [0, 4, 2, 2, 1, 3])
_ONE = ([[2.0, 1.0, 0.1]], [0])
_LARGE = ([[1000.0, 0.0, -1000.0], [500.0, 1000.0, 0.0]], [2, 1])
_FAR = ([[0.0, -200.0, 5.0]], [1])

CROSS_ENTROPY = Exercise(
    name="CROSS_ENTROPY",
    checks=(
        Check("one row", _case(*_ONE, "loss"),
              "loss = -log(softmax(z)[target]) = -z[target] + log(sum e^z)."),
        Check("a batch: the mean over rows", _case(*_BATCH, "loss"),
              "Pick each row's own target, logits[np.arange(N), target] (not logits[:, target]), "
              "then average over the N rows."),
        Check("logits of 1000 stay finite", _case(*_LARGE, "loss"),
              "e^1000 overflows. Subtract each row's max before exp (keepdims=True)."),
        Check("a target 200 below the others", _case(*_FAR, "loss"),
              "softmax gives that class e^-205, which is 0 in float32, and log(0) = -inf. Never take the "
              "log of a probability: compute log-softmax directly, (z - m) - log(sum e^(z - m))."),
    ),
    solution=cross_entropy_solution,
)


# ----- its gradient ------------------------------------------------------------------------
def cross_entropy_grad_solution(logits: np.ndarray, target: np.ndarray) -> np.ndarray:
    """d(mean loss)/d(logits) = (softmax(logits) - onehot(target)) / N."""
    n = len(target)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    grad = e / e.sum(axis=1, keepdims=True)
    grad[np.arange(n), target] -= 1
    return grad / n


CROSS_ENTROPY_GRAD = Exercise(
    name="CROSS_ENTROPY_GRAD",
    checks=(
        Check("one row", _case(*_ONE, "grad"),
              "The gradient is softmax(z) - onehot(target): every class's probability, minus 1 on the "
              "target. It pushes the target's logit up and the others down."),
        Check("a batch: divided by N", _case(*_BATCH, "grad"),
              "The loss is a MEAN over N rows, so each row's gradient is divided by N."),
        Check("logits of 1000 stay finite", _case(*_LARGE, "grad"),
              "Compute the softmax with the row max subtracted first."),
        Check("a target 200 below the others", _case(*_FAR, "grad"),
              "The target's probability rounds to 0, which is fine here: its gradient is 0 - 1 = -1."),
    ),
    solution=cross_entropy_grad_solution,
)
