"""Headless Chromium (Debian's, through Playwright) for the site tests and benchmarks.

Not used by the build. Why it exists: "the app runs" and "no request leaves 127.0.0.1" can only
be shown in a real browser, and the tests and `bench/bench_site.py` must measure the same way.

Every request of the browser context (pages, iframes, and their Pyodide web workers) passes
through one route handler: requests to the allowed local origins go ahead, all others are
aborted and recorded. As a second wall, Chromium resolves no host name but 127.0.0.1
(`--host-resolver-rules`), so nothing unrecorded can leave either.

Playwright's own browser download is never used (`playwright install` is not needed): the
executable is `/usr/bin/chromium`, or `TINYTORCH_CHROMIUM`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from wasm.page import KERNEL_WATCH_SCRIPT

CHROMIUM = Path(os.environ.get("TINYTORCH_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
RESULT_MARKER = "FIXTURE_RESULT"
# How marimo 0.25.2 shows a failed cell: edit mode marks the cell; run mode renders nothing
# for it and logs the traceback to the console as "[STDERR] ... Traceback ...".
ERROR_CELL = ".marimo-cell.has-error"
TRACEBACK = "Traceback (most recent call last)"
# Outputs only: in edit mode the marker also appears in the code editor, which proves nothing.
_OUTPUTS = "[...document.querySelectorAll('.output-area')].map((e) => e.innerText)"
# marimo 0.25.2 shows "large-spinner" while Pyodide boots and "loading-indicator" while the
# kernel runs cells. Between the two, while micropip installs the app's packages, neither is on
# the page and no output has text yet, so "finished" also needs an output.
_BUSY = '[data-testid="large-spinner"], [data-testid="loading-indicator"]'
# Edit mode only: cells not yet run, and each cell's status.
_NEEDS_RUN = ".marimo-cell.needs-run"
_RUNNING = ", ".join(f'[data-testid="cell-status"][data-status="{s}"]' for s in ("queued", "running"))
# The site's pages show outputs pre-rendered at build time while Pyodide boots, so an output
# on the page proves nothing about the browser having run a cell. What does: messages from
# marimo's kernel, which every page of the site counts in `window.__ttKernel` (the script is
# `wasm.page.KERNEL_WATCH_SCRIPT`; the browser installs it before the page's own scripts, so
# a page of any origin is watched from its start). (The kernel says "ready" some seconds before
# it queues any cell, while it installs packages: a quiet kernel alone does not mean it has
# finished.)
# Finished: the kernel has reported cells, none is queued or running, it has been quiet for the
# given milliseconds, and no busy indicator, cell waiting to run or running cell is on the page.
_IDLE = (f"(quietMs) => {{ const k = window.__ttKernel; return !!k && k.cellOps > 0 && "
         f"Object.keys(k.busy).length === 0 && performance.now() - k.last >= quietMs && "
         f"!document.querySelector({(_BUSY + ', ' + _NEEDS_RUN + ', ' + _RUNNING)!r}) && "
         f"{_OUTPUTS}.some((t) => t.trim() !== ''); }}")


def missing() -> str | None:
    """Why the browser tests cannot run here, naming what to install and where; None if they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (
            "the Python package playwright is missing: pip install playwright "
            "(no `playwright install`: the tests drive Debian's /usr/bin/chromium)"
        )
    if not CHROMIUM.is_file():
        return (
            f"no Chromium at {CHROMIUM}: apt-get install chromium "
            f"(or point TINYTORCH_CHROMIUM at a Chromium executable)"
        )
    return None


@dataclass
class NetLog:
    allowed: list[str]
    blocked: list[str] = field(default_factory=list)  # aborted by the route handler
    seen: list[str] = field(default_factory=list)  # every request the context reported
    failed: list[str] = field(default_factory=list)  # local responses >= 400 and failed requests

    def is_local(self, url: str) -> bool:
        return url.startswith(("data:", "blob:")) or any(url.startswith(o) for o in self.allowed)

    def outside(self) -> list[str]:
        """Every URL requested that is not on an allowed local origin (must be empty)."""
        return sorted({u for u in self.blocked + self.seen if not self.is_local(u)})


