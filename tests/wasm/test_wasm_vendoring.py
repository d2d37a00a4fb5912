"""Vendoring for --self-host, without network: wheel metadata, sdist repacks, wheel sources,
resolution, the lock file and the PEP 503 index. Archives are made on the fly."""

import json
import zipfile

import pytest
from packaging.requirements import Requirement

from wasm.selfhost.lockfile import build_lock, verify_lock, write_lock
from wasm.selfhost.mirror import missing_report, write_simple_index
from wasm.selfhost.repack import repack_sdist
from wasm.selfhost.resolve import import_roots, resolve
from wasm.selfhost.sources import Target, WheelSource, sha256
from wasm.selfhost.wheels import browser_requirements, compatible, read_wheel

TARGET = Target.from_lock_info({"python": "3.14.0", "abi_version": "2026_0", "arch": "wasm32"})
WASM = "cp314-cp314-pyemscripten_2026_0_wasm32"


def source(*dirs, tmp_path, expected=None):
    return WheelSource(list(dirs), tmp_path / "cache", TARGET, expected_sha256=expected or {}, download=False)


def lock_of(**packages):
    """A stand-in for Pyodide's lock file: name=(version, file_name, sha256, imports)."""
    return {
        k: {
            "name": k,
            "version": v[0],
            "file_name": v[1],
            "sha256": v[2],
            "imports": v[3],
            "package_type": "package",
            "depends": [],
        }
        for k, v in packages.items()
    }


def test_target_comes_from_the_lock_info():
    assert (TARGET.python_tag, TARGET.platform) == ("cp314", "pyemscripten_2026_0_wasm32")


def test_read_wheel_and_browser_requirements(tmp_path, make_wheel):
    path = make_wheel(
        tmp_path,
        "Demo-Pkg",
        "1.2",
        requires=[
            "numpy>=1.26",
            "click ; sys_platform != 'emscripten'",
            "rich ; extra == 'fancy'",
            "tomli ; python_version < '3.11'",
        ],
        files={"demo_pkg/__init__.py": "", "demo_helper.py": ""},
    )
    info = read_wheel(path)
    assert (info.key, str(info.version), info.imports) == ("demo-pkg", "1.2", ("demo_helper", "demo_pkg"))
    assert [str(r) for r in browser_requirements(info, "3.14.0")] == ["numpy>=1.26"]
    assert [str(r) for r in browser_requirements(info, "3.14.0", ("fancy",))] == [
        "numpy>=1.26", 'rich; extra == "fancy"']


@pytest.mark.parametrize(
    ("tag", "ok"),
    [
        ("py3-none-any", True),
        ("py2.py3-none-any", True),
        (WASM, True),
        ("cp314-abi3-pyemscripten_2026_0_wasm32", True),
        ("cp313-cp313-pyemscripten_2025_0_wasm32", False),
        ("cp314-cp314-manylinux_2_17_x86_64", False),
    ],
)
def test_compatible_tags(tmp_path, make_wheel, tag, ok):
    assert (
        compatible(read_wheel(make_wheel(tmp_path, "p", "1", tag=tag)).tags, "cp314", TARGET.platform) is ok
    )


def test_repack_sdist_keeps_python_and_drops_c(tmp_path, make_sdist):
    sdist = make_sdist(
        tmp_path,
        "MarkupSafe",
        "3.0.3",
        {
            "src/markupsafe/__init__.py": "from ._native import escape\n",
            "src/markupsafe/_native.py": "escape = str\n",
            "src/markupsafe/_speedups.c": "/* C */",
            "src/markupsafe/py.typed": "",
            "tests/test_x.py": "",
        },
    )
    info = read_wheel(repack_sdist(sdist, ("markupsafe",), tmp_path / "out"))
    assert info.path.name == "markupsafe-3.0.3-py3-none-any.whl" and info.imports == ("markupsafe",)
    names = zipfile.ZipFile(info.path).namelist()
    assert "markupsafe/_native.py" in names and "markupsafe/py.typed" in names
    assert not [n for n in names if n.endswith(".c") or n.startswith("tests")]


