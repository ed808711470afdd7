"""The LanceDB knowledge store (sync): KnowledgeStore on top of ``lancedb.connect``.

One Lance table per collection (see :mod:`.codec`); searches are exact (flat scan) until the
user builds a vector index on a table. Filters are rendered by :mod:`.sql`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

import lancedb

from praisonai_persist import KnowledgeDocument, KnowledgeStore
from praisonai_persist.errors import CollectionNotFoundError, DimensionMismatchError, DocumentExistsError
from praisonai_persist.identifiers import validate_identifier
from praisonai_persist.knowledge import (
    ScrollPage,
    check_embedding,
    check_same_distance,
    check_scroll_limit,
    check_vectors,
    page_after,
)
from praisonai_persist.models import CollectionInfo

from .codec import (
    COLUMNS,
    DISTANCE_COLUMN,
    ID_CHUNK,
    SCROLL_ORDER,
    Shape,
    check_limit,
    check_query,
    chunks,
    collection_info,
    docs_from_arrow,
    ids_expr,
    ids_sql,
    lance_metric,
    make_schema,
    repeated_ids,
    scroll_after,
    shape_of,
    to_arrow,
    unique_ids,
)
from .connection import Settings, settings_from
from .sql import filter_sql, where_clause

__all__ = ["LancedbKnowledgeStore"]


class LancedbKnowledgeStore(KnowledgeStore):
    """KnowledgeStore backed by LanceDB (local directory, object store or LanceDB Cloud)."""

    backend_name = "lancedb"

    def __init__(
        self, url: str | os.PathLike[str] | None = None, *, path: str | os.PathLike[str] | None = None, **options: Any
    ) -> None:
        self._settings: Settings = settings_from(url, path, **options)
        self._prefix = self._settings.collection_prefix
        self._tables: dict[str, tuple[Any, Shape]] = {}
        self._lock = threading.Lock()
        self._db = lancedb.connect(self._settings.uri, **self._settings.connect_kwargs)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._settings.display!r})"

    # -- collections ------------------------------------------------------------------------------

    def _native(self, name: str) -> str:
        return self._prefix + validate_identifier(name, "collection name")

    def _names(self) -> list[str]:
        names: list[str] = []
        token: str | None = None
        while True:
            page = self._db.list_tables(page_token=token)
            names.extend(page.tables)
            token = page.page_token
            if not token:
                return names

    def _table(self, name: str) -> tuple[Any, Shape]:
        native = self._native(name)
        hit = self._tables.get(native)
        if hit is None:
            try:
                table = self._db.open_table(native)
            except (FileNotFoundError, ValueError) as exc:
                raise CollectionNotFoundError(name) from exc
            hit = self._tables[native] = (table, shape_of(table.schema))
        return hit

    def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        native = self._native(name)
        shape = make_schema(dimension, distance, metadata)
        with self._lock:
            try:
                table = self._db.open_table(native)
            except ValueError:
                try:
                    table = self._db.create_table(native, schema=shape.schema)
                except ValueError:  # another process created it meanwhile
                    table = self._db.open_table(native)
            existing = shape_of(table.schema)
            if existing.dimension != shape.dimension:
                raise DimensionMismatchError(name, existing.dimension, shape.dimension)
            check_same_distance(name, existing.distance, shape.distance)
            self._tables[native] = (table, existing)

    def delete_collection(self, name: str) -> bool:
        native = self._native(name)
        with self._lock:
            self._tables.pop(native, None)
            try:
                self._db.drop_table(native)
            except (ValueError, FileNotFoundError):  # "Table ... was not found"
                return False
            return True

    def collection_exists(self, name: str) -> bool:
        return self._native(name) in self._names()

    def list_collections(self) -> list[str]:
        n = len(self._prefix)
        return sorted(x[n:] for x in self._names() if x.startswith(self._prefix) and len(x) > n)

    # -- documents --------------------------------------------------------------------------------

    def insert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        check_vectors(documents)
        documents = list(documents)
        table, shape = self._table(collection)
        data = to_arrow(collection, shape, documents)
        repeated_ids(collection, documents)
        ids = [d.id for d in documents]
        if table.count_rows() > 0:
            taken = [r["id"] for batch in chunks(ids, ID_CHUNK) for r in self._select_ids(table, ids_expr(batch))]
            if taken:
                raise DocumentExistsError(collection, taken)
        for start in range(0, data.num_rows, self._settings.batch_size):
            table.add(data.slice(start, self._settings.batch_size))
        return ids

    def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        check_vectors(documents)
        documents = list(documents)
        table, shape = self._table(collection)
        latest: dict[str, KnowledgeDocument] = {d.id: d for d in documents}  # the last copy of an id wins
        data = to_arrow(collection, shape, list(latest.values()))
        for start in range(0, data.num_rows, self._settings.batch_size):
            (
                table.merge_insert("id")
                .when_matched_update_all()
                .when_not_matched_insert_all()
                .execute(data.slice(start, self._settings.batch_size))
            )
        return [d.id for d in documents]

    @staticmethod
    def _select_ids(table: Any, where: Any) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = table.search().where(where).select(["id"]).limit(None).to_arrow().to_pylist()
        return rows

    def search(
        self,
        collection: str,
        query_embedding: Sequence[float],
        limit: int = 5,
        filters: dict[str, Any] | None = None,
        score_threshold: float | None = None,
    ) -> list[KnowledgeDocument]:
        where = filter_sql(filters)
        check_limit(limit)
        check_embedding(query_embedding)
        table, shape = self._table(collection)
        query = check_query(collection, shape, query_embedding)
        if limit == 0:
            return []
        builder = (
            table.search(query)
            .distance_type(lance_metric(shape.distance))
            .select([*COLUMNS, DISTANCE_COLUMN])
            .limit(limit)
        )
        if where is not None:
            builder = builder.where(where, prefilter=True)
        hits = docs_from_arrow(builder.to_arrow(), shape.distance)
        hits.sort(key=lambda d: (-(d.score or 0.0), d.id))
        if score_threshold is not None:
            hits = [h for h in hits if h.score is not None and h.score >= score_threshold]
        return hits

    def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        table, _ = self._table(collection)
        wanted = unique_ids(ids)
        found: dict[str, KnowledgeDocument] = {}
        for batch in chunks(wanted, ID_CHUNK):
            result = table.search().where(ids_expr(batch)).select(COLUMNS).limit(None).to_arrow()
            found.update((d.id, d) for d in docs_from_arrow(result))
        return [found[i] for i in wanted if i in found]

    def delete(self, collection: str, ids: Sequence[str] | None = None, filters: dict[str, Any] | None = None) -> int:
        if ids is None and not filters:
            raise ValueError(
                "delete() needs ids or a non-empty filter (or both); an empty filter would match every "
                "document: use delete_collection() to drop everything."
            )
        condition = filter_sql(filters)
        table, _ = self._table(collection)
        if ids is None:
            assert condition is not None
            return int(table.delete(condition).num_deleted_rows)
        deleted = 0
        for batch in chunks(unique_ids(ids), ID_CHUNK):
            where = ids_expr(batch) if condition is None else where_clause(ids_sql(batch), condition)
            deleted += int(table.delete(where).num_deleted_rows)
        return deleted

    def count(self, collection: str) -> int:
        table, _ = self._table(collection)
        return int(table.count_rows())

    def scroll(self, collection: str, limit: int = 256, cursor: str | None = None) -> ScrollPage:
        """Documents in id order, ``id > cursor`` (a bound expression); the cursor is the last id returned.

        LanceDB sorts with a top-k of ``limit + 1`` rows, so a page never loads the whole table.
        """
        check_scroll_limit(limit)
        after = scroll_after(cursor)
        table, _ = self._table(collection)
        builder = table.search().select(COLUMNS).order_by(SCROLL_ORDER).limit(limit + 1)
        if after is not None:
            builder = builder.where(after)
        docs = docs_from_arrow(builder.to_arrow())
        return page_after(docs, limit)

    def describe_collection(self, name: str) -> CollectionInfo:
        """Dimension, distance and creation metadata, read from the table's schema tags."""
        table, _ = self._table(name)
        return collection_info(name, table.schema)

    def close(self) -> None:
        """Forget cached table handles (LanceDB holds no server connection for local paths)."""
        self._tables.clear()
