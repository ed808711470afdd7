"""Documents to Qdrant points and back: point ids, payload layout, cosine norms.

Qdrant point ids are UUIDs or integers, so a document id becomes a UUIDv5 of itself and the
original id is kept in the payload. Qdrant normalises vectors of cosine collections; the
original length is kept in the payload so ``get`` returns the embedding that was stored.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from qdrant_client import models

from praisonai_persist.errors import DimensionMismatchError
from praisonai_persist.models import KnowledgeDocument
from praisonai_persist.scores import similarity_from_euclidean_distance

from .filters import METADATA_FIELD

__all__ = [
    "check_query",
    "chunks",
    "from_record",
    "point_id",
    "to_points",
    "to_score",
    "unique_ids",
]

_NAMESPACE = uuid.UUID("6f1c1b9e-4d1a-5b7e-9a57-70726169736f")
_ID, _CONTENT, _HASH, _CREATED, _NORM = "doc_id", "content", "content_hash", "created_at", "norm"


def point_id(doc_id: str) -> str:
    """The Qdrant point id of a document id (stable across processes and machines)."""
    return str(uuid.uuid5(_NAMESPACE, doc_id))


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def unique_ids(ids: Sequence[str] | str) -> list[str]:
    return list(dict.fromkeys([ids] if isinstance(ids, str) else ids))


def to_points(collection: str, dimension: int, distance: str, documents: Sequence[KnowledgeDocument]) -> list[Any]:
    """Validated points for ``documents`` (every one is checked before any is written)."""
    points = []
    for doc in documents:
        if doc.embedding is None:
            raise ValueError(f"Document {doc.id!r} has no embedding; embed it before adding it to {collection!r}.")
        if len(doc.embedding) != dimension:
            raise DimensionMismatchError(collection, dimension, len(doc.embedding))
        vector = doc.embedding if isinstance(doc.embedding, list) else list(doc.embedding)
        payload: dict[str, Any] = {
            _ID: doc.id,
            _CONTENT: doc.content,
            METADATA_FIELD: doc.metadata,
            _HASH: doc.content_hash,
            _CREATED: float(doc.created_at),
        }
        if distance == "cosine":
            payload[_NORM] = math.hypot(*vector)  # C-level and overflow-safe
        points.append(models.PointStruct(id=point_id(doc.id), vector=vector, payload=payload))
    return points


def check_query(collection: str, dimension: int, query: Sequence[float]) -> list[float]:
    vector = [float(x) for x in query]
    if len(vector) != dimension:
        raise DimensionMismatchError(collection, dimension, len(vector))
    return vector


def to_score(distance: str, raw: float) -> float:
    """Qdrant reports cosine and dot as similarities already, Euclid as the L2 distance."""
    return similarity_from_euclidean_distance(raw) if distance == "euclidean" else float(raw)


def from_record(record: Any, score: float | None = None) -> KnowledgeDocument:
    """A KnowledgeDocument from a Qdrant Record or ScoredPoint (payload and vector requested)."""
    payload = record.payload or {}
    vector = record.vector
    embedding: list[float] | None = None
    if isinstance(vector, list):
        norm = payload.get(_NORM)
        scale = 1.0
        # A server (and local mode until it is reopened) returns cosine vectors normalised; local
        # mode reloaded from disk returns them as written. Scale back only a normalised vector.
        if norm is not None and abs(math.sqrt(sum(float(x) * float(x) for x in vector)) - 1.0) <= 1e-3:
            scale = float(norm)
        embedding = [float(x) * scale for x in vector]
    return KnowledgeDocument(
        id=payload[_ID],
        content=payload.get(_CONTENT) or "",
        embedding=embedding,
        metadata=payload.get(METADATA_FIELD),
        content_hash=payload.get(_HASH),
        created_at=float(payload[_CREATED]),
        score=score,
    )
