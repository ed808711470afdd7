"""The pgvector knowledge store (sync): one table per collection, exact search unless an HNSW index is asked for.

Talks to PostgreSQL through psycopg 3 with pgvector's adapter; writes are batched with
``executemany`` (pipelined by psycopg) inside one transaction per call.
"""

from __future__ import annotations

import threading
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
    Filters,
    KnowledgeStore,
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

__all__ = ["PgvectorKnowledgeStore"]


class PgvectorKnowledgeStore(KnowledgeStore):
    """KnowledgeStore on PostgreSQL + pgvector (``postgresql://`` URL).

    Options: ``schema`` (default ``public``), ``table_prefix`` (default ``praison_vec_``),
    ``index`` (None = exact search, ``"hnsw"`` = approximate HNSW index per collection),
    ``batch_size`` (rows per executemany chunk), ``connect_timeout`` (seconds).
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
        self._psycopg, adapter, self._np = client_modules()
        self._lock = threading.RLock()
        self._collections: dict[str, Collection] = {}
        try:
            self._conn = self._psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(connect_timeout)))
        except self._psycopg.Error as exc:
            raise StoreConnectionError(
                f"Cannot connect to PostgreSQL at {mask_url(url)}: {safe_message(exc, url)}"
            ) from None
        try:
            for statement in self._sql.setup():
                try:
                    self._conn.execute(statement)
                except self._psycopg.errors.UniqueViolation:
                    pass  # a concurrent store created the same extension, schema or table first
            adapter.register_vector(self._conn)
        except self._psycopg.Error as exc:
            self._conn.close()
            raise StoreConnectionError(
                f"Connected to {mask_url(url)} but could not set up pgvector (CREATE EXTENSION vector, schema "
                f"{schema!r}): {safe_message(exc, url)}"
            ) from None

    # -- collections ---------------------------------------------------------------------------
    def _collection(self, name: str) -> Collection:
        self._sql.table_name(name)
        found = self._collections.get(name)
        if found is None:
            row = self._conn.execute(self._sql.lookup(), (name,)).fetchone()
            if row is None:
                raise CollectionNotFoundError(name)
            found = self._collections[name] = Collection(row[0], int(row[1]), row[2])
        return found

    def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        dim = check_collection(name, dimension)
        self._sql.table_name(name)
        kind = normalize_distance(distance)
        with self._lock, self._conn.transaction():
            row = self._conn.execute(self._sql.lookup(), (name,)).fetchone()
            if row is not None:
                if int(row[1]) != dim:
                    raise DimensionMismatchError(name, int(row[1]), dim)
                check_same_distance(name, str(row[2]), kind)
                return
            self._conn.execute(self._sql.create_table(name, dim))
            if self._index == "hnsw":
                self._conn.execute(self._sql.create_hnsw_index(name, kind))
            self._conn.execute(
                self._sql.register(), (name, dim, kind, None if metadata is None else Jsonb(metadata), time.time())
            )
            self._collections[name] = Collection(name, dim, kind)

    def delete_collection(self, name: str) -> bool:
        self._sql.table_name(name)
        with self._lock, self._conn.transaction():
            self._collections.pop(name, None)
            deleted = self._conn.execute(self._sql.unregister(), (name,)).rowcount
            self._conn.execute(self._sql.drop_table(name))
        return bool(deleted)

    def collection_exists(self, name: str) -> bool:
        self._sql.table_name(name)
        with self._lock:
            return self._conn.execute(self._sql.lookup(), (name,)).fetchone() is not None

    def list_collections(self) -> list[str]:
        with self._lock:
            return [row[0] for row in self._conn.execute(self._sql.list_names()).fetchall()]

    # -- documents -----------------------------------------------------------------------------
    def _write(self, collection: str, documents: Sequence[KnowledgeDocument], *, upsert: bool) -> list[str]:
        check_vectors(documents)
        with self._lock:
            coll = self._collection(collection)
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
                with self._conn.transaction(), self._conn.cursor() as cur:
                    if not upsert:
                        taken = cur.execute(self._sql.existing_ids(collection), ([d.id for d, _ in docs],)).fetchall()
                        if taken:
                            raise DocumentExistsError(collection, [row[0] for row in taken])
                    if upsert:
                        for chunk in chunks(docs, self._batch):
                            cur.executemany(statement, [document_row(d, v) for d, v in chunk])
                    else:
                        with cur.copy(self._sql.copy(collection)) as copy:
                            copy.set_types(list(COPY_TYPES))
                            for d, v in docs:
                                copy.write_row(document_row(d, v))
            except self._psycopg.errors.UniqueViolation:
                raise DocumentExistsError(collection, ids) from None
            return ids

    def insert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        return self._write(collection, documents, upsert=False)

    def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        return self._write(collection, documents, upsert=True)

    def search(
        self,
        collection: str,
        query_embedding: Sequence[float],
        limit: int = 5,
        filters: Filters | None = None,
        score_threshold: float | None = None,
    ) -> list[KnowledgeDocument]:
        check_limit(limit)
        check_embedding(query_embedding)
        translate_filter(filters)  # invalid filters fail before the collection is looked up
        with self._lock:
            coll = self._collection(collection)
            if len(query_embedding) != coll.dimension:
                raise DimensionMismatchError(collection, coll.dimension, len(query_embedding))
            if limit == 0:
                return []
            statement, params = self._sql.search(collection, coll.distance, filters, limit)
            vector = self._np.asarray(query_embedding, dtype=self._np.float32)
            rows = self._conn.execute(statement, [vector, *params]).fetchall()
        hits = [document_from_row(row, coll.distance) for row in rows]
        if score_threshold is not None:
            hits = [h for h in hits if h.score is not None and h.score >= score_threshold]
        return hits

    def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        wanted = [ids] if isinstance(ids, str) else list(dict.fromkeys(ids))
        with self._lock:
            self._collection(collection)
            rows = self._conn.execute(self._sql.get(collection), (wanted,)).fetchall()
        by_id = {row[0]: document_from_row(row) for row in rows}
        return [by_id[i] for i in wanted if i in by_id]

    def delete(self, collection: str, ids: Sequence[str] | None = None, filters: Filters | None = None) -> int:
        if ids is None and not filters:
            raise ValueError(
                "delete() needs ids or a non-empty filter (or both); an empty filter would match every "
                "document: use delete_collection() to drop everything."
            )
        wanted = None if ids is None else ([ids] if isinstance(ids, str) else list(ids))
        statement, params = self._sql.delete(collection, wanted, filters)
        with self._lock:
            self._collection(collection)
            return int(self._conn.execute(statement, params).rowcount)

    def count(self, collection: str) -> int:
        with self._lock:
            self._collection(collection)
            row = self._conn.execute(self._sql.count(collection)).fetchone()
        return int(row[0]) if row else 0

    def scroll(self, collection: str, limit: int = 256, cursor: str | None = None) -> ScrollPage:
        """Documents in primary-key order, one indexed ``WHERE id > cursor ... LIMIT`` query per page."""
        check_scroll_limit(limit)
        statement = self._sql.scroll(collection, limit + 1, after=cursor is not None)
        with self._lock:
            self._collection(collection)
            rows = self._conn.execute(statement, () if cursor is None else (cursor,)).fetchall()
        return scroll_page(rows, limit)

    def describe_collection(self, name: str) -> CollectionInfo:
        """Dimension, distance and creation metadata from the registry table."""
        self._sql.table_name(name)
        with self._lock:
            row = self._conn.execute(self._sql.describe(), (name,)).fetchone()
        if row is None:
            raise CollectionNotFoundError(name)
        return CollectionInfo(row[0], int(row[1]), str(row[2]), dict(row[3] or {}))

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            self._conn.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={mask_url(self.url)!r}, schema={self._sql.schema!r})"
