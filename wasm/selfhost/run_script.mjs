// node run_script.mjs RUNTIME_DIR ROOT MODULE [ARGS...]
//
// Run the Python module MODULE as __main__ (like `python -m MODULE`, with the folder ROOT on
// sys.path) in the Pyodide of RUNTIME_DIR, an unpacked npm package pyodide@<version>: for
// build steps that need the browser's own Python (wasm/selfhost/bytecode.py). This machine's
// files are reachable under /host. The PYTHON* variables of Node's environment are Python's,
// so a caller sets Python's options as for any other Python (e.g. PYTHONNODEBUGRANGES=1).
import { pathToFileURL } from "node:url";

const [runtime, root, module, ...args] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(`${runtime}/pyodide.mjs`).href);
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith("PYTHON")));
const pyodide = await loadPyodide({ indexURL: `${runtime}/`, env });
pyodide.FS.mkdir("/host");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: "/" }, "/host");
pyodide.globals.set("argv", pyodide.toPy([module, ...args]));
pyodide.globals.set("root", `/host${root}`);
pyodide.runPython(`
import runpy, sys
sys.argv = list(argv)
sys.path.insert(0, root)
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
`);
