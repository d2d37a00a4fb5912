// node pyodide_site.mjs SITE PACKAGES SCRIPT
//
// Run the Python file SCRIPT in a built site's own Pyodide, as a page of the site would have
// it: the runtime and lock file of SITE/pyodide/ and the comma-separated PACKAGES loaded from
// it (tinytorch among them: the self-hosted lock file lists it). For tests of what the browser's
// Python does with the site's exact packages (e.g. jsonschema 4.17.3, which no test machine
// has), without a browser. Python's output is printed; an exception exits non-zero.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [site, packages, script] = process.argv.slice(2);
const runtime = `${site}/pyodide/`;
const { loadPyodide } = await import(pathToFileURL(`${runtime}pyodide.mjs`).href);
const pyodide = await loadPyodide({ indexURL: runtime, lockFileURL: `${runtime}pyodide-lock.json` });
await pyodide.loadPackage(packages.split(","), { messageCallback: () => {} });
pyodide.runPython(readFileSync(script, "utf8"));
