"""PEP 723 header: reading, writing, and the browser rewrite (drop marimo, tinytorch as a wheel)."""

import pytest

from wasm import script_header as sh

APP = """# /// script
# requires-python = ">=3.11"
# dependencies = ["marimo", "numpy==2.4.6", "altair>=5", "tinytorch"]
#
# [tool.marimo.runtime]
# pythonpath = ["."]
# ///

import marimo

app = marimo.App()
"""
WHEEL = {"tinytorch": "tinytorch-0.1.0-py3-none-any.whl"}
PYODIDE = {"numpy", "altair", "tqdm"}  # some of the names in Pyodide's lock file


def test_read_parses_the_block():
    meta = sh.read(APP)
    assert meta["requires-python"] == ">=3.11"
    assert meta["dependencies"] == ["marimo", "numpy==2.4.6", "altair>=5", "tinytorch"]
    assert meta["tool"]["marimo"]["runtime"]["pythonpath"] == ["."]


def test_no_header_reads_empty_and_replace_prepends_one():
    src = "import marimo\n"
    assert sh.read(src) == {}
    out = sh.replace(src, {"dependencies": ["numpy"]})
    assert out.endswith(src)
    assert sh.read(out) == {"dependencies": ["numpy"]}


def test_dumps_round_trips_nested_tables_and_awkward_strings():
    meta = {
        "requires-python": ">=3.11",
        "dependencies": ['a; python_version < "3.12"', "b @ ./b-1.0-py3-none-any.whl", "c", "ünïcode"],
        "tool": {"marimo": {"runtime": {"pythonpath": ["."], "flag": True, "n": 3}}, "uv": {}},
    }
    assert sh.read(sh.dumps(meta) + "\nimport marimo\n") == meta


def test_two_script_blocks_are_an_error():
    block = sh.dumps({"dependencies": []})
    with pytest.raises(ValueError, match="more than one"):
        sh.read(f"{block}\nimport marimo\n{block}\n")


def test_browser_dependencies_drop_marimo_and_point_tinytorch_at_the_wheel():
    deps, notes = sh.browser_dependencies(
        ["marimo>=0.20", "numpy", "tinytorch==0.1.0", "altair"], WHEEL, PYODIDE
    )
    assert deps == ["numpy", "altair", "tinytorch @ ./tinytorch-0.1.0-py3-none-any.whl"]
    assert any("marimo" in n for n in notes)


def test_pins_on_packages_pyodide_ships_are_dropped_others_kept():
    deps, notes = sh.browser_dependencies(
        ["numpy==2.4.6", "altair[all]>=5; python_version >= '3.11'", "tqdm==4.66", "einops>=0.8"], {}, PYODIDE
    )
    assert deps == ["numpy", 'altair[all]; python_version >= "3.11"', "tqdm", "einops>=0.8"]
    assert len([n for n in notes if n.startswith("unpinned")]) == 3


def test_tinytorch_is_added_to_apps_that_do_not_declare_it():
    deps, _ = sh.browser_dependencies([], WHEEL, PYODIDE)
    assert deps == ["tinytorch @ ./tinytorch-0.1.0-py3-none-any.whl"]


def test_invalid_requirements_are_kept_with_a_note():
    deps, notes = sh.browser_dependencies(["not a requirement!!"], {}, PYODIDE)
    assert deps == ["not a requirement!!"] and "not a valid requirement" in notes[0]


def test_rewrite_source_keeps_the_rest_of_the_header_and_the_code():
    out, _ = sh.rewrite_source(APP, WHEEL, PYODIDE)
    meta = sh.read(out)
    assert meta["dependencies"] == ["numpy", "altair", "tinytorch @ ./tinytorch-0.1.0-py3-none-any.whl"]
    assert meta["requires-python"] == ">=3.11" and meta["tool"]["marimo"]["runtime"]["pythonpath"] == ["."]
    assert out.endswith("import marimo\n\napp = marimo.App()\n")


@pytest.mark.parametrize(
    ("dep", "ok"),
    [
        ("numpy==2.4.3", True),
        ("numpy", True),
        ("numpy>=2", True),
        ("numpy==2.4.6", False),
        ("numpy<2", False),
        ("somethingelse==9", True),
        ("tinytorch @ ../public/wheels/tinytorch-0.1.0-py3-none-any.whl", True),
    ],
)
def test_pin_problems_flag_pins_the_lock_file_cannot_satisfy(dep, ok):
    problems = sh.pin_problems([dep], {"numpy": "2.4.3"})
    assert (problems == []) is ok
