"""The ``lightrag`` knowledge store: praisonai-persist collections kept in a LightRAG instance's storages.

LightRAG is asyncio-native, so :class:`AsyncLightragKnowledgeStore` is the native form; the sync
:class:`LightragKnowledgeStore` runs it on praisonai-persist's bridge loop (``run_sync``).

Each collection uses LightRAG's own configured storage classes (``kv_storage`` and
``vector_storage`` of the ``LightRAG`` instance, NanoVectorDB + JSON files by default), under the
instance's workspace:

* ``praisonai_vectors_<name>`` (vector storage): the embeddings, searched by the storage itself
  (``query(..., query_embedding=...)``), with each document's content, metadata (JSON), hash,
  timestamp and exact float64 embedding as meta fields (NanoVectorDB itself keeps only float16
  copies on disk); its cosine threshold is lowered so every hit comes back and ``score_threshold``
  is applied on praisonai-persist's scale;
* ``praisonai_meta`` (KV): the collections (dimension, distance) and each collection's ids.

Documents arrive embedded, so each vector storage gets an embedding function that returns the
document's own vector. Filters are evaluated exactly with
:func:`praisonai_persist.filters.matches` on the stored metadata; the vector storage then ranks the
whole collection and the matching documents are kept (a full over-fetch, so the result is exact).
Only the ``cosine`` distance exists (LightRAG's vector storages rank by cosine similarity).
``scroll`` pages in id order: LightRAG's vector storages have no ordered paging, so each page
reads the collection's id list (ids only, one KV record), sorts it and fetches just the page's
records (vectors included) by id.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import os
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from praisonai_persist import BackendNotInstalledError, KnowledgeDocument
from praisonai_persist.bridge import run_sync
from praisonai_persist.errors import CollectionNotFoundError, DimensionMismatchError, DocumentExistsError
from praisonai_persist.filters import matches, parse_filter
from praisonai_persist.identifiers import validate_dimension, validate_identifier
from praisonai_persist.knowledge import (
    AsyncKnowledgeStore,
    Filters,
    KnowledgeStore,
    ScrollPage,
    check_embedding,
    check_limit,
    check_scroll_limit,
    check_vectors,
    ids_after,
)
from praisonai_persist.models import CollectionInfo
from praisonai_persist.scores import normalize_distance

__all__ = ["AsyncLightragKnowledgeStore", "LightragKnowledgeStore"]

DISTRIBUTION = "praisonai-persist-lightrag"
_META = "praisonai_meta"
_REGISTRY_KEY = "collections"
#: Meta fields kept next to each vector; "content" is what the storage embeds (here: the id).
_FIELDS = frozenset({"content", "text", "metadata_json", "content_hash", "doc_created_at", "embedding_f64"})
_T = TypeVar("_T")


def _client() -> Any:
    """Import LightRAG on first use; a missing one is reported with the install line."""
    try:
        import lightrag
        import lightrag.utils
    except ImportError as exc:
        raise BackendNotInstalledError(
            "knowledge", "lightrag", DISTRIBUTION, missing_module="lightrag", detail=str(exc)
        ) from exc
    return lightrag


async def _no_llm(*args: Any, **kwargs: Any) -> str:
    raise RuntimeError("No llm_model_func was given to the lightrag store; pass one to use LightRAG's pipeline.")


def _decode_vector(encoded: str | None) -> list[float]:
    import numpy as np

    if not encoded:
        return []
    decoded: list[float] = np.frombuffer(base64.b64decode(encoded), dtype="<f8").tolist()
    return decoded


@dataclass
class _Collection:
    dimension: int
    vectors: Any
    pending: dict[str, Any]


class AsyncLightragKnowledgeStore(AsyncKnowledgeStore):
    """Knowledge collections in the storages of a LightRAG instance (options in the README)."""

    backend_name = "lightrag"

    def __init__(
        self,
        url: str | os.PathLike[str] | None = None,
        *,
        path: str | os.PathLike[str] | None = None,
        rag: Any = None,
        workspace: str | None = None,
        embedding_func: Any = None,
        llm_model_func: Callable[..., Awaitable[str]] | None = None,
        tokenizer: Any = None,
        **lightrag_options: Any,
    ) -> None:
        target = path if path is not None else url
        if rag is not None and (target is not None or lightrag_options):
            raise ValueError("Pass either a LightRAG instance (rag=) or the options to build one, not both.")
        if workspace is not None and workspace != "":
            validate_identifier(workspace, "workspace")
        self._given_rag = rag is not None
        self._rag = rag
        self._build = {
            "working_dir": os.fspath(target) if target is not None else "./rag_storage",
            "embedding_func": embedding_func,
            "llm_model_func": llm_model_func or _no_llm,
            "tokenizer": tokenizer,
            **({"workspace": workspace} if workspace is not None else {}),
            **lightrag_options,
        }
        _client()
        self._collections: dict[str, _Collection] = {}
        self._meta: Any = None
        self._lock: asyncio.Lock | None = None

    # -- setup ---------------------------------------------------------------------------------

    async def _ready(self) -> Any:
        if self._lock is None:
            self._lock = asyncio.Lock()
        if self._meta is not None:
            return self._meta
        lightrag = _client()
        if self._rag is None:
            options = dict(self._build)
            if options["embedding_func"] is None:
                options["embedding_func"] = self._unused_embedding(1)
            self._rag = lightrag.LightRAG(**options)
        if not self._given_rag:
            await self._rag.initialize_storages()
        self._meta = self._rag.key_string_value_json_storage_cls(
            namespace=_META, workspace=self._rag.workspace, embedding_func=None
        )
        await self._meta.initialize()
        return self._meta

    @staticmethod
    def _unused_embedding(dimension: int) -> Any:
        async def refuse(texts: list[str], **kwargs: Any) -> Any:
            raise RuntimeError(
                "praisonai-persist documents come embedded; pass embedding_func to use LightRAG's pipeline."
            )

        return _client().utils.EmbeddingFunc(embedding_dim=dimension, func=refuse)

    async def _registry(self) -> dict[str, Any]:
        meta = await self._ready()
        record = await meta.get_by_id(_REGISTRY_KEY)
        return dict((record or {}).get("collections") or {})

    async def _save_registry(self, registry: dict[str, Any]) -> None:
        await self._meta.upsert({_REGISTRY_KEY: {"collections": registry}})
        await self._meta.index_done_callback()

    async def _ids(self, name: str) -> list[str]:
        record = await self._meta.get_by_id(f"ids_{name}")
        return list((record or {}).get("ids") or [])

    async def _save_ids(self, name: str, ids: list[str]) -> None:
        await self._meta.upsert({f"ids_{name}": {"ids": ids}})

    async def _open(self, name: str) -> _Collection:
        validate_identifier(name, "collection name")
        coll = self._collections.get(name)
        if coll is not None:
            return coll
        info = (await self._registry()).get(name)
        if info is None:
            raise CollectionNotFoundError(name)
        return await self._attach(name, int(info["dimension"]))

    async def _attach(self, name: str, dimension: int) -> _Collection:
        import numpy as np

        pending: dict[str, Any] = {}

        async def supplied(texts: list[str], **kwargs: Any) -> Any:
            # The storage embeds each record's "content", which here is the document id.
            return np.stack([pending.pop(t) for t in texts]) if texts else np.zeros((0, dimension))

        rag = self._rag
        embedding = _client().utils.EmbeddingFunc(embedding_dim=dimension, func=supplied)
        vectors = rag.vector_db_storage_cls(
            namespace=f"praisonai_vectors_{name}",
            workspace=rag.workspace,
            embedding_func=embedding,
            meta_fields=set(_FIELDS),
        )
        await vectors.initialize()
        # Every hit comes back; score_threshold is applied on praisonai-persist's scale instead.
        vectors.cosine_better_than_threshold = -2.0
        coll = _Collection(dimension, vectors, pending)
        self._collections[name] = coll
        return coll

    async def _locked(self, work: Callable[[], Awaitable[_T]]) -> _T:
        await self._ready()
        assert self._lock is not None
        async with self._lock:
            return await work()

    # -- helpers -------------------------------------------------------------------------------

    @staticmethod
    def _checked(name: str, coll: _Collection, documents: Sequence[KnowledgeDocument]) -> None:
        for doc in documents:
            if not isinstance(doc.id, str) or not doc.id:
                raise ValueError(f"Document ids must be non-empty strings, got {doc.id!r}.")
            if doc.embedding is None:
                raise ValueError(f"Document {doc.id!r} has no embedding; embed it before adding it to {name!r}.")
            if len(doc.embedding) != coll.dimension:
                raise DimensionMismatchError(name, coll.dimension, len(doc.embedding))

    async def _write(
        self, name: str, coll: _Collection, documents: Sequence[KnowledgeDocument], ids: list[str]
    ) -> None:
        import numpy as np

        records = {}
        for doc in documents:
            vector = np.asarray(doc.embedding, dtype="<f8")
            coll.pending[doc.id] = vector
            records[doc.id] = {
                "content": doc.id,
                "text": doc.content,
                "metadata_json": json.dumps(doc.metadata or {}, ensure_ascii=False),
                "content_hash": doc.content_hash,
                "doc_created_at": float(doc.created_at),
                "embedding_f64": base64.b64encode(vector.tobytes()).decode("ascii"),
            }
        await coll.vectors.upsert(records)
        await self._save_ids(name, ids)
        await self._flush(coll)

    async def _flush(self, coll: _Collection) -> None:
        await coll.vectors.index_done_callback()
        await self._meta.index_done_callback()

    @staticmethod
    def _document(doc_id: str, record: dict[str, Any], score: float | None = None) -> KnowledgeDocument:
        return KnowledgeDocument(
            id=doc_id,
            content=record.get("text") or "",
            embedding=_decode_vector(record.get("embedding_f64")),
            metadata=json.loads(record.get("metadata_json") or "{}"),
            content_hash=record.get("content_hash"),
            created_at=float(record.get("doc_created_at", 0.0)),
            score=score,
        )

    async def _records(self, coll: _Collection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        if not ids:
            return {}
        found = await coll.vectors.get_by_ids(list(ids))
        return {i: r for i, r in zip(ids, found, strict=True) if r is not None}

    # -- AsyncKnowledgeStore -------------------------------------------------------------------

    async def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        validate_identifier(name, "collection name")
        dim = validate_dimension(dimension)
        if normalize_distance(distance) != "cosine":
            raise ValueError(f"LightRAG's vector storages rank by cosine similarity only (got {distance!r}).")

        async def work() -> None:
            registry = await self._registry()
            existing = registry.get(name)
            if existing is not None:
                if int(existing["dimension"]) != dim:
                    raise DimensionMismatchError(name, int(existing["dimension"]), dim)
                return
            registry[name] = {"dimension": dim, "distance": "cosine", "metadata": copy.deepcopy(metadata)}
            await self._save_registry(registry)

        await self._locked(work)

    async def delete_collection(self, name: str) -> bool:
        validate_identifier(name, "collection name")

        async def work() -> bool:
            registry = await self._registry()
            if name not in registry:
                return False
            coll = await self._open(name)
            await coll.vectors.drop()
            self._collections.pop(name, None)
            del registry[name]
            await self._meta.delete([f"ids_{name}"])
            await self._save_registry(registry)
            return True

        return await self._locked(work)

    async def collection_exists(self, name: str) -> bool:
        validate_identifier(name, "collection name")
        return name in await self._locked(self._registry)

    async def list_collections(self) -> list[str]:
        return sorted(await self._locked(self._registry))

    async def insert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        check_vectors(documents)
        async def work() -> list[str]:
            coll = await self._open(collection)
            self._checked(collection, coll, documents)
            ids = [doc.id for doc in documents]
            existing = await self._ids(collection)
            known = set(existing)
            repeated = {i for i in ids if ids.count(i) > 1} if len(set(ids)) != len(ids) else set()
            taken = sorted(repeated | (known & set(ids)))
            if taken:
                raise DocumentExistsError(collection, taken)
            await self._write(collection, coll, documents, existing + ids)
            return ids

        return await self._locked(work)

    async def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        check_vectors(documents)
        async def work() -> list[str]:
            coll = await self._open(collection)
            self._checked(collection, coll, documents)
            latest = list({doc.id: doc for doc in documents}.values())
            existing = await self._ids(collection)
            known = set(existing)
            await self._write(collection, coll, latest, existing + [d.id for d in latest if d.id not in known])
            return [doc.id for doc in documents]

        return await self._locked(work)

    async def search(
        self,
        collection: str,
        query_embedding: Sequence[float],
        limit: int = 5,
        filters: Filters | None = None,
        score_threshold: float | None = None,
    ) -> list[KnowledgeDocument]:
        tree = parse_filter(filters)
        check_limit(limit)
        check_embedding(query_embedding)
        query = [float(x) for x in query_embedding]

        async def work() -> list[KnowledgeDocument]:
            coll = await self._open(collection)
            if len(query) != coll.dimension:
                raise DimensionMismatchError(collection, coll.dimension, len(query))
            if limit == 0:
                return []
            allowed: set[str] | None = None
            top_k = limit
            if tree is not None:
                all_ids = await self._ids(collection)
                records = await self._records(coll, all_ids)
                allowed = {i for i, r in records.items() if matches(tree, json.loads(r.get("metadata_json") or "{}"))}
                if not allowed:
                    return []
                top_k = len(all_ids)  # rank the whole collection, then keep the matches: exact
            rows = await coll.vectors.query("", top_k=top_k, query_embedding=query)
            scored = [
                (float(r["distance"]), str(r["id"]), r)
                for r in rows
                if (allowed is None or r["id"] in allowed)
                and (score_threshold is None or float(r["distance"]) >= score_threshold)
            ]
            scored.sort(key=lambda hit: (-hit[0], hit[1]))
            return [self._document(i, r, score) for score, i, r in scored[:limit]]

        return await self._locked(work)

    async def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        wanted = list(dict.fromkeys([ids] if isinstance(ids, str) else ids))

        async def work() -> list[KnowledgeDocument]:
            coll = await self._open(collection)
            records = await self._records(coll, wanted)
            return [self._document(i, records[i]) for i in wanted if i in records]

        return await self._locked(work)

    async def delete(self, collection: str, ids: Sequence[str] | None = None, filters: Filters | None = None) -> int:
        if ids is None and not filters:
            raise ValueError("delete() needs ids or filters (or both); use delete_collection() to drop everything.")
        tree = parse_filter(filters)

        async def work() -> int:
            coll = await self._open(collection)
            existing = await self._ids(collection)
            if ids is None:
                candidates = existing
            else:
                known = set(existing)
                candidates = [i for i in dict.fromkeys([ids] if isinstance(ids, str) else ids) if i in known]
            if tree is not None:
                records = await self._records(coll, candidates)
                candidates = [
                    i
                    for i in candidates
                    if i in records and matches(tree, json.loads(records[i].get("metadata_json") or "{}"))
                ]
            if not candidates:
                return 0
            doomed = set(candidates)
            await coll.vectors.delete(candidates)
            await self._save_ids(collection, [i for i in existing if i not in doomed])
            await self._flush(coll)
            return len(doomed)

        return await self._locked(work)

    async def count(self, collection: str) -> int:
        async def work() -> int:
            await self._open(collection)
            return len(await self._ids(collection))

        return await self._locked(work)

    async def scroll(self, collection: str, limit: int = 256, cursor: str | None = None) -> ScrollPage:
        """One page in id order; the cursor is the page's last id.

        LightRAG's vector storages cannot page in order, so this reads the collection's id list
        (ids only, not vectors), picks the page's ids with a bounded heap, and fetches only their
        records.
        """
        check_scroll_limit(limit)
        if cursor is not None and not isinstance(cursor, str):
            raise ValueError(f"scroll cursor must be a string from a previous page, got {cursor!r}.")

        async def work() -> ScrollPage:
            coll = await self._open(collection)
            ids = ids_after(await self._ids(collection), limit, cursor)
            wanted = ids[:limit]
            records = await self._records(coll, wanted)
            page = [self._document(i, records[i]) for i in wanted if i in records]
            return page, (wanted[-1] if len(ids) > limit else None)

        return await self._locked(work)

    async def describe_collection(self, name: str) -> CollectionInfo:
        """Dimension, distance and creation metadata from the store's collection registry."""
        validate_identifier(name, "collection name")
        info = (await self._locked(self._registry)).get(name)
        if info is None:
            raise CollectionNotFoundError(name)
        metadata = copy.deepcopy(info.get("metadata") or {})
        return CollectionInfo(name, int(info["dimension"]), str(info.get("distance") or "cosine"), metadata)

    async def close(self) -> None:
        """Flush LightRAG's storages (and finalize the instance this store built)."""
        if self._meta is None:
            return
        for coll in self._collections.values():
            await coll.vectors.finalize()
        await self._meta.finalize()
        self._collections.clear()
        self._meta = None
        if not self._given_rag and self._rag is not None:
            await self._rag.finalize_storages()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(working_dir={self._build.get('working_dir')!r})"


