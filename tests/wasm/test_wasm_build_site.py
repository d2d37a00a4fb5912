"""build_site.py's command line: serving refuses what it cannot serve, in one line saying why."""

import socket
from http.server import ThreadingHTTPServer

import pytest

import build_site


@pytest.fixture(autouse=True)
def never_serve_forever(monkeypatch):
    """Serving would block the test: a server that starts fails it instead."""
    def refuse(self, *args):
        raise AssertionError(f"started serving on port {self.server_address[1]}")

    monkeypatch.setattr(ThreadingHTTPServer, "serve_forever", refuse)


def test_serve_only_refuses_a_missing_folder(tmp_path, capsys):
    missing = tmp_path / "_site"
    assert build_site.main(["--serve-only", "--out", str(missing), "--port", "0"]) == 1
    error = capsys.readouterr().err.strip()
    assert error == (f"serve failed: {missing} does not exist, so there is no site to serve; build one "
                     f"first (python build_site.py --out {missing}), or pass --out <built site>")


def test_serve_only_refuses_a_folder_without_a_site(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("not a site")
    assert build_site.main(["--serve-only", "--out", str(tmp_path), "--port", "0"]) == 1
    assert f"{tmp_path} holds no index.html" in capsys.readouterr().err


def test_a_port_in_use_is_one_line_naming_it_and_how_to_pick_another(tmp_path, capsys):
    (tmp_path / "index.html").write_text("<p>site</p>")
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert build_site.main(["--serve-only", "--out", str(tmp_path), "--port", str(port)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "Traceback" not in error
    assert f"port {port} on 127.0.0.1 is already in use" in error and "--port 0 for any free port" in error
