"""Per-app overrides that shrink long computations for the pressed-button test run.

Keys are app file stems; values are cell definitions to override (see marimo's
`App.run(defs=...)`). Each app that trains keeps its settings in one cell for this reason.
"""

SETTINGS: dict[str, dict] = {}
