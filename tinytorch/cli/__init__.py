"""`tinytorch`, the course's command line: one subcommand per module of this package.

    tinytorch doctor                     what is installed, what is missing and how to fix it
    tinytorch course | edit 05           build and serve the site; open an app in marimo's editor
    tinytorch check 05                   run module 05's exercises as written in your copy of the app
    tinytorch milestone list | run 1986  run a milestone's recipe and record its measured figures
    tinytorch olympics run | board       evaluate a capstone submission; print the leaderboard
    tinytorch progress                   what you have done, and what comes next

Exit status: 0 success, 1 the thing run failed (a check, a bar not met, a missing tool),
2 a usage error, 130 interrupted. An expected error is one line naming the problem, never a
traceback.
"""

from __future__ import annotations

import argparse
import sys

import tinytorch
from tinytorch.cli import check, course, doctor, milestone, olympics, progress
from tinytorch.cli.errors import CliError
from tinytorch.course.learner_record import RecordError
from tinytorch.datasets import DatasetError

COMMANDS = (doctor, course, check, milestone, olympics, progress)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="tinytorch", description=__doc__.splitlines()[0],
                                  epilog="Run `tinytorch COMMAND --help` for a command's options.")
    top.add_argument("--version", action="version", version=f"tinytorch {tinytorch.__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.add_parser(commands)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (CliError, RecordError, DatasetError) as error:  # each message names the file or the fix
        print(f"tinytorch {args.command}: {error}", file=sys.stderr)
        return getattr(error, "exit_code", 1)
