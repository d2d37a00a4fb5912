"""Find the course's notebooks in `apps/` and place each on the course map by its file name.

    apps/01_tensor.py                  module 1
    apps/milestone_1986_mlp.py         milestone 1986
    apps/playground.py                 an extra notebook (listed, not on the map)
    apps/_helpers.py, apps/utils.py    not notebooks (no marimo.App): bundled by marimo, not pages

Why file names: apps are being written by several people at once; the name is the one thing
each author controls that needs no registry to keep in sync. The page title comes from the
notebook's `marimo.App(app_title=...)` when set, else from the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MODULE = re.compile(r"^(?P<num>\d{2})_(?P<slug>[a-z0-9_]+)$")
MILESTONE = re.compile(r"^milestone_(?P<year>\d{4})_(?P<slug>[a-z0-9_]+)$")
APP_TITLE = re.compile(r"marimo\.App\([^)]*app_title\s*=\s*(?P<q>['\"])(?P<title>.+?)(?P=q)", re.S)


@dataclass(frozen=True)
class App:
    stem: str  # file name without .py; also the page's folder name
    path: Path
    kind: str  # "module" | "milestone" | "extra"
    number: int | None  # module number or milestone year
    title: str

    @property
    def key(self) -> str:
        """Stable id used for the learner's progress in localStorage."""
        if self.kind == "module":
            return f"module-{self.number:02d}"
        if self.kind == "milestone":
            return f"milestone-{self.number}"
        return f"app-{self.stem}"


def is_notebook(path: Path) -> bool:
    if path.suffix != ".py" or path.name.startswith(("_", ".")):
        return False
    text = path.read_text(encoding="utf-8", errors="replace")
    return "marimo.App(" in text and "@app.cell" in text


def describe(path: Path) -> App:
    stem = path.stem
    title_match = APP_TITLE.search(path.read_text(encoding="utf-8", errors="replace"))
    if m := MODULE.match(stem):
        kind, number, slug = "module", int(m["num"]), m["slug"]
    elif m := MILESTONE.match(stem):
        kind, number, slug = "milestone", int(m["year"]), m["slug"]
    else:
        kind, number, slug = "extra", None, stem
    title = title_match["title"] if title_match else slug.replace("_", " ").strip().capitalize()
    if number is not None:  # "01 · Tensor" -> "Tensor": the page shows the number beside it
        title = re.sub(rf"^0*{number}\b\s*[·:.\-–—]?\s*", "", title) or title
    return App(stem, path, kind, number, title)


def discover(apps_dir: Path) -> list[App]:
    """The notebooks directly in `apps_dir`: modules by number, milestones by year, then extras."""
    if not apps_dir.is_dir():
        return []
    found = [describe(p) for p in sorted(apps_dir.glob("*.py")) if is_notebook(p)]
    order = {"module": 0, "milestone": 1, "extra": 2}
    return sorted(found, key=lambda a: (order[a.kind], a.number or 0, a.stem))
