"""Events: what each serves, how it ranks, and the ratio the all-around score is made of."""

import numpy as np
import pytest

from tinytorch import datasets
from tinytorch.capstone.events import EVENTS, get_event


def test_each_event_ranks_by_a_figure_the_harness_measures():
    measured = {"accuracy", "p90_latency_s", "size_bytes", "tokens_per_s"}
    for event in EVENTS.values():
        assert event.metric in measured and event.better in ("lower", "higher")
        assert event.queries >= event.min_queries >= 3
        if event.quality == "accuracy":
            assert 0.1 < event.min_accuracy < 1 and event.max_val_loss is None
        else:
            assert event.min_accuracy is None and 0 < event.max_val_loss < np.log(event.task.classes)
    assert get_event("vision").max_p90_latency_s == 0.010
    assert get_event("vision").qualifies_with() == "accuracy >= 30%, p90 <= 10 ms"
    assert get_event("generation").qualifies_with().startswith("validation loss <= 2.4 nats/char")
    with pytest.raises(ValueError, match="no event 'sprint'; the events are latency"):
        get_event("sprint")


def test_ratios_are_above_one_when_better_in_either_direction():
    assert get_event("latency").ratio_to(1e-5, 4e-5) == pytest.approx(4.0)  # 4x faster
    assert get_event("vision").ratio_to(0.6, 0.5) == pytest.approx(1.2)    # 1.2x more accurate
    assert get_event("generation").ratio_to(500, 100) == pytest.approx(5.0)  # 5x the characters/s
    with pytest.raises(ValueError, match="positive"):
        get_event("lightweight").ratio_to(0, 100)


@pytest.mark.parametrize("event, shape", [("latency", (1, 28, 28)), ("vision", (3, 32, 32))])
def test_tasks_serve_float_images_in_unit_range_and_keep_labels_apart(event, shape):
    try:
        inputs, labels = get_event(event).task.load()
    except datasets.DatasetError as error:
        pytest.skip(f"dataset not available ({error}): set TINYTORCH_DATA")
    assert inputs.shape == (10_000, *shape) and inputs.dtype == np.float32
    assert 0 <= inputs.min() and inputs.max() <= 1
    assert labels.shape == (10_000,) and set(np.unique(labels)) == set(range(10))


def test_the_generation_task_holds_out_the_end_of_the_book():
    task = get_event("generation").task
    train, held_out = task.split()
    assert task.classes == 83 and len(train) + len(held_out) == len(task.text())
    assert len(held_out) == pytest.approx(0.1 * len(task.text()), abs=1)
    inputs, targets = task.load()
    assert inputs.shape == targets.shape == (64, 256) and inputs.dtype == np.int64
    np.testing.assert_array_equal(inputs[:, 1:], targets[:, :-1])  # each target is the next character
    assert task.tokenizer().decode(inputs[-1]) in task.text()[-len(task.text()) // 10 - 1:]
    for prompt, ids in zip(task.prompts, task.prompt_ids(), strict=True):
        assert task.tokenizer().decode(ids) == prompt and len(ids) + task.new_tokens <= task.window
