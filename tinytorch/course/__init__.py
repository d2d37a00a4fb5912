"""Helpers shared by the course apps in `apps/`: exercise checks, charts, measurements and
live training progress. They ship inside the tinytorch wheel so the same import works under
`marimo edit` and in the browser. Install the `course` extra (marimo, altair) to use them;
the framework itself needs only NumPy.
"""

from tinytorch.course.schema_resolver import share_schema_resolver

share_schema_resolver()  # altair's chart checks: in the browser they took half of 01_tensor's cells
