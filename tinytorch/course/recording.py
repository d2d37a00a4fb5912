"""Recording what the learner did, from inside an app: an exercise whose checks ran, a milestone
whose figures were measured. The record is `tinytorch.course.learner_record`'s document.

Where it goes:

* natively (`marimo edit`, `python apps/...`): the learner's progress file
  (`learner_record.default_path()`, or `$TINYTORCH_PROGRESS`), the same file the command line
  records `tinytorch check` runs in, so notebook and command line add to one record;
* in the browser: the site's localStorage under `BROWSER_KEY`, which the course map reads.
  Python runs in a web worker there, and a worker has no localStorage. So the app's output
  carries a tiny same-origin frame (`mo.iframe`: marimo runs a frame's scripts, and a srcdoc
  frame shares the page's origin) whose script applies the change with `RECORD_JS`, the same
  few functions the course map uses to read the record and tick its checkboxes.

What counts: only what the checks and the milestone's bar said. A check run of the untouched
stub (every check "not implemented yet") is not a run of the learner's code and records
nothing, so opening a notebook never erases an exercise passed before; any other run is
recorded as it came out, the latest run counting (`learner_record.record_exercise`).
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime

from tinytorch.course import course_map, learner_record, milestone_goals
from tinytorch.course.checks import CheckResult, Exercise, attempted
from tinytorch.course.recorded import in_browser

BROWSER_KEY = "tinytorch.record.v1"

# The record's browser side, shared by the apps' recording frames and the course map
# (wasm/landing.py). The same rules as learner_record: a corrupt record is an error that writes
# nothing; the latest exercise run counts; a worse milestone run never erases an achievement.
RECORD_JS = """
var ttRecord = (function () {
  var KEY = $KEY;
  function empty() {
    return {format: $FORMAT, version: $VERSION, exercises: {}, read: {}, milestones: {}};
  }
  function load() {
    var text = localStorage.getItem(KEY);
    if (!text) return empty();
    var r = JSON.parse(text);
    if (!r || typeof r !== "object" || r.format !== $FORMAT) {
      throw new Error("the progress record in this browser is not a tinytorch progress record");
    }
    if (r.version !== $VERSION) {
      throw new Error("the progress record in this browser is version " + r.version + "; this page reads "
                      + $VERSION);
    }
    ["exercises", "read", "milestones"].forEach(function (part) {
      if (!r[part] || typeof r[part] !== "object") throw new Error("the progress record's " + part
                                                                  + " is not an object");
    });
    return r;
  }
  function change(update) {
    var r = load();
    update(r);
    localStorage.setItem(KEY, JSON.stringify(r));
    return r;
  }
  return {
    KEY: KEY, load: load, change: change,
    exercise: function (key, name, passed, total, date) {
      return change(function (r) {
        r.exercises[key] = r.exercises[key] || {};
        r.exercises[key][name] = {passed: passed, total: total, date: date};
      });
    },
    milestone: function (key, figures, achieved, date) {
      return change(function (r) {
        var before = r.milestones[key];
        if (before && before.achieved && !achieved) return;
        r.milestones[key] = {achieved: achieved, figures: figures, date: date};
      });
    },
    markRead: function (key, read, date) {
      return change(function (r) { if (read) { r.read[key] = date; } else { delete r.read[key]; } });
    },
  };
})();
""".replace("$KEY", json.dumps(BROWSER_KEY)).replace("$FORMAT", json.dumps(learner_record.FORMAT)) \
    .replace("$VERSION", str(learner_record.VERSION))

OK_COLOUR, ERROR_COLOUR = "#15803d", "#b91c1c"



def exercise(app: str, exercise: Exercise, results: list[CheckResult]):
    """Record one check run of `exercise` in `app` (its file stem); returns what to show under
    the check results (None when the stub was not touched yet)."""
    if not attempted(results):
        return None
    passed, total = sum(r.passed for r in results), len(results)
    done = "Passed: recorded" if passed == total else f"{passed} / {total} checks: recorded"
    return _record(app, "exercise", [exercise.name, passed, total],
                   lambda r, key: learner_record.record_exercise(r, key, exercise.name, passed, total),
                   done)


def milestone(app: str, figures: dict):
    """Record a milestone run's measured `figures` (name: number), achieved when they meet the
    milestone's bar in `milestone_goals` (the one table the command line decides by too);
    returns what to show beside them."""
    try:
        achieved = milestone_goals.achieved(course_map.entry(app).key, figures)
    except KeyError as error:
        return _note(f"Not recorded in your progress: {error}", ERROR_COLOUR)
    done = "Milestone achieved: recorded" if achieved else "Below the bar: recorded"
    return _record(app, "milestone", [figures, achieved],
                   lambda r, key: learner_record.record_milestone(r, key, figures, achieved), done)


def module_done(app: str, why: str):
    """Mark a module whose work is not a checked exercise as done, because of what was measured
    (module 20: a submission the harness scored): the course map's "done" mark
    (`learner_record.mark_read`, the mark its checkbox sets); returns what to show."""
    return _record(app, "markRead", [True], lambda r, key: learner_record.mark_read(r, key),
                   f"{why}: module marked done")


def milestone_from_checks(app: str, runs: list[list[CheckResult]]):
    """Record a milestone whose bar is its exercises (1957, 1969: every check of the app's
    exercises passes), with the figure `tinytorch check` records for it, "checks_passed" (the
    fraction of checks passed); None while none of the exercises was attempted."""
    if not any(attempted(results) for results in runs):
        return None
    passed, total = sum(r.passed for rs in runs for r in rs), sum(len(rs) for rs in runs)
    return milestone(app, {"checks_passed": passed / total})


def _record(app: str, kind: str, js_args: list, change, done: str):
    try:
        key = course_map.entry(app).key
        change(learner_record.empty(), key)  # bad figures are refused here, in the browser too
        if in_browser():
            when = datetime.now(UTC).isoformat(timespec="seconds")
            return _browser_frame(f"ttRecord.{kind}({json.dumps([key, *js_args, when])[1:-1]})",
                                  f"{done} on your course map.")
        path = learner_record.default_path()
        learner_record.update(lambda r: change(r, key), path)
    except (KeyError, learner_record.RecordError, OSError) as error:
        return _note(f"Not recorded in your progress: {error}", ERROR_COLOUR)
    return _note(f"{done} in your progress file ({path}).", OK_COLOUR)


def _note(text: str, colour: str):
    import marimo as mo

    return mo.Html(f"<p class='tt-recorded' style='margin: 4px 0; color: {colour}; font-size: 0.9em'>"
                   f"{html.escape(text)}</p>")


def _browser_frame(call: str, done: str):
    """A frame whose script runs `call` against the page's localStorage and says how it went."""
    import marimo as mo

    script = (f"{RECORD_JS}\nvar say = document.getElementById('said');\n"
              f"try {{ {call}; say.textContent = {json.dumps(done)}; }}\n"
              f"catch (e) {{ say.style.color = {json.dumps(ERROR_COLOUR)}; "
              "say.textContent = 'Not recorded on your course map: ' + e.message; }")
    body = (f"<p id='said' class='tt-recorded' style='margin: 0; font: 13px system-ui, sans-serif; "
            f"color: {OK_COLOUR}'></p><script>{script}</script>")
    return mo.iframe(body, height="24px")
