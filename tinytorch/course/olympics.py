"""The Torch Olympics in the course's apps (module 20 and milestone 2018), natively and in the
browser.

Why this file: the apps submit to the real harness (`tinytorch.capstone.evaluate`), so what
differs in the browser is only where the reference submissions come from and how large the
measurement is; both decisions live here, with the learner's own submissions built from the
tier's tools (`tinytorch.perf`), so the apps' cells stay short.

Where the references come from. `reference.materialize` trains them (a minute to several
natively; the generation GPT 4-5 minutes of CPU), far beyond a browser budget. So the site
build trains them once (`export_references`, called by `wasm/data.py`, into the site's
`data/capstone/`, as `reference.materialize` does for `python -m milestones.olympics_2018`) and
the app fetches their folders like a dataset (`reference_folder`); every figure is then
*measured* in the learner's browser by the harness. Natively `reference_folder` is
`materialize` itself.

How large the measurement is (`BROWSER_SIZES`, `BROWSER_QUERIES`): the generation event scores
64 windows of 256 characters and times 10 generations of 200 characters, about 30 s natively
for the uncached baseline and several times that in Pyodide (no BLAS, one thread); in the browser
it scores fewer windows and generates fewer characters. The result records those settings
(`settings`, `standard: false`) and the leaderboard never ranks it against a standard result
without saying so (`leaderboard.sized_note`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np

from tinytorch.capstone.events import EVENTS, Event, get_event, sized
from tinytorch.capstone.reference import BASELINES, OPTIMIZED, REFERENCES_DIR, materialize
from tinytorch.capstone.rules import SOURCE_FILE, WEIGHTS_FILE, load_weights
from tinytorch.core.checkpoint import _write_npz
from tinytorch.course.recorded import in_browser

SITE_FOLDER = "capstone"  # <site>/data/capstone/<reference>/{submission.py,weights.npz}
INDEX_FILE = "index.json"
TRAIN_COMMAND = "python -m milestones.olympics_2018"  # materializes every reference, then runs them
# The browser's measurement (the native one is the event's own): generation scores 16 of the
# 64 windows and times 3 generations of 50 characters; single-image events time fewer queries.
BROWSER_SIZES = {"generation": {"windows": 16, "new_tokens": 50}}
BROWSER_QUERIES = {"latency": 200, "lightweight": 50, "vision": 100, "generation": 3}
# The datasets each event's held-out set comes from, as the site names them (wasm/data.py).
SITE_DATASETS = {"latency": "mnist", "lightweight": "mnist", "vision": "cifar-10", "generation": "text"}


# The native recipe's recorded figures (docs/capstone.md, "Milestone 2018" and "Generation"):
# shown beside the browser's own measurement, labelled as recorded, with the command.
NATIVE_RECORDED = {
    "when": "30 November 2026, shared 2-core x86-64 machine, one BLAS thread, each submission in its own "
            "process; image events 08:27 UTC (load 3-7), generation 10:57 UTC (load 16-19)",
    "command": TRAIN_COMMAND,
    "events": {
        "latency": ("p90 latency", "0.0798 ms", "0.0194 ms", "4.12x [3.88, 4.47]"),
        "lightweight": ("size on disk", "920.5 KB", "50.1 KB", "18.4x"),
        "vision": ("accuracy", "43.08%", "58.83%", "1.37x [1.31, 1.42]"),
        "generation": ("greedy characters/s", "66.3", "357.7", "5.39x [4.53, 6.19]"),
    },
}


def native_table(events=None) -> str:
    """The recorded native figures as a Markdown table (baseline, optimized reference, ratio)."""
    rows = ["| event | figure | baseline | optimized reference | ratio |", "|---|---|---|---|---|"]
    for name, (figure, base, best, ratio) in NATIVE_RECORDED["events"].items():
        if events is None or name in events:
            rows.append(f"| {name} | {figure} | {BASELINES[name]}: {base} | {OPTIMIZED[name]}: {best} "
                        f"| {ratio} |")
    return "\n".join(rows)


def event_for(name: str, browser: bool | None = None) -> Event:
    """Event `name` as measured here: the standard event natively, `BROWSER_SIZES` in the browser."""
    browser = in_browser() if browser is None else browser
    return sized(get_event(name), BROWSER_SIZES.get(name, {})) if browser else get_event(name)


def queries_for(name: str, browser: bool | None = None) -> int:
    browser = in_browser() if browser is None else browser
    return BROWSER_QUERIES[name] if browser else get_event(name).queries


def references_for(datasets) -> list[str]:
    """The reference submissions whose events' held-out data is among `datasets` (site names)."""
    events = [e for e in EVENTS if SITE_DATASETS[e] in datasets or SITE_DATASETS[e] == "text"]
    return sorted({BASELINES[e] for e in events} | {OPTIMIZED[e] for e in events})


