"""Put the chosen datasets into `<site>/data/`: from a local mirror, or fetched as the library does.

Why on the site: a browser app cannot read the learner's disk and should not depend on
third-party dataset hosts, so the loaders fetch `<site>/data/<dataset>/<file>` (in marimo,
`mo.notebook_location() / "data"`; see `tinytorch.datasets.set_data_url`). The mirror's
layout is kept as is, so the same loader code reads both.

Where from: the mirror (`--data-source`, default `TINYTORCH_DATA`) is copied as it is. With no
mirror, as on a fresh clone, each file is obtained exactly as `tinytorch.datasets` obtains it:
the download cache, else the catalog's upstream URLs (`TINYTORCH_UPSTREAM_URL` can point those
at a local copy), checked against the catalog and cached. What is downloaded, and how large, is
logged; what cannot be had is listed with how to provide it, and the site is built without it
(its apps then show their "data missing" callout). `text` and `digits` ship inside the tinytorch
package, so without a mirror there is nothing to fetch for them.

Why choosable: CIFAR-10 alone is 160 MB (one 162 MB file, above some hosts' per-file limits),
the rest together ~45 MB. The default leaves CIFAR-10 out; `--data all` includes it.

`capstone` is not downloaded but made: the Torch Olympics' reference submissions, trained by
`tinytorch.capstone.reference.materialize` (cached, so once per machine; several minutes the
first time) for the events whose held-out data is on the site, so the capstone apps measure
them in the browser (`tinytorch.course.olympics`).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from tinytorch.datasets import DatasetError, catalog, sources

DATASETS = ("mnist", "fashion-mnist", "cifar-10", "text", "digits", "capstone")
DEFAULT = ("mnist", "fashion-mnist", "text", "digits", "capstone")
PACKAGED = ("text", "digits")  # inside the tinytorch wheel: the loaders never fetch them
ATTRIBUTION = {  # written beside downloaded files: licences and attribution travel with the data
    "mnist": "MNIST: CC BY-SA 3.0, Yann LeCun and Corinna Cortes",
    "fashion-mnist": "Fashion-MNIST: MIT licence, Zalando SE",
    "cifar-10": "CIFAR-10: Alex Krizhevsky, \"Learning Multiple Layers of Features from Tiny Images\", 2009",
}
HOW_TO_PROVIDE = ("provide them with --data-source <folder> (or TINYTORCH_DATA) naming a data mirror, "
                  "or connect to the internet and build again")


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
    notes: list[str] = field(default_factory=list)  # for the build's summary


def provide_datasets(source: Path | None, dest: Path, names: tuple[str, ...], log=print) -> DataReport:
    """Fill `dest` with the datasets `names`: copied from the mirror `source`, or without one,
    fetched the way the library does (`download_datasets`)."""
    files = tuple(n for n in names if n != "capstone")
    if source is None:
        report = download_datasets(dest, files, log)
    else:
        report = copy_datasets(source, dest, files)
        if report.absent:
            report.notes.append(f"datasets not copied (not found in {source}): {', '.join(report.absent)}; "
                                "add them to that folder in the mirror layout, or build without a mirror "
                                "(no --data-source, TINYTORCH_DATA unset) to download them")
    if "capstone" in names:
        provide_capstone_references(dest, (*report.copied, *PACKAGED), report, log)
    return report


def provide_capstone_references(dest: Path, on_site: tuple[str, ...], report: DataReport, log=print) -> None:
    """The capstone's reference submissions for the events whose data is `on_site`, trained on
    first use (`tinytorch.course.olympics.export_references`); a failure is a note, not a failed build."""
    from tinytorch.course import olympics

    if not report.copied:  # a site built without its datasets: no minutes of training either
        report.absent.append("capstone")
        report.notes.append("capstone reference submissions not built: no dataset is on the site")
        return
    try:
        report.copied["capstone"] = olympics.export_references(
            dest / "capstone", olympics.references_for(on_site), log=log)
    except (DatasetError, OSError) as error:
        report.absent.append("capstone")
        report.notes.append(f"capstone reference submissions not built ({error}); the capstone apps say "
                            "so. They train from the datasets: set TINYTORCH_DATA to the data mirror")


def copy_datasets(source: Path, dest: Path, names: tuple[str, ...]) -> DataReport:
    """Copy each dataset folder in `names` from the mirror `source`, with its README (licences)."""
    report = DataReport()
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


def download_datasets(dest: Path, names: tuple[str, ...], log=print) -> DataReport:
    """Each file of each dataset in `names`, as `tinytorch.datasets` gets it (cache, else upstream,
    checked against the catalog and cached), written to `dest` in the mirror layout."""
    report = DataReport()
    wanted = [name for name in names if name not in PACKAGED]
    if wanted:
        log(f"datasets: no mirror given (--data-source / TINYTORCH_DATA), so fetching them as "
            f"tinytorch.datasets does: from its cache {sources.cache_dir()}, else downloaded and checked")
    for name in wanted:
        paths = [path for path in catalog.FILES if path.split("/")[0] == name]
        content = sum(c.size for path in paths for c in catalog.FILES[path].contents.values())
        log(f"{name}: {len(paths)} file(s), {content / 1e6:.1f} MB of content "
            f"(downloads are gzip-compressed, smaller)")
        try:
            fetched = {path: sources.fetch_file(path) for path in paths}
        except DatasetError as error:
            report.absent.append(name)
            log(f"{name}: not available: {error}")
            continue
        for path, file in fetched.items():
            (dest / path).parent.mkdir(parents=True, exist_ok=True)
            (dest / path).write_bytes(file.raw)
            log(f"  {path}: {len(file.raw) / 1e6:.1f} MB from {file.where}")
        report.copied[name] = sum(len(file.raw) for file in fetched.values())
    if report.copied:
        lines = [ATTRIBUTION[name] for name in report.copied]
        (dest / "README.md").write_text("Datasets as published upstream, checked against tinytorch's "
                                        "catalog.\n\n" + "\n".join(f"- {line}" for line in lines) + "\n")
        report.notes.append("datasets fetched (no mirror given): " + ", ".join(
            f"{name} {size / 1e6:.1f} MB" for name, size in report.copied.items()))
    if report.absent:
        report.notes.append(f"datasets missing (no mirror given, and they could not be downloaded): "
                            f"{', '.join(report.absent)}; the apps that need them say so. To include them, "
                            + HOW_TO_PROVIDE)
    return report
