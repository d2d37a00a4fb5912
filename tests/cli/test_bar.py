"""The progress bar: rate and time left from the clock, one line per tenth when not a terminal."""

import io

import pytest

from tinytorch.cli.bar import Bar


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_rate_and_time_left_come_from_the_clock():
    clock, out = Clock(), io.StringIO()
    bar = Bar(200, "train", "batches", stream=out, clock=clock)
    clock.now += 10
    bar.update(50, "loss 1.234")
    line = out.getvalue().splitlines()[-1]
    assert "50/200 batches" in line and "5 batches/s" in line
    assert "elapsed 00:10" in line and "left 00:30" in line and "loss 1.234" in line


def test_a_pipe_gets_a_line_after_the_first_step_and_per_tenth_not_per_step():
    clock, out = Clock(), io.StringIO()
    bar = Bar(1000, stream=out, clock=clock)
    for _ in range(1000):
        clock.now += 0.01
        bar.update()
    bar.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == 11 and "\r" not in out.getvalue()
    assert "1/1000" in lines[0] and "100 steps/s" in lines[0] and "left 00:10" in lines[0]
    assert "100/1000" in lines[1] and "left 00:09" in lines[1]
    assert "1000/1000" in lines[-1] and "left 00:00" in lines[-1]


def test_a_terminal_gets_one_redrawn_line():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    out = Terminal()
    bar = Bar(3, stream=out, clock=Clock())
    for _ in range(3):
        bar.update()
    bar.close()
    assert out.getvalue().count("\r") == 3 and out.getvalue().endswith("\n")
    assert out.getvalue().count("\n") == 1


def test_an_empty_total_is_refused():
    with pytest.raises(ValueError, match="total >= 1"):
        Bar(0)


def test_a_long_quiet_stretch_still_gets_a_line_a_minute():
    clock, out = Clock(), io.StringIO()
    bar = Bar(10_000, stream=out, clock=clock)
    bar.update()
    clock.now += 61
    bar.update()
    assert len(out.getvalue().splitlines()) == 2
