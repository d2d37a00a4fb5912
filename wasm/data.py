"""Copy the chosen datasets from the local mirror (`TINYTORCH_DATA`) into `<site>/data/`.

Why on the site: a browser app cannot read the learner's disk and should not depend on
third-party dataset hosts, so the loaders fetch `<site>/data/<dataset>/<file>` (in marimo,
`mo.notebook_location() / "data"`; see `tinytorch.datasets.set_data_url`). The mirror's
layout is kept as is, so the same loader code reads both.

Why choosable: CIFAR-10 alone is 160 MB (one 162 MB file, above some hosts' per-file limits),
the rest together ~45 MB. The default leaves CIFAR-10 out; `--data all` includes it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

DATASETS = ("mnist", "fashion-mnist", "cifar-10", "text", "digits")
DEFAULT = ("mnist", "fashion-mnist", "text", "digits")


def parse_selection(value: str | None) -> tuple[str, ...]:
    """'all' | 'none' | 'default' | comma-separated names -> dataset folder names."""
    if value is None or value == "default":
        return DEFAULT
    if value == "all":
        return DATASETS
    if value == "none":
        return ()
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    unknown = [n for n in names if n not in DATASETS]
    if unknown:
        raise ValueError(f"unknown dataset(s) {unknown}; choose from {', '.join(DATASETS)}, all, none")
    return names


@dataclass
class DataReport:
    copied: dict[str, int] = field(default_factory=dict)  # dataset -> bytes
    absent: list[str] = field(default_factory=list)


def copy_datasets(source: Path | None, dest: Path, names: tuple[str, ...]) -> DataReport:
    report = DataReport()
    if source is None or not names:
        report.absent = list(names)
        return report
    for name in names:
        src = source / name
        if not src.is_dir():
            report.absent.append(name)
            continue
        shutil.copytree(src, dest / name, dirs_exist_ok=True)
        report.copied[name] = sum(p.stat().st_size for p in (dest / name).rglob("*") if p.is_file())
    if report.copied and (source / "README.md").is_file():
        shutil.copy2(
            source / "README.md", dest / "README.md"
        )  # licences and attribution travel with the data
    return report
