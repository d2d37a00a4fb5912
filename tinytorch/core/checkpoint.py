"""Checkpoints: a training run saved to one `.npz` file, and resumed from it exactly.

Why `.npz` and not pickle: loading a pickle runs code from the file, so a checkpoint from the
internet could do anything. An `.npz` holds only arrays and is loaded with
`allow_pickle=False`. The file is written to a temporary name and renamed into place, so a run
killed mid-save never leaves a half-written checkpoint behind.

`save(obj, path)` / `load(path)` are PyTorch's names for the simplest case, one state dict
(name -> array) in one file: `tinytorch.save(model.state_dict(), "mnist_cnn.pt")`.

Checkpoint layout: `model/<param path>`, `optimizer/<key>`, `scheduler/<key>`, `meta/epoch`,
`meta/rng_state` (the framework generator's state as JSON, so shuffling and dropout continue
exactly where they were).
"""

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from tinytorch.core.random import default_generator, get_rng_state, set_rng_state
from tinytorch.core.tensor import Tensor


def _write_npz(path, arrays: dict, compressed: bool = False) -> Path:
    """Write `arrays` to exactly `path` (np.savez would add .npz to a name), atomically;
    `compressed` deflates them (small on disk when they hold many zeros or few distinct values)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            (np.savez_compressed if compressed else np.savez)(f, **arrays)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return path


def save(state: Mapping, path) -> Path:
    """Save a state dict (names -> arrays, tensors or numbers) to `path`, as `torch.save` does
    for `model.state_dict()`. Anything else (a model object, nested dicts) is a TypeError: only
    arrays are stored, never pickled code (see the module docstring)."""
    if not isinstance(state, Mapping):
        raise TypeError(f"save stores a state dict (a mapping of names to arrays), got "
                        f"{type(state).__name__}; save model.state_dict(), not the model")
    arrays = {}
    for name, value in state.items():
        array = np.asarray(value.data if isinstance(value, Tensor) else value)
        if not isinstance(name, str) or array.dtype == object:
            raise TypeError(f"save: entry {name!r} is a {type(value).__name__}; a state dict maps "
                            "names to arrays, tensors or numbers")
        arrays[name] = array
    return _write_npz(path, arrays)


def load(path) -> dict[str, np.ndarray]:
    """The state dict `save` wrote to `path` (name -> array), for `model.load_state_dict`."""
    with np.load(path, allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def save_checkpoint(path, model, optimizer=None, scheduler=None, epoch: int = 0) -> Path:
    arrays = {f"model/{k}": v for k, v in model.state_dict().items()}
    for prefix, part in (("optimizer", optimizer), ("scheduler", scheduler)):
        if part is not None:
            arrays.update({f"{prefix}/{k}": v for k, v in part.state_dict().items()})
    arrays["meta/epoch"] = np.asarray(epoch)
    arrays["meta/rng_state"] = np.asarray(get_rng_state())
    return _write_npz(path, arrays)


def load_checkpoint(path, model, optimizer=None, scheduler=None, restore_rng: bool = True) -> int:
    """Load into the given objects in place; return the epoch the checkpoint was saved at.

    All or nothing: the model, optimizer and scheduler parts are all checked before anything
    is written, so a model of another shape (the error names the parameter and both shapes)
    or another optimizer's state leaves every object as it was.
    """
    with np.load(path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}

    def part(prefix):
        return {k[len(prefix) + 1:]: v for k, v in arrays.items() if k.startswith(prefix + "/")}

    if "meta/epoch" not in arrays:
        raise ValueError(f"{path} is not a tinytorch checkpoint (no meta/epoch entry)")
    parts = [(obj, part(prefix)) for prefix, obj in
             (("model", model), ("optimizer", optimizer), ("scheduler", scheduler)) if obj is not None]
    for obj, state in parts:
        obj.check_state_dict(state)
    if restore_rng:  # a corrupt state fails here, before anything changed
        type(default_generator().bit_generator)().state = json.loads(str(arrays["meta/rng_state"]))
    for obj, state in parts:
        obj.load_state_dict(state)
    if restore_rng:
        set_rng_state(str(arrays["meta/rng_state"]))
    return int(arrays["meta/epoch"])