class _Driver:
    """One Playwright driver per process, shared by every open Browser: Playwright's sync API
    cannot be started a second time in a thread where it runs, and a test may open a browser of
    its own while a module's shared browser (kept open between tests) is still open."""

    def __init__(self):
        self.playwright, self.users = None, 0

    def acquire(self):
        if self.users == 0:
            from playwright.sync_api import sync_playwright

            self.playwright = sync_playwright().start()
        self.users += 1
        return self.playwright

    def release(self) -> None:
        self.users -= 1
        if self.users == 0:
            self.playwright.stop()
            self.playwright = None


_DRIVER = _Driver()


class Browser:
    """with Browser([origin, ...]) as b: page = b.page(); ...; b.net.outside(); b.memory()"""

    def __init__(self, allowed_origins: list[str], timeout_s: float = 240, profile: Path | None = None,
                 cache: bool = False):
        """profile: a Chromium user-data folder to use and keep (a later Browser on it sees the
        same localStorage, as after a browser restart); default: a fresh one, deleted on exit.

        cache: let Chromium keep what it downloaded and compiled (its HTTP cache and its code
        cache for JavaScript and WebAssembly) between the pages of this browser, as a learner's
        browser does between visits. Requests are then watched, not routed (Playwright's routing
        turns the HTTP cache off): every request the browser reports, served from its cache or
        not, is still in `net.seen`, so `net.outside()` stays exact, and no host but 127.0.0.1
        resolves, so none can leave."""
        self.net = NetLog(list(allowed_origins))
        self.timeout_ms = timeout_s * 1000
        self.console: list[str] = []
        self.profile = profile
        self.cache = cache

    def __enter__(self) -> Browser:
        if self.profile is not None:
            self.profile.mkdir(parents=True, exist_ok=True)
            self._udd = str(self.profile)
        else:
            self._udd = tempfile.mkdtemp(prefix="tinytorch-chromium-")
        playwright = _DRIVER.acquire()
        try:
            self.context = playwright.chromium.launch_persistent_context(
                self._udd, executable_path=str(CHROMIUM), headless=True, args=FLAGS
            )
        except BaseException:
            _DRIVER.release()
            raise
        self.context.set_default_timeout(self.timeout_ms)
        self.context.add_init_script(KERNEL_WATCH_SCRIPT)
        if not self.cache:
            self.context.route("**/*", self._route)
        self.context.on("request", lambda r: self.net.seen.append(r.url))
        self.context.on("requestfailed", lambda r: self.net.failed.append(f"failed {r.url}"))
        self.context.on(
            "response", lambda r: r.status >= 400 and self.net.failed.append(f"{r.status} {r.url}")
        )
        return self

    def _route(self, route):
        url = route.request.url
        if self.net.is_local(url):
            route.continue_()
        else:
            self.net.blocked.append(url)
            route.abort()

    def page(self):
        page = self.context.new_page()
        t0 = time.perf_counter()
        page.on(
            "console", lambda m: self.console.append(f"{time.perf_counter() - t0:7.2f} {m.type}: {m.text}")
        )
        page.on("pageerror", lambda e: self.console.append(f"{time.perf_counter() - t0:7.2f} PAGEERROR: {e}"))
        return page

    def next_visit(self):
        """A new page, with a fresh request log and console, after closing this browser's other
        pages: one visit of several that share the browser (and, with `cache`, its caches)."""
        page = self.page()
        for other in self.context.pages:
            if other is not page:
                other.close()
        self.net = NetLog(self.net.allowed)
        self.console = []
        return page

    def memory(self) -> dict[str, float]:
        """Resident memory of all this browser's processes, MB: summed RSS and summed PSS."""
        rss = pss = 0
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                if self._udd.encode() not in Path(f"/proc/{pid}/cmdline").read_bytes():
                    continue
                rss += _kb(Path(f"/proc/{pid}/status").read_text(), "VmRSS:")
                pss += _kb(Path(f"/proc/{pid}/smaps_rollup").read_text(), "Pss:")
            except OSError:
                continue
        return {"rss_mb": round(rss / 1024, 1), "pss_mb": round(pss / 1024, 1)}

    def __exit__(self, *exc):
        try:
            self.context.close()
        finally:
            _DRIVER.release()
            if self.profile is None:
                shutil.rmtree(self._udd, ignore_errors=True)


