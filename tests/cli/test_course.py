"""`tinytorch course` serves the site with the headers it needs; `tinytorch edit` opens an app
in marimo's editor. (Building the whole site takes minutes: tests/wasm builds and tests it.)"""

import argparse
import socket
import subprocess
import time
import urllib.request

import pytest

from tests.cli.conftest import no_traceback
from tinytorch.course import course_map


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, seconds: float = 60):
    """The first answer from `url` within `seconds` (the server is starting)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return urllib.request.urlopen(url, timeout=5)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_course_serves_a_built_site_cross_origin_isolated(tinytorch_cli, tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<p>the course</p>")
    port = free_port()
    server = tinytorch_cli.popen("course", "--serve-only", "--out", tmp_path / "site", "--port", port,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        page = get(f"http://127.0.0.1:{port}/")
        assert page.read() == b"<p>the course</p>"
        assert page.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_course_without_a_site_says_so(tinytorch_cli, tmp_path):
    shown = tinytorch_cli("course", "--serve-only", "--out", tmp_path / "nothing", "--port", free_port())
    assert shown.returncode == 1 and "serve failed" in shown.stderr
    no_traceback(shown)


def test_edit_opens_the_app_in_marimo(tinytorch_cli):
    port = free_port()
    editor = tinytorch_cli.popen("edit", "05", "--headless", "--no-token", "--port", port,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        page = get(f"http://127.0.0.1:{port}/", seconds=90)
        assert page.status == 200 and b"marimo" in page.read()
    finally:
        editor.terminate()
        out, _ = editor.communicate(timeout=30)
    assert "05_autograd.py" in out


def test_edit_lists_the_apps_or_names_the_mistake(tinytorch_cli):
    listed = tinytorch_cli("edit")
    assert listed.returncode == 2 and "05_autograd" in listed.stdout and "which one?" in listed.stderr
    unknown = tinytorch_cli("edit", "42")
    assert unknown.returncode == 2 and "no course module or milestone '42'" in unknown.stderr


def test_edit_names_a_course_entry_whose_app_is_still_coming(monkeypatch):
    """Every entry has an app today; an entry added to the course map before its app is named."""
    from tinytorch.cli import course
    from tinytorch.cli.errors import CliError

    monkeypatch.delitem(course_map.APPS, "module-20")
    with pytest.raises(CliError, match="20 Capstone has no app yet"):
        course.run_edit(argparse.Namespace(module="20", marimo_args=[]))
