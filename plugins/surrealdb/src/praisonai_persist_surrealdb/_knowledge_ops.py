"""The knowledge store's operations, written once as generators of bound SurrealQL queries.

The sync and async store classes drive the same generators (``drive_sync``/``drive_async``), so
both forms run exactly the same statements. Each collection is a table ``{prefix}c_{name}``;
the table ``{prefix}collections`` records each collection's dimension, distance and metadata.
Search is exact (brute force over the collection with SurrealDB's vector functions). ``scroll``
walks a record-id range (``type::thing($t, $after>..)``), which the engine iterates in key order
and stops after the page, so a page costs its own size, not the collection's.
"""

# ruff: noqa: S608  -- the only interpolated parts are identifiers checked by validate_identifier

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from praisonai_persist.errors import CollectionNotFoundError, DimensionMismatchError, DocumentExistsError
from praisonai_persist.identifiers import validate_dimension, validate_identifier
from praisonai_persist.knowledge import (
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

from ._connection import Operation, Query, QueryFailed
from ._filters import surreal_condition

__all__ = ["KnowledgeOps"]

#: Rows per INSERT statement: large enough to amortise a round trip, small enough for one message.
BATCH_ROWS = 1000
_FIELDS = "content, embedding, metadata_json, content_hash, created_at"

_SCORE = {
    "cosine": "vector::similarity::cosine(embedding, $q)",
    "dot": "vector::dot(embedding, $q)",
    "euclidean": "1.0 / (1.0 + vector::distance::euclidean(embedding, $q))",
}


@dataclass(frozen=True)
class _Info:
    dimension: int
    distance: str


def _row(doc: KnowledgeDocument) -> dict[str, Any]:
    return {
        "id": doc.id,
        "content": doc.content,
        "embedding": [float(x) for x in doc.embedding or ()],
        # ``metadata`` is what filters read; ``metadata_json`` keeps nulls and is what reads return.
        "metadata": doc.metadata or {},
        "metadata_json": json.dumps(doc.metadata or {}, ensure_ascii=False),
        "content_hash": doc.content_hash,
        "created_at": float(doc.created_at),
    }


def _document(row: dict[str, Any], score: float | None = None) -> KnowledgeDocument:
    return KnowledgeDocument(
        id=str(row["doc_id"]),
        content=row.get("content") or "",
        embedding=[float(x) for x in row.get("embedding") or ()],
        metadata=json.loads(row.get("metadata_json") or "{}"),
        content_hash=row.get("content_hash"),
        created_at=float(row["created_at"]),
        score=score,
    )


class KnowledgeOps:
    """Statement builders and result handling shared by the sync and async knowledge stores."""

    def __init__(self, sdk: Any, table_prefix: str) -> None:
        if table_prefix:
            validate_identifier(table_prefix, "table_prefix")
        self._sdk = sdk
        self.prefix = table_prefix
        self.registry = f"{table_prefix}collections"
        self._info: dict[str, _Info] = {}
        self._lock = threading.Lock()

    def table(self, name: str) -> str:
        validate_identifier(name, "collection name")
        return f"{self.prefix}c_{name}"

    def _record(self, table: str, key: str) -> Any:
        return self._sdk.RecordID(table, key)

    def _lookup(self, name: str) -> Operation[_Info]:
        self.table(name)
        with self._lock:
            cached = self._info.get(name)
        if cached is not None:
            return cached
        (rows,) = yield Query("SELECT dimension, distance FROM $r", {"r": self._record(self.registry, name)})
        if not rows:
            raise CollectionNotFoundError(name)
        info = _Info(int(rows[0]["dimension"]), str(rows[0]["distance"]))
        with self._lock:
            self._info[name] = info
        return info

    def create_collection(
        self, name: str, dimension: int, distance: str, metadata: dict[str, Any] | None
    ) -> Operation[None]:
        table = self.table(name)
        dim = validate_dimension(dimension)
        kind = normalize_distance(distance)
        record = self._record(self.registry, name)
        (rows,) = yield Query("SELECT dimension, distance FROM $r", {"r": record})
        if rows:
            if int(rows[0]["dimension"]) != dim:
                raise DimensionMismatchError(name, int(rows[0]["dimension"]), dim)
            check_same_distance(name, str(rows[0]["distance"]), kind)
            return
        yield Query(
            f"BEGIN; DEFINE TABLE IF NOT EXISTS `{self.registry}` SCHEMALESS; "
            f"DEFINE TABLE IF NOT EXISTS `{table}` SCHEMALESS; "
            "UPSERT $r CONTENT { dimension: $dim, distance: $distance, metadata_json: $meta }; COMMIT;",
            {"r": record, "dim": dim, "distance": kind, "meta": json.dumps(metadata or {})},
        )
        with self._lock:
            self._info[name] = _Info(dim, kind)

    def delete_collection(self, name: str) -> Operation[bool]:
        table = self.table(name)
        with self._lock:
            self._info.pop(name, None)
        (had,) = yield Query(
            f"BEGIN; LET $had = record::exists($r); DELETE $r; REMOVE TABLE IF EXISTS `{table}`; RETURN $had; COMMIT;",
            {"r": self._record(self.registry, name)},
        )
        return bool(had)

    def collection_exists(self, name: str) -> Operation[bool]:
        self.table(name)
        (found,) = yield Query("RETURN record::exists($r)", {"r": self._record(self.registry, name)})
        return bool(found)

    def list_collections(self) -> Operation[list[str]]:
        (rows,) = yield Query(f"SELECT VALUE record::id(id) FROM `{self.registry}`", {})
        return sorted(str(r) for r in rows or ())

    def _checked_rows(self, name: str, info: _Info, documents: Sequence[KnowledgeDocument]) -> list[dict[str, Any]]:
        """Rows for ``documents``; every document is checked before any is written."""
        for doc in documents:
            if not isinstance(doc.id, str) or not doc.id:
                raise ValueError(f"Document ids must be non-empty strings, got {doc.id!r}.")
            if doc.embedding is None:
                raise ValueError(f"Document {doc.id!r} has no embedding; embed it before adding it to {name!r}.")
            if len(doc.embedding) != info.dimension:
                raise DimensionMismatchError(name, info.dimension, len(doc.embedding))
        return [_row(doc) for doc in documents]

    def insert(self, name: str, documents: Sequence[KnowledgeDocument]) -> Operation[list[str]]:
        check_vectors(documents)
        table = self.table(name)
        info = yield from self._lookup(name)
        rows = self._checked_rows(name, info, documents)
        ids = [r["id"] for r in rows]
        repeated = sorted({i for i in ids if ids.count(i) > 1}) if len(set(ids)) != len(ids) else []
        if repeated:
            raise DocumentExistsError(name, repeated)
        for start in range(0, len(rows), BATCH_ROWS):
            chunk = rows[start : start + BATCH_ROWS]
            try:
                yield Query(f"INSERT INTO `{table}` $rows RETURN NONE", {"rows": chunk})
            except QueryFailed as exc:
                if "already exists" not in str(exc):
                    raise
                keys = [self._record(table, r["id"]) for r in chunk]
                (taken,) = yield Query("SELECT VALUE record::id(id) FROM $ids", {"ids": keys})
                raise DocumentExistsError(name, [str(t) for t in taken or ()]) from None
        return ids

    def upsert(self, name: str, documents: Sequence[KnowledgeDocument]) -> Operation[list[str]]:
        check_vectors(documents)
        table = self.table(name)
        info = yield from self._lookup(name)
        rows = list({r["id"]: r for r in self._checked_rows(name, info, documents)}.values())
        for start in range(0, len(rows), BATCH_ROWS):
            yield Query(
                f"INSERT INTO `{table}` $rows ON DUPLICATE KEY UPDATE content = $input.content, "
                "embedding = $input.embedding, metadata = $input.metadata, "
                "metadata_json = $input.metadata_json, content_hash = $input.content_hash, "
                "created_at = $input.created_at RETURN NONE",
                {"rows": rows[start : start + BATCH_ROWS]},
            )
        return [doc.id for doc in documents]

    def search(
        self,
        name: str,
        query_embedding: Sequence[float],
        limit: int,
        filters: dict[str, Any] | None,
        score_threshold: float | None,
    ) -> Operation[list[KnowledgeDocument]]:
        table = self.table(name)
        condition, params = surreal_condition(filters)
        check_limit(limit)
        check_embedding(query_embedding)
        info = yield from self._lookup(name)
        query = [float(x) for x in query_embedding]
        if len(query) != info.dimension:
            raise DimensionMismatchError(name, info.dimension, len(query))
        if limit == 0:
            return []
        where = f" WHERE {condition}" if condition else ""
        (rows,) = yield Query(
            f"SELECT record::id(id) AS doc_id, {_FIELDS}, {_SCORE[info.distance]} AS score "
            f"FROM `{table}`{where} ORDER BY score DESC, doc_id ASC LIMIT $limit",
            {**params, "q": query, "limit": limit},
        )
        hits = [_document(r, float(r["score"])) for r in rows or ()]
        # Rows come best first, so thresholding the top ``limit`` equals the top ``limit`` above it.
        if score_threshold is not None:
            hits = [h for h in hits if h.score is not None and h.score >= score_threshold]
        return hits

    def get(self, name: str, ids: Sequence[str]) -> Operation[list[KnowledgeDocument]]:
        table = self.table(name)
        wanted = list(dict.fromkeys([ids] if isinstance(ids, str) else ids))
        yield from self._lookup(name)
        if not wanted:
            return []
        (rows,) = yield Query(
            f"SELECT record::id(id) AS doc_id, {_FIELDS} FROM $ids",
            {"ids": [self._record(table, i) for i in wanted]},
        )
        found = {str(r["doc_id"]): _document(r) for r in rows or ()}
        return [found[i] for i in wanted if i in found]

    def delete(self, name: str, ids: Sequence[str] | None, filters: dict[str, Any] | None) -> Operation[int]:
        table = self.table(name)
        if ids is None and not filters:
            raise ValueError("delete() needs ids or filters (or both); use delete_collection() to drop everything.")
        condition, params = surreal_condition(filters)
        yield from self._lookup(name)
        if ids is not None:
            wanted = list(dict.fromkeys([ids] if isinstance(ids, str) else ids))
            if not wanted:
                return 0
            params["ids"] = [self._record(table, i) for i in wanted]
            source = "$ids"
        else:
            source = f"`{table}`"
        where = f" WHERE {condition}" if condition else ""
        (gone,) = yield Query(
            f"BEGIN; LET $gone = (SELECT VALUE id FROM {source}{where}); DELETE $gone; "
            "RETURN array::len($gone); COMMIT;",
            params,
        )
        return int(gone or 0)

    def count(self, name: str) -> Operation[int]:
        table = self.table(name)
        yield from self._lookup(name)
        (rows,) = yield Query(f"SELECT count() FROM `{table}` GROUP ALL", {})
        return int(rows[0]["count"]) if rows else 0

    def scroll(self, name: str, limit: int, cursor: str | None) -> Operation[ScrollPage]:
        """One page in record-id order; the cursor is the last id returned (a range scan resumes after it).

        Record ids are strings here, and the engine keeps string keys in byte order, so the order
        is stable and a range ``after>..`` starts right after the cursor without scanning before it.
        """
        check_scroll_limit(limit)
        table = self.table(name)
        if cursor is not None and not isinstance(cursor, str):
            raise ValueError(f"scroll cursor must be a string from a previous page, got {cursor!r}.")
        yield from self._lookup(name)
        source = f"`{table}`:.."
        params: dict[str, Any] = {"n": limit + 1}
        if cursor is not None:
            source = "type::thing($t, $after>..)"
            params.update(t=table, after=cursor)
        (rows,) = yield Query(f"SELECT record::id(id) AS doc_id, {_FIELDS} FROM {source} LIMIT $n", params)
        return page_after([_document(r) for r in rows or ()], limit)

    def describe_collection(self, name: str) -> Operation[CollectionInfo]:
        """Dimension, distance and creation metadata, read from the collection's registry record."""
        self.table(name)
        (rows,) = yield Query(
            "SELECT dimension, distance, metadata_json FROM $r", {"r": self._record(self.registry, name)}
        )
        if not rows:
            raise CollectionNotFoundError(name)
        row = rows[0]
        return CollectionInfo(
            name, int(row["dimension"]), str(row["distance"]), json.loads(row.get("metadata_json") or "{}")
        )