def export_references(dest: Path, names: list[str], cache: Path | None = None, log=print,
                      limit: int | None = None) -> int:
    """Materialize each reference in `names` (trained on first use, cached; `limit`: on that many
    training images or characters only, for tests) and copy its folder to `dest/<name>/`, with an
    index of their recipes and sha256s; the bytes written."""
    index = {}
    for name in names:
        folder = materialize(name, limit=limit, cache=cache)
        target = dest / name
        target.mkdir(parents=True, exist_ok=True)
        files = {}
        for file in (SOURCE_FILE, WEIGHTS_FILE):
            data = (folder / file).read_bytes()
            (target / file).write_bytes(data)
            files[file] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        index[name] = {"recipe": folder.name, "files": files}
        size = sum(f["bytes"] for f in files.values())
        log(f"capstone reference {name}: {folder.name}, {size / 1e3:.0f} KB")
    (dest / INDEX_FILE).write_text(json.dumps({"trained_by": TRAIN_COMMAND, "references": index}, indent=1))
    return sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())


def reference_folder(name: str, limit: int | None = None, cache: Path | None = None) -> Path:
    """A complete folder of reference `name`: natively `materialize` (trained on first use); in
    the browser fetched from the course site's `data/capstone/` (trained when the site was
    built), its files checked against the site's index. OSError naming what is missing."""
    if not in_browser():
        return materialize(name, limit=limit, cache=cache)
    from tinytorch.datasets.sources import browser_get, data_url

    base = f"{(data_url() or '').rstrip('/')}/{SITE_FOLDER}"
    try:
        index = json.loads(browser_get(f"{base}/{INDEX_FILE}"))["references"]
    except (OSError, ValueError, KeyError) as error:
        raise OSError(f"this site has no trained reference submissions ({base}/{INDEX_FILE}: {error}); "
                      "build it with the capstone data (wasm/data.py)") from None
    if name not in index:
        raise OSError(f"this site's references are {', '.join(index)}; {name} was not built (its "
                      "event's dataset is not on the site)")
    folder = Path(tempfile.gettempdir()) / SITE_FOLDER / index[name]["recipe"]
    folder.mkdir(parents=True, exist_ok=True)
    for file, expected in index[name]["files"].items():
        data = browser_get(f"{base}/{name}/{file}")
        if hashlib.sha256(data).hexdigest() != expected["sha256"]:
            raise OSError(f"{name}/{file} on this site does not match its index (sha256)")
        (folder / file).write_bytes(data)
    return folder


