// node pyodide_site.mjs SITE PACKAGES SCRIPT
//
// Run the Python file SCRIPT in a built site's own Pyodide, as a page of the site would have
// it: the runtime and lock file of SITE/pyodide/, the comma-separated PACKAGES loaded from it,
// and every wheel of SITE/public/wheels/ (tinytorch) unpacked. For tests of what the browser's
// Python does with the site's exact packages (e.g. jsonschema 4.17.3, which no test machine
// has), without a browser. Python's output is printed; an exception exits non-zero.
import { readFileSync, readdirSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [site, packages, script] = process.argv.slice(2);
const runtime = `${site}/pyodide/`;
const { loadPyodide } = await import(pathToFileURL(`${runtime}pyodide.mjs`).href);
const pyodide = await loadPyodide({ indexURL: runtime, lockFileURL: `${runtime}pyodide-lock.json` });
await pyodide.loadPackage(packages.split(","), { messageCallback: () => {} });
for (const wheel of readdirSync(`${site}/public/wheels`).filter((name) => name.endsWith(".whl"))) {
  pyodide.unpackArchive(new Uint8Array(readFileSync(`${site}/public/wheels/${wheel}`)), "wheel");
}
pyodide.runPython(readFileSync(script, "utf8"));
