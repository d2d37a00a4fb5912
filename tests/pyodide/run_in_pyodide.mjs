// Run pytest inside Pyodide (Python compiled to WebAssembly, as in the browser) under Node.js.
//
//   node run_in_pyodide.mjs REPO_DIR WHEEL [WHEEL ...] -- [pytest args]
//   node run_in_pyodide.mjs REPO_DIR WHEEL [WHEEL ...] -- SCRIPT.py [script args]
//
// The second form runs a Python script instead of pytest (bench/bench_pyodide.py measures
// the browser's NumPy this way).
// The wheels (numpy's wasm wheel, pytest and its pure-Python dependencies) are unpacked into
// site-packages; REPO_DIR is mounted at /repo, so the tests import the working tree's tinytorch.
// Exits with pytest's exit code.
import { loadPyodide } from "pyodide";
import fs from "node:fs";

const args = process.argv.slice(2);
const split = args.indexOf("--");
const [repo, ...wheels] = split < 0 ? args : args.slice(0, split);
const pytestArgs = split < 0 ? [] : args.slice(split + 1);

const pyodide = await loadPyodide();
// Raw writes: the default line-batched console output loses pytest's last (summary) line.
for (const [setter, stream] of [["setStdout", process.stdout], ["setStderr", process.stderr]]) {
  pyodide[setter]({ write: (bytes) => { stream.write(bytes); return bytes.length; } });
}
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
for (const wheel of wheels) {
  // Without extractDir, wheels land in the working directory, which the tests change.
  pyodide.unpackArchive(new Uint8Array(fs.readFileSync(wheel)), "wheel", { extractDir: sitePackages });
}
pyodide.FS.mkdir("/repo");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: repo }, "/repo");
pyodide.globals.set("pytest_args", pyodide.toPy(pytestArgs));
const code = await pyodide.runPythonAsync(`
import os, sys
os.chdir("/repo")
sys.path.insert(0, "/repo")
if pytest_args and pytest_args[0].endswith(".py"):
    import runpy
    sys.argv = list(pytest_args)
    try:
        runpy.run_path(pytest_args[0], run_name="__main__")
        exit_code = 0
    except SystemExit as done:  # sys.exit() must end the script, not crash Node
        exit_code = done.code if isinstance(done.code, int) else int(done.code is not None)
else:
    import pytest
    exit_code = pytest.main(["-p", "no:cacheprovider", *pytest_args])
int(exit_code)
`);
// exitCode, not exit(): writes to a pipe are asynchronous in Node and exit() would cut them off.
process.exitCode = Number(code);