def _reference_module(name: str):
    spec = importlib.util.spec_from_file_location(f"capstone_reference_{name}",
                                                  REFERENCES_DIR / name / SOURCE_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def baseline_mlp(weights: dict):
    """The MNIST baseline as a tinytorch model (its own `build_model`), to optimize."""
    return _reference_module(BASELINES["latency"]).build_model(weights)


MLP_SOURCE = '''"""A learner's MNIST submission, made in apps/20_capstone.py from the baseline's weights:
{what}."""

import numpy as np

import tinytorch.nn as nn
from tinytorch.core.kernels import matmul

TEAM = {team!r}
FUSED = {fused}  # served as one NumPy forward (no Tensors, no Modules), or as tinytorch Modules


def weight(weights, index):
    """Layer `index`'s float32 weight: stored as is, or as int8 per output row with its scales."""
    if f"{{index}}.q" in weights:
        return weights[f"{{index}}.q"].astype(np.float32) * weights[f"{{index}}.scale"][:, None]
    return weights[f"{{index}}.weight"]


def build_model(weights):
    indices = sorted({{int(name.split(".")[0]) for name in weights}})
    layers = [(weight(weights, i), weights[f"{{i}}.bias"]) for i in indices]
    if FUSED:
        frozen = [(np.ascontiguousarray(w.T), b.astype(np.float32)) for w, b in layers]

        def forward(batch):
            x = batch.reshape(len(batch), -1)
            for k, (w, b) in enumerate(frozen):
                x = matmul(x, w)
                x += b
                if k < len(frozen) - 1:
                    np.maximum(x, 0, out=x)
            return x
        return forward
    modules = [nn.Flatten()]
    for k, (w, _) in enumerate(layers):
        modules += [nn.Linear(w.shape[1], w.shape[0])] + ([nn.ReLU()] if k < len(layers) - 1 else [])
    model = nn.Sequential(*modules)
    model.load_state_dict({{f"{{i}}.{{part}}": value for i, (w, b) in zip(indices, layers)
                           for part, value in (("weight", w), ("bias", b))}})
    return model
'''

GPT_SOURCE = '''"""A learner's generation submission, made in apps/20_capstone.py from the baseline GPT's
weights: {what}."""

import numpy as np

from tinytorch.core.transformer import GPT

TEAM = {team!r}
ARCHITECTURE = {architecture!r}
KV_CACHE = {kv_cache}


class Submitted(GPT):
    def generate(self, prompt_ids, max_new_tokens, **options):
        return super().generate(prompt_ids, max_new_tokens, use_cache=KV_CACHE, **options)


def build_model(weights):
    state = {{name: value for name, value in weights.items() if not name.endswith((".q", ".scale"))}}
    for name in weights:
        if name.endswith(".q"):  # int8 per output row, back to float32
            stem = name[:-2]
            state[stem] = weights[name].astype(np.float32) * weights[stem + ".scale"][:, None]
    model = Submitted(**ARCHITECTURE)
    model.load_state_dict(state)
    return model
'''


def _int8_rows(w: np.ndarray) -> dict[str, np.ndarray]:
    """Symmetric int8 per output row (tinytorch.perf.quantization); the zero points, all 0, are
    not stored."""
    from tinytorch.perf.quantization import QuantizedTensor

    q = QuantizedTensor.from_float(w, bits=8, symmetric=True, axis=0)
    return {"q": q.data, "scale": q.scale.astype(np.float32)}


def _describe(parts: list[str]) -> str:
    return ", ".join(parts) if parts else "the baseline unchanged"


def mlp_submission(folder: Path, baseline_weights: dict, *, sparsity: float = 0.0, int8: bool = False,
                   fused: bool = False, compressed: bool = False, team: str = "learner") -> Path:
    """Write a submission folder: the MNIST baseline magnitude-pruned to `sparsity` (per layer,
    `tinytorch.perf.compression`, no fine-tuning), its weights optionally int8 per output row and
    deflated on disk, served as Modules or one fused NumPy forward."""
    from tinytorch.perf.compression import magnitude_prune, strip_pruning

    if not 0.0 <= sparsity < 1.0:
        raise ValueError(f"sparsity must be in [0, 1), got {sparsity}")
    model = baseline_mlp(baseline_weights)
    if sparsity > 0:
        model = strip_pruning(magnitude_prune(model, sparsity))
    arrays = {}
    for name, value in model.state_dict().items():
        index, part = name.split(".")
        if int8 and part == "weight":
            arrays.update({f"{index}.{k}": v for k, v in _int8_rows(value).items()})
        else:
            arrays[name] = np.asarray(value, np.float32)
    what = _describe(([f"{sparsity:.0%} of each layer's weights pruned by magnitude"] if sparsity else [])
                     + (["int8 per output row"] if int8 else []) + (["deflated .npz"] if compressed else [])
                     + (["served by one fused NumPy forward"] if fused else []))
    return _write(folder, MLP_SOURCE.format(what=what, team=team, fused=fused), arrays, compressed)


def gpt_submission(folder: Path, baseline_weights: dict, *, kv_cache: bool = False, int8: bool = False,
                   team: str = "learner") -> Path:
    """Write a submission folder: the baseline GPT's weights, its matrices optionally int8 per
    output row (smaller, slightly different scores), generating with or without the KV cache
    (`GPT.generate(use_cache=True)`, tinytorch.perf.memoization)."""
    arrays = {}
    for name, value in baseline_weights.items():
        if int8 and value.ndim == 2:
            arrays.update({f"{name}.{k}": v for k, v in _int8_rows(value).items()})
        else:
            arrays[name] = value
    what = _describe((["KV cache"] if kv_cache else []) + (["int8 matrices"] if int8 else []))
    architecture = _reference_module(BASELINES["generation"]).ARCHITECTURE
    source = GPT_SOURCE.format(what=what, team=team, architecture=architecture, kv_cache=kv_cache)
    return _write(folder, source, arrays, compressed=False)


def _write(folder: Path, source: str, arrays: dict, compressed: bool) -> Path:
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / SOURCE_FILE).write_text(source)
    _write_npz(folder / WEIGHTS_FILE, arrays, compressed=compressed)
    return folder


def baseline_weights(event: str, limit: int | None = None) -> dict[str, np.ndarray]:
    """The event's baseline weights, the learner's starting point."""
    return load_weights(reference_folder(BASELINES[event], limit=limit))


def result_json(result: dict) -> str:
    """The result document exactly as `harness.save_result` writes it."""
    return json.dumps(result, indent=2)


__all__ = ["BROWSER_QUERIES", "BROWSER_SIZES", "SITE_FOLDER", "TRAIN_COMMAND", "baseline_weights",
           "event_for", "export_references", "gpt_submission", "mlp_submission", "queries_for",
           "reference_folder", "references_for", "result_json"]