def test_source_prefers_highest_version_and_local_folder_on_ties(tmp_path, make_wheel):
    local, cache = tmp_path / "local", tmp_path / "cache" / "pypi"
    make_wheel(cache, "pkg", "1.0")
    make_wheel(cache, "pkg", "2.0")
    mine = make_wheel(local, "pkg", "2.0", files={"pkg/__init__.py": "# mine\n"})
    src = source(local, tmp_path=tmp_path)
    assert src.get(Requirement("pkg")).path == mine
    assert src.get(Requirement("pkg<2")).path.parent == cache
    assert src.get(Requirement("pkg>3")) is None


def test_source_refuses_a_wasm_wheel_whose_hash_is_not_pyodides(tmp_path, make_wheel):
    wheel = make_wheel(tmp_path / "local", "numpy", "2.4.3", tag=WASM)
    src = source(tmp_path / "local", tmp_path=tmp_path, expected={wheel.name: "0" * 64})
    assert src.get(Requirement("numpy")) is None
    assert "differs from Pyodide's lock file" in src.notes[0]
    ok = source(tmp_path / "local", tmp_path=tmp_path, expected={wheel.name: sha256(wheel)})
    assert ok.get(Requirement("numpy")).path == wheel


def test_resolve_prefers_the_lock_version_and_follows_metadata(tmp_path, make_wheel):
    d = tmp_path / "w"
    make_wheel(d, "app-dep", "1.0", requires=["lib>=1", "server-only ; sys_platform != 'emscripten'"])
    make_wheel(d, "lib", "1.5")
    make_wheel(d, "lib", "2.0")
    lock = lock_of(lib=("1.5", "lib-1.5-py3-none-any.whl", "x", ["lib"]))
    res = resolve([(Requirement("app-dep"), "app")], lock, source(d, tmp_path=tmp_path), "3.14.0")
    assert {k: str(w.version) for k, w in res.wheels.items()} == {"app-dep": "1.0", "lib": "1.5"}
    assert res.missing == {}


def test_resolve_restarts_when_a_later_requirement_excludes_an_early_choice(tmp_path, make_wheel):
    # marimo-base needs msgspec>=0.22 while Pyodide's lock file has 0.20 (the real case).
    d = tmp_path / "w"
    make_wheel(d, "msgspec", "0.20.0", tag=WASM)
    make_wheel(d, "msgspec", "0.22.0", tag=WASM)
    make_wheel(d, "marimo-base", "0.25.2", requires=["msgspec>=0.22.0"])
    lock = lock_of(msgspec=("0.20.0", f"msgspec-0.20.0-{WASM}.whl", "x", ["msgspec"]))
    roots = [(Requirement("msgspec"), "runtime"), (Requirement("marimo-base==0.25.2"), "runtime")]
    res = resolve(roots, lock, source(d, tmp_path=tmp_path), "3.14.0")
    assert str(res.wheels["msgspec"].version) == "0.22.0"


def test_resolve_applies_the_jsonschema_override(tmp_path, make_wheel):
    d = tmp_path / "w"
    make_wheel(d, "jsonschema", "4.26.0", requires=["rpds-py"])
    make_wheel(d, "jsonschema", "4.17.3", requires=["pyrsistent"])
    make_wheel(d, "pyrsistent", "0.20.0")
    res = resolve([(Requirement("jsonschema>=3"), "altair")], {}, source(d, tmp_path=tmp_path), "3.14.0")
    assert str(res.wheels["jsonschema"].version) == "4.17.3" and "rpds-py" not in res.wheels


def test_resolve_reports_missing_wheels_with_the_lock_file_name(tmp_path, make_wheel):
    d = tmp_path / "w"
    make_wheel(d, "tinytorch", "0.1.0", requires=["numpy>=1.26"])
    lock = lock_of(numpy=("2.4.3", f"numpy-2.4.3-{WASM}.whl", "c901", ["numpy"]))
    res = resolve([(Requirement("tinytorch"), "app")], lock, source(d, tmp_path=tmp_path), "3.14.0")
    assert list(res.missing) == ["numpy"]
    [line] = missing_report(res.missing, [tmp_path / "wheels"])
    assert f"numpy-2.4.3-{WASM}.whl" in line and "c901" in line and str(tmp_path / "wheels") in line
    assert "needed by tinytorch" in line


