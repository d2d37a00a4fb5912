"""Module 06's exercises: the reference solutions pass every check, typical wrong answers fail at
least one, and the app's check cells report both outcomes."""

import numpy as np

from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import optimizers

APP = "06_optimizers"


def _adam(update_moments, correct_bias=True, eps_inside=False, return_hats=False):
    """Adam steps that get one thing wrong."""
    def step(w, g, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        b1, b2 = betas
        m, v = update_moments(m, v, g, b1, b2)
        m_hat, v_hat = (m / (1 - b1**t), v / (1 - b2**t)) if correct_bias else (m, v)
        with np.errstate(invalid="ignore"):  # v of g (not g²) may be negative
            denom = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
        w = w - lr * m_hat / denom
        return (w, m_hat, v_hat) if return_hats else (w, m, v)
    return step


def _moments(m, v, g, b1, b2):
    return b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g


def _counts_steps_from_zero(w, g, m, v, t, lr, betas, eps):
    with np.errstate(divide="ignore", invalid="ignore"):  # 1 - beta**0 is 0
        return optimizers.adam_step_solution(w, g, m, v, t - 1, lr, betas, eps)


CASES = [
    (optimizers.MOMENTUM, APP, "momentum_step", [
        lambda w, g, v, lr, mu: (w - lr * (mu * v + g), v),                          # never updates v
        lambda w, g, v, lr, mu: (w - lr * (mu * v + (1 - mu) * g), mu * v + (1 - mu) * g),  # dampened
        lambda w, g, v, lr, mu: (w - (mu * v + lr * g), mu * v + lr * g),             # lr inside v
        lambda w, g, v, lr, mu: (w - lr * g, mu * v + g),                             # steps with g
        lambda w, g, v, lr, mu: (w - lr * v, mu * v + g),                             # uses the old v
    ]),
    (optimizers.ADAM, APP, "adam_step", [
        _adam(_moments, correct_bias=False),                                          # no bias correction
        _adam(_moments, eps_inside=True),                                             # eps under the root
        _adam(_moments, return_hats=True),                                            # returns m_hat, v_hat
        _adam(lambda m, v, g, b1, b2: (b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g)),  # v of g, not g²
        _adam(lambda m, v, g, b1, b2: (b2 * m + (1 - b2) * g, b1 * v + (1 - b1) * g * g)),  # betas swapped
        lambda w, g, m, v, t, lr, betas, eps: optimizers.adam_step_solution(w, g, m, v, t),  # defaults
        _counts_steps_from_zero,
    ]),
]


def test_solutions_pass_and_wrong_answers_fail():
    for exercise, _, _, wrong in CASES:
        assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP)