def _kb(text: str, key: str) -> int:
    for line in text.splitlines():
        if line.startswith(key):
            return int(line.split()[1])
    return 0


def wait_for_output(frame, marker: str | None = RESULT_MARKER, timeout_s: float = 240) -> float:
    """Seconds until an output containing `marker` (None: any non-empty output) shows in `frame`,
    a page or an iframe's frame: what a learner first sees, pre-rendered by the build or drawn by
    the browser's own run (which `wait_until_idle` waits for). Both views run every cell on open."""
    t0 = time.perf_counter()
    test = f"t.includes({marker!r})" if marker is not None else "t.trim() !== ''"
    remaining = max(t0 + timeout_s - time.perf_counter(), 1)
    try:
        frame.wait_for_function(f"() => {_OUTPUTS}.some((t) => {test})", timeout=remaining * 1000)
    except Exception as e:
        raise TimeoutError(f"no output {'with ' + repr(marker) + ' ' if marker else ''}within "
                           f"{timeout_s:.0f} s") from e
    return time.perf_counter() - t0


def wait_until_idle(frame, timeout_s: float = 240, quiet_s: float = 3.0, since: float | None = None) -> float:
    """Seconds until the notebook in `frame` has finished running in the browser: its kernel
    has reported on cells and none is queued or running (pre-rendered outputs do not count), an
    output has text, and marimo's busy indicators, cells waiting to run, running cells and
    kernel messages have stayed away for `quiet_s` seconds (the indicator can blink off between
    two cells, so one look is not enough). Both views run every cell on open. `since`: a
    `time.perf_counter()` reading to count from, e.g. taken before navigating (default: now)."""
    t0 = time.perf_counter() if since is None else since
    idle_since = None
    while (now := time.perf_counter()) < t0 + timeout_s:
        if frame.evaluate(_IDLE, 1000):
            idle_since = idle_since or now
            if now - idle_since >= quiet_s:
                # finished when the kernel sent its last message
                return now - frame.evaluate("() => performance.now() - window.__ttKernel.last") / 1000 - t0
        else:
            idle_since = None
        time.sleep(0.25)
    raise TimeoutError(f"the notebook was still running after {timeout_s:.0f} s")


def kernel_messages(frame) -> int:
    """How many messages the browser's marimo kernel has sent to `frame` (0: it has not run a
    cell yet, so any output on the page was pre-rendered by the build)."""
    return frame.evaluate("() => window.__ttKernel.messages")


def open_and_run(page, url: str, timeout_s: float = 240) -> float:
    """Navigate `page` to a notebook and wait until every cell has run; seconds from navigation."""
    t0 = time.perf_counter()
    page.goto(url)
    return wait_until_idle(page, timeout_s, since=t0)


def cell_errors(frame, console: list[str]) -> list[str]:
    """Failed cells: error-marked cells in `frame` plus tracebacks marimo logged to `console`."""
    marked = frame.locator(ERROR_CELL).all_inner_texts()
    return [t.strip() for t in marked] + [line for line in console if TRACEBACK in line]


def output_line(frame, marker: str = RESULT_MARKER) -> str:
    """The first line of the outputs that contains `marker` ("" when none does)."""
    return frame.evaluate(
        f"() => {_OUTPUTS}.flatMap((t) => t.split('\\n')).find((l) => l.includes({marker!r})) || ''"
    )
