"""LiveSteps: LiveTraining's display for a plain loop counts steps, honours a stop request and
says how the run ended in its own unit."""

import pytest

from tinytorch.course.live_steps import LiveSteps


def test_a_finished_run_counts_its_steps_and_says_done():
    with LiveSteps(total=5, title="Training BPE", unit="merge") as run:
        assert all(run.step() for _ in range(5))
    assert run.done == 5 and not run.stopped and not run.running
    assert run.status().startswith("**Done**: 5 merges in")


def test_a_stop_request_ends_the_loop_and_is_reported():
    with LiveSteps(total=10, title="Training BPE", unit="merge") as run:
        for k in range(10):
            if k == 3:
                run.stop.request("Stop")
            if not run.step():
                break
    assert run.done == 4 and run.stopped
    assert run.status().startswith("**Stopped** after 4 of 10 merges")


def test_while_running_the_status_names_the_unit():
    with LiveSteps(total=3, title="Sweep", unit="size") as run:
        run.step()
        assert run.status().startswith("**Sweep**: size 1 / 3")


def test_more_steps_than_announced_is_an_error():
    with LiveSteps(total=1, title="Sweep") as run:
        run.step()
        with pytest.raises(RuntimeError, match="step 2 of a run of 1"):
            run.step()
