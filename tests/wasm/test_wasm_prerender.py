"""Reading and writing a build-time run's outputs (marimo's session snapshot) in an exported
page, and leaving out the large ones, as the build does for each embed view."""

import json

import pytest

from wasm.prerender import ROOT, snapshot, with_snapshot, with_static_outputs, without_large_outputs


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


SHOWN = page(
    notebook='{"cells": [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}, {"id": "e"}, {"id": "f"}]}',
    session=json.dumps({"cells": [
        # session order differs from the notebook's: the page follows the notebook
        {"id": "b", "outputs": [{"data": {"text/plain": "x < 2"}}]},
        {"id": "a", "outputs": [{"data": {"text/markdown": '<h1 id="t">Title</h1> with '
                                          '<marimo-tex class="arithmatex">||(a+b||)</marimo-tex>'}}]},
        {"id": "c", "outputs": [{"data": {"text/html": "<marimo-ui-element><marimo-slider>"}}]},
        {"id": "d", "outputs": [{"data": {"text/html": "<iframe srcdoc='record()'></iframe>"}}]},
        {"id": "e", "outputs": [{"data": {"text/html": "<b onclick='x()'>hi</b>"}}]},
        {"id": "f", "outputs": [{"data": {"text/plain": ""}}, {"data": {"text/html": "<p>done</p>"}}]},
    ]}),
).replace("<body></body>", f"<body>{ROOT}</body>")


def test_text_outputs_are_written_into_the_page_body_in_notebook_order():
    shown = with_static_outputs(SHOWN, snapshot(SHOWN))
    body = shown[shown.index("<body>"):]
    assert body.index("Title") < body.index("x &lt; 2") < body.index("<p>done</p>")
    assert '<code class="tt-tex">a+b</code>' in body and "||(" not in body  # math as its source
    # widgets need marimo's scripts; frames and handlers would run build-time code in the page
    for absent in ("marimo-slider", "<iframe", "onclick"):
        assert absent not in body
    assert body.count('class="output-area tt-static-output"') == 3
    assert snapshot(shown) == snapshot(SHOWN)  # marimo's own copy is untouched


def test_a_page_without_outputs_gets_an_empty_root_and_a_page_without_root_is_refused():
    assert with_static_outputs(SHOWN, {"notebook": None, "session": None}) == SHOWN
    with pytest.raises(ValueError, match="not a marimo 0.25.2 WASM export"):
        with_static_outputs(RUN, snapshot(SHOWN))
