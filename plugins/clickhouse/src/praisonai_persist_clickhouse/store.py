"""The ClickHouse knowledge store: one MergeTree table per collection, exact search with
``cosineDistance`` / ``L2Distance`` / ``dotProduct``.

``chdb://PATH`` (or ``chdb://:memory:``) runs ClickHouse in-process through chDB; ``clickhouse://``,
``http://`` and ``https://`` URLs reach a server through clickhouse-connect. Both run the same SQL
(:mod:`.sql`) with bound parameters.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from praisonai_persist.errors import (
    CollectionNotFoundError,
    DimensionMismatchError,
    DocumentExistsError,
    StoreConnectionError,
)
from praisonai_persist.identifiers import validate_dimension
from praisonai_persist.knowledge import (
    Filters,
    KnowledgeStore,
    ScrollPage,
    check_embedding,
    check_limit,
    check_same_distance,
    check_scroll_limit,
    check_vectors,
    page_after,
)
from praisonai_persist.models import CollectionInfo, KnowledgeDocument
from praisonai_persist.scores import normalize_distance
from praisonai_persist.urls import mask_url, redact

from .engine import ChdbExecutor, Executor, ServerExecutor
from .sql import COLUMNS, Statements, score_of, translate_filter

__all__ = ["ClickhouseKnowledgeStore"]

DEFAULT_TABLE_PREFIX = "praison_vec_"
_SERVER_SCHEMES = ("clickhouse://", "clickhouses://", "http://", "https://")


@dataclass(frozen=True)
class _Collection:
    name: str
    dimension: int
    distance: str


def _chdb_path(url: str) -> str | None:
    """The chDB data path of a ``chdb://`` URL (``:memory:`` kept), else None."""
    if not url.startswith("chdb://"):
        return None
    rest = url[len("chdb://") :]
    if rest in ("", ":memory:", "memory"):
        return ":memory:"
    return os.path.expanduser(rest)


