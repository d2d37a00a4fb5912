"""A notebook's PEP 723 header (`# /// script ... # ///`): rewritten for the browser, then checked.

Why: marimo's WASM worker hands the header's `dependencies` to micropip in one
`micropip.install([...])` call, so one unsatisfiable entry stops all of them. Before export:

* `marimo` itself is dropped: the runtime already is marimo (`marimo-base`); micropip would look
  for a `marimo` wheel, fail, and take the rest of the header down with it;
* `tinytorch` becomes the wheel beside the notebook (`tinytorch @ ./tinytorch-0.1.0-py3-none-any.whl`),
  which `marimo export` copies to `public/wheels/` and micropip installs from the site;
* packages Pyodide ships are unpinned: the browser can only ever get the version in the lock
  file the page loads, and a pin on anything else (`numpy==2.4.6`, what `marimo edit --sandbox`
  records on a laptop) sends micropip after a wasm build that exists nowhere. Pins on packages
  Pyodide does not ship (pure-Python, from PyPI) mean something and are kept.

`marimo export` would pin the header again (to the versions of the lock file it can fetch, or
else to the *locally installed* ones); `wasm.export` stops that, and after export `pin_problems`
checks every page's header against the lock file the page loads.

Only a staged copy of each notebook is rewritten; `apps/` is never touched.
"""

from __future__ import annotations

import json
import re
import tomllib

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

# The reference regular expression from PEP 723.
BLOCK = re.compile(r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$")
RUNTIME_PROVIDED = {"marimo", "marimo-base"}


def find_block(source: str) -> re.Match | None:
    blocks = [m for m in BLOCK.finditer(source) if m.group("type") == "script"]
    if len(blocks) > 1:
        raise ValueError("more than one '# /// script' block")
    return blocks[0] if blocks else None


def read(source: str) -> dict:
    """The header's TOML as a dict ({} when the notebook has no header)."""
    m = find_block(source)
    if m is None:
        return {}
    lines = m.group("content").splitlines(keepends=True)
    return tomllib.loads("".join(line[2:] if line.startswith("# ") else line[1:] for line in lines))


def dumps(metadata: dict) -> str:
    """The header block for `metadata` (a small TOML writer: tables, strings, numbers, lists)."""
    body = _toml(metadata, ())
    return "# /// script\n" + "".join(f"# {line}".rstrip() + "\n" for line in body.splitlines()) + "# ///"


def replace(source: str, metadata: dict) -> str:
    m = find_block(source)
    block = dumps(metadata)
    if m is None:
        return f"{block}\n\n{source}"
    return source[: m.start()] + block + source[m.end() :]


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)  # JSON string escapes are valid TOML basic-string escapes
    if isinstance(v, list):
        if len(v) > 2 or any(isinstance(x, str) and len(x) > 30 for x in v):
            return "[\n" + "".join(f"    {_value(x)},\n" for x in v) + "]"
        return "[" + ", ".join(_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} into a PEP 723 header")


def _toml(table: dict, path: tuple[str, ...]) -> str:
    scalars = [f"{_key(k)} = {_value(v)}\n" for k, v in table.items() if not isinstance(v, dict)]
    out = "".join(scalars)
    for k, v in table.items():
        if isinstance(v, dict):
            sub = path + (k,)
            has_scalars = any(not isinstance(x, dict) for x in v.values())
            out += ("\n" if out else "") + (
                f"[{'.'.join(_key(p) for p in sub)}]\n" if has_scalars or not v else ""
            )
            out += _toml(v, sub)
    return out


def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k)


def parse_requirement(dep: str) -> Requirement | None:
    """The PEP 508 requirement `dep`, or None when it is not one."""
    try:
        return Requirement(dep)
    except InvalidRequirement:
        return None


def browser_dependencies(
    dependencies: list[str], local_wheels: dict[str, str], pyodide_packages: set[str]
) -> tuple[list[str], list[str]]:
    """(the dependency list for the browser, notes on what changed); see the module docstring.

    local_wheels: PEP 503 name -> wheel file name next to the notebook; always present after.
    pyodide_packages: PEP 503 names of the packages Pyodide ships (its lock file's keys).
    """
    out: dict[str, str] = {}
    notes = []
    for dep in dependencies:
        req = parse_requirement(dep)
        if req is None:
            notes.append(f"kept {dep!r} as written: not a valid requirement")
            out.setdefault(dep, dep)
            continue
        key = canonicalize_name(req.name)
        if key in RUNTIME_PROVIDED:
            notes.append(f"dropped {dep!r}: the browser runtime is marimo already")
            continue
        if key in local_wheels:
            continue  # added below, pointing at the wheel
        if key in pyodide_packages and (req.specifier or req.url):
            req.specifier, req.url = SpecifierSet(), None
            notes.append(f"unpinned {dep!r}: the browser gets the version in Pyodide's lock file")
        out.setdefault(key, str(req))
    for key, wheel in local_wheels.items():
        out[key] = f"{key} @ ./{wheel}"
    return list(out.values()), notes


def rewrite_source(
    source: str, local_wheels: dict[str, str], pyodide_packages: set[str]
) -> tuple[str, list[str]]:
    """(the notebook's source with its header's dependencies rewritten, notes)."""
    meta = read(source)
    deps = list(meta.get("dependencies", []))
    meta["dependencies"], notes = browser_dependencies(deps, local_wheels, pyodide_packages)
    return replace(source, meta), notes


def pin_problems(dependencies: list[str], versions: dict[str, str]) -> list[str]:
    """Dependencies whose version specifier excludes the version the lock file provides.

    versions: PEP 503 name -> version in the lock file the page loads packages from.
    """
    problems = []
    for dep in dependencies:
        req = parse_requirement(dep)
        have = versions.get(canonicalize_name(req.name)) if req else None
        if req is None:
            problems.append(f"{dep!r} is not a valid requirement")
        elif have is not None and req.specifier and not req.specifier.contains(have, prereleases=True):
            problems.append(f"{dep!r} excludes {have}, the version in the lock file")
    return problems
