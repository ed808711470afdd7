"""The mongodb_vector knowledge store: MongoDB Atlas Vector Search (``$vectorSearch``) via pymongo.

One MongoDB collection per knowledge collection (``collection_prefix + name``) holding
``{_id, content, embedding, metadata, content_hash, created_at}``, a ``vectorSearch`` index on
``embedding`` (plus the metadata keys filters may use), and a registry collection recording each
collection's dimension, distance and filter fields. The async form (``mode="async"``) is this store
offloaded to a thread by ``praisonai_persist.as_async``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from praisonai_persist import (
    CollectionNotFoundError,
    DimensionMismatchError,
    DocumentExistsError,
    KnowledgeDocument,
    KnowledgeStore,
)
from praisonai_persist.filters import parse_filter
from praisonai_persist.identifiers import validate_dimension, validate_identifier
from praisonai_persist.knowledge import (
    Filters,
    ScrollPage,
    check_embedding,
    check_limit,
    check_same_distance,
    check_scroll_limit,
    check_vectors,
    page_after,
)
from praisonai_persist.models import CollectionInfo
from praisonai_persist.scores import normalize_distance
from praisonai_persist.urls import mask_url

from ._common import connection_error, import_pymongo, validate_url
from .mql import INDEX_NAME, index_definition, score_from_atlas, scroll_query, search_pipeline, to_mql

__all__ = ["MongoDBVectorStore"]

CHUNK = 1000


class MongoDBVectorStore(KnowledgeStore):
    """KnowledgeStore on MongoDB Atlas Vector Search.

    Options: ``database`` (default ``"praisonai"``), ``collection_prefix`` (default
    ``"praison_kb_"``), ``filter_fields`` (metadata keys filters may use; Atlas needs them in the
    index), ``exact`` (ENN search instead of ANN), ``num_candidates`` (ANN candidates, default
    20 × limit), ``index_timeout`` (seconds to wait for a new index to become queryable; 0: no
    wait), and any ``pymongo.MongoClient`` option.
    """

    backend_name = "mongodb_vector"

    def __init__(
        self,
        url: str | None = None,
        *,
        database: str = "praisonai",
        collection_prefix: str = "praison_kb_",
        filter_fields: Sequence[str] = (),
        exact: bool = False,
        num_candidates: int | None = None,
        index_timeout: float = 120.0,
        **client_options: Any,
    ) -> None:
        pymongo = import_pymongo("knowledge", "mongodb_vector")
        self._pymongo = pymongo
        self.url = validate_url(url)
        self.database = validate_identifier(database, "database name")
        self.collection_prefix = validate_identifier(collection_prefix, "collection_prefix", allow_empty=True)
        self.filter_fields = [validate_identifier(k, "filter field") for k in filter_fields]
        self.exact = exact
        self.num_candidates = num_candidates
        self.index_timeout = index_timeout
        self._errors: tuple[type[BaseException], ...] = (pymongo.errors.ConnectionFailure,)
        client_options.setdefault("serverSelectionTimeoutMS", 10_000)
        self._client: Any = pymongo.MongoClient(self.url, **client_options)
        self._db: Any = self._client[self.database]
        self._registry: Any = self._db[self.collection_prefix + "_collections"]

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except self._errors as exc:
            raise connection_error(exc, self.url) from None

    def _coll(self, name: str) -> Any:
        return self._db[self.collection_prefix + name]

    def _info(self, name: str) -> dict[str, Any]:
        validate_identifier(name, "collection name")
        with self._guard():
            info: dict[str, Any] | None = self._registry.find_one({"_id": name})
        if info is None:
            raise CollectionNotFoundError(name)
        return info

    # -- collections ---------------------------------------------------------------------

    def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        validate_identifier(name, "collection name")
        dim = validate_dimension(dimension)
        kind = normalize_distance(distance)
        fields = sorted({*self.filter_fields, *((metadata or {}).get("filter_fields") or ())})
        with self._guard():
            existing = self._registry.find_one({"_id": name})
            if existing is not None:
                if int(existing["dimension"]) != dim:
                    raise DimensionMismatchError(name, int(existing["dimension"]), dim)
                check_same_distance(name, str(existing["distance"]), kind)
                return
            model = self._pymongo.operations.SearchIndexModel(
                definition=index_definition(dim, kind, fields), name=INDEX_NAME, type="vectorSearch"
            )
            if self.collection_prefix + name not in self._db.list_collection_names():
                self._db.create_collection(self.collection_prefix + name)
            self._coll(name).create_search_index(model)
            self._registry.replace_one(
                {"_id": name},
                {"_id": name, "dimension": dim, "distance": kind, "filter_fields": fields, "metadata": metadata},
                upsert=True,
            )
            self._wait_until_queryable(name)

    def _wait_until_queryable(self, name: str) -> None:
        """Atlas builds search indexes asynchronously; wait (bounded) until it answers queries."""
        deadline = time.monotonic() + self.index_timeout
        while time.monotonic() < deadline:
            for index in self._coll(name).list_search_indexes(INDEX_NAME):
                if index.get("queryable"):
                    return
            time.sleep(1.0)

    def delete_collection(self, name: str) -> bool:
        validate_identifier(name, "collection name")
        with self._guard():
            existed = bool(self._registry.delete_one({"_id": name}).deleted_count)
            self._coll(name).drop()
        return existed

    def collection_exists(self, name: str) -> bool:
        validate_identifier(name, "collection name")
        with self._guard():
            return self._registry.find_one({"_id": name}, {"_id": 1}) is not None

    def list_collections(self) -> list[str]:
        with self._guard():
            return sorted(str(d["_id"]) for d in self._registry.find({}, {"_id": 1}))

    # -- documents -----------------------------------------------------------------------

    def _rows(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[dict[str, Any]]:
        info = self._info(collection)
        rows = []
        for doc in documents:
            if doc.embedding is None:
                raise ValueError(f"Document {doc.id!r} has no embedding; embed it before adding it to {collection!r}.")
            if len(doc.embedding) != int(info["dimension"]):
                raise DimensionMismatchError(collection, int(info["dimension"]), len(doc.embedding))
            rows.append(
                {
                    "_id": doc.id,
                    "content": doc.content,
                    "embedding": [float(x) for x in doc.embedding],
                    "metadata": doc.metadata,
                    "content_hash": doc.content_hash,
                    "created_at": float(doc.created_at),
                }
            )
        return rows

    def insert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        check_vectors(documents)
        rows = self._rows(collection, documents)
        ids = [r["_id"] for r in rows]
        coll = self._coll(collection)
        with self._guard():
            seen: set[str] = set()
            taken = [i for i in ids if i in seen or seen.add(i)]  # type: ignore[func-returns-value]
            for start in range(0, len(ids), CHUNK):
                taken += [d["_id"] for d in coll.find({"_id": {"$in": ids[start : start + CHUNK]}}, {"_id": 1})]
            if taken:
                raise DocumentExistsError(collection, list(dict.fromkeys(taken)))
            for start in range(0, len(rows), CHUNK):
                coll.insert_many(rows[start : start + CHUNK], ordered=True)
        return ids

    def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        check_vectors(documents)
        rows = self._rows(collection, documents)
        replace = self._pymongo.ReplaceOne
        coll = self._coll(collection)
        with self._guard():
            for start in range(0, len(rows), CHUNK):
                part = rows[start : start + CHUNK]
                coll.bulk_write([replace({"_id": r["_id"]}, r, upsert=True) for r in part], ordered=True)
        return [r["_id"] for r in rows]

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
        info = self._info(collection)
        if len(query_embedding) != int(info["dimension"]):
            raise DimensionMismatchError(collection, int(info["dimension"]), len(query_embedding))
        pipeline = search_pipeline(
            query_embedding,
            limit,
            filters,
            exact=self.exact,
            num_candidates=self.num_candidates,
            declared=info.get("filter_fields") or [],
        )
        if limit == 0:
            return []
        with self._guard():
            rows = list(self._coll(collection).aggregate(pipeline))
        hits = [_document(r, score_from_atlas(str(info["distance"]), r["score"])) for r in rows]
        return [h for h in hits if score_threshold is None or (h.score is not None and h.score >= score_threshold)]

    def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        self._info(collection)
        wanted = list(dict.fromkeys([ids] if isinstance(ids, str) else ids))
        with self._guard():
            found = {r["_id"]: r for r in self._coll(collection).find({"_id": {"$in": wanted}})}
        return [_document(found[i], None) for i in wanted if i in found]

    def delete(self, collection: str, ids: Sequence[str] | None = None, filters: Filters | None = None) -> int:
        if ids is None and not filters:
            raise ValueError(
                "delete() needs ids or a non-empty filter (or both); an empty filter would match every "
                "document: use delete_collection() to drop everything."
            )
        query = to_mql(parse_filter(filters))
        self._info(collection)
        if ids is not None:
            wanted = list(dict.fromkeys([ids] if isinstance(ids, str) else ids))
            query = {"$and": [{"_id": {"$in": wanted}}, query]} if query else {"_id": {"$in": wanted}}
        with self._guard():
            return int(self._coll(collection).delete_many(query).deleted_count)

    def count(self, collection: str) -> int:
        self._info(collection)
        with self._guard():
            return int(self._coll(collection).count_documents({}))

    def scroll(self, collection: str, limit: int = 256, cursor: str | None = None) -> ScrollPage:
        """One page in ``_id`` order, embeddings included; the cursor is the page's last id."""
        check_scroll_limit(limit)
        where, order, fetch = scroll_query(limit, cursor)
        self._info(collection)
        with self._guard():
            rows = list(self._coll(collection).find(where, sort=order, limit=fetch))
        return page_after([_document(r, None) for r in rows], limit)

    def describe_collection(self, name: str) -> CollectionInfo:
        """Dimension, distance and creation metadata, from the registry collection."""
        info = self._info(name)
        return CollectionInfo(name, int(info["dimension"]), str(info["distance"]), dict(info.get("metadata") or {}))

    def close(self) -> None:
        """Close the client's connection pool."""
        self._client.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={mask_url(self.url)!r}, database={self.database!r})"


def _document(row: dict[str, Any], score: float | None) -> KnowledgeDocument:
    embedding = row.get("embedding")
    return KnowledgeDocument(
        id=str(row["_id"]),
        content=row.get("content") or "",
        embedding=[float(x) for x in embedding] if embedding is not None else None,
        metadata=row.get("metadata"),
        content_hash=row.get("content_hash"),
        created_at=float(row.get("created_at") or 0.0),
        score=score,
    )
