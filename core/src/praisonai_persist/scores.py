"""Distance names and the similarity scale every knowledge backend reports.

``score`` is a similarity, higher is better, identical across backends for a distance:

* ``cosine``: ``1 - cosine_distance`` (= cosine similarity, in [-1, 1]);
* ``dot``: the inner product itself;
* ``euclidean``: ``1 / (1 + L2 distance)`` (in (0, 1]).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = [
    "DISTANCES",
    "normalize_distance",
    "similarity",
    "similarity_from_cosine_distance",
    "similarity_from_euclidean_distance",
    "similarity_from_squared_euclidean",
]

_ALIASES = {
    "cosine": "cosine",
    "cos": "cosine",
    "euclidean": "euclidean",
    "l2": "euclidean",
    "euclid": "euclidean",
    "dot": "dot",
    "ip": "dot",
    "inner_product": "dot",
    "dotproduct": "dot",
    "dot_product": "dot",
}

DISTANCES = ("cosine", "euclidean", "dot")


def normalize_distance(distance: str) -> str:
    """Canonical distance name for ``distance`` (``"l2"`` → ``"euclidean"``, ``"ip"`` → ``"dot"``)."""
    key = str(distance).strip().lower()
    if key not in _ALIASES:
        raise ValueError(f"Unknown distance {distance!r}; use one of {', '.join(DISTANCES)}.")
    return _ALIASES[key]


def similarity_from_cosine_distance(distance: float) -> float:
    return 1.0 - float(distance)


def similarity_from_euclidean_distance(distance: float) -> float:
    return 1.0 / (1.0 + float(distance))


def similarity_from_squared_euclidean(squared: float) -> float:
    return 1.0 / (1.0 + math.sqrt(max(float(squared), 0.0)))


def similarity(distance: str, a: Sequence[float], b: Sequence[float]) -> float:
    """Exact similarity of two vectors on the scale above (used by the memory store and tests)."""
    kind = normalize_distance(distance)
    if kind == "dot":
        return math.fsum(x * y for x, y in zip(a, b, strict=True))
    if kind == "euclidean":
        return similarity_from_euclidean_distance(math.dist(a, b))
    dot = math.fsum(x * y for x, y in zip(a, b, strict=True))
    na = math.sqrt(math.fsum(x * x for x in a))
    nb = math.sqrt(math.fsum(y * y for y in b))
    if na == 0.0 or nb == 0.0:
        return 0.0
    return dot / (na * nb)
