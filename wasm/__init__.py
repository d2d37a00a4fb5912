"""Build the course's static WebAssembly site: every marimo app in `apps/`, runnable in the browser.

`build_site.py` is the command; this package is its parts, one idea per module:

| module | what it does, and why it is separate |
|---|---|
| `apps` | finds the notebooks in `apps/` and places them on the course map |
| `course` | the course map itself: tiers, modules, milestones |
| `package` | builds the `tinytorch` wheel the browser installs |
| `script_header` | rewrites a notebook's PEP 723 header into one micropip can satisfy |
| `stage` | a throw-away copy of `apps/` with those headers, so `apps/` is never touched |
| `export` | runs `marimo export html-wasm` (edit mode and code-hidden run mode) |
| `assets` | merges exports into one site with ONE shared copy of marimo's runtime assets |
| `page` | an exported page: points its `<marimo-wasm>` at the site's Pyodide; reads its code |
| `runtime` | the Pyodide core from the npm package `pyodide@<version>` |
| `wheels` | what a wheel file says about itself (name, version, tags, requirements, imports) |
| `repack` | pure-Python wheels from sdists whose C speed-ups are optional (PyYAML, MarkupSafe) |
| `sources` | where each wheel comes from: a local folder, the cache, PyPI via pip, or a repack |
| `imports` | the modules a notebook imports (parsed, never run) |
| `resolve` | the closure of packages the apps need in the browser |
| `lockfile` | `pyodide-lock.json` entries for the vendored wheels, and its verification |
| `mirror` | assembles `<site>/pyodide/`: runtime, wheels, lock file, a PEP 503 index |
| `data` | copies the chosen datasets into `<site>/data/` |
| `landing` | the course map page and the iframe-embed page |
| `serve` | a local server with the COOP/COEP headers that make interrupts work |
| `site` | the build, step by step |
| `browser` | headless Chromium helpers for the tests and benchmarks (not used by the build) |

The site layout, and why it is shaped this way, is in `docs/site.md`.
"""
