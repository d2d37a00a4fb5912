"""Module 20, Capstone: the Torch Olympics. `import tinytorch.capstone`.

Learners optimise their own models and submit them to events; the harness measures every
submission itself, in a fresh process (in the browser, which has none: in-process, with the same
checks, and the result says so), on held-out data it never hands over with the labels.

    EVENTS, get_event(name)          the events: task, held-out set, metric, qualification (events);
                                     latency, lightweight, vision, generation
    evaluate(folder, event)          one submission's result: figures with intervals, sha256s (harness)
    sized(event, changes)            an event measured smaller (the browser), recorded in the result (events)
    save_result, load_results        result JSON, checked against RESULT_SCHEMA
    all_around, write_leaderboard    geometric-mean score, Markdown and HTML leaderboard (leaderboard)
    materialize(reference)           a reference submission, trained into the cache on first use (reference)
"""

from tinytorch.capstone.events import EVENTS, Event, Task, TextTask, get_event, sized
from tinytorch.capstone.harness import RESULT_SCHEMA, evaluate, load_results, save_result, validate_result
from tinytorch.capstone.leaderboard import all_around, write_leaderboard
from tinytorch.capstone.reference import materialize
from tinytorch.capstone.rules import SubmissionProblem

__all__ = ["EVENTS", "RESULT_SCHEMA", "Event", "SubmissionProblem", "Task", "TextTask", "all_around",
           "evaluate", "get_event", "load_results", "materialize", "save_result", "sized", "validate_result",
           "write_leaderboard"]