def test_import_roots_map_imports_to_lock_packages():
    lock = lock_of(pyyaml=("6.0.3", "f", "x", ["_yaml", "yaml"]), numpy=("2.4.3", "n", "x", ["numpy"]))
    lock["numpy-tests"] = {**lock["numpy"], "imports": ["numpy"]}
    roots = import_roots({"yaml": {"a"}, "numpy": {"a", "b"}, "os": {"a"}, "tinytorch": {"a"}}, lock)
    assert [(str(r), who) for r, who in roots] == [("numpy", "a, b"), ("pyyaml", "a")]


def test_lock_file_is_written_from_the_files_and_verified(tmp_path, make_wheel):
    d = tmp_path / "site" / "pyodide"
    wheels = {
        w.key: w
        for w in (
            read_wheel(make_wheel(d, "a", "1.0", requires=["b", "gone"])),
            read_wheel(make_wheel(d, "b", "2.0")),
        )
    }
    lock = build_lock(
        {"python": "3.14.0", "abi_version": "2026_0", "arch": "wasm32", "platform": "x"}, wheels, d
    )
    write_lock(lock, d / "pyodide-lock.json")
    pkgs = json.loads((d / "pyodide-lock.json").read_text())["packages"]
    assert pkgs["a"]["depends"] == ["b"] and pkgs["a"]["sha256"] == sha256(d / "a-1.0-py3-none-any.whl")
    assert set(pkgs["a"]) == {
        "name",
        "version",
        "file_name",
        "install_dir",
        "sha256",
        "package_type",
        "imports",
        "depends",
        "unvendored_tests",
    }
    assert verify_lock(d / "pyodide-lock.json") == []
    (d / "b-2.0-py3-none-any.whl").write_bytes(b"tampered")
    pkgs["a"]["depends"].append("ghost")
    write_lock({"info": lock["info"], "packages": pkgs}, d / "pyodide-lock.json")
    problems = verify_lock(d / "pyodide-lock.json")
    assert any("sha256 of b-2.0" in p for p in problems) and any("ghost" in p for p in problems)


def test_lock_file_depends_take_a_packages_extras_when_asked(tmp_path, make_wheel):
    """The project's own wheel is listed with its `course` extra (wasm.selfhost.mirror.OWN_EXTRAS):
    loading it from the lock file then loads altair too, and micropip has nothing left to do."""
    d = tmp_path / "pyodide"
    wheels = {w.key: w for w in (
        read_wheel(make_wheel(d, "tinytorch", "0.1.0", requires=[
            "numpy", "altair ; extra == 'course'", "marimo ; extra == 'course'"])),
        read_wheel(make_wheel(d, "numpy", "2.0")),
        read_wheel(make_wheel(d, "altair", "6.0")),
    )}
    info = {"python": "3.14.0"}
    assert build_lock(info, wheels, d)["packages"]["tinytorch"]["depends"] == ["numpy"]
    with_extra = build_lock(info, wheels, d, {"tinytorch": ("course",)})["packages"]
    assert with_extra["tinytorch"]["depends"] == ["altair", "numpy"]  # marimo: not a wheel of the site
    assert with_extra["altair"]["depends"] == []


def test_simple_index_links_every_wheel_with_its_hash(tmp_path):
    lock = {"packages": {"numpy": {"file_name": "numpy-2.4.3-x.whl", "sha256": "abc"}}}
    write_simple_index(tmp_path, lock)
    page = (tmp_path / "simple" / "numpy" / "index.html").read_text()
    assert 'href="../../numpy-2.4.3-x.whl#sha256=abc"' in page
    assert 'href="numpy/"' in (tmp_path / "simple" / "index.html").read_text()


def test_a_wheel_without_metadata_is_named_with_what_it_lacks(tmp_path):
    path = tmp_path / "broken-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("broken/__init__.py", "")
    with pytest.raises(ValueError, match=r"broken-1.0-py3-none-any.whl is not a valid wheel: it has no "
                                         r"<name>-<version>.dist-info/METADATA \(its top-level entries: "
                                         r"\['broken'\]\)"):
        read_wheel(path)
