"""Module 07's exercises: the reference solutions pass every check, typical wrong answers fail at
least one, and the app's check cells report both outcomes. Also: a stopped playground run still
ends in a verdict, marked as stopped."""

import types

import numpy as np

from tests.apps.harness import APPS, Pressed, output_text, run_app, with_replaced
from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course import live
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


def test_a_stopped_run_still_ends_in_a_verdict_marked_stopped():
    """The learner presses Stop (the live display's button, or marimo's ■) mid-run: training
    ends after that batch and the cell still grades the model, saying it was stopped."""

    class StopAtBatch7(live.LiveTraining):
        def on_batch_end(self, trainer, batch, loss):
            if self.done == 6:
                self.stop.request("Stop")
            super().on_batch_end(trainer, batch, loss)

    path = APPS / f"{APP}.py"
    stopping = types.SimpleNamespace(LiveTraining=StopAtBatch7)
    defs = with_replaced(path, run_app(path)[1], live=stopping)
    outputs, _ = run_app(path, defs={"train_button": Pressed(), **defs})
    text = output_text(outputs)
    assert "Stopped</strong> after 7 of " in text and "validation accuracy" in text
