"""`build_site.py --self-host`: the site serves Pyodide's runtime and every wheel its apps load,
so a page asks nothing of any other host (`<site>/pyodide/`). One idea per module:

| module | what it does, and why it is separate |
|---|---|
| `runtime` | the Pyodide core from the npm package `pyodide@<version>` |
| `wheels` | what a wheel file says about itself (name, version, tags, requirements, imports) |
| `repack` | pure-Python wheels from sdists whose C speed-ups are optional (PyYAML, MarkupSafe) |
| `sources` | where each wheel comes from: a local folder, the cache, PyPI via pip, or a repack |
| `resolve` | the closure of packages the apps need in the browser |
| `lockfile` | `pyodide-lock.json` entries for the vendored wheels, and its verification |
| `bytecode` | every module compiled once, by Pyodide's own Python under Node (`run_script.mjs`) |
| `mirror` | assembles `<site>/pyodide/`: runtime, wheels (as bytecode), lock file, a PEP 503 index |

numpy's Pyodide wheel, on no registry and so supplied by hand, is named once in
`tinytorch/cli/numpy_wheel.py`, where `tinytorch doctor` checks it.
"""
