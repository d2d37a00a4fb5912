"""The learner's record: which exercises passed, which modules were read, which milestones
were achieved and with what measured figures.

Why one module for both places a learner works: the course runs in the browser (where the
record lives in the page's localStorage as JSON text) and locally (where `tinytorch progress`
keeps it in one JSON file in the user's data folder). Both hold the same document, made and
read by the pure functions here, so a record means the same thing wherever it was written.

Progress is recorded from what the learner did, never claimed: an exercise counts when its
checks ran and all passed, a milestone when its measured figures met its bar.

The document (version 1):

    {"format": "tinytorch-progress", "version": 1,
     "exercises": {"module-05": {"graph_backward": {"passed": 4, "total": 4, "date": "..."}}},
     "read": {"module-01": "..."},
     "milestones": {"milestone-1986": {"achieved": true, "figures": {"test_accuracy": 0.962},
                                       "date": "..."}}}
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from tinytorch.course import course_map

FORMAT = "tinytorch-progress"
VERSION = 1


class RecordError(ValueError):
    """A progress document that is not one: the message names what is wrong."""


def empty() -> dict:
    return {"format": FORMAT, "version": VERSION, "exercises": {}, "read": {}, "milestones": {}}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _known_key(key: str) -> str:
    """The course map's key for `key` ("05", "1986", "module-05"...); a typo is an error, not a
    record nobody reads."""
    try:
        return course_map.entry(key).key
    except KeyError as error:
        raise RecordError(error.args[0]) from None


def record_exercise(record: dict, key: str, exercise: str, passed: int, total: int,
                    when: str | None = None) -> dict:
    """A new record with the outcome of one run of an exercise's checks. The latest run counts:
    an exercise that passed and was then broken again is no longer passed."""
    if not exercise:
        raise RecordError("an exercise needs a name")
    if not (isinstance(passed, int) and isinstance(total, int) and 0 <= passed <= total and total > 0):
        raise RecordError(f"checks passed must be 0..total with total > 0, got {passed}/{total}")
    new = validate(record)
    by_module = dict(new["exercises"].get(_known_key(key), {}))
    by_module[exercise] = {"passed": passed, "total": total, "date": when or _now()}
    new["exercises"] = {**new["exercises"], _known_key(key): by_module}
    return new


def mark_read(record: dict, key: str, when: str | None = None) -> dict:
    """A new record with a reading-only module marked as read (the course map's checkbox)."""
    new = validate(record)
    new["read"] = {**new["read"], _known_key(key): when or _now()}
    return new


def record_milestone(record: dict, key: str, figures: dict, achieved: bool,
                     when: str | None = None) -> dict:
    """A new record with a milestone run's measured figures. A run below the bar is kept only
    if the milestone was never achieved: a worse run never erases an achievement."""
    for name, value in figures.items():
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            raise RecordError(f"figure {name!r} must be a finite number, got {value!r}")
    new = validate(record)
    key = _known_key(key)
    previous = new["milestones"].get(key)
    if previous and previous["achieved"] and not achieved:
        return new
    entry = {"achieved": bool(achieved), "figures": dict(figures), "date": when or _now()}
    new["milestones"] = {**new["milestones"], key: entry}
    return new


def exercises_passed(record: dict, key: str) -> list[str]:
    """The names of the exercises of `key` whose latest run passed every check."""
    done = record["exercises"].get(_known_key(key), {})
    return sorted(name for name, r in done.items() if r["passed"] == r["total"])


def is_done(record: dict, key: str, exercise_count: int | None = None) -> bool:
    """A module is done when `exercise_count` exercises passed (or, for a module with no
    exercises, when it was read); a milestone when it was achieved."""
    key = _known_key(key)
    if key.startswith("milestone-"):
        return bool(record["milestones"].get(key, {}).get("achieved"))
    if exercise_count:
        return len(exercises_passed(record, key)) >= exercise_count
    return key in record["read"]


def validate(record) -> dict:
    """A checked copy of `record`; anything else raises `RecordError` naming the problem."""
    if not isinstance(record, dict):
        raise RecordError(f"a progress record is a JSON object, not {type(record).__name__}")
    if record.get("format") != FORMAT:
        raise RecordError(f"not a tinytorch progress record (format {record.get('format')!r})")
    if record.get("version") != VERSION:
        raise RecordError(f"progress record version {record.get('version')!r}; this tinytorch "
                          f"reads version {VERSION}")
    for part in ("exercises", "read", "milestones"):
        if not isinstance(record.get(part), dict):
            raise RecordError(f"progress record's {part!r} must be an object")
    for key, exercises in record["exercises"].items():
        for name, r in exercises.items():
            if not (isinstance(r, dict) and isinstance(r.get("passed"), int)
                    and isinstance(r.get("total"), int)):
                raise RecordError(f"exercise {key}/{name} needs integer 'passed' and 'total'")
    for key, m in record["milestones"].items():
        if not (isinstance(m, dict) and isinstance(m.get("achieved"), bool)
                and isinstance(m.get("figures"), dict)):
            raise RecordError(f"milestone {key} needs 'achieved' (true/false) and 'figures'")
    return json.loads(json.dumps(record))


def loads(text: str) -> dict:
    """A record from JSON text (a file's or the browser's localStorage); empty text is a new
    learner."""
    if not text.strip():
        return empty()
    try:
        return validate(json.loads(text))
    except json.JSONDecodeError as error:
        raise RecordError(f"progress record is not valid JSON: {error}") from None


def dumps(record: dict) -> str:
    return json.dumps(validate(record), indent=1, sort_keys=True)


def default_path() -> Path:
    """`$TINYTORCH_PROGRESS`, else `progress.json` in the platform's user data folder."""
    if os.environ.get("TINYTORCH_PROGRESS"):
        return Path(os.environ["TINYTORCH_PROGRESS"])
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "tinytorch" / "progress.json"


def load(path: Path | None = None) -> dict:
    """The record in `path` (a missing file is a new learner; a corrupt one is an error naming
    the file, never silently replaced)."""
    path = Path(path or default_path())
    if not path.exists():
        return empty()
    try:
        return loads(path.read_text(encoding="utf-8"))
    except RecordError as error:
        raise RecordError(f"{path}: {error}") from None


def save(record: dict, path: Path | None = None) -> Path:
    """Write `record` atomically: a temporary file in the same folder, then a rename, so a
    crash or a full disk leaves the previous record whole."""
    path = Path(path or default_path())
    text = dumps(record)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".progress-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def update(change, path: Path | None = None) -> dict:
    """Load, apply `change(record) -> record`, save; returns the new record."""
    new = change(load(path))
    save(new, path)
    return new
