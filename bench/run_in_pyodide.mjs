// Run a benchmark script inside Pyodide (the browser's Python: no BLAS, one thread) under Node.js.
//
//   node bench/run_in_pyodide.mjs NUMPY_WHEEL bench/bench_matmul.py [script args]
//
// Uses the `pyodide` npm package that tests/pyodide installs (`npm install` there once) and
// numpy's wasm wheel (see tests/pyodide/test_in_pyodide.py for where to get it). The repository
// is mounted at /repo, so the script imports the working tree's tinytorch.
import { loadPyodide } from "../tests/pyodide/node_modules/pyodide/pyodide.mjs";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const [wheel, script, ...scriptArgs] = process.argv.slice(2);
if (!wheel || !script) {
  console.error("usage: node bench/run_in_pyodide.mjs NUMPY_WHEEL SCRIPT [ARGS]");
  process.exit(2);
}
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pyodide = await loadPyodide();
pyodide.setStdout({ write: (bytes) => { process.stdout.write(bytes); return bytes.length; } });
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
pyodide.unpackArchive(new Uint8Array(fs.readFileSync(wheel)), "wheel", { extractDir: sitePackages });
pyodide.FS.mkdir("/repo");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: repo }, "/repo");
pyodide.globals.set("argv", pyodide.toPy([script, ...scriptArgs]));
await pyodide.runPythonAsync(`
import os, runpy, sys
os.chdir("/repo")
sys.path.insert(0, "/repo")
sys.argv = list(argv)
runpy.run_path(sys.argv[0], run_name="__main__")
`);
