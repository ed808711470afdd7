"""The async upstash_vector knowledge store (upstash_vector.AsyncIndex, the client's native async API).

An Upstash Vector index has one dimension and one similarity function; collections are its
namespaces (``namespace_prefix + name``). A registry namespace lists the collections (namespaces
exist only while they hold vectors). Document fields other than the embedding and metadata travel
as JSON in the vector's ``data``. Upstash is eventually consistent: counts and searches may lag
writes briefly.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from praisonai_persist import (
    AsyncKnowledgeStore,
    CollectionNotFoundError,
    DimensionMismatchError,
    DocumentExistsError,
    KnowledgeDocument,
)
from praisonai_persist.identifiers import validate_dimension, validate_identifier
from praisonai_persist.knowledge import Filters, ScrollPage, check_embedding, check_limit, check_vectors
from praisonai_persist.models import CollectionInfo
from praisonai_persist.scores import normalize_distance

from ._common import credentials, import_module_of, upstash_error
from .vector import (
    _METRICS,
    CHUNK,
    TOKEN_ENV,
    URL_ENV,
    describe,
    pack_data,
    range_arguments,
    score_from_upstash,
    scroll_page,
    unpack,
)
from .vfilter import to_upstash_filter

__all__ = ["AsyncUpstashVectorStore"]


class AsyncUpstashVectorStore(AsyncKnowledgeStore):
    """AsyncKnowledgeStore on an Upstash Vector index; collections are namespaces.

    Options: ``url``/``token`` (default: UPSTASH_VECTOR_REST_URL / UPSTASH_VECTOR_REST_TOKEN),
    ``namespace_prefix`` (default ``"praison_"``).
    """

    backend_name = "upstash_vector"

    def __init__(
        self, url: str | None = None, *, token: str | None = None, namespace_prefix: str = "praison_", **options: Any
    ) -> None:
        upstash_vector = import_module_of("knowledge", "upstash_vector", "upstash_vector")
        self._types = upstash_vector
        self.url, self._token = credentials(url, token, URL_ENV, TOKEN_ENV)
        self.namespace_prefix = validate_identifier(namespace_prefix, "namespace_prefix", allow_empty=True)
        self._registry = self.namespace_prefix + "_collections"
        self._index: Any = upstash_vector.AsyncIndex(self.url, self._token, **options)
        self._index_info: tuple[int, str] | None = None

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except (TypeError, ValueError, LookupError):
            raise
        except Exception as exc:
            raise upstash_error(exc, self.url, self._token) from None

    def _ns(self, name: str) -> str:
        return self.namespace_prefix + validate_identifier(name, "collection name")

    async def _shape(self) -> tuple[int, str]:
        """The index's dimension and similarity (fixed when the index was created)."""
        if self._index_info is None:
            with self._guard():
                info = await self._index.info()
            self._index_info = (int(info.dimension), _METRICS.get(str(info.similarity_function).upper(), "cosine"))
        return self._index_info

    async def _marker(self) -> list[float]:
        dim, _ = await self._shape()
        return [1.0] + [0.0] * (dim - 1)

    async def _entry(self, name: str) -> Any:
        """The collection's registry marker (its metadata holds the creation metadata)."""
        ns = self._ns(name)
        with self._guard():
            found = await self._index.fetch(ids=[ns], include_metadata=True, namespace=self._registry)
        if not found or found[0] is None:
            raise CollectionNotFoundError(name)
        return found[0]

    async def _collection(self, name: str) -> tuple[int, str]:
        await self._entry(name)
        return await self._shape()

    async def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        ns = self._ns(name)
        dim = validate_dimension(dimension)
        kind = normalize_distance(distance)
        index_dim, index_kind = await self._shape()
        if dim != index_dim:
            raise DimensionMismatchError(name, index_dim, dim)
        if kind != index_kind:
            raise ValueError(
                f"This Upstash Vector index uses {index_kind} similarity (fixed at index creation); "
                f"collection {name!r} asked for {kind}. Use an index created with that similarity."
            )
        vector = self._types.Vector(id=ns, vector=await self._marker(), metadata={"collection": name, "meta": metadata})
        with self._guard():
            await self._index.upsert(vectors=[vector], namespace=self._registry)

    async def delete_collection(self, name: str) -> bool:
        ns = self._ns(name)
        with self._guard():
            existed = bool((await self._index.delete(ids=[ns], namespace=self._registry)).deleted)
            if ns in await self._index.list_namespaces():
                await self._index.delete_namespace(ns)
        return existed

    async def collection_exists(self, name: str) -> bool:
        try:
            await self._collection(name)
        except CollectionNotFoundError:
            return False
        return True

    async def list_collections(self) -> list[str]:
        names: list[str] = []
        cursor = ""
        with self._guard():
            while True:
                page = await self._index.range(
                    cursor=cursor, limit=1000, include_metadata=True, namespace=self._registry
                )
                names += [str((v.metadata or {}).get("collection")) for v in page.vectors]
                cursor = page.next_cursor
                if not cursor:
                    return sorted(names)

    async def _vectors(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[Any]:
        dim, _ = await self._collection(collection)
        out = []
        for doc in documents:
            if doc.embedding is None:
                raise ValueError(f"Document {doc.id!r} has no embedding; embed it before adding it to {collection!r}.")
            if len(doc.embedding) != dim:
                raise DimensionMismatchError(collection, dim, len(doc.embedding))
            out.append(
                self._types.Vector(
                    id=doc.id,
                    vector=[float(x) for x in doc.embedding],
                    metadata=doc.metadata or {},
                    data=pack_data(doc),
                )
            )
        return out

    async def insert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        check_vectors(documents)
        vectors = await self._vectors(collection, documents)
        ids = [str(v.id) for v in vectors]
        seen: set[str] = set()
        taken = [i for i in ids if i in seen or seen.add(i)]  # type: ignore[func-returns-value]
        with self._guard():
            for start in range(0, len(ids), CHUNK):
                found = await self._index.fetch(ids=ids[start : start + CHUNK], namespace=self._ns(collection))
                taken += [f.id for f in found if f is not None]
        if taken:
            raise DocumentExistsError(collection, list(dict.fromkeys(taken)))
        await self._upsert(collection, vectors)
        return ids

    async def _upsert(self, collection: str, vectors: list[Any]) -> None:
        with self._guard():
            for start in range(0, len(vectors), CHUNK):
                await self._index.upsert(vectors=vectors[start : start + CHUNK], namespace=self._ns(collection))

    async def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        check_vectors(documents)
        vectors = await self._vectors(collection, documents)
        await self._upsert(collection, vectors)
        return [str(v.id) for v in vectors]

    async def search(
        self,
        collection: str,
        query_embedding: Sequence[float],
        limit: int = 5,
        filters: Filters | None = None,
        score_threshold: float | None = None,
    ) -> list[KnowledgeDocument]:
        check_limit(limit)
        check_embedding(query_embedding)
        expression = to_upstash_filter(filters)
        dim, distance = await self._collection(collection)
        if len(query_embedding) != dim:
            raise DimensionMismatchError(collection, dim, len(query_embedding))
        if limit == 0:
            return []
        with self._guard():
            rows = await self._index.query(
                vector=[float(x) for x in query_embedding],
                top_k=limit,
                include_metadata=True,
                include_data=True,
                filter=expression,
                namespace=self._ns(collection),
            )
        hits = [unpack(r.id, r.data, r.metadata, None, score_from_upstash(distance, r.score)) for r in rows]
        return [h for h in hits if score_threshold is None or (h.score is not None and h.score >= score_threshold)]

    async def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        await self._collection(collection)
        wanted = list(dict.fromkeys([ids] if isinstance(ids, str) else ids))
        if not wanted:
            return []
        with self._guard():
            found = await self._index.fetch(
                ids=wanted,
                include_vectors=True,
                include_metadata=True,
                include_data=True,
                namespace=self._ns(collection),
            )
        return [unpack(f.id, f.data, f.metadata, f.vector, None) for f in found if f is not None]

    async def delete(self, collection: str, ids: Sequence[str] | None = None, filters: Filters | None = None) -> int:
        if ids is None and not filters:
            raise ValueError(
                "delete() needs ids or a non-empty filter (or both); an empty filter would match every "
                "document: use delete_collection() to drop everything."
            )
        expression = to_upstash_filter(filters)
        await self._collection(collection)
        ns = self._ns(collection)
        with self._guard():
            if ids is None:
                return int((await self._index.delete(filter=expression, namespace=ns)).deleted)
            wanted = list(dict.fromkeys([ids] if isinstance(ids, str) else ids))
            if expression:
                # Both must match: keep the ids the filter selects.
                found = await self._index.fetch(ids=wanted, include_metadata=True, namespace=ns)
                from praisonai_persist.filters import matches

                wanted = [f.id for f in found if f is not None and matches(filters, f.metadata)]
            if not wanted:
                return 0
            return int((await self._index.delete(ids=wanted, namespace=ns)).deleted)

    async def count(self, collection: str) -> int:
        await self._collection(collection)
        with self._guard():
            info = await self._index.info()
        space = info.namespaces.get(self._ns(collection))
        return 0 if space is None else int(space.vector_count) + int(space.pending_vector_count)

    async def scroll(self, collection: str, limit: int = 256, cursor: str | None = None) -> ScrollPage:
        """One page of Upstash's ``range`` over the namespace; the cursor is Upstash's ``next_cursor``."""
        arguments = range_arguments(limit, cursor, self._ns(collection))
        await self._collection(collection)
        with self._guard():
            result = await self._index.range(**arguments)
        return scroll_page(result)

    async def describe_collection(self, name: str) -> CollectionInfo:
        """The index's dimension and similarity (shared by every collection) and the creation metadata."""
        entry = await self._entry(name)
        return describe(name, entry, await self._shape())

    async def close(self) -> None:
        """Nothing to release beyond the HTTP client, which closes with the process."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={self.url!r}, namespace_prefix={self.namespace_prefix!r})"
