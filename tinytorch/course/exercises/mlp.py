"""Milestone 1986 exercises: the confusion matrix that grades a classifier, and the training
step that backpropagation made possible.

The training step is checked against the reference on a small tinytorch network: same
initial weights, same batch, plain SGD, so one step (and a second one) must leave exactly the
same weights.
"""

import numpy as np

import tinytorch
import tinytorch.nn as nn
import tinytorch.nn.functional as F
from tinytorch.course.checks import Check, Exercise, _as_array, expect_close


def confusion_matrix_solution(predicted, actual, num_classes):
    """matrix[i, j] counts the samples of true class i that were predicted as class j."""
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (np.asarray(actual), np.asarray(predicted)), 1)
    return matrix


def _confusion_case(predicted, actual, num_classes, what):
    def test(candidate):
        got = candidate(np.array(predicted), np.array(actual), num_classes)
        if got is None:
            raise AssertionError("got None: did the function forget to `return` the matrix?")
        expect_close(np.asarray(got), confusion_matrix_solution(predicted, actual, num_classes), what)
    return test


def _random_confusion(candidate):
    rng = np.random.default_rng(0)
    actual = rng.integers(0, 10, 500)
    predicted = np.where(rng.random(500) < 0.8, actual, rng.integers(0, 10, 500))
    _confusion_case(predicted, actual, 10, "the matrix of 500 predictions")(candidate)


CONFUSION = Exercise(
    name="CONFUSION",
    checks=(
        Check("all right", _confusion_case([0, 1, 2], [0, 1, 2], 3, "the matrix"),
              "Correct predictions land on the diagonal: matrix[c, c]."),
        Check("rows are the true class", _confusion_case([1], [0], 2, "the matrix for true 0, predicted 1"),
              "Row = the true class (actual), column = the prediction: matrix[actual, predicted]."),
        Check("repeated pairs are all counted", _confusion_case([1, 1, 1], [0, 0, 0], 2, "the matrix"),
              "matrix[a, p] += 1 with index arrays adds only once per distinct pair: loop, or use "
              "np.add.at(matrix, (actual, predicted), 1)."),
        Check("counts, not fractions", _confusion_case([0, 0, 1, 1], [0, 1, 1, 1], 2, "the matrix"),
              "Count samples (integers); do not normalise the rows."),
        Check("ten classes, 500 predictions", _random_confusion,
              "The matrix is num_classes x num_classes and its entries add up to the number of samples."),
    ),
    solution=confusion_matrix_solution,
)


def train_step_solution(model, optimizer, x, y):
    """One step of minibatch training: forward, loss, clear old gradients, backpropagate,
    update. Returns the batch's loss as a Python float (not the tensor, which would keep the
    whole graph of the step alive)."""
    loss = F.cross_entropy(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


def _setup(seed=0):
    tinytorch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 4))
    rng = np.random.default_rng(seed)
    x = tinytorch.tensor(rng.normal(size=(32, 6)).astype(np.float32))
    y = tinytorch.tensor(rng.integers(0, 4, 32))
    return model, tinytorch.optim.SGD(model.parameters(), lr=0.1), x, y


def _weights(model):
    return [p.numpy().copy() for p in model.parameters()]


def _after_steps(candidate, steps):
    model, optimizer, x, y = _setup()
    losses = [candidate(model, optimizer, x, y) for _ in range(steps)]
    reference, ref_optimizer, rx, ry = _setup()
    expected = [train_step_solution(reference, ref_optimizer, rx, ry) for _ in range(steps)]
    return model, losses, reference, expected


def _same_weights(model, reference, when):
    for (name, got), want in zip(model.named_parameters(), reference.parameters(), strict=True):
        expect_close(got, want, f"{name} {when}", rtol=1e-4, atol=1e-6)


def _returns_float(candidate):
    _, losses, _, expected = _after_steps(candidate, 1)
    if not isinstance(losses[0], float):
        raise AssertionError(f"returned a {type(losses[0]).__name__}; return loss.item(), a Python float")
    expect_close(losses[0], expected[0], "the returned loss")


def _one_step(candidate):
    model, _, reference, _ = _after_steps(candidate, 1)
    before = _weights(_setup()[0])
    if all(np.array_equal(a, b) for a, b in zip(_weights(model), before, strict=True)):
        raise AssertionError("the weights did not change: no optimizer.step() after loss.backward()?")
    _same_weights(model, reference, "after one step")


def _two_steps(candidate):
    model, _, reference, _ = _after_steps(candidate, 2)
    _same_weights(model, reference, "after two steps")


def _learns(candidate):
    model, optimizer, x, _ = _setup(1)
    y = tinytorch.tensor(x.numpy()[:, :4].argmax(axis=1))  # a rule the network can learn
    losses = [float(np.asarray(_as_array(candidate(model, optimizer, x, y)))) for _ in range(100)]
    if not losses[-1] < 0.5 * losses[0]:
        raise AssertionError(f"after 100 steps on one batch the loss went from {losses[0]:.3f} to "
                             f"{losses[-1]:.3f}; it should at least halve")


TRAIN_STEP = Exercise(
    name="TRAIN_STEP",
    checks=(
        Check("returns the loss as a float", _returns_float,
              "Compute loss = F.cross_entropy(model(x), y) and return loss.item()."),
        Check("one step moves the weights like SGD", _one_step,
              "optimizer.zero_grad(), then loss.backward(), then optimizer.step(), in that order."),
        Check("two steps in a row", _two_steps,
              "Gradients add up across backward() calls: clear them with optimizer.zero_grad() every step."),
        Check("the loss goes down", _learns,
              "Each step must use the gradient of this batch's loss to update the weights."),
    ),
    solution=train_step_solution,
)
