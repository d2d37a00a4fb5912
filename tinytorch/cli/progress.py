"""`tinytorch progress`: the modules with their exercises passed, the milestones with their
measured figures and dates, and the next step, from the progress file
(`tinytorch.course.learner_record`, shared with the course site)."""

from __future__ import annotations

from tinytorch.course import course_map, learner_record
from tinytorch.course.exercises import IN_APPS
from tinytorch.course.learner_record import dumps, is_done
from tinytorch.course.milestone_goals import GOALS

# Milestones achieved by their app's checks: their figures already say how many passed.
CHECKED_MILESTONES = {g.key for g in GOALS if g.figure == "checks_passed"}


def add_parser(commands) -> None:
    p = commands.add_parser("progress", help="what you have done, and what comes next",
                            description=__doc__.splitlines()[0])
    p.add_argument("--json", action="store_true", help="print the progress document itself")
    p.set_defaults(run=run)


def _figure(name: str, value: float) -> str:
    if "accuracy" in name or name == "checks_passed":
        return f"{name.replace('_', ' ')} {value:.2%}"
    if name.endswith("seconds"):
        return f"{name.replace('_', ' ')} {value:.1f}"
    if name.endswith("latency_s"):  # the Olympics' figures (2018)
        return f"{name[:-2].replace('_', ' ')} {value * 1e3:.3g} ms"
    if name.endswith("size_bytes"):
        return f"{name[:-6].replace('_', ' ')} {value / 1024:.1f} KB"
    return f"{name.replace('_', ' ')} {value:.4g}"


def line(record: dict, entry) -> str:
    """One entry of the course path as the table shows it."""
    number = f"{entry.number:02d}" if entry.kind == "module" else str(entry.number)
    head = f"{number:>5}  {entry.title[:40]:<40}"
    exercises = IN_APPS.get(entry.key, ())
    passed = len(learner_record.exercises_passed(record, entry.key))
    counted = f"exercises {passed}/{len(exercises)} passed"
    if entry.kind == "milestone":
        done = record["milestones"].get(entry.key)
        if done is None:
            state = "not achieved yet"
        else:
            figures = ", ".join(_figure(k, v) for k, v in sorted(done["figures"].items()))
            state = f"{'achieved' if done['achieved'] else 'not achieved'}: {figures} ({done['date'][:10]})"
        show_exercises = exercises and entry.key not in CHECKED_MILESTONES
        return f"{head}  {state}" + (f"; {counted}" if show_exercises else "")
    if exercises:
        return f"{head}  {counted}"
    if entry.key in record["read"]:
        return f"{head}  read ({record['read'][entry.key][:10]})"
    return f"{head}  {'' if entry.app else '(app coming)'}".rstrip()


def how_to(entry) -> str:
    """The commands that get `entry` done."""
    if entry.kind == "milestone":
        return " or ".join(dict.fromkeys(g.how for g in GOALS if g.key == entry.key))
    if entry.key in IN_APPS:
        return f"tinytorch edit {entry.number:02d}, then tinytorch check {entry.number:02d}"
    return f"tinytorch edit {entry.number:02d}"


def next_step(record: dict):
    """The first entry of the course path that can be done (an app, or a milestone with a
    goal) and is not done yet."""
    for entry in course_map.path():
        doable = entry.app or any(g.key == entry.key for g in GOALS)
        if doable and not is_done(record, entry.key, len(IN_APPS.get(entry.key, ())) or None):
            return entry
    return None


def run(args) -> int:
    path = learner_record.default_path()
    record = learner_record.load(path)
    if args.json:
        print(dumps(record))
        return 0
    print(f"progress in {path}")
    for entry in course_map.path():
        print(line(record, entry))
    upcoming = next_step(record)
    if upcoming is None:
        print("Next: every app is done; the modules still to come are listed above")
    else:
        print(f"Next: {upcoming.label} ({how_to(upcoming)})")
    return 0
