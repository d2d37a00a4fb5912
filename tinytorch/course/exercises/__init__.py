"""The exercises of each course module: checks plus a reference solution, one file per module.

`IN_APPS` says which exercises each app holds and the name of what the learner writes for
each. Why a table rather than reading the apps' check cells: `tinytorch check 05` must find
the learner's function in *their* copy of the app, whatever else they changed in it, and the
names here are the stable identifiers the progress record keeps (the exercise's variable name
in its module). `tests/course/exercises/test_init.py` fails when an app disagrees.
"""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass

from tinytorch.course.checks import Exercise


@dataclass(frozen=True)
class InApp:
    """One exercise of an app: `exercise` names the `Exercise` in
    `tinytorch.course.exercises.<module>`, `learner_writes` the function or class the
    learner's cell defines."""

    module: str
    exercise: str
    learner_writes: str

    def load(self) -> Exercise:
        return getattr(importlib.import_module(f"{__name__}.{self.module}"), self.exercise)


def _app(module: str, *pairs: tuple[str, str]) -> tuple[InApp, ...]:
    return tuple(InApp(module, exercise, writes) for exercise, writes in pairs)


# course map key -> the app's exercises, in the order the app asks for them
IN_APPS: dict[str, tuple[InApp, ...]] = {
    "module-01": _app("tensor", ("BROADCAST", "broadcast_shape"), ("STRIDES", "strides")),
    "module-02": _app("activations", ("SIGMOID", "sigmoid_forward_backward"), ("SOFTMAX", "stable_softmax")),
    "module-03": _app("layers", ("LINEAR", "linear_forward"), ("COUNT", "count_parameters")),
    "module-04": _app("losses", ("CROSS_ENTROPY", "cross_entropy"),
                      ("CROSS_ENTROPY_GRAD", "cross_entropy_grad")),
    "module-05": _app("autograd", ("SILU_BACKWARD", "MySiLU"), ("BACKWARD_ORDER", "backward_order")),
    "module-06": _app("optimizers", ("MOMENTUM", "momentum_step"), ("ADAM", "adam_step")),
    "module-07": _app("training", ("TRAIN_STEP", "train_step"), ("ACCURACY", "accuracy")),
    "module-08": _app("dataloader", ("BATCH_INDICES", "batch_indices")),
    "module-09": _app("convolutions", ("CONV2D_LOOPS", "conv2d_loops"),
                      ("CONV2D_VECTORISED", "conv2d_vectorised")),
    "module-10": _app("tokenization", ("MERGE_STEP", "merge_step")),
    "module-11": _app("embeddings", ("EMBEDDING_BACKWARD", "embedding_backward")),
    "module-12": _app("attention", ("ATTENTION", "attention")),
    "module-13": _app("transformer", ("BLOCK_FORWARD", "block_forward")),
    "module-14": _app("profiling", ("CONV2D_FLOPS", "conv2d_flops")),
    "module-15": _app("quantization", ("QUANTIZE", "quantize_int8"), ("DEQUANTIZE", "dequantize_int8")),
    "module-16": _app("compression", ("MAGNITUDE_PRUNE", "magnitude_prune_mask")),
    "module-17": _app("memoization", ("CACHE_UPDATE", "cache_update")),
    "module-18": _app("acceleration", ("CONV2D_WEIGHT_GRAD", "conv2d_weight_grad")),
    "module-19": _app("benchmarking", ("BOOTSTRAP_INTERVAL", "bootstrap_interval")),
    "milestone-1957": _app("perceptron", ("PREDICT", "predict"), ("UPDATE", "update")),
    "milestone-1969": _app("xor", ("XOR_WEIGHTS", "xor_weights")),
    "milestone-1986": _app("mlp", ("CONFUSION", "confusion_matrix"), ("TRAIN_STEP", "train_step")),
    "milestone-1998": _app("cnn", ("OUTPUT_SIZE", "conv_output_size"),
                           ("SHARED_WEIGHTS", "conv_vs_linear_parameters")),
}


def checked_in(source: str) -> dict[str, Exercise]:
    """The exercises an app's source checks with `checks.feedback(<module>.<EXERCISE>, ...)`,
    by name: the exercises the app records, which the course map counts.

    Why read the source: the course map is built without running any app, and the calls that
    record are what count, so an exercise module shared by two apps is counted where it is
    checked. The modules are the ones the app imports from this package
    (`from tinytorch.course.exercises import tensor as exercises`)."""
    tree = ast.parse(source)
    modules = {alias.asname or alias.name: f"{__name__}.{alias.name}"
               for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == __name__
               for alias in node.names}
    found: dict[str, Exercise] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "feedback" and node.args):
            continue
        first = node.args[0]
        if (isinstance(first, ast.Attribute) and isinstance(first.value, ast.Name)
                and first.value.id in modules):
            exercise = getattr(importlib.import_module(modules[first.value.id]), first.attr)
            found[exercise.name] = exercise
    return found
