"""What the sync and async Qdrant stores share: names, collection shapes, request building."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qdrant_client import models

from praisonai_persist.errors import DocumentExistsError
from praisonai_persist.identifiers import validate_dimension, validate_identifier
from praisonai_persist.knowledge import check_limit
from praisonai_persist.models import CollectionInfo, KnowledgeDocument
from praisonai_persist.scores import normalize_distance

from .filters import to_qdrant_filter

__all__ = [
    "Shape",
    "Names",
    "check_limit",
    "collection_info",
    "ids_filter",
    "repeated_ids",
    "scroll_cursor",
    "scroll_offset",
    "shape_of",
    "vector_params",
]

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


def collection_info(name: str, info: Any) -> CollectionInfo:
    """What ``describe_collection`` reports, from ``get_collection``'s answer (Qdrant keeps the metadata)."""
    shape = shape_of(info)
    return CollectionInfo(name, shape.dimension, shape.distance, dict(getattr(info.config, "metadata", None) or {}))


def scroll_offset(cursor: Any) -> str | int | None:
    """The Qdrant point id a scroll cursor names; ValueError for anything scroll did not return.

    Checked here because Qdrant's local mode answers an unknown offset with an empty last page.
    """
    if cursor is None:
        return None
    if isinstance(cursor, str):
        if cursor.isascii() and cursor.isdigit():
            return int(cursor)  # a collection made elsewhere may use integer point ids
        try:
            return str(uuid.UUID(cursor))
        except ValueError:
            pass
    raise ValueError(f"Not a qdrant scroll cursor: {cursor!r} (pass back the cursor scroll returned).")


def scroll_cursor(next_page_offset: Any) -> str | None:
    """Qdrant's ``next_page_offset`` (a point id) as the string cursor of ``scroll``."""
    return None if next_page_offset is None else str(next_page_offset)


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
