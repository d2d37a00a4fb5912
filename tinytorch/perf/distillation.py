"""Knowledge distillation: a small student learns from a big teacher's soft predictions.

A trained teacher says more than the label: for a 7 it might give "7: 0.97, 1: 0.02, 9: 0.01",
which tells the student that this 7 looks a bit like a 1. Those small probabilities are
nearly invisible at temperature 1, so both sets of logits are divided by a temperature T > 1
before the softmax, which flattens the distributions and brings the "dark knowledge" out
(Hinton, Vinyals and Dean, 2015).

    loss = alpha * T^2 * KL(softmax(teacher / T) || softmax(student / T))
           + (1 - alpha) * cross_entropy(student, labels)

The T^2 keeps the soft term's gradients at the scale of the hard term's whatever T is (the
softened gradients shrink as 1/T^2). The teacher is a constant: no gradient reaches it.
"""

from __future__ import annotations

import numpy as np

from tinytorch.core.activations import log_softmax
from tinytorch.core.losses import cross_entropy
from tinytorch.core.tensor import Tensor


def distillation_loss(student_logits: Tensor, teacher_logits, targets, temperature: float = 4.0,
                      alpha: float = 0.9) -> Tensor:
    """Hinton's distillation loss for logits (N, C), averaged over the batch (see above)."""
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    if not 0 <= alpha <= 1:
        raise ValueError(f"alpha must be in [0, 1], got {alpha}")
    teacher = np.asarray(teacher_logits.data if isinstance(teacher_logits, Tensor)
                         else teacher_logits, dtype=student_logits.dtype)
    if teacher.shape != student_logits.shape or student_logits.ndim != 2:
        raise ValueError(f"distillation_loss needs student and teacher logits of one shape "
                         f"(N, C), got {student_logits.shape} and {teacher.shape}")
    scaled = teacher / temperature
    log_teacher = scaled - scaled.max(axis=-1, keepdims=True)
    log_teacher -= np.log(np.exp(log_teacher).sum(axis=-1, keepdims=True))
    log_student = log_softmax(student_logits / temperature, axis=-1)
    # KL(p || q) = sum p (log p - log q); the sum of p log p is a constant but keeps KL >= 0.
    kl = (Tensor(np.exp(log_teacher)) * (Tensor(log_teacher) - log_student)).sum(axis=-1).mean()
    soft = kl * (alpha * temperature ** 2)
    return soft if alpha == 1 else soft + cross_entropy(student_logits, targets) * (1 - alpha)


__all__ = ["distillation_loss"]
