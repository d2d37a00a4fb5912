"""A progress bar for long runs: done/total, rate and time left, on stderr.

Why not tqdm: one dependency fewer for thirty lines, and the course's recipes only need
`update()`. On a terminal the bar redraws one line; elsewhere (a log file, CI, a test's pipe)
it prints a plain line after the first step (the rate, and so the time left, is known from
then on), at every tenth of the way and at least once a minute, so logs stay short.
"""

from __future__ import annotations

import sys
import time


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"


class Bar:
    """`total` of `unit` (a plural: "batches"); `update(n, note)` after each. `clock` is for tests."""

    WIDTH = 24
    QUIET_SECONDS = 60  # the longest a log goes without a line

    def __init__(self, total: int, label: str = "", unit: str = "steps", stream=None, clock=time.monotonic):
        if total < 1:
            raise ValueError(f"a progress bar needs total >= 1, got {total}")
        self.total, self.label, self.unit = total, label, unit
        self.stream = stream or sys.stderr
        self.clock, self.start = clock, clock()
        self.done, self.note = 0, ""
        self.live = getattr(self.stream, "isatty", lambda: False)()
        self._last_tenth, self._last_line = 0, self.start

    def update(self, n: int = 1, note: str = "") -> None:
        self.done = min(self.total, self.done + n)
        self.note = note or self.note
        if self.live:
            self.stream.write("\r" + self.line())
            self.stream.flush()
            return
        tenth, now = self.done * 10 // self.total, self.clock()
        if (tenth > self._last_tenth or self.done in (n, self.total)
                or now - self._last_line >= self.QUIET_SECONDS):
            self._last_tenth, self._last_line = tenth, now
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self.live:
            self.stream.write("\n")
            self.stream.flush()

    def line(self) -> str:
        elapsed = self.clock() - self.start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else None
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "." * (self.WIDTH - filled)
        parts = [f"{self.label} [{bar}] {self.done}/{self.total} {self.unit}".lstrip(),
                 f"{rate:.3g} {self.unit}/s", f"elapsed {_duration(elapsed)}",
                 f"left {_duration(left)}" if left is not None else "left ?"]
        return "  ".join(parts + ([self.note] if self.note else []))
