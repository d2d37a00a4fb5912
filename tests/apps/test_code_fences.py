"""Every fenced code block the apps and the course helpers write names its language.

Why: marimo highlights fences with pygments, and a fence without a language makes pygments
guess it, which imports all of its ~220 lexers and tries each one: 0.3 s of the 1986 app's
load under Pyodide (cProfile), for a block that only shows text. "```text" shows the same."""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted(REPO.glob("apps/*.py")) + sorted((REPO / "tinytorch" / "course").rglob("*.py"))
FENCE = re.compile(r"```([\w+-]*)")


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(REPO)) for p in SOURCES])
def test_every_code_fence_names_its_language(path):
    text = path.read_text()
    fences = list(FENCE.finditer(text))
    assert len(fences) % 2 == 0, f"{path.name}: an odd number of ``` fences"
    unnamed = [text.count("\n", 0, f.start()) + 1 for f in fences[::2] if not f.group(1)]
    assert not unnamed, f"{path.name}: fences without a language (```text for plain text) at lines {unnamed}"
