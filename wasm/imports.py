"""The top-level modules a notebook imports, found by parsing it (never by running it).

Why: in the browser, marimo asks Pyodide to load the packages of every `import` in the notebook
(`loadPackagesFromImports`), so the self-hosted site must carry a wheel for each import that
Pyodide's lock file knows. marimo notebooks import inside cell functions, so every `import`
node in the file counts, not only module-level ones. Relative imports are local, not packages.
"""

from __future__ import annotations

import ast
from pathlib import Path


def imported_modules(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def imports_by_module(notebooks: dict[str, Path]) -> dict[str, set[str]]:
    """{module name: {stems of the notebooks importing it}} over `notebooks` (stem -> path)."""
    out: dict[str, set[str]] = {}
    for stem, path in notebooks.items():
        for name in imported_modules(path.read_text(encoding="utf-8")):
            out.setdefault(name, set()).add(stem)
    return out
