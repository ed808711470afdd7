"""Small helpers for contract tests and for the ``store`` fixtures plugins write."""

from __future__ import annotations

import math
import random
import uuid

__all__ = ["make_vector", "unique_name"]


def make_vector(seed: int, dim: int) -> list[float]:
    """A deterministic unit vector of ``dim`` values for ``seed`` (same seed, same vector, any machine).

    Values are rounded to 6 decimals so float32 engines store them almost exactly.
    """
    if dim < 1:
        raise ValueError(f"dim must be at least 1, got {dim}.")
    rng = random.Random(seed)
    raw = [rng.uniform(-1.0, 1.0) for _ in range(dim)]
    norm = math.sqrt(math.fsum(x * x for x in raw)) or 1.0
    return [round(x / norm, 6) for x in raw]


def unique_name(prefix: str = "t") -> str:
    """A fresh identifier such as ``t_3f9c0a1b2c4d``: valid as a table prefix, collection or key prefix.

    Only ``[A-Za-z0-9_]`` and at most 48 characters, so every backend accepts it.
    """
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    if len(name) > 48 or not name.replace("_", "").isalnum() or not name.isascii():
        raise ValueError(f"prefix {prefix!r} must be short and use only letters, digits and underscores.")
    return name
