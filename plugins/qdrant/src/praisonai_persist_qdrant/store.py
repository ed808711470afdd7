"""The Qdrant knowledge store (sync): KnowledgeStore on top of ``qdrant_client.QdrantClient``.

A path or ``:memory:`` runs Qdrant's local mode in this process; an ``http(s)://`` or
``qdrant://`` URL talks to a Qdrant server. Writes go out in chunks of ``batch_size`` points.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

from qdrant_client import QdrantClient, models

from praisonai_persist import KnowledgeDocument, KnowledgeStore
from praisonai_persist.errors import CollectionNotFoundError, DimensionMismatchError, DocumentExistsError
from praisonai_persist.knowledge import (
    ScrollPage,
    check_embedding,
    check_same_distance,
    check_scroll_limit,
    check_vectors,
)
from praisonai_persist.models import CollectionInfo

from .codec import check_query, chunks, from_record, point_id, to_points, to_score, unique_ids
from .connection import Settings, settings_from
from .filters import to_qdrant_filter
from .guard import Guarded
from .layout import (
    Names,
    Shape,
    check_limit,
    collection_info,
    ids_filter,
    repeated_ids,
    scroll_cursor,
    scroll_offset,
    shape_of,
    vector_params,
)

__all__ = ["QdrantKnowledgeStore"]


class QdrantKnowledgeStore(KnowledgeStore):
    """KnowledgeStore backed by Qdrant (local mode or server); the README lists the options."""

    backend_name = "qdrant"

    def __init__(
        self, url: str | os.PathLike[str] | None = None, *, path: str | os.PathLike[str] | None = None, **options: Any
    ) -> None:
        self._settings: Settings = settings_from(url, path, **options)
        self._names = Names(self._settings.collection_prefix)
        self._shapes: dict[str, Shape] = {}
        self._lock = threading.Lock()
        self._client = Guarded(QdrantClient(**self._settings.client_kwargs), self._settings.display)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._settings.display!r})"

    # -- collections ------------------------------------------------------------------------------

    def _shape(self, name: str) -> tuple[str, Shape]:
        native = self._names.native(name)
        shape = self._shapes.get(native)
        if shape is None:
            if not self._client.collection_exists(native):
                raise CollectionNotFoundError(name)
            shape = self._shapes[native] = shape_of(self._client.get_collection(native))
        return native, shape

    def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        native = self._names.native(name)
        shape, params = vector_params(dimension, distance)
        with self._lock:
            if self._client.collection_exists(native):
                existing = shape_of(self._client.get_collection(native))
                if existing.dimension != shape.dimension:
                    raise DimensionMismatchError(name, existing.dimension, shape.dimension)
                check_same_distance(name, existing.distance, shape.distance)
                self._shapes[native] = existing
                return
            self._client.create_collection(native, vectors_config=params, metadata=metadata)
            self._shapes[native] = shape

    def delete_collection(self, name: str) -> bool:
        native = self._names.native(name)
        self._shapes.pop(native, None)
        if not self._client.collection_exists(native):
            return False
        return bool(self._client.delete_collection(native))

    def collection_exists(self, name: str) -> bool:
        return bool(self._client.collection_exists(self._names.native(name)))

    def list_collections(self) -> list[str]:
        return self._names.visible([c.name for c in self._client.get_collections().collections])

    # -- documents --------------------------------------------------------------------------------

    def _write(self, collection: str, documents: Sequence[KnowledgeDocument], *, replace: bool) -> list[str]:
        check_vectors(documents)
        native, shape = self._shape(collection)
        points = to_points(collection, shape.dimension, shape.distance, documents)
        if not replace:
            repeated_ids(collection, documents)
            empty = (self._client.count(native, exact=True)).count == 0
            taken = [] if empty else self._existing(native, [d.id for d in documents])
            if taken:
                raise DocumentExistsError(collection, taken)
        for batch in chunks(points, self._settings.batch_size):
            self._client.upsert(native, points=list(batch), wait=True)
        return [d.id for d in documents]

    def _existing(self, native: str, doc_ids: Sequence[str]) -> list[str]:
        by_point = {point_id(i): i for i in doc_ids}
        found: list[str] = []
        for batch in chunks(list(by_point), 4096):
            records = self._client.retrieve(native, ids=list(batch), with_payload=False, with_vectors=False)
            found.extend(by_point[str(r.id)] for r in records)
        return found

    def insert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        documents = list(documents)
        return self._write(collection, documents, replace=False)

    def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        documents = list(documents)
        return self._write(collection, documents, replace=True)

    def search(
        self,
        collection: str,
        query_embedding: Sequence[float],
        limit: int = 5,
        filters: dict[str, Any] | None = None,
        score_threshold: float | None = None,
    ) -> list[KnowledgeDocument]:
        native_filter = to_qdrant_filter(filters)
        check_limit(limit)
        check_embedding(query_embedding)
        native, shape = self._shape(collection)
        query = check_query(collection, shape.dimension, query_embedding)
        if limit == 0:
            return []
        answer = self._client.query_points(
            native,
            query=query,
            query_filter=native_filter,
            limit=limit,
            with_payload=True,
            with_vectors=True,
            search_params=models.SearchParams(exact=True) if self._settings.exact else None,
        )
        hits = [from_record(p, to_score(shape.distance, p.score)) for p in answer.points]
        if score_threshold is not None:
            hits = [h for h in hits if h.score is not None and h.score >= score_threshold]
        return hits

    def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        native, _ = self._shape(collection)
        wanted = unique_ids(ids)
        records = self._client.retrieve(native, ids=[point_id(i) for i in wanted], with_payload=True, with_vectors=True)
        by_id = {d.id: d for d in map(from_record, records)}
        return [by_id[i] for i in wanted if i in by_id]

    def delete(self, collection: str, ids: Sequence[str] | None = None, filters: dict[str, Any] | None = None) -> int:
        if ids is None and not filters:
            raise ValueError(
                "delete() needs ids or a non-empty filter (or both); an empty filter would match every "
                "document: use delete_collection() to drop everything."
            )
        selector = ids_filter(None if ids is None else [point_id(i) for i in unique_ids(ids)], filters)
        native, _ = self._shape(collection)
        doomed: list[Any] = []
        offset: Any = None
        while True:
            records, offset = self._client.scroll(
                native, scroll_filter=selector, limit=4096, offset=offset, with_payload=False, with_vectors=False
            )
            doomed.extend(r.id for r in records)
            if offset is None:
                break
        for batch in chunks(doomed, 4096):
            self._client.delete(native, points_selector=models.PointIdsList(points=list(batch)), wait=True)
        return len(doomed)

    def count(self, collection: str) -> int:
        native, _ = self._shape(collection)
        return int(self._client.count(native, exact=True).count)

    def scroll(self, collection: str, limit: int = 256, cursor: str | None = None) -> ScrollPage:
        """Qdrant's own scroll, in point-id order; the cursor is its ``next_page_offset`` (a point id) as a string.

        A server reads one page at a time; local mode keeps the whole collection in memory anyway.
        """
        check_scroll_limit(limit)
        offset = scroll_offset(cursor)
        native, _ = self._shape(collection)
        records, following = self._client.scroll(
            native, limit=limit, offset=offset, with_payload=True, with_vectors=True
        )
        return [from_record(r) for r in records], scroll_cursor(following)

    def describe_collection(self, name: str) -> CollectionInfo:
        """Dimension and distance from the vector parameters, metadata as Qdrant keeps it."""
        native = self._names.native(name)
        if not self._client.collection_exists(native):
            raise CollectionNotFoundError(name)
        return collection_info(name, self._client.get_collection(native))

    def close(self) -> None:
        """Close the client (local mode releases its directory lock)."""
        self._client.close()
