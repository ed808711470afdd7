"""The Chroma knowledge store (sync): KnowledgeStore on ``chromadb`` (embedded or HTTP client).

Embeddings always come from the caller: collections are opened with ``embedding_function=None``,
so Chroma never downloads its default embedding model. Writes go out in chunks of the client's
maximum batch size.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

import chromadb
import httpx
from chromadb.errors import NotFoundError

from praisonai_persist import KnowledgeDocument, KnowledgeStore
from praisonai_persist.errors import (
    CollectionNotFoundError,
    DimensionMismatchError,
    DocumentExistsError,
    StoreConnectionError,
)
from praisonai_persist.knowledge import ScrollPage, check_embedding, check_same_distance, check_vectors
from praisonai_persist.models import CollectionInfo

from .codec import (
    INCLUDE_GET,
    INCLUDE_QUERY,
    Shape,
    check_limit,
    check_query,
    chunks,
    collection_info,
    collection_spec,
    docs_from_get,
    docs_from_query,
    native_name,
    repeated_ids,
    shape_of,
    space_of,
    to_records,
    unique_ids,
    visible_names,
)
from .connection import Settings, settings_from
from .filters import to_chroma_where
from .paging import scroll_plan

__all__ = ["ChromaKnowledgeStore"]


class ChromaKnowledgeStore(KnowledgeStore):
    """KnowledgeStore backed by Chroma: a directory (embedded) or a Chroma server URL."""

    backend_name = "chroma"

    def __init__(
        self, url: str | os.PathLike[str] | None = None, *, path: str | os.PathLike[str] | None = None, **options: Any
    ) -> None:
        self._settings: Settings = settings_from(url, path, **options)
        self._prefix = self._settings.collection_prefix
        self._collections: dict[str, tuple[Any, Shape]] = {}
        self._lock = threading.Lock()
        kwargs = self._settings.client_kwargs
        try:
            self._client = (
                chromadb.PersistentClient(**kwargs)
                if self._settings.kind == "persistent"
                else chromadb.HttpClient(**kwargs)
            )
            self._batch = max(1, int(self._client.get_max_batch_size()))
        except (ValueError, httpx.TransportError) as exc:
            if isinstance(exc, ValueError) and (
                self._settings.kind == "persistent" or "connect" not in str(exc).lower()
            ):
                raise
            raise StoreConnectionError(f"Cannot reach the Chroma server at {self._settings.display}: {exc}") from exc

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._settings.display!r})"

    # -- collections ------------------------------------------------------------------------------

    def _collection(self, name: str) -> tuple[Any, Shape]:
        native = native_name(self._prefix, name)
        hit = self._collections.get(native)
        if hit is None:
            try:
                coll = self._client.get_collection(native, embedding_function=None)
            except (NotFoundError, ValueError) as exc:
                raise CollectionNotFoundError(name) from exc
            hit = self._collections[native] = (coll, shape_of(coll))
        return hit

    def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        native = native_name(self._prefix, name)
        shape, tags = collection_spec(dimension, distance, metadata)
        configuration: Any = {"hnsw": {**self._settings.hnsw, "space": space_of(shape.distance)}}
        with self._lock:
            coll = self._client.get_or_create_collection(
                native, configuration=configuration, metadata=tags, embedding_function=None
            )
            existing = shape_of(coll)
            if existing.dimension is not None and existing.dimension != shape.dimension:
                raise DimensionMismatchError(name, existing.dimension, dimension)
            check_same_distance(name, existing.distance, shape.distance)
            self._collections[native] = (coll, existing)

    def delete_collection(self, name: str) -> bool:
        native = native_name(self._prefix, name)
        with self._lock:
            self._collections.pop(native, None)
            try:
                self._client.delete_collection(native)
            except (NotFoundError, ValueError):
                return False
            return True

    def collection_exists(self, name: str) -> bool:
        native = native_name(self._prefix, name)
        try:
            self._client.get_collection(native, embedding_function=None)
        except (NotFoundError, ValueError):
            return False
        return True

    def list_collections(self) -> list[str]:
        names = [c.name for c in self._client.list_collections()]
        return visible_names(self._prefix, names)

    # -- documents --------------------------------------------------------------------------------

    def insert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        check_vectors(documents)
        documents = list(documents)
        coll, shape = self._collection(collection)
        ids, vectors, contents, metadatas = to_records(collection, shape, documents)
        repeated_ids(collection, documents)
        if coll.count() > 0:  # an empty collection has nothing to collide with
            taken = [i for batch in chunks(ids, self._batch) for i in coll.get(ids=list(batch), include=[])["ids"]]
            if taken:
                raise DocumentExistsError(collection, taken)
        for start in range(0, len(ids), self._batch):
            end = start + self._batch
            coll.add(
                ids=ids[start:end],
                embeddings=vectors[start:end],
                documents=contents[start:end],
                metadatas=metadatas[start:end],
            )
        return ids

    def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        check_vectors(documents)
        documents = list(documents)
        coll, shape = self._collection(collection)
        latest = list({d.id: d for d in documents}.values())  # the last copy of an id wins
        ids, vectors, contents, metadatas = to_records(collection, shape, latest)
        for start in range(0, len(ids), self._batch):
            end = start + self._batch
            coll.upsert(
                ids=ids[start:end],
                embeddings=vectors[start:end],
                documents=contents[start:end],
                metadatas=metadatas[start:end],
            )
        return [d.id for d in documents]

    def search(
        self,
        collection: str,
        query_embedding: Sequence[float],
        limit: int = 5,
        filters: dict[str, Any] | None = None,
        score_threshold: float | None = None,
    ) -> list[KnowledgeDocument]:
        where = to_chroma_where(filters)
        check_limit(limit)
        check_embedding(query_embedding)
        coll, shape = self._collection(collection)
        query = check_query(collection, shape, query_embedding)
        if limit == 0:
            return []
        result = coll.query(query_embeddings=[query], n_results=limit, where=where, include=INCLUDE_QUERY)
        hits = docs_from_query(result, shape.distance)
        hits.sort(key=lambda d: (-(d.score or 0.0), d.id))
        if score_threshold is not None:
            hits = [h for h in hits if h.score is not None and h.score >= score_threshold]
        return hits

    def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        coll, _ = self._collection(collection)
        wanted = unique_ids(ids)
        found: dict[str, KnowledgeDocument] = {}
        for batch in chunks(wanted, self._batch):
            found.update((d.id, d) for d in docs_from_get(coll.get(ids=list(batch), include=INCLUDE_GET)))
        return [found[i] for i in wanted if i in found]

    def delete(self, collection: str, ids: Sequence[str] | None = None, filters: dict[str, Any] | None = None) -> int:
        if ids is None and not filters:
            raise ValueError(
                "delete() needs ids or a non-empty filter (or both); an empty filter would match every "
                "document: use delete_collection() to drop everything."
            )
        where = to_chroma_where(filters)
        coll, _ = self._collection(collection)
        # Chroma's delete does not say how many records it removed: find them first.
        if ids is None:
            doomed = list(coll.get(where=where, include=[])["ids"])
        else:
            doomed = [
                i
                for batch in chunks(unique_ids(ids), self._batch)
                for i in coll.get(ids=list(batch), where=where, include=[])["ids"]
            ]
        for batch in chunks(doomed, self._batch):
            coll.delete(ids=list(batch))
        return len(doomed)

    def count(self, collection: str) -> int:
        coll, _ = self._collection(collection)
        return int(coll.count())

    def scroll(self, collection: str, limit: int = 256, cursor: str | None = None) -> ScrollPage:
        """Pages in Chroma's insertion order, re-anchored on the last id returned (see :mod:`.paging`)."""
        plan = scroll_plan(limit, cursor)
        request = next(plan)  # checks limit and cursor before any engine call
        coll, _ = self._collection(collection)
        try:
            while True:
                offset, size, include = request
                request = plan.send(coll.get(offset=offset, limit=size, include=include))
        except StopIteration as stop:
            page: ScrollPage = stop.value
            return page

    def describe_collection(self, name: str) -> CollectionInfo:
        """Dimension, distance and creation metadata from the collection's metadata.

        A collection made by another tool records no dimension: it is read from a stored
        embedding (0 while such a collection is still empty).
        """
        coll, shape = self._collection(name)
        dimension = shape.dimension
        if dimension is None:
            embeddings = (coll.get(limit=1, include=["embeddings"]))["embeddings"]
            dimension = len(embeddings[0]) if embeddings is not None and len(embeddings) else 0
        return collection_info(name, dimension, shape.distance, coll.metadata)

    def close(self) -> None:
        """Release the client (the embedded engine stops when its last client closes)."""
        self._collections.clear()
        close = getattr(self._client, "close", None)
        if close is not None and self._settings.kind == "persistent":
            close()
