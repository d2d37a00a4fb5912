"""Module 07 exercises: the inner step of the training loop, and the accuracy of a batch.

`train_step` is checked by running it: the same model trained by the learner's step and by the
reference must end up with the same weights after every step. Answers may be numbers, arrays or
tensors: the checks compare values.
"""

import numpy as np

import tinytorch
import tinytorch.nn as nn
from tinytorch.core.training import accuracy as reference_accuracy
from tinytorch.course import toy
from tinytorch.course.checks import Check, Exercise, _as_array, expect_close


def train_step_solution(model, optimizer, loss_fn, x, y) -> float:
    """One step of gradient descent on the batch (x, y); returns the batch's loss."""
    optimizer.zero_grad()        # forget the previous batch's gradients (backward adds to .grad)
    loss = loss_fn(model(x), y)  # forward
    loss.backward()              # gradients of the loss for every parameter
    optimizer.step()             # move every parameter against its gradient
    return loss.item()


def _setup(seed: int = 0):
    """A small MLP with weights set from `seed` (not the global generator), its optimizer, loss
    and a batch of the moons dataset: identical each time it is called with the same seed."""
    model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 2))
    rng = np.random.default_rng(seed)
    with tinytorch.no_grad():
        for p in model.parameters():
            p[...] = rng.normal(scale=0.8, size=p.shape).astype(np.float32)
    optimizer = tinytorch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
    points, labels = toy.make_2d("moons", 64, noise=0.1, seed=seed)
    return model, optimizer, nn.CrossEntropyLoss(), tinytorch.tensor(points), tinytorch.tensor(labels)


def _as_float(value, what: str) -> float:
    if value is None:
        raise AssertionError(f"{what} is None: did the function forget to `return` the loss?")
    array = _as_array(value)
    if array.size != 1:
        raise AssertionError(f"{what} has shape {array.shape}: return one number, the loss")
    return float(array.reshape(()))


def _steps_case(steps: int, weights: bool = True):
    def test(candidate):
        mine, ref = _setup(), _setup()
        for k in range(1, steps + 1):
            got = _as_float(candidate(*mine), f"the value returned by step {k}")
            expected = train_step_solution(*ref)
            expect_close(got, expected, f"the loss returned by step {k}", rtol=1e-5)
            if not weights:
                continue
            for (name, p), q in zip(mine[0].named_parameters(), ref[0].parameters(), strict=True):
                expect_close(p, q, f"parameter {name} after step {k}", rtol=1e-4, atol=1e-6)
    return test


def _learns(candidate):
    model, optimizer, loss_fn, x, y = _setup(seed=1)
    losses = [_as_float(candidate(model, optimizer, loss_fn, x, y), "the loss") for _ in range(40)]
    if not losses[-1] < 0.7 * losses[0]:
        raise AssertionError(f"after 40 steps the loss went from {losses[0]:.4f} to {losses[-1]:.4f}: "
                             "it should fall by far more")


TRAIN_STEP = Exercise(
    name="TRAIN_STEP",
    checks=(
        Check("returns the loss of the batch, before the update", _steps_case(1, weights=False),
              "Compute loss = loss_fn(model(x), y) and return loss.item()."),
        Check("one step moves the weights", _steps_case(1),
              "After loss.backward(), optimizer.step() moves every parameter."),
        Check("three steps in a row match", _steps_case(3),
              "backward() ADDS to .grad: call optimizer.zero_grad() once per step, before "
              "backward (or after step), never between backward and step."),
        Check("the loss falls over 40 steps", _learns,
              "Forward, loss, backward, step: each step should lower the loss a little."),
    ),
    solution=train_step_solution,
)


def accuracy_solution(logits, labels) -> float:
    """Fraction of rows whose highest score is at the label's position."""
    predicted = logits.numpy().argmax(axis=1)
    return float((predicted == labels.numpy()).mean())


def _accuracy_case(logits, labels):
    def test(candidate):
        lt, yt = tinytorch.tensor(np.asarray(logits, dtype=np.float32)), tinytorch.tensor(labels)
        got = _as_float(candidate(lt, yt), "accuracy")
        expect_close(got, reference_accuracy(lt, yt), f"accuracy of {len(labels)} rows, "
                     f"{np.asarray(logits).shape[1]} classes")
    return test


_RNG = np.random.default_rng(7)

ACCURACY = Exercise(
    name="ACCURACY",
    checks=(
        Check("every prediction right", _accuracy_case([[2.0, -1.0], [0.1, 0.3], [-2.0, 5.0]], [0, 1, 1]),
              "The predicted class of a row is the position of its largest score: argmax along axis 1."),
        Check("a fraction, not a count",
              _accuracy_case([[1.0, 0.0]] * 5 + [[0.0, 1.0]] * 3, [0] * 4 + [1] * 4),
              "Divide the number right by the number of rows (or take the mean of the matches)."),
        Check("three classes, some wrong", _accuracy_case(_RNG.normal(size=(12, 3)), _RNG.integers(0, 3, 12)),
              "Compare the argmax of each row with its label."),
        Check("more rows than classes", _accuracy_case(
            [[1, 0], [0, 1], [2, 1], [0, 3], [1, 2], [3, 0], [0.5, 0.2]], [0, 1, 1, 0, 1, 0, 0]),
              "argmax along the class axis (axis=1), not down the batch (axis=0)."),
    ),
    solution=accuracy_solution,
)
