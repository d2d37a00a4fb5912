"""Reading and writing a build-time run's outputs (marimo's session snapshot) in an exported
page, and leaving out the large ones, as the build does for each embed view."""

import pytest

from wasm.prerender import snapshot, with_snapshot, without_large_outputs


def page(notebook="null", session="null", mode="read") -> str:
    """The shape of marimo 0.25.2's exported page around its mount config."""
    return (
        '<html><head><script data-marimo="true">Object.defineProperty(window, '
        '"__MARIMO_MOUNT_CONFIG__", {value: Object.freeze({"filename": "notebook.py", '
        f'"mode": "{mode}", "config": {{"display": {{}}}}, "view": {{"showAppCode": false}}, '
        f'"notebook": {notebook}, "session": {session}, "runtimeConfig": null}}), writable: false}});'
        "</script></head><body></body></html>"
    )


RUN = page(
    notebook='{"cells": [{"id": "Hbol", "code": "mo.md(\'<b>hi</b>\')"}]}',
    session='{"cells": [{"id": "Hbol", "outputs": [{"data": {"text/markdown": '
            '"\\u003Cb\\u003Ehi\\u003C/b\\u003E"}}]}]}',
)


def test_a_snapshot_written_into_a_page_reads_back():
    edit = page(mode="edit")
    assert snapshot(edit) == {"notebook": None, "session": None}
    shown = with_snapshot(edit, snapshot(RUN))
    assert snapshot(shown) == snapshot(RUN)
    assert snapshot(shown)["session"]["cells"][0]["outputs"][0]["data"]["text/markdown"] == "<b>hi</b>"
    assert '"mode": "edit"' in shown  # the rest of the page is its own
    assert "</b>" not in shown.split("__MARIMO_MOUNT_CONFIG__")[1]  # no output can close the script


def test_large_outputs_are_left_out_and_counted():
    values = snapshot(RUN)
    assert without_large_outputs(values, 10_000) == (values, 0)
    small, dropped = without_large_outputs(values, 20)
    assert dropped == 1 and small["session"]["cells"] == [{"id": "Hbol", "outputs": []}]
    assert small["notebook"] == values["notebook"]
    assert without_large_outputs({"notebook": None, "session": None}, 20)[1] == 0


def test_a_page_that_is_no_marimo_export_is_refused():
    with pytest.raises(ValueError, match="not a marimo WASM export"):
        snapshot("<html><body>hello</body></html>")
