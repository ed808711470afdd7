"""The Milvus knowledge store: one Milvus collection per collection, FLAT (exact) index by default.

A local path opens Milvus Lite (the real Milvus core in-process, through pymilvus); ``milvus://``,
``http://`` and ``https://`` URLs reach a Milvus server. Filters become Milvus expressions
(:mod:`.filters`): bound ``filter_params`` on servers, escaped literals on Milvus Lite.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from praisonai_persist import BackendNotInstalledError
from praisonai_persist.errors import (
    CollectionNotFoundError,
    DimensionMismatchError,
    DocumentExistsError,
    InvalidIdentifierError,
    StoreConnectionError,
    UnsupportedFilterError,
)
from praisonai_persist.identifiers import validate_dimension, validate_identifier
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
from praisonai_persist.scores import normalize_distance, similarity_from_squared_euclidean
from praisonai_persist.urls import mask_url, redact

from .filters import MilvusFilter, quote_literal, render, translate_filter

__all__ = ["MilvusKnowledgeStore"]

DISTRIBUTION = "praisonai-persist-milvus"
#: Milvus' VARCHAR limit (bytes); longer content is refused with a clear error, not truncated.
MAX_CONTENT_BYTES = 65535
MAX_ID_LENGTH = 512
#: Milvus returns at most this many rows per query or search.
_PAGE = 16384
_METRICS = {"cosine": "COSINE", "euclidean": "L2", "dot": "IP"}
_DISTANCES = {metric: name for name, metric in _METRICS.items()}
_FIELDS = ["id", "content", "embedding", "metadata", "content_hash", "created_at", "has_metadata"]
_SERVER_SCHEMES = ("milvus://", "http://", "https://", "tcp://", "unix:")


def _client() -> Any:
    """Import pymilvus on first use; a missing one is reported with the install line."""
    try:
        import pymilvus as client
    except ImportError as exc:
        raise BackendNotInstalledError(
            "knowledge", "milvus", DISTRIBUTION, missing_module="pymilvus", detail=str(exc)
        ) from exc
    return client


# pymilvus keys its connections by URI and credentials: clients of one key share a connection, and
# closing any of them closes it for all. Stores count their users and close only with the last.
_USERS_LOCK = threading.Lock()
_USERS: dict[tuple[str, str, str], int] = {}


def _acquire(key: tuple[str, str, str]) -> None:
    with _USERS_LOCK:
        _USERS[key] = _USERS.get(key, 0) + 1


def _release(key: tuple[str, str, str]) -> bool:
    """Drop one user of ``key``; True when it was the last."""
    with _USERS_LOCK:
        left = _USERS.get(key, 1) - 1
        if left <= 0:
            _USERS.pop(key, None)
            return True
        _USERS[key] = left
        return False


def _target(url: str | os.PathLike[str] | None) -> tuple[str, bool]:
    """``(uri for MilvusClient, is_local)``: a directory holds ``milvus.db``; ``milvus://`` is HTTP."""
    if url is None:
        raise ValueError("milvus needs a path (Milvus Lite) or a server URL such as milvus://localhost:19530.")
    text = os.fspath(url)
    if text.startswith(_SERVER_SCHEMES):
        if text.startswith("milvus://"):
            text = "http://" + text[len("milvus://") :]
        return text, False
    path = Path(text).expanduser()
    if path.suffix != ".db":
        path.mkdir(parents=True, exist_ok=True)
        path = path / "milvus.db"
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    return str(path), True


@dataclass(frozen=True)
class _Collection:
    name: str
    dimension: int
    distance: str


def _score(distance: str, value: float) -> float:
    if distance == "euclidean":
        return similarity_from_squared_euclidean(value)  # Milvus' L2 is the squared distance
    return float(value)  # COSINE is the cosine similarity, IP the inner product


