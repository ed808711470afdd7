"""What the sync and async Qdrant stores share: names, collection shapes, request building."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qdrant_client import models

from praisonai_persist.errors import DocumentExistsError
from praisonai_persist.identifiers import validate_dimension, validate_identifier
from praisonai_persist.knowledge import check_limit
from praisonai_persist.models import KnowledgeDocument
from praisonai_persist.scores import normalize_distance

from .filters import to_qdrant_filter

__all__ = ["Shape", "Names", "ids_filter", "vector_params", "shape_of", "check_limit", "repeated_ids"]

_TO_QDRANT = {"cosine": models.Distance.COSINE, "euclidean": models.Distance.EUCLID, "dot": models.Distance.DOT}
_FROM_QDRANT = {v: k for k, v in _TO_QDRANT.items()}


@dataclass(frozen=True)
class Shape:
    """Dimension and canonical distance name of a collection."""

    dimension: int
    distance: str


class Names:
    """User-facing collection names <-> Qdrant collection names (with the optional prefix)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def native(self, name: str) -> str:
        return self.prefix + validate_identifier(name, "collection name")

    def visible(self, native_names: Sequence[str]) -> list[str]:
        n = len(self.prefix)
        return sorted(x[n:] for x in native_names if x.startswith(self.prefix) and len(x) > n)


def vector_params(dimension: int, distance: str) -> tuple[Shape, Any]:
    shape = Shape(validate_dimension(dimension), normalize_distance(distance))
    return shape, models.VectorParams(size=shape.dimension, distance=_TO_QDRANT[shape.distance])


def shape_of(info: Any) -> Shape:
    """The Shape of a collection from ``get_collection``'s answer (single unnamed vector)."""
    params = info.config.params.vectors
    if not isinstance(params, models.VectorParams):
        raise ValueError("This Qdrant collection uses named vectors; praisonai-persist expects one unnamed vector.")
    return Shape(int(params.size), _FROM_QDRANT[params.distance])


def ids_filter(point_ids: Sequence[str] | None, filters: dict[str, Any] | None) -> models.Filter | None:
    """Points with these ids (when given) that match the portable filter (when given)."""
    native = to_qdrant_filter(filters)
    if point_ids is None:
        return native
    must: list[Any] = [models.HasIdCondition(has_id=list(point_ids))]
    if native is not None:
        must.append(native)
    return models.Filter(must=must)


def repeated_ids(collection: str, documents: Sequence[KnowledgeDocument]) -> None:
    """Raise DocumentExistsError when one insert batch names an id twice."""
    seen: set[str] = set()
    repeated = [d.id for d in documents if d.id in seen or seen.add(d.id)]  # type: ignore[func-returns-value]
    if repeated:
        raise DocumentExistsError(collection, list(dict.fromkeys(repeated)))
