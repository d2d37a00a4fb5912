"""`build_site.py --self-host`: the site serves Pyodide's runtime and every wheel its apps load,
so a page asks nothing of any other host (`<site>/pyodide/`). One idea per module:

| module | what it does, and why it is separate |
|---|---|
| `numpy_wheel` | numpy's Pyodide wheel (file name, sha256): on no registry, so supplied by hand |
| `runtime` | the Pyodide core from the npm package `pyodide@<version>` |
| `wheels` | what a wheel file says about itself (name, version, tags, requirements, imports) |
| `repack` | pure-Python wheels from sdists whose C speed-ups are optional (PyYAML, MarkupSafe) |
| `sources` | where each wheel comes from: a local folder, the cache, PyPI via pip, or a repack |
| `resolve` | the closure of packages the apps need in the browser |
| `lockfile` | `pyodide-lock.json` entries for the vendored wheels, and its verification |
| `mirror` | assembles `<site>/pyodide/`: runtime, wheels, lock file, a PEP 503 index |

This file, like `wasm/__init__.py`, imports nothing: `dev.py` imports `numpy_wheel` with the
bare standard library, before any virtual environment exists.
"""