class ClickhouseKnowledgeStore(KnowledgeStore):
    """KnowledgeStore on ClickHouse (chDB in-process or a server).

    Options: ``database`` (default ``default``; created if missing), ``table_prefix`` (default
    ``praison_vec_``), ``batch_size`` (rows per INSERT), and for servers any keyword of
    ``clickhouse_connect.get_client`` (``username``, ``password``, ``secure`` ...).
    """

    backend_name = "clickhouse"

    def __init__(
        self,
        url: str | os.PathLike[str] | None = None,
        *,
        path: str | os.PathLike[str] | None = None,
        database: str = "default",
        table_prefix: str = DEFAULT_TABLE_PREFIX,
        batch_size: int = 5000,
        **client_options: Any,
    ) -> None:
        target = url if url is not None else path
        if target is None:
            raise ValueError("clickhouse needs a URL: chdb://PATH, chdb://:memory: or clickhouse://user@host:8123/db.")
        text = os.fspath(target)
        if "://" not in text:
            text = "chdb://" + text  # a bare path is an embedded chDB directory
        self.url = text
        self._sql = Statements(database, table_prefix)
        if batch_size < 1:
            raise ValueError(f"batch_size must be positive, got {batch_size!r}.")
        self._batch = int(batch_size)
        self._lock = threading.RLock()
        self._collections: dict[str, _Collection] = {}
        local = _chdb_path(text)
        if local is None and not text.startswith(_SERVER_SCHEMES):
            raise ValueError(
                f"Unsupported ClickHouse URL {mask_url(text)!r}; use chdb://, clickhouse:// or http(s)://."
            )
        try:
            self._db: Executor = (
                ChdbExecutor(local) if local is not None else ServerExecutor.connect(text, **client_options)
            )
        except (ImportError, StoreConnectionError):
            raise
        except Exception as exc:
            raise StoreConnectionError(
                f"Cannot open ClickHouse at {mask_url(text)}: {redact(str(exc), text)}"
            ) from None
        try:
            self._db.command(self._sql.create_database())
        except Exception as exc:
            self._db.close()
            raise StoreConnectionError(
                f"Cannot create database {database!r} on ClickHouse at {mask_url(text)}: {redact(str(exc), text)}"
            ) from None

    # -- collections ---------------------------------------------------------------------------
    def _info(self, collection: str) -> _Collection:
        self._sql.table_name(collection)
        found = self._collections.get(collection)
        if found is not None:
            return found
        query = self._sql.describe(collection)
        rows = self._db.query(query.sql, query.params)
        if not rows:
            raise CollectionNotFoundError(collection)
        meta = json.loads(rows[0][0])
        found = self._collections[collection] = _Collection(collection, int(meta["dimension"]), meta["distance"])
        return found

    def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        self._sql.table_name(name)
        dim = validate_dimension(dimension)
        kind = normalize_distance(distance)
        with self._lock:
            if self.collection_exists(name):
                existing = self._info(name)
                if existing.dimension != dim:
                    raise DimensionMismatchError(name, existing.dimension, dim)
                check_same_distance(name, existing.distance, kind)
                return
            self._db.command(self._sql.create_table(name, dim, kind))
            self._collections[name] = _Collection(name, dim, kind)

    def delete_collection(self, name: str) -> bool:
        with self._lock:
            existed = self.collection_exists(name)
            self._collections.pop(name, None)
            if existed:
                self._db.command(self._sql.drop_table(name))
            return existed

    def collection_exists(self, name: str) -> bool:
        query = self._sql.describe(name)
        with self._lock:
            return bool(self._db.query(query.sql, query.params))

    def list_collections(self) -> list[str]:
        query = self._sql.list_tables()
        with self._lock:
            rows = self._db.query(query.sql, query.params)
        names = []
        for table, comment in rows:
            try:
                ours = json.loads(comment).get("praisonai_persist") == 1
            except (ValueError, AttributeError):
                ours = False
            if ours:
                names.append(table[len(self._sql.prefix) :])
        return sorted(names)

    # -- documents -----------------------------------------------------------------------------
    def _rows(self, coll: _Collection, documents: Sequence[KnowledgeDocument]) -> list[list[Any]]:
        rows = []
        for doc in documents:
            if doc.embedding is None:
                raise ValueError(f"Document {doc.id!r} has no embedding; embed it before adding it to {coll.name!r}.")
            if len(doc.embedding) != coll.dimension:
                raise DimensionMismatchError(coll.name, coll.dimension, len(doc.embedding))
            rows.append(
                [
                    doc.id,
                    doc.content,
                    [float(x) for x in doc.embedding],
                    json.dumps(doc.metadata, ensure_ascii=False),
                    doc.content_hash or "",
                    float(doc.created_at),
                ]
            )
        return rows

    def _existing(self, collection: str, ids: Sequence[str]) -> list[str]:
        found: list[str] = []
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), self._batch):
            query = self._sql.existing_ids(collection, unique[start : start + self._batch])
            found += [row[0] for row in self._db.query(query.sql, query.params)]
        return found

    def _insert(self, collection: str, rows: list[list[Any]]) -> None:
        table = self._sql.table_name(collection)
        for start in range(0, len(rows), self._batch):
            self._db.insert(self._sql.database, table, COLUMNS, rows[start : start + self._batch])

    def insert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        check_vectors(documents)
        with self._lock:
            coll = self._info(collection)
            rows = self._rows(coll, documents)
            ids = [row[0] for row in rows]
            seen: set[str] = set()
            taken = [i for i in ids if i in seen or seen.add(i)]  # type: ignore[func-returns-value]
            taken = taken or self._existing(collection, ids)
            if taken:
                raise DocumentExistsError(collection, list(dict.fromkeys(taken)))
            self._insert(collection, rows)
            return ids

    def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        check_vectors(documents)
        with self._lock:
            coll = self._info(collection)
            rows = self._rows(coll, documents)
            ids = [row[0] for row in rows]
            unique = list({row[0]: row for row in rows}.values())
            # ClickHouse has no ON CONFLICT: replaced ids are deleted, then all rows inserted.
            taken = self._existing(collection, ids)
            if taken:
                query = self._sql.delete_where(collection, taken, None)
                self._db.command(query.sql, query.params)
            self._insert(collection, unique)
            return ids

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
        translate_filter(filters)
        with self._lock:
            coll = self._info(collection)
            if len(query_embedding) != coll.dimension:
                raise DimensionMismatchError(collection, coll.dimension, len(query_embedding))
            if limit == 0:
                return []
            query = self._sql.search(collection, coll.distance, query_embedding, limit, filters)
            rows = self._db.query(query.sql, query.params)
        hits = [_document(row, score_of(coll.distance, row[6])) for row in rows]
        if score_threshold is not None:
            hits = [h for h in hits if h.score is not None and h.score >= score_threshold]
        return hits

    def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        wanted = [ids] if isinstance(ids, str) else list(dict.fromkeys(ids))
        with self._lock:
            self._info(collection)
            query = self._sql.get(collection, wanted)
            rows = self._db.query(query.sql, query.params)
        by_id = {row[0]: _document(row) for row in rows}
        return [by_id[i] for i in wanted if i in by_id]

    def delete(self, collection: str, ids: Sequence[str] | None = None, filters: Filters | None = None) -> int:
        if ids is None and not filters:
            raise ValueError(
                "delete() needs ids or a non-empty filter (or both); an empty filter would match every "
                "document: use delete_collection() to drop everything."
            )
        wanted = None if ids is None else ([ids] if isinstance(ids, str) else list(ids))
        counting = self._sql.count_where(collection, wanted, filters)
        with self._lock:
            self._info(collection)
            rows = self._db.query(counting.sql, counting.params)
            doomed = int(rows[0][0]) if rows else 0
            if doomed:
                query = self._sql.delete_where(collection, wanted, filters)
                self._db.command(query.sql, query.params)
            return doomed

    def count(self, collection: str) -> int:
        with self._lock:
            self._info(collection)
            query = self._sql.count(collection)
            rows = self._db.query(query.sql, query.params)
        return int(rows[0][0]) if rows else 0

    def scroll(self, collection: str, limit: int = 256, cursor: str | None = None) -> ScrollPage:
        """Documents in id order (the MergeTree sort key), one ``id > cursor ... LIMIT`` query per page."""
        check_scroll_limit(limit)
        with self._lock:
            self._info(collection)
            query = self._sql.scroll(collection, limit + 1, cursor)
            rows = self._db.query(query.sql, query.params)
        return page_after([_document(row) for row in rows], limit)

    def describe_collection(self, name: str) -> CollectionInfo:
        """Dimension and distance from the table comment; creation metadata is not kept (``{}``)."""
        with self._lock:
            self._collections.pop(name, None)  # read the table's comment afresh: it may have been dropped
            info = self._info(name)
        return CollectionInfo(name, info.dimension, info.distance, {})

    def close(self) -> None:
        """Release the connection (chDB's engine stays open while another store uses the same path)."""
        with self._lock:
            self._db.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={mask_url(self.url)!r}, database={self._sql.database!r})"


def _document(row: Sequence[Any], score: float | None = None) -> KnowledgeDocument:
    return KnowledgeDocument(
        id=row[0],
        content=row[1],
        embedding=[float(x) for x in row[2]],
        metadata=json.loads(row[3]) if row[3] else None,
        content_hash=row[4] or None,
        created_at=float(row[5]),
        score=score,
    )
