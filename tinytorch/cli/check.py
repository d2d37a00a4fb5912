"""`tinytorch check 05`: run module 05's exercises as written in your copy of its app.

For each exercise (`tinytorch.course.exercises.IN_APPS`) the app's cell that defines what the
learner writes is run with marimo, together with only the cells it depends on (imports,
given data), never the whole app; its `Exercise`'s checks run on the result. Every check is
printed and each exercise's outcome recorded in the progress file, so the browser and the
command line keep the same record.
"""

from __future__ import annotations

import importlib.util
import io
import sys
import traceback
from contextlib import redirect_stdout
from pathlib import Path

from tinytorch.cli import checkout
from tinytorch.cli.errors import CliError
from tinytorch.course import course_map, learner_record
from tinytorch.course.checks import CheckResult
from tinytorch.course.exercises import IN_APPS, InApp
from tinytorch.course.milestone_goals import GOALS


def add_parser(commands) -> None:
    p = commands.add_parser("check", help="run a module's exercises from your copy of its app",
                            description=__doc__.splitlines()[0],
                            epilog="Exit status: 0 every check passed, 1 a check failed, 2 usage error.")
    p.add_argument("module", help="module number or milestone year (05, 1957) or app name (05_autograd)")
    p.add_argument("--file", type=Path,
                   help="your copy of the app (default: apps/<app>.py of the repository)")
    p.set_defaults(run=run)


def load_cells(path: Path) -> dict:
    """The app's cells by the names they define. Loading a marimo file defines its cells and
    runs none of them."""
    name = f"tinytorch_check_{abs(hash(str(path)))}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(name, None)
    app = getattr(module, "app", None)
    if app is None or not hasattr(app, "_cell_manager"):
        raise CliError(f"{path} is not a marimo app (it defines no `app`)")
    return {name: cell for cell in app._cell_manager.cells() if cell is not None for name in cell.defs}


def learner_code(cells: dict, item: InApp):
    """What the learner wrote for `item`, computed by running its cell and that cell's ancestors
    (marimo's `Cell.run`); the cells' printed output is kept out of the report."""
    cell = cells.get(item.learner_writes)
    if cell is None:
        raise LookupError(f"no cell of the app defines `{item.learner_writes}`")
    with redirect_stdout(io.StringIO()):
        _, defs = cell.run()
    return defs[item.learner_writes]


def _failed_to_load(item: InApp, error: BaseException) -> list[CheckResult]:
    """Every check failed, with the reason: code that cannot run passes nothing."""
    where = traceback.extract_tb(error.__traceback__)
    line = f" (line {where[-1].lineno})" if where else ""
    message = f"could not run your `{item.learner_writes}`: {type(error).__name__}: {error}{line}"
    return [CheckResult(c.name, False, message, c.hint) for c in item.load().checks]


def run_exercise(cells: dict | None, item: InApp, load_error: BaseException | None) -> list[CheckResult]:
    if load_error is not None:
        return _failed_to_load(item, load_error)
    try:
        candidate = learner_code(cells, item)
    except Exception as error:  # the learner's cell (or one it needs) raised
        return _failed_to_load(item, error)
    return item.load().run(candidate)


def print_results(item: InApp, results: list[CheckResult]) -> None:
    passed = sum(r.passed for r in results)
    print(f"{item.exercise} ({item.learner_writes}): {passed}/{len(results)} checks passed")
    for r in results:
        print(f"  {'passed' if r.passed else 'failed'}  {r.name}")
        if not r.passed:
            print(f"          {r.message}")
            if r.hint:
                print(f"          hint: {r.hint}")


def run(args) -> int:
    try:
        entry = course_map.entry(args.module)
    except KeyError as error:
        raise CliError(error.args[0], exit_code=2) from None
    if entry.key not in IN_APPS:
        raise CliError(f"{entry.label} has no exercises to check", exit_code=2)
    path = args.file or checkout.root("apps") / "apps" / f"{entry.app}.py"
    if not path.is_file():
        raise CliError(f"no app file at {path}", exit_code=2)
    checkout.require_marimo("tinytorch check")
    record_path = learner_record.default_path()
    record = learner_record.load(record_path)  # a corrupt record is named before anything runs

    print(f"{entry.label}: checking {path}")
    cells, load_error = None, None
    try:
        cells = load_cells(path)
    except CliError:
        raise
    except Exception as error:  # a syntax error in the learner's copy fails its checks, loudly
        load_error = error
        print(f"could not load {path}: {type(error).__name__}: {error}")
    passed = total = 0
    for item in IN_APPS[entry.key]:
        results = run_exercise(cells, item, load_error)
        print_results(item, results)
        ok = sum(r.passed for r in results)
        passed, total = passed + ok, total + len(results)
        record = learner_record.record_exercise(record, entry.key, item.exercise, ok, len(results))
    if any(g.key == entry.key and g.figure == "checks_passed" for g in GOALS):
        record = learner_record.record_milestone(record, entry.key, {"checks_passed": passed / total},
                                                 achieved=passed == total)
    learner_record.save(record, record_path)
    print(f"{passed}/{total} checks passed; recorded in {record_path}")
    return 0 if passed == total else 1