class LightragKnowledgeStore(KnowledgeStore):
    """Sync form: the async store run on praisonai-persist's bridge loop (LightRAG is asyncio-only)."""

    backend_name = "lightrag"

    def __init__(self, url: str | os.PathLike[str] | None = None, **options: Any) -> None:
        self._async = AsyncLightragKnowledgeStore(url, **options)

    def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        run_sync(self._async.create_collection(name, dimension, distance, metadata))

    def delete_collection(self, name: str) -> bool:
        return run_sync(self._async.delete_collection(name))

    def collection_exists(self, name: str) -> bool:
        return run_sync(self._async.collection_exists(name))

    def list_collections(self) -> list[str]:
        return run_sync(self._async.list_collections())

    def insert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        return run_sync(self._async.insert(collection, documents))

    def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        return run_sync(self._async.upsert(collection, documents))

    def search(
        self,
        collection: str,
        query_embedding: Sequence[float],
        limit: int = 5,
        filters: Filters | None = None,
        score_threshold: float | None = None,
    ) -> list[KnowledgeDocument]:
        return run_sync(self._async.search(collection, query_embedding, limit, filters, score_threshold))

    def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        return run_sync(self._async.get(collection, ids))

    def delete(self, collection: str, ids: Sequence[str] | None = None, filters: Filters | None = None) -> int:
        return run_sync(self._async.delete(collection, ids, filters))

    def count(self, collection: str) -> int:
        return run_sync(self._async.count(collection))

    def scroll(self, collection: str, limit: int = 256, cursor: str | None = None) -> ScrollPage:
        """One page in id order (see :meth:`AsyncLightragKnowledgeStore.scroll`)."""
        return run_sync(self._async.scroll(collection, limit, cursor))

    def describe_collection(self, name: str) -> CollectionInfo:
        return run_sync(self._async.describe_collection(name))

    def close(self) -> None:
        run_sync(self._async.close())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._async!r})"
