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
| `selfhost` | `--self-host`: the Pyodide runtime and every wheel the apps need, served by the site |
| `imports` | the modules a notebook imports (parsed, never run) |
| `data` | copies the chosen datasets into `<site>/data/` |
| `landing` | the course map page and the iframe-embed page |
| `serve` | a local server with the COOP/COEP headers that make interrupts work |
| `site` | the build, step by step |

The headless-Chromium helpers the tests and `bench/bench_site.py` drive the built site with are
`tests/wasm/browser.py` (not part of the build). The site layout, and why it is shaped this way,
is in `docs/site.md`.
"""
