"""Batch transforms for module 08: each takes a whole batch (N, ...) as one NumPy array.

Augmentation shows a model a slightly different image each epoch (flipped, shifted), which
is the cheapest regulariser there is. Transforming a batch at a time with vectorised NumPy
costs a few array operations per batch instead of a Python call per image, which matters
most in the browser. Images are NCHW (or NHW for single-channel data such as MNIST).
Random transforms draw from the framework generator (`manual_seed`) unless given a seed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from tinytorch.core.random import default_generator


class Compose:
    """Apply transforms in order."""

    def __init__(self, transforms: Sequence[Callable]):
        self.transforms = list(transforms)

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        for t in self.transforms:
            batch = t(batch)
        return batch

    def __repr__(self) -> str:
        return f"Compose({self.transforms})"


class ToFloat:
    """uint8 pixels 0..255 to float32 in [0, 1] (or times another `scale`)."""

    def __init__(self, scale: float = 1 / 255):
        self.scale = scale

    def __call__(self, batch):
        return batch.astype(np.float32) * np.float32(self.scale)

    def __repr__(self) -> str:
        return f"ToFloat(scale={self.scale:.6g})"


class Normalize:
    """(x - mean) / std per channel (axis 1 of NCHW), or overall for a single mean and std."""

    def __init__(self, mean, std):
        self.mean = np.asarray(mean, dtype=np.float32)
        self.std = np.asarray(std, dtype=np.float32)
        if self.mean.shape != self.std.shape or self.mean.ndim > 1:
            raise ValueError(f"mean and std must be numbers or equal-length lists, got "
                             f"{self.mean.shape} and {self.std.shape}")
        if np.any(self.std == 0):
            raise ValueError("std must not be 0")

    def __call__(self, batch):
        if self.mean.ndim == 1:
            if batch.ndim < 2 or batch.shape[1] != len(self.mean):
                raise ValueError(f"Normalize has {len(self.mean)} channel means but the batch has "
                                 f"shape {batch.shape} (expected channels at axis 1)")
            view = (1, -1) + (1,) * (batch.ndim - 2)
            return (batch - self.mean.reshape(view)) / self.std.reshape(view)
        return (batch - self.mean) / self.std

    def __repr__(self) -> str:
        return f"Normalize(mean={self.mean.tolist()}, std={self.std.tolist()})"


class _Random:
    def __init__(self, seed: int | None):
        self.rng = None if seed is None else np.random.default_rng(seed)

    def generator(self) -> np.random.Generator:
        return self.rng or default_generator()


class RandomHorizontalFlip(_Random):
    """Mirror each image left-right with probability p."""

    def __init__(self, p: float = 0.5, seed: int | None = None):
        super().__init__(seed)
        self.p = p

    def __call__(self, batch):
        flip = self.generator().random(len(batch)) < self.p
        out = batch.copy()
        out[flip] = batch[flip][..., ::-1]
        return out

    def __repr__(self) -> str:
        return f"RandomHorizontalFlip(p={self.p})"


class RandomCrop(_Random):
    """Pad each image with `padding` zeros on every side, then cut a random size x size window.

    Vectorised: `sliding_window_view` exposes every window of the padded batch without
    copying, and one fancy index picks each image's own window.
    """

    def __init__(self, size: int, padding: int = 0, seed: int | None = None):
        super().__init__(seed)
        self.size, self.padding = size, padding

    def __call__(self, batch):
        squeeze = batch.ndim == 3  # NHW: give it a channel axis for the indexing below
        x = batch[:, None] if squeeze else batch
        if x.ndim != 4:
            raise ValueError(f"RandomCrop expects NCHW or NHW batches, got shape {batch.shape}")
        p = self.padding
        padded = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p))) if p else x
        n, _, h, w = padded.shape
        if h < self.size or w < self.size:
            raise ValueError(f"RandomCrop size {self.size} is larger than the padded image {h}x{w}")
        rng = self.generator()
        top = rng.integers(0, h - self.size + 1, n)
        left = rng.integers(0, w - self.size + 1, n)
        windows = np.lib.stride_tricks.sliding_window_view(padded, (self.size, self.size), axis=(2, 3))
        out = windows[np.arange(n), :, top, left]
        return out[:, 0] if squeeze else out

    def __repr__(self) -> str:
        return f"RandomCrop(size={self.size}, padding={self.padding})"
