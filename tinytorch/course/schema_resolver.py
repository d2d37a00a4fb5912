"""One jsonschema resolver for all of altair's chart checks, where jsonschema is older than 4.18.

Why: altair checks every chart, and every channel and property as it is set, against the
Vega-Lite schema. With jsonschema 4.18 or newer it follows the schema's "$ref"s through a
registry it builds once. Older jsonschema has no registry, so altair makes a new
`jsonschema.RefResolver` for every check, and each new resolver indexes the whole 1.5 MB schema
before it can follow its first "$ref". The browser has jsonschema 4.17.3 (4.18 needs rpds-py,
which has no WebAssembly build: docs/site.md), where 01_tensor's cells indexed the same schema
42 times. Shared, one line chart's `to_dict()` took 12 ms there instead of 62, and 01_tensor's
cells ran in 1.2 s instead of 1.6 (Chromium, timed by the kernel's messages; docs/site.md,
"Chart checks, measured").

`share_schema_resolver()` makes `RefResolver.from_schema(schema)` hand back the resolver it
made before for the same schema object, one per thread (a resolver keeps a stack of scopes while
it validates). The checks are the same checks against the same schema; only the index is kept.
With jsonschema 4.18 or newer nothing is changed. `tinytorch.course` calls it on import, so it
is in place before any app builds a chart.
"""

from __future__ import annotations

import threading
from importlib import metadata

KEPT_PER_THREAD = 4  # schemas a thread keeps a resolver for; altair has one (Vega-Lite's)


def legacy_jsonschema() -> bool:
    """Whether the installed jsonschema predates 4.18, whose registry altair caches itself."""
    try:
        version = metadata.version("jsonschema")
    except metadata.PackageNotFoundError:
        return False
    major, minor = (int(part) for part in version.split(".")[:2])
    return (major, minor) < (4, 18)


def share_schema_resolver() -> bool:
    """Make `jsonschema.RefResolver.from_schema(schema)` reuse one resolver per schema and thread,
    if jsonschema is older than 4.18. True if it is (now or already) in place; calling it again
    changes nothing."""
    if not legacy_jsonschema():
        return False
    import jsonschema

    resolver_class = jsonschema.RefResolver
    if getattr(resolver_class.from_schema, "shared", False):
        return True
    make = resolver_class.from_schema.__func__
    kept = threading.local()

    def from_schema(cls, schema, *args, **kwargs):
        if args or kwargs or cls is not resolver_class:  # not altair's call: as before
            return make(cls, schema, *args, **kwargs)
        resolvers = kept.__dict__.setdefault("resolvers", {})
        # keyed by id(); the schema is kept with its resolver, so the id cannot be reused
        if id(schema) not in resolvers:
            if len(resolvers) == KEPT_PER_THREAD:
                del resolvers[next(iter(resolvers))]
            resolvers[id(schema)] = (schema, make(cls, schema))
        return resolvers[id(schema)][1]

    from_schema.shared = True
    resolver_class.from_schema = classmethod(from_schema)
    return True
