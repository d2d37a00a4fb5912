"""Module 07's exercises: the reference solutions pass every check, typical wrong answers fail at
least one, and the app's check cells report both outcomes. Also: the playground's training stops
cleanly when interrupted (marimo's stop button raises KeyboardInterrupt in the cell)."""

import numpy as np

from tests.apps.harness import APPS, Pressed, output_text, run_app
from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import training

APP = "07_training"


def _no_zero_grad(model, optimizer, loss_fn, x, y):
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def _zero_grad_before_step(model, optimizer, loss_fn, x, y):
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.zero_grad()
    optimizer.step()
    return loss.item()


def _no_step(model, optimizer, loss_fn, x, y):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    return loss.item()


def _loss_after_the_step(model, optimizer, loss_fn, x, y):
    training.train_step_solution(model, optimizer, loss_fn, x, y)
    return loss_fn(model(x), y).item()


def _no_return(model, optimizer, loss_fn, x, y):
    training.train_step_solution(model, optimizer, loss_fn, x, y)


CASES = [
    (training.TRAIN_STEP, APP, "train_step", [
        _no_zero_grad, _zero_grad_before_step, _no_step, _loss_after_the_step, _no_return]),
    (training.ACCURACY, APP, "accuracy", [
        lambda logits, labels: float((logits.numpy().argmax(axis=1) == labels.numpy()).sum()),  # count
        lambda logits, labels: float((logits.numpy().argmax(axis=0) == labels.numpy()).mean()),  # axis 0
        lambda logits, labels: float((logits.numpy().argmin(axis=1) == labels.numpy()).mean()),  # argmin
        lambda logits, labels: 100 * float((logits.numpy().argmax(axis=1) == labels.numpy()).mean()),  # %
        lambda logits, labels: float(np.mean(logits.numpy()[:, 1] > 0)),  # thresholds one score
    ]),
]


def test_solutions_pass_and_wrong_answers_fail():
    for exercise, _, _, wrong in CASES:
        assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP)


def test_training_stops_cleanly_when_interrupted():
    defs = run_app(APPS / f"{APP}.py")[1]

    class StopAtEpoch3(defs["LivePlayground"]):
        def on_epoch_end(self, trainer, epoch, logs):
            if epoch == 2:
                raise KeyboardInterrupt  # what marimo's stop button does to a running cell

    helpers = {name: defs[name] for name in ("ACTIVATIONS", "make_model", "playground")}
    outputs, _ = run_app(APPS / f"{APP}.py", defs={"train_button": Pressed(), "LivePlayground": StopAtEpoch3}
                         | helpers)
    text = output_text(outputs)
    assert "Stopped</strong> after epoch 3 of 100" in text and "validation accuracy" in text
