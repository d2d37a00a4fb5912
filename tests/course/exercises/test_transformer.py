"""Module 13's exercise: the reference block forward passes every check, typical wrong answers
fail at least one, and the app's check cell reports both outcomes."""

from tests.apps.quick import SETTINGS
from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import transformer

APP = "13_transformers"


def _post_norm(block, x):
    x = block.ln1(x + block.attn(x, causal=True)[0])
    return block.ln2(x + block.mlp(x))


def _no_residual(block, x):
    x = block.attn(block.ln1(x), causal=True)[0]
    return block.mlp(block.ln2(x))


def _not_causal(block, x):
    x = x + block.attn(block.ln1(x))[0]
    return x + block.mlp(block.ln2(x))


def _one_norm_for_both(block, x):
    x = x + block.attn(block.ln1(x), causal=True)[0]
    return x + block.mlp(block.ln1(x))


def _mlp_reads_the_block_input(block, x):
    attended = block.attn(block.ln1(x), causal=True)[0]
    return x + attended + block.mlp(block.ln2(x))


def _in_numpy(block, x):
    return transformer.block_forward_solution(block, x).numpy()


CASES = [(transformer.BLOCK_FORWARD, APP, "block_forward", [
    _post_norm, _no_residual, _not_causal, _one_norm_for_both, _mlp_reads_the_block_input, _in_numpy])]


def test_solution_passes_and_wrong_answers_fail():
    for exercise, _, _, wrong in CASES:
        assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP, defs=SETTINGS[APP])
