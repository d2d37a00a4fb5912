"""Every milestone of the course map has a bar with its source, and a bar is met only by a
finite figure on the right side of it."""

import math

import pytest

from tinytorch.course import course_map
from tinytorch.course.milestone_goals import GOALS, achieved, goal


def test_every_milestone_has_a_goal_with_a_source():
    milestones = {e.key for e in course_map.path() if e.kind == "milestone"}
    assert {g.key for g in GOALS} == milestones
    assert all(g.source and g.text and g.how for g in GOALS)


def test_a_bar_is_met_on_its_side_only():
    accuracy = goal("milestone-1986")
    assert accuracy.met({"test_accuracy": 0.95}) and not accuracy.met({"test_accuracy": 0.9499})
    loss = goal("milestone-2017", "moby_dick")
    assert loss.met({"moby_dick_val_loss": 2.2}) and not loss.met({"moby_dick_val_loss": 2.21})
    assert not loss.met({"moby_dick_val_loss": math.nan}) and not loss.met({})


def test_1998_has_a_bar_per_dataset():
    assert goal("milestone-1998", "mnist").figure == "mnist_test_accuracy"
    assert achieved("milestone-1998", {"cifar10_test_accuracy": 0.8})
    assert achieved("milestone-1998", {"mnist_test_accuracy": 0.98})
    assert not achieved("milestone-1998", {"mnist_test_accuracy": 0.9799, "cifar10_test_accuracy": 0.7})
    with pytest.raises(KeyError, match="no goal"):
        goal("milestone-1998", "imagenet")


def test_2017_has_a_bar_per_corpus_the_app_trains_on():
    assert achieved("milestone-2017", {"shakespeare_sonnets_val_loss": 2.1})
    assert not achieved("milestone-2017", {"shakespeare_sonnets_val_loss": 2.3, "moby_dick_val_loss": 2.25})
    assert goal("milestone-2017", "moby_dick").how == "tinytorch milestone run 2017"
