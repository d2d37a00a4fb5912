"""wasm/selfhost/bytecode.py: the site's wheels and standard library hold bytecode, compiled by
Pyodide's own Python, with the sources they replace gone and the wheel's RECORD still true.

`compile_archive` is plain Python, so its layout is checked here with this machine's Python
(whose bytecode this Python can then import); `precompile` is checked against the real Pyodide
under Node, and skips without it."""

import base64
import hashlib
import importlib
import importlib.util
import shutil
import subprocess
import sys
import traceback
import zipfile
from pathlib import Path

import pytest

from tests.wasm import pyodide_site
from wasm.selfhost import bytecode

DIST_INFO = "demo-1.0.dist-info"
FILES = {
    "demo/__init__.py": b"from demo.core import fail, answer\n",
    "demo/core.py": b"answer = 42\n\ndef fail():\n    raise ValueError('from demo')\n",
    "demo/template.py": b"def broken(:\n",  # not Python: must stay a source file
    "demo/data.json": b'{"kept": true}',
}


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def make_wheel(path: Path) -> Path:
    record = "".join(f"{name},sha256={_digest(data)},{len(data)}\n" for name, data in FILES.items())
    with zipfile.ZipFile(path, "w") as zf:  # a fixed date: the same wheel twice is the same bytes
        for name, data in {**FILES, f"{DIST_INFO}/RECORD": record + f"{DIST_INFO}/RECORD,,\n"}.items():
            zf.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)
    return path


def test_modules_become_bytecode_and_the_record_lists_them(tmp_path):
    target = tmp_path / "compiled.whl"
    result = bytecode.compile_archive(str(make_wheel(tmp_path / "demo.whl")), str(target), "/site/")

    assert result == {"compiled": 2, "kept": ["demo/template.py"]}
    with zipfile.ZipFile(target) as zf:
        names = set(zf.namelist())
        assert names == {"demo/__init__.pyc", "demo/core.pyc", "demo/template.py", "demo/data.json",
                         f"{DIST_INFO}/RECORD"}
        assert zf.read("demo/data.json") == FILES["demo/data.json"]
        assert zf.read("demo/core.pyc")[:4] == importlib.util.MAGIC_NUMBER
        rows = {line.split(",")[0]: line for line in zf.read(f"{DIST_INFO}/RECORD").decode().splitlines()}
        for name in names - {f"{DIST_INFO}/RECORD"}:
            data = zf.read(name)
            assert rows[name] == f"{name},sha256={_digest(data)},{len(data)}"
        assert rows[f"{DIST_INFO}/RECORD"] == f"{DIST_INFO}/RECORD,,"


def test_the_compiled_archive_imports_without_sources_and_names_them_in_tracebacks(tmp_path):
    target = tmp_path / "compiled.zip"
    bytecode.compile_archive(str(make_wheel(tmp_path / "demo.zip")), str(target), "/site/")
    sys.path.insert(0, str(target))
    try:
        import demo

        assert demo.answer == 42
        assert demo.__file__.endswith("demo/__init__.pyc")
        with pytest.raises(ValueError, match="from demo") as raised:
            demo.fail()
        assert traceback.extract_tb(raised.tb)[-1].filename == "/site/demo/core.py"
    finally:
        sys.path.remove(str(target))
        for name in [m for m in sys.modules if m == "demo" or m.startswith("demo.")]:
            del sys.modules[name]


def test_kept_sources_get_checked_bytecode_beside_them_that_python_uses(tmp_path, monkeypatch):
    """tinytorch's wheel: every source stays (tracebacks show its code), with its bytecode where
    Python looks first, checked against the source's hash; an edited source is compiled anew."""
    target = tmp_path / "compiled.whl"
    result = bytecode.compile_archive(str(make_wheel(tmp_path / "demo.whl")), str(target), "/site/",
                                      keep_sources=True)
    assert result == {"compiled": 2, "kept": ["demo/template.py"]}
    pycs = {importlib.util.cache_from_source(name) for name in ("demo/__init__.py", "demo/core.py")}
    with zipfile.ZipFile(target) as zf:
        assert set(zf.namelist()) == set(FILES) | pycs | {f"{DIST_INFO}/RECORD"}
        assert all(zf.read(name) == data for name, data in FILES.items())
        rows = {line.split(",")[0]: line for line in zf.read(f"{DIST_INFO}/RECORD").decode().splitlines()}
        for name in pycs:
            data = zf.read(name)
            assert data[4:8] == (3).to_bytes(4, "little")  # hash-based, checked (PEP 552)
            assert rows[name] == f"{name},sha256={_digest(data)},{len(data)}"
        zf.extractall(tmp_path / "site")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    compiled = []
    sys.addaudithook(lambda event, args: event == "compile" and compiled.append(args[1]))
    try:
        import demo

        assert demo.answer == 42 and demo.__file__.endswith("demo/__init__.py")
        assert not [f for f in compiled if "demo" in str(f)]  # the bytecode was used as it is
        with pytest.raises(ValueError, match="from demo") as raised:
            demo.fail()
        frame = traceback.extract_tb(raised.tb)[-1]
        assert frame.filename.endswith("demo/core.py") and frame.line == "raise ValueError('from demo')"
        del sys.modules["demo.core"]
        (tmp_path / "site" / "demo" / "core.py").write_text("answer = 43\n")
        assert importlib.import_module("demo.core").answer == 43  # edited: not the stale bytecode
    finally:
        for name in [m for m in sys.modules if m == "demo" or m.startswith("demo.")]:
            del sys.modules[name]


