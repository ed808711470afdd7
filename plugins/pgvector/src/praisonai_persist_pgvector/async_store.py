"""The pgvector knowledge store (async): psycopg 3's native ``AsyncConnection``, same SQL as the sync store."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

from praisonai_persist.errors import (
    CollectionNotFoundError,
    DimensionMismatchError,
    DocumentExistsError,
    StoreConnectionError,
)
from praisonai_persist.knowledge import (
    AsyncKnowledgeStore,
    Filters,
    ScrollPage,
    check_embedding,
    check_limit,
    check_same_distance,
    check_scroll_limit,
    check_vectors,
)
from praisonai_persist.models import CollectionInfo, KnowledgeDocument
from praisonai_persist.scores import normalize_distance
from praisonai_persist.urls import mask_url

from .common import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_TABLE_PREFIX,
    check_collection,
    check_index,
    chunks,
    client_modules,
    duplicate_ids,
    prepared,
    safe_message,
)
from .sql import (
    COPY_TYPES,
    Collection,
    Jsonb,
    Statements,
    document_from_row,
    document_row,
    scroll_page,
    translate_filter,
)

__all__ = ["AsyncPgvectorKnowledgeStore"]


class AsyncPgvectorKnowledgeStore(AsyncKnowledgeStore):
    """AsyncKnowledgeStore on PostgreSQL + pgvector; options as :class:`PgvectorKnowledgeStore`.

    The connection is opened on first use (constructors cannot await); calls on one store are
    serialized by an ``asyncio.Lock`` because a psycopg connection runs one query at a time.
    """

    backend_name = "pgvector"

    def __init__(
        self,
        url: str | None = None,
        *,
        schema: str = "public",
        table_prefix: str = DEFAULT_TABLE_PREFIX,
        index: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        connect_timeout: float = 10.0,
        connection_string: str | None = None,
    ) -> None:
        url = url or connection_string
        if not url:
            raise ValueError("pgvector needs a PostgreSQL URL, e.g. postgresql://user:password@host:5432/db.")
        self.url = url
        self._sql = Statements(schema, table_prefix)
        self._index = check_index(index)
        if batch_size < 1:
            raise ValueError(f"batch_size must be positive, got {batch_size!r}.")
        self._batch = int(batch_size)
        self._timeout = max(1, int(connect_timeout))
        self._psycopg, self._adapter, self._np = client_modules()
        self._lock: asyncio.Lock | None = None
        self._conn: Any = None
        self._collections: dict[str, Collection] = {}

    def _guard(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    async def _connection(self) -> Any:
        if self._conn is not None:
            return self._conn
        try:
            conn = await self._psycopg.AsyncConnection.connect(self.url, autocommit=True, connect_timeout=self._timeout)
        except self._psycopg.Error as exc:
            raise StoreConnectionError(
                f"Cannot connect to PostgreSQL at {mask_url(self.url)}: {safe_message(exc, self.url)}"
            ) from None
        try:
            for statement in self._sql.setup():
                try:
                    await conn.execute(statement)
                except self._psycopg.errors.UniqueViolation:
                    pass  # a concurrent store created the same extension, schema or table first
            await self._adapter.register_vector_async(conn)
        except self._psycopg.Error as exc:
            await conn.close()
            raise StoreConnectionError(
                f"Connected to {mask_url(self.url)} but could not set up pgvector (CREATE EXTENSION vector, "
                f"schema {self._sql.schema!r}): {safe_message(exc, self.url)}"
            ) from None
        self._conn = conn
        return conn

    async def _collection(self, conn: Any, name: str) -> Collection:
        self._sql.table_name(name)
        found = self._collections.get(name)
        if found is None:
            row = await (await conn.execute(self._sql.lookup(), (name,))).fetchone()
            if row is None:
                raise CollectionNotFoundError(name)
            found = self._collections[name] = Collection(row[0], int(row[1]), row[2])
        return found

    async def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        dim = check_collection(name, dimension)
        self._sql.table_name(name)
        kind = normalize_distance(distance)
        async with self._guard():
            conn = await self._connection()
            async with conn.transaction():
                row = await (await conn.execute(self._sql.lookup(), (name,))).fetchone()
                if row is not None:
                    if int(row[1]) != dim:
                        raise DimensionMismatchError(name, int(row[1]), dim)
                    check_same_distance(name, str(row[2]), kind)
                    return
                await conn.execute(self._sql.create_table(name, dim))
                if self._index == "hnsw":
                    await conn.execute(self._sql.create_hnsw_index(name, kind))
                await conn.execute(
                    self._sql.register(), (name, dim, kind, None if metadata is None else Jsonb(metadata), time.time())
                )
            self._collections[name] = Collection(name, dim, kind)

    async def delete_collection(self, name: str) -> bool:
        self._sql.table_name(name)
        async with self._guard():
            conn = await self._connection()
            self._collections.pop(name, None)
            async with conn.transaction():
                deleted = (await conn.execute(self._sql.unregister(), (name,))).rowcount
                await conn.execute(self._sql.drop_table(name))
        return bool(deleted)

    async def collection_exists(self, name: str) -> bool:
        self._sql.table_name(name)
        async with self._guard():
            conn = await self._connection()
            return await (await conn.execute(self._sql.lookup(), (name,))).fetchone() is not None

    async def list_collections(self) -> list[str]:
        async with self._guard():
            conn = await self._connection()
            return [row[0] for row in await (await conn.execute(self._sql.list_names())).fetchall()]

    async def _write(self, collection: str, documents: Sequence[KnowledgeDocument], *, upsert: bool) -> list[str]:
        check_vectors(documents)
        async with self._guard():
            conn = await self._connection()
            coll = await self._collection(conn, collection)
            docs = prepared(collection, coll.dimension, documents, self._np)
            if not docs:
                return []
            ids = [d.id for d, _ in docs]
            if upsert:
                # ON CONFLICT cannot touch a row twice in one statement: the last document of an id wins.
                docs = list({d.id: (d, v) for d, v in docs}.values())
            else:
                duplicate_ids(collection, docs)
            statement = self._sql.insert(collection, upsert=upsert)
            try:
                async with conn.transaction(), conn.cursor() as cur:
                    if not upsert:
                        await cur.execute(self._sql.existing_ids(collection), ([d.id for d, _ in docs],))
                        taken = await cur.fetchall()
                        if taken:
                            raise DocumentExistsError(collection, [row[0] for row in taken])
                    if upsert:
                        for chunk in chunks(docs, self._batch):
                            await cur.executemany(statement, [document_row(d, v) for d, v in chunk])
                    else:
                        async with cur.copy(self._sql.copy(collection)) as copy:
                            copy.set_types(list(COPY_TYPES))
                            for d, v in docs:
                                await copy.write_row(document_row(d, v))
            except self._psycopg.errors.UniqueViolation:
                raise DocumentExistsError(collection, ids) from None
            return ids

    async def insert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        return await self._write(collection, documents, upsert=False)

    async def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        return await self._write(collection, documents, upsert=True)

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
        translate_filter(filters)
        async with self._guard():
            conn = await self._connection()
            coll = await self._collection(conn, collection)
            if len(query_embedding) != coll.dimension:
                raise DimensionMismatchError(collection, coll.dimension, len(query_embedding))
            if limit == 0:
                return []
            statement, params = self._sql.search(collection, coll.distance, filters, limit)
            vector = self._np.asarray(query_embedding, dtype=self._np.float32)
            rows = await (await conn.execute(statement, [vector, *params])).fetchall()
        hits = [document_from_row(row, coll.distance) for row in rows]
        if score_threshold is not None:
            hits = [h for h in hits if h.score is not None and h.score >= score_threshold]
        return hits

    async def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        wanted = [ids] if isinstance(ids, str) else list(dict.fromkeys(ids))
        async with self._guard():
            conn = await self._connection()
            await self._collection(conn, collection)
            rows = await (await conn.execute(self._sql.get(collection), (wanted,))).fetchall()
        by_id = {row[0]: document_from_row(row) for row in rows}
        return [by_id[i] for i in wanted if i in by_id]

    async def delete(self, collection: str, ids: Sequence[str] | None = None, filters: Filters | None = None) -> int:
        if ids is None and not filters:
            raise ValueError(
                "delete() needs ids or a non-empty filter (or both); an empty filter would match every "
                "document: use delete_collection() to drop everything."
            )
        wanted = None if ids is None else ([ids] if isinstance(ids, str) else list(ids))
        statement, params = self._sql.delete(collection, wanted, filters)
        async with self._guard():
            conn = await self._connection()
            await self._collection(conn, collection)
            return int((await conn.execute(statement, params)).rowcount)

    async def count(self, collection: str) -> int:
        async with self._guard():
            conn = await self._connection()
            await self._collection(conn, collection)
            row = await (await conn.execute(self._sql.count(collection))).fetchone()
        return int(row[0]) if row else 0

    async def scroll(self, collection: str, limit: int = 256, cursor: str | None = None) -> ScrollPage:
        """Documents in primary-key order, one indexed ``WHERE id > cursor ... LIMIT`` query per page."""
        check_scroll_limit(limit)
        statement = self._sql.scroll(collection, limit + 1, after=cursor is not None)
        async with self._guard():
            conn = await self._connection()
            await self._collection(conn, collection)
            rows = await (await conn.execute(statement, () if cursor is None else (cursor,))).fetchall()
        return scroll_page(rows, limit)

    async def describe_collection(self, name: str) -> CollectionInfo:
        """Dimension, distance and creation metadata from the registry table."""
        self._sql.table_name(name)
        async with self._guard():
            conn = await self._connection()
            row = await (await conn.execute(self._sql.describe(), (name,))).fetchone()
        if row is None:
            raise CollectionNotFoundError(name)
        return CollectionInfo(row[0], int(row[1]), str(row[2]), dict(row[3] or {}))

    async def close(self) -> None:
        """Close the connection (idempotent)."""
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={mask_url(self.url)!r}, schema={self._sql.schema!r})"
