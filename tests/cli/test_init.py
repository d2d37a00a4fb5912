"""The command as a whole: help, usage errors, Ctrl-C, and the console script's entry point."""

import signal
import time
import tomllib

from tests.cli.conftest import no_traceback
from tests.conftest import REPO


def test_help_lists_every_command(tinytorch_cli):
    shown = tinytorch_cli("--help")
    assert shown.returncode == 0
    for command in ("doctor", "course", "edit", "check", "milestone", "olympics", "progress"):
        assert command in shown.stdout
    assert tinytorch_cli("check", "--help").returncode == 0
    version = tinytorch_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("tinytorch ")


def test_usage_errors_exit_2(tinytorch_cli):
    nothing = tinytorch_cli()
    assert nothing.returncode == 2 and "usage: tinytorch" in nothing.stderr
    assert tinytorch_cli("frobnicate").returncode == 2
    assert tinytorch_cli("milestone", "run", "nineteen").returncode == 2


def test_the_console_script_is_declared():
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"tinytorch": "tinytorch.cli:main"}


def test_ctrl_c_exits_130_with_one_line(tinytorch_cli):
    import subprocess

    run = tinytorch_cli.popen("milestone", "run", "2017", "--quick", "--steps", "100000",
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        first = run.stderr.readline()  # the progress bar's first line: training has started
        assert "milestone 2017" in first, first
        time.sleep(0.5)
        run.send_signal(signal.SIGINT)
        rest = run.stderr.read()
        assert run.wait(timeout=60) == 130
    finally:
        run.kill()  # never leave a 100000-step run behind a failed assertion
    assert rest.strip().splitlines()[-1] == "interrupted"
    assert "Traceback" not in rest
    assert not tinytorch_cli.progress.exists(), "an interrupted run records nothing"


def test_a_corrupt_progress_file_is_named_not_replaced(tinytorch_cli):
    tinytorch_cli.progress.write_text("{not json")
    for command in (["progress"], ["check", "05"], ["milestone", "list"]):
        shown = tinytorch_cli(*command)
        assert shown.returncode == 1, command
        assert str(tinytorch_cli.progress) in shown.stderr and "not valid JSON" in shown.stderr
        no_traceback(shown)
    assert tinytorch_cli.progress.read_text() == "{not json"