def test_an_archive_that_is_not_a_zip_fails_naming_it(tmp_path):
    bad = tmp_path / "bad.whl"
    bad.write_bytes(b"not a zip")
    with pytest.raises(zipfile.BadZipFile):
        bytecode.compile_archive(str(bad), str(tmp_path / "out.whl"), "/site/")


def test_without_node_the_build_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(bytecode.BytecodeUnavailable, match="node is not on PATH"):
        bytecode._run_in_pyodide(tmp_path, [{"source": "a", "target": str(tmp_path / "t" / "a")}], {})


def _pyodide_runtime() -> Path:
    from tests.wasm.conftest import cache_dir, site_build_missing
    from wasm.selfhost.runtime import fetch_pyodide, marimo_pins

    reason = site_build_missing() or (None if shutil.which("node") else "node is not on PATH")
    if reason:
        pytest.skip(reason)
    return fetch_pyodide(marimo_pins()[1], cache_dir())


def _in_pyodide(runtime: Path, folder: Path, wheel: Path, script: str) -> str:
    """What `script`, run in the Pyodide of `runtime` with `wheel`'s path as its argument, prints."""
    (folder / "inspect_pyc.py").write_text(script)
    node = subprocess.run(["node", str(bytecode.RUNNER), str(runtime), str(folder), "inspect_pyc",
                           str(wheel)], capture_output=True, text=True)
    assert node.returncode == 0, node.stderr
    return node.stdout.strip()


def test_pyodide_compiles_for_its_own_python_and_the_result_is_cached(tmp_path):
    runtime = _pyodide_runtime()
    wheel = make_wheel(tmp_path / "demo-1.0-py3-none-any.whl")
    logged = []
    bytecode.precompile([wheel], runtime, tmp_path / "cache", logged.append)
    assert any("2 modules compiled, 1 kept as source" in line for line in logged), logged

    # Pyodide's Python reads it (its magic number, not this machine's), and it has no column
    # ranges (COMPILE_OPTIONS)
    printed = _in_pyodide(runtime, tmp_path, wheel,
                          "import importlib.util, marshal, sys, zipfile\n"
                          "data = zipfile.ZipFile('/host' + sys.argv[1]).read('demo/core.pyc')\n"
                          "print(data[:4] == importlib.util.MAGIC_NUMBER, "
                          "list(marshal.loads(data[16:]).co_positions())[1])\n")
    assert printed == "True (1, 1, None, None)"  # line 1, no columns

    (tmp_path / "again").mkdir()
    again = make_wheel(tmp_path / "again" / wheel.name)
    logged.clear()
    bytecode.precompile([again], runtime, tmp_path / "cache", logged.append)
    assert logged == []  # taken from the cache: Pyodide was not started
    assert again.read_bytes() == wheel.read_bytes()


def test_pyodide_compiles_kept_sources_with_column_ranges_for_its_own_cache_tag(tmp_path):
    runtime = _pyodide_runtime()
    wheel = make_wheel(tmp_path / "demo-1.0-py3-none-any.whl")
    bytecode.precompile([wheel], runtime, tmp_path / "cache", lambda line: None, keep_sources=True)
    printed = _in_pyodide(runtime, tmp_path, wheel,
                          "import marshal, sys, zipfile\n"
                          "pyc = f'demo/__pycache__/core.{sys.implementation.cache_tag}.pyc'\n"
                          "data = zipfile.ZipFile('/host' + sys.argv[1]).read(pyc)\n"
                          "print(sys.implementation.cache_tag, "
                          "list(marshal.loads(data[16:]).co_positions())[1])\n")
    # the browser's Python's tag, and columns: the traceback marks the code it shows
    assert printed == "cpython-314 (1, 1, 9, 11)"  # `42` in `answer = 42`
    with zipfile.ZipFile(wheel) as zf:
        assert zf.read("demo/core.py") == FILES["demo/core.py"]


IMPORT_TINYTORCH = """
import sys
compiled = []
sys.addaudithook(lambda event, args: event == "compile" and compiled.append(str(args[1])))
import tinytorch.course.charts, tinytorch.nn
print(tinytorch.__file__, len([f for f in compiled if "tinytorch" in f]))
"""


def test_the_sites_tinytorch_imports_from_its_bytecode_with_sources_beside(course_site, tmp_path):
    """In the site's own Pyodide, tinytorch (loaded from the site's lock file) imports without
    compiling a module: its `__pycache__` bytecode is used, its sources are there."""
    out = pyodide_site.printed(course_site.path, "tinytorch", IMPORT_TINYTORCH, tmp_path)
    assert out.split() == ["/lib/python3.14/site-packages/tinytorch/__init__.py", "0"]