def _check_lite_id(doc_id: str) -> None:
    """Refuse an id Milvus Lite could store but never delete (or match).

    Lite matches ids through expression literals (no control characters there) and deletes by
    primary key through SQL it formats unescaped, so a single quote breaks (or could change) that
    statement. Milvus servers bind ids as parameters and take both.
    """
    if "'" in doc_id:
        raise ValueError(
            f"Document id {doc_id!r} holds a single quote, which Milvus Lite cannot delete; "
            "use another id (Milvus servers accept it)."
        )
    try:
        quote_literal(doc_id)
    except UnsupportedFilterError:
        raise ValueError(
            f"Document id {doc_id!r} holds a control character, which Milvus Lite cannot match in an "
            "expression (the document could never be read or deleted)."
        ) from None


class MilvusKnowledgeStore(KnowledgeStore):
    """KnowledgeStore on Milvus (Milvus Lite file or server).

    Options: ``token`` (server auth, ``user:password`` or API key), ``db_name``, ``collection_prefix``
    (namespaces this store's collections), ``index`` (``"FLAT"`` exact by default, or ``"HNSW"``,
    ``"IVF_FLAT"``, ``"AUTOINDEX"``), ``batch_size``, ``filter_templates`` (bind filter values with
    ``filter_params``; default on for servers, off for Milvus Lite, whose parser lacks templates),
    ``timeout`` (seconds per call).
    """

    backend_name = "milvus"

    def __init__(
        self,
        url: str | os.PathLike[str] | None = None,
        *,
        path: str | os.PathLike[str] | None = None,
        uri: str | None = None,
        token: str | None = None,
        db_name: str | None = None,
        collection_prefix: str = "",
        index: str = "FLAT",
        batch_size: int = 1000,
        filter_templates: bool | None = None,
        timeout: float | None = None,
    ) -> None:
        target, self._local = _target(url if url is not None else (path if path is not None else uri))
        self.url = target
        self._prefix = validate_identifier(collection_prefix, "collection prefix", allow_empty=True)
        self._index = str(index).upper()
        if batch_size < 1:
            raise ValueError(f"batch_size must be positive, got {batch_size!r}.")
        self._batch = int(batch_size)
        self._templates = (not self._local) if filter_templates is None else bool(filter_templates)
        self._timeout = timeout
        self._lock = threading.RLock()
        self._closed = False
        self._collections: dict[str, _Collection] = {}
        self._pm = _client()
        kwargs: dict[str, Any] = {"uri": target}
        if token:
            kwargs["token"] = token
        if db_name:
            kwargs["db_name"] = db_name
        if timeout is not None:
            kwargs["timeout"] = timeout
        self._key = (target, token or "", db_name or "")
        try:
            self._mc = self._pm.MilvusClient(**kwargs)
            _acquire(self._key)
        except Exception as exc:
            raise StoreConnectionError(
                f"Cannot open Milvus at {mask_url(target)}: {redact(str(exc), target, token)}"
            ) from None

    # -- names ---------------------------------------------------------------------------------
    def _name(self, collection: str) -> str:
        validate_identifier(collection, "collection name")
        full = f"{self._prefix}{collection}"
        if not (full[0].isalpha() or full[0] == "_"):
            raise InvalidIdentifierError(
                f"Invalid collection name {collection!r}: Milvus names start with a letter or an underscore."
            )
        return full

    def _info(self, collection: str) -> _Collection:
        name = self._name(collection)
        found = self._collections.get(collection)
        if found is not None:
            return found
        if not self._mc.has_collection(name):
            raise CollectionNotFoundError(collection)
        described = self._mc.describe_collection(name)
        dimension = next(int(f["params"]["dim"]) for f in described["fields"] if f["name"] == "embedding")
        try:
            distance = json.loads(described.get("description") or "{}")["distance"]
        except (ValueError, KeyError, TypeError):
            metric = self._mc.describe_index(name, "embedding").get("metric_type", "COSINE")
            distance = _DISTANCES.get(str(metric).upper(), "cosine")
        found = self._collections[collection] = _Collection(collection, dimension, distance)
        return found

    # -- collections ---------------------------------------------------------------------------
    def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        full = self._name(name)
        dim = validate_dimension(dimension)
        kind = normalize_distance(distance)
        with self._lock:
            if self._mc.has_collection(full):
                existing = self._info(name)
                if existing.dimension != dim:
                    raise DimensionMismatchError(name, existing.dimension, dim)
                check_same_distance(name, existing.distance, kind)
                return
            dt = self._pm.DataType
            schema = self._mc.create_schema(
                auto_id=False, enable_dynamic_field=False, description=json.dumps({"distance": kind})
            )
            schema.add_field("id", dt.VARCHAR, is_primary=True, max_length=MAX_ID_LENGTH)
            schema.add_field("embedding", dt.FLOAT_VECTOR, dim=dim)
            schema.add_field("content", dt.VARCHAR, max_length=MAX_CONTENT_BYTES)
            schema.add_field("metadata", dt.JSON)
            schema.add_field("has_metadata", dt.BOOL)
            schema.add_field("content_hash", dt.VARCHAR, max_length=128)
            schema.add_field("created_at", dt.DOUBLE)
            index_params = self._mc.prepare_index_params()
            index_params.add_index(field_name="embedding", index_type=self._index, metric_type=_METRICS[kind])
            self._mc.create_collection(full, schema=schema, index_params=index_params, consistency_level="Strong")
            self._collections[name] = _Collection(name, dim, kind)

    def delete_collection(self, name: str) -> bool:
        full = self._name(name)
        with self._lock:
            self._collections.pop(name, None)
            if not self._mc.has_collection(full):
                return False
            self._mc.drop_collection(full)
            return True

    def collection_exists(self, name: str) -> bool:
        full = self._name(name)
        with self._lock:
            return bool(self._mc.has_collection(full))

    def list_collections(self) -> list[str]:
        with self._lock:
            names = self._mc.list_collections()
        return sorted(n[len(self._prefix) :] for n in names if n.startswith(self._prefix))

    # -- documents -----------------------------------------------------------------------------
    def _rows(self, coll: _Collection, documents: Sequence[KnowledgeDocument]) -> list[dict[str, Any]]:
        """Rows for Milvus; every document is checked before any is written."""
        rows = []
        for doc in documents:
            if doc.embedding is None:
                raise ValueError(f"Document {doc.id!r} has no embedding; embed it before adding it to {coll.name!r}.")
            if len(doc.embedding) != coll.dimension:
                raise DimensionMismatchError(coll.name, coll.dimension, len(doc.embedding))
            if len(doc.content.encode("utf-8")) > MAX_CONTENT_BYTES:
                raise ValueError(
                    f"Document {doc.id!r} has {len(doc.content.encode('utf-8'))} bytes of content; Milvus keeps at "
                    f"most {MAX_CONTENT_BYTES} per VARCHAR field. Split it into chunks."
                )
            if len(doc.id.encode("utf-8")) > MAX_ID_LENGTH:
                raise ValueError(f"Document id {doc.id[:20]!r}... is longer than Milvus' {MAX_ID_LENGTH} bytes.")
            if not self._templates:
                _check_lite_id(doc.id)
            rows.append(
                {
                    "id": doc.id,
                    # pymilvus converts the vector itself; a copy here would double the insert cost.
                    "embedding": doc.embedding if isinstance(doc.embedding, list) else list(doc.embedding),
                    "content": doc.content,
                    "metadata": doc.metadata if doc.metadata is not None else {},
                    "has_metadata": doc.metadata is not None,
                    "content_hash": doc.content_hash or "",
                    "created_at": float(doc.created_at),
                }
            )
        return rows

    def _existing(self, full: str, ids: Sequence[str], expression: MilvusFilter | None = None) -> list[str]:
        """Which of ``ids`` exist (and match ``expression``), queried in pages."""
        found: list[str] = []
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), _PAGE):
            page = unique[start : start + _PAGE]
            condition = MilvusFilter("id in {ids}", {"ids": page})
            if expression is not None:
                condition = MilvusFilter(
                    f"(id in {{ids}}) and ({expression.template})", {"ids": page, **expression.params}
                )
            found += [r["id"] for r in self._query(full, condition, ["id"], len(page))]
        return found

    def _query(self, full: str, expression: MilvusFilter, fields: list[str], limit: int) -> list[dict[str, Any]]:
        kwargs: dict[str, Any] = {"output_fields": fields, "limit": limit}
        if self._templates:
            kwargs["filter"] = expression.template
            kwargs["filter_params"] = expression.params
        else:
            kwargs["filter"] = render(expression)
        return list(self._mc.query(full, **kwargs))

    def insert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        check_vectors(documents)
        with self._lock:
            coll = self._info(collection)
            full = self._name(collection)
            rows = self._rows(coll, documents)
            ids = [r["id"] for r in rows]
            seen: set[str] = set()
            repeated = [i for i in ids if i in seen or seen.add(i)]  # type: ignore[func-returns-value]
            taken = repeated or self._existing(full, ids)
            if taken:
                raise DocumentExistsError(collection, list(dict.fromkeys(taken)))
            for start in range(0, len(rows), self._batch):
                self._mc.insert(full, rows[start : start + self._batch])
            return ids

    def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        check_vectors(documents)
        with self._lock:
            coll = self._info(collection)
            full = self._name(collection)
            rows = self._rows(coll, documents)
            # Within one call the last document of an id wins, as in the other stores.
            unique = list({r["id"]: r for r in rows}.values())
            for start in range(0, len(unique), self._batch):
                self._mc.upsert(full, unique[start : start + self._batch])
            return [r["id"] for r in rows]

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
        expression = translate_filter(filters)
        with self._lock:
            coll = self._info(collection)
            full = self._name(collection)
            if len(query_embedding) != coll.dimension:
                raise DimensionMismatchError(collection, coll.dimension, len(query_embedding))
            if limit == 0:
                return []
            kwargs: dict[str, Any] = {
                "data": [[float(x) for x in query_embedding]],
                "limit": min(limit, _PAGE),
                "output_fields": _FIELDS,
                "search_params": {"metric_type": _METRICS[coll.distance]},
            }
            if expression is not None:
                if self._templates:
                    kwargs["filter"] = expression.template
                    kwargs["filter_params"] = expression.params
                else:
                    kwargs["filter"] = render(expression)
            result = self._mc.search(full, **kwargs)
        hits = [_document(hit["entity"], _score(coll.distance, hit["distance"])) for hit in result[0]]
        hits.sort(key=lambda d: (-(d.score or 0.0), d.id))
        if score_threshold is not None:
            hits = [h for h in hits if h.score is not None and h.score >= score_threshold]
        return hits

    def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        wanted = [ids] if isinstance(ids, str) else list(dict.fromkeys(ids))
        with self._lock:
            self._info(collection)
            full = self._name(collection)
            by_id: dict[str, KnowledgeDocument] = {}
            for start in range(0, len(wanted), _PAGE):
                page = wanted[start : start + _PAGE]
                for row in self._query(full, MilvusFilter("id in {ids}", {"ids": page}), _FIELDS, len(page)):
                    by_id[row["id"]] = _document(row)
        return [by_id[i] for i in wanted if i in by_id]

    def delete(self, collection: str, ids: Sequence[str] | None = None, filters: Filters | None = None) -> int:
        if ids is None and not filters:
            raise ValueError(
                "delete() needs ids or a non-empty filter (or both); an empty filter would match every "
                "document: use delete_collection() to drop everything."
            )
        expression = translate_filter(filters)
        with self._lock:
            self._info(collection)
            full = self._name(collection)
            if ids is not None:
                wanted = [ids] if isinstance(ids, str) else list(ids)
                doomed = self._existing(full, wanted, expression)
                for start in range(0, len(doomed), self._batch):
                    self._delete_ids(full, doomed[start : start + self._batch])
                return len(doomed)
            assert expression is not None
            # Page through the matches: each page is deleted before the next is read.
            total = 0
            while True:
                page = [r["id"] for r in self._query(full, expression, ["id"], _PAGE)]
                if page:
                    self._delete_ids(full, page)
                total += len(page)
                if len(page) < _PAGE:
                    return total

    def _delete_ids(self, full: str, ids: list[str]) -> None:
        """Delete rows by id through a bound (or quoted) expression.

        Not ``MilvusClient.delete(ids=...)``: pymilvus formats VARCHAR ids into ``id in ['...']``
        unescaped, so an id such as ``x'] or id != '`` would delete every row.
        """
        expression = MilvusFilter("id in {ids}", {"ids": ids})
        if self._templates:
            self._mc.delete(full, filter=expression.template, filter_params=expression.params)
        else:
            self._mc.delete(full, filter=render(expression))

    def count(self, collection: str) -> int:
        with self._lock:
            self._info(collection)
            result = self._mc.query(self._name(collection), filter="", output_fields=["count(*)"])
        return int(result[0]["count(*)"]) if result else 0

    def scroll(self, collection: str, limit: int = 256, cursor: str | None = None) -> ScrollPage:
        """Documents in primary-key order: ``query(filter='id > <cursor>', limit=...)`` per page.

        Milvus returns a limited query's rows in primary-key order (pymilvus' own ``query_iterator``
        pages the same way; checked on Milvus Lite 2.5 across segments, upserts and deletes); the page
        is sorted again as a guard. The cursor is bound (servers) or quoted by :func:`quote_literal`
        (Lite), never formatted raw as ``query_iterator`` does. A page holds at most 16,383 documents.
        """
        check_scroll_limit(limit)
        size = min(limit, _PAGE - 1)  # one more row than the page tells whether another page follows
        expression = MilvusFilter("") if cursor is None else MilvusFilter("id > {cursor}", {"cursor": cursor})
        with self._lock:
            self._info(collection)
            rows = self._query(self._name(collection), expression, _FIELDS, size + 1)
        rows.sort(key=lambda row: str(row["id"]))  # code-point order is UTF-8 byte order
        page = [_document(row) for row in rows[:size]]
        return page, (page[-1].id if len(rows) > size else None)

    def describe_collection(self, name: str) -> CollectionInfo:
        """Dimension from the schema, distance from the schema description (or the index's metric).

        Creation metadata is not kept by this store, so ``metadata`` is ``{}``.
        """
        with self._lock:
            self._collections.pop(name, None)  # read the schema afresh: another client may have dropped it
            info = self._info(name)
        return CollectionInfo(name, info.dimension, info.distance, {})

    def close(self) -> None:
        """Close the client; pymilvus shares one connection per URI, so only the last user closes it."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if _release(self._key):
                self._mc.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={mask_url(self.url)!r}, prefix={self._prefix!r})"


def _floats(values: Any) -> list[float] | None:
    """A copy of a vector as Python floats (pymilvus already returns a list of floats: copy it)."""
    if values is None:
        return None
    if isinstance(values, list) and (not values or type(values[0]) is float):
        return list(values)
    return [float(x) for x in values]


def _document(row: Any, score: float | None = None) -> KnowledgeDocument:
    has_metadata = row.get("has_metadata", True)
    return KnowledgeDocument(
        id=row["id"],
        content=row.get("content", ""),
        embedding=_floats(row.get("embedding")),
        metadata=row.get("metadata") if has_metadata else None,
        content_hash=row.get("content_hash") or None,
        created_at=float(row.get("created_at", 0.0)),
        score=score,
    )
