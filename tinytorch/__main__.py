"""`python -m tinytorch` is the `tinytorch` command (tinytorch.cli)."""

import sys

from tinytorch.cli import main

sys.exit(main())
