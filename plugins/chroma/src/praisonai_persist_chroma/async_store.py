"""The Chroma knowledge store (async): AsyncKnowledgeStore on Chroma's clients.

Against a server it uses Chroma's native async client (``chromadb.AsyncHttpClient``). The
embedded engine has no async API, so there each call of the sync client runs in
``asyncio.to_thread`` and the event loop never blocks. Same records and filters as the sync
store (:mod:`.codec`, :mod:`.filters`).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from typing import Any

import chromadb
import httpx
from chromadb.errors import NotFoundError

from praisonai_persist import AsyncKnowledgeStore, KnowledgeDocument
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

__all__ = ["AsyncChromaKnowledgeStore"]


class AsyncChromaKnowledgeStore(AsyncKnowledgeStore):
    """AsyncKnowledgeStore backed by Chroma (native async over HTTP; embedded calls offloaded)."""

    backend_name = "async_chroma"

    def __init__(
        self, url: str | os.PathLike[str] | None = None, *, path: str | os.PathLike[str] | None = None, **options: Any
    ) -> None:
        self._settings: Settings = settings_from(url, path, **options)
        self._prefix = self._settings.collection_prefix
        self._native_async = self._settings.kind == "http"
        self._collections: dict[str, tuple[Any, Shape]] = {}
        self._lock = asyncio.Lock()
        self._client: Any = None
        self._batch = 1

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._settings.display!r})"

    async def _call(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Await a native coroutine, or run a sync client call in a worker thread."""
        if self._native_async:
            return await fn(*args, **kwargs)
        return await asyncio.to_thread(fn, *args, **kwargs)

    def _persistent_client(self) -> Any:
        return chromadb.PersistentClient(**self._settings.client_kwargs)

    async def _connect(self) -> Any:
        if self._client is None:
            async with self._lock:
                if self._client is None:
                    kwargs = self._settings.client_kwargs
                    if self._native_async:
                        try:
                            client = await chromadb.AsyncHttpClient(**kwargs)
                        except (ValueError, httpx.TransportError) as exc:
                            if isinstance(exc, ValueError) and "connect" not in str(exc).lower():
                                raise
                            raise StoreConnectionError(
                                f"Cannot reach the Chroma server at {self._settings.display}: {exc}"
                            ) from exc
                    else:
                        client = await asyncio.to_thread(self._persistent_client)
                    self._batch = max(1, int(await self._call(client.get_max_batch_size)))
                    self._client = client
        return self._client

    # -- collections ------------------------------------------------------------------------------

    async def _collection(self, name: str) -> tuple[Any, Shape]:
        native = native_name(self._prefix, name)
        hit = self._collections.get(native)
        if hit is None:
            client = await self._connect()
            try:
                coll = await self._call(client.get_collection, native, embedding_function=None)
            except (NotFoundError, ValueError) as exc:
                raise CollectionNotFoundError(name) from exc
            hit = self._collections[native] = (coll, shape_of(coll))
        return hit

    async def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        native = native_name(self._prefix, name)
        shape, tags = collection_spec(dimension, distance, metadata)
        configuration: Any = {"hnsw": {**self._settings.hnsw, "space": space_of(shape.distance)}}
        client = await self._connect()
        coll = await self._call(
            client.get_or_create_collection,
            native,
            configuration=configuration,
            metadata=tags,
            embedding_function=None,
        )
        existing = shape_of(coll)
        if existing.dimension is not None and existing.dimension != shape.dimension:
            raise DimensionMismatchError(name, existing.dimension, dimension)
        check_same_distance(name, existing.distance, shape.distance)
        self._collections[native] = (coll, existing)

    async def delete_collection(self, name: str) -> bool:
        native = native_name(self._prefix, name)
        self._collections.pop(native, None)
        client = await self._connect()
        try:
            await self._call(client.delete_collection, native)
        except (NotFoundError, ValueError):
            return False
        return True

    async def collection_exists(self, name: str) -> bool:
        native = native_name(self._prefix, name)
        client = await self._connect()
        try:
            await self._call(client.get_collection, native, embedding_function=None)
        except (NotFoundError, ValueError):
            return False
        return True

    async def list_collections(self) -> list[str]:
        client = await self._connect()
        names = [c.name for c in await self._call(client.list_collections)]
        return visible_names(self._prefix, names)

    # -- documents --------------------------------------------------------------------------------

    async def _ids(self, coll: Any, ids: Sequence[str], where: dict[str, Any] | None) -> list[str]:
        found: list[str] = []
        for batch in chunks(ids, self._batch):
            found.extend((await self._call(coll.get, ids=list(batch), where=where, include=[]))["ids"])
        return found

    async def insert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        check_vectors(documents)
        documents = list(documents)
        coll, shape = await self._collection(collection)
        ids, vectors, contents, metadatas = to_records(collection, shape, documents)
        repeated_ids(collection, documents)
        taken = await self._ids(coll, ids, None) if await self._call(coll.count) > 0 else []
        if taken:
            raise DocumentExistsError(collection, taken)
        for start in range(0, len(ids), self._batch):
            end = start + self._batch
            await self._call(
                coll.add,
                ids=ids[start:end],
                embeddings=vectors[start:end],
                documents=contents[start:end],
                metadatas=metadatas[start:end],
            )
        return ids

    async def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        check_vectors(documents)
        documents = list(documents)
        coll, shape = await self._collection(collection)
        latest = list({d.id: d for d in documents}.values())  # the last copy of an id wins
        ids, vectors, contents, metadatas = to_records(collection, shape, latest)
        for start in range(0, len(ids), self._batch):
            end = start + self._batch
            await self._call(
                coll.upsert,
                ids=ids[start:end],
                embeddings=vectors[start:end],
                documents=contents[start:end],
                metadatas=metadatas[start:end],
            )
        return [d.id for d in documents]

    async def search(
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
        coll, shape = await self._collection(collection)
        query = check_query(collection, shape, query_embedding)
        if limit == 0:
            return []
        result = await self._call(
            coll.query, query_embeddings=[query], n_results=limit, where=where, include=INCLUDE_QUERY
        )
        hits = docs_from_query(result, shape.distance)
        hits.sort(key=lambda d: (-(d.score or 0.0), d.id))
        if score_threshold is not None:
            hits = [h for h in hits if h.score is not None and h.score >= score_threshold]
        return hits

    async def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        coll, _ = await self._collection(collection)
        wanted = unique_ids(ids)
        found: dict[str, KnowledgeDocument] = {}
        for batch in chunks(wanted, self._batch):
            result = await self._call(coll.get, ids=list(batch), include=INCLUDE_GET)
            found.update((d.id, d) for d in docs_from_get(result))
        return [found[i] for i in wanted if i in found]

    async def delete(
        self, collection: str, ids: Sequence[str] | None = None, filters: dict[str, Any] | None = None
    ) -> int:
        if ids is None and not filters:
            raise ValueError(
                "delete() needs ids or a non-empty filter (or both); an empty filter would match every "
                "document: use delete_collection() to drop everything."
            )
        where = to_chroma_where(filters)
        coll, _ = await self._collection(collection)
        # Chroma's delete does not say how many records it removed: find them first.
        if ids is None:
            doomed = list((await self._call(coll.get, where=where, include=[]))["ids"])
        else:
            doomed = await self._ids(coll, unique_ids(ids), where)
        for batch in chunks(doomed, self._batch):
            await self._call(coll.delete, ids=list(batch))
        return len(doomed)

    async def count(self, collection: str) -> int:
        coll, _ = await self._collection(collection)
        return int(await self._call(coll.count))

    async def scroll(self, collection: str, limit: int = 256, cursor: str | None = None) -> ScrollPage:
        """Pages in Chroma's insertion order, re-anchored on the last id returned (see :mod:`.paging`)."""
        plan = scroll_plan(limit, cursor)
        request = next(plan)  # checks limit and cursor before any engine call
        coll, _ = await self._collection(collection)
        try:
            while True:
                offset, size, include = request
                request = plan.send(await self._call(coll.get, offset=offset, limit=size, include=include))
        except StopIteration as stop:
            page: ScrollPage = stop.value
            return page

    async def describe_collection(self, name: str) -> CollectionInfo:
        """Dimension, distance and creation metadata from the collection's metadata.

        A collection made by another tool records no dimension: it is read from a stored
        embedding (0 while such a collection is still empty).
        """
        coll, shape = await self._collection(name)
        dimension = shape.dimension
        if dimension is None:
            embeddings = (await self._call(coll.get, limit=1, include=["embeddings"]))["embeddings"]
            dimension = len(embeddings[0]) if embeddings is not None and len(embeddings) else 0
        return collection_info(name, dimension, shape.distance, coll.metadata)

    async def close(self) -> None:
        """Release the client (the embedded engine stops when its last client closes)."""
        self._collections.clear()
        client, self._client = self._client, None
        if client is not None and not self._native_async:
            await asyncio.to_thread(client.close)
