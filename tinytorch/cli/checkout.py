"""The course repository this tinytorch was installed from, for the commands that need more
than the package: the apps (`check`, `edit`), the site builder (`course`) and the milestone
recipes (`milestone run`). `pip install -e .` from a clone (what `dev.py` does) keeps them
beside the package; a plain wheel install has only the package, and these commands say so."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import tinytorch
from tinytorch.cli.errors import CliError

ROOT = Path(tinytorch.__file__).resolve().parents[1]


def root(needs: str) -> Path:
    """The repository root, which must hold `needs` (e.g. "apps", "build_site.py")."""
    if not (ROOT / needs).exists():
        raise CliError(f"{needs} is not beside this tinytorch ({ROOT}): this command needs a clone of "
                       "the course repository with tinytorch installed from it (pip install -e .)")
    return ROOT


def require_marimo(command: str) -> None:
    """The apps are marimo notebooks: without marimo, say how to install it, not ImportError."""
    if importlib.util.find_spec("marimo") is None:
        raise CliError(f"{command} needs marimo, which is not installed: pip install -e '.[course]' "
                       "(or run python3 dev.py course once)")


def import_recipes() -> None:
    """Make `import milestones.<recipe>` work (the recipes live in the repository, not the package)."""
    if str(root("milestones")) not in sys.path:
        sys.path.insert(0, str(ROOT))
