"""Module 18 races loops, `@` and einsum, fused and unfused GELU and batch sizes, and times the
learner's vectorised weight gradient against the loops (the reference's while theirs fails)."""

from tests.apps.harness import APPS, Pressed, output_text, run_app
from tests.apps.quick import SETTINGS
from tinytorch.course.exercises.acceleration import conv2d_weight_grad_solution

APP = APPS / "18_acceleration.py"
BUTTONS = {name: Pressed() for name in ("kernel_button", "fusion_button", "batch_button", "exercise_button")}


def test_every_race_is_measured_and_the_learners_kernel_is_timed():
    solved = {"conv2d_weight_grad": conv2d_weight_grad_solution}
    outputs, names = run_app(APP, defs=BUTTONS | SETTINGS[APP.stem] | solved)
    kernels = names["kernel_results"]
    assert kernels["largest_n"] == max(SETTINGS[APP.stem]["budget"]["sizes"])
    assert kernels["einsum_over_matmul_ci_low"] <= kernels["einsum_over_matmul_largest"] <= kernels[
        "einsum_over_matmul_ci_high"]
    assert kernels["einsum_over_loops"] > 0 and kernels["matmul_over_loops"] > 0
    assert kernels["tinytorch_kernel"] == "blas" and kernels["measured_on"] == "native"
    fusion = names["fusion_results"]
    assert (fusion["fused_nodes"], fusion["unfused_nodes"]) == (1, 9)
    assert fusion["unfused_temporary_bytes"] > fusion["fused_temporary_bytes"] > 0
    assert fusion["fused_speedup"] > 0
    batches = names["batch_results"]
    assert batches["largest_over_smallest"] > 0 and batches["largest_batch"] == 8
    assert names["exercise_results"]["timed"] == "yours" and names["exercise_results"]["speedup"] > 0
    assert output_text(outputs).count("tt-results") == 4


def test_an_unsolved_exercise_times_the_reference_and_says_so():
    _, names = run_app(APP, defs=BUTTONS | SETTINGS[APP.stem])
    assert names["exercise_results"]["timed"] == "reference solution"
