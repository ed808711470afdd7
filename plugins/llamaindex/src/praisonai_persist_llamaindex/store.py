"""The ``llamaindex`` knowledge store: praisonai-persist's KnowledgeStore over LlamaIndex vector stores.

One LlamaIndex vector store per collection, built by ``vector_store_factory(collection)``
(default: llama-index-core's ``SimpleVectorStore``). Documents go in as ``TextNode`` objects with
their own embeddings; content, hash and timestamp also travel in the node metadata under
``_praisonai_persist``, because stores such as ``SimpleVectorStore`` keep no text, and so does a
copy of the caller's metadata, because LlamaIndex overwrites ``doc_id``, ``ref_doc_id`` and
``document_id`` in node metadata (native filters on those three keys see LlamaIndex's values).

Filters, two ways (``filter_mode``):
* ``"node_ids"`` (default for ``SimpleVectorStore``): the portable filter is evaluated exactly with
  :func:`praisonai_persist.filters.matches` on the stored metadata and the matching ids are handed to
  the store's own ``VectorStoreQuery.node_ids`` restriction, so the store ranks only those. Used
  because ``SimpleVectorStore``'s ``MetadataFilters`` reject nested ``$and``/``$or`` and compare
  ``True == 1``.
* ``"native"`` (default for other stores): the filter becomes LlamaIndex ``MetadataFilters``
  (``==, !=, >, >=, <, <=, in, nin`` with ``and``/``or`` conditions), evaluated by the store.

Scores: ``SimpleVectorStore`` reports cosine similarity; only the ``cosine`` distance is offered.
"""

from __future__ import annotations

import copy
import heapq
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from praisonai_persist import BackendNotInstalledError, KnowledgeDocument, KnowledgeStore
from praisonai_persist.errors import (
    CollectionNotFoundError,
    DimensionMismatchError,
    DocumentExistsError,
    UnsupportedFilterError,
)
from praisonai_persist.filters import And, Comparison, FilterNode, matches, parse_filter
from praisonai_persist.identifiers import validate_dimension, validate_identifier
from praisonai_persist.knowledge import (
    Filters,
    ScrollPage,
    check_embedding,
    check_limit,
    check_scroll_limit,
    check_vectors,
    ids_after,
)
from praisonai_persist.models import CollectionInfo, copy_json
from praisonai_persist.scores import normalize_distance

__all__ = ["LlamaindexKnowledgeStore", "to_metadata_filters"]

DISTRIBUTION = "praisonai-persist-llamaindex"
RESERVED_KEY = "_praisonai_persist"
FILTER_MODES = ("auto", "node_ids", "native")
#: Keys LlamaIndex writes into node metadata itself (``node_to_metadata_dict``).
_LLAMA_KEYS = frozenset({"doc_id", "ref_doc_id", "document_id", "_node_type", "_node_content"})
_NATIVE_OPS = {"$eq": "==", "$ne": "!=", "$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<=", "$in": "in", "$nin": "nin"}


def _client() -> Any:
    """Import llama-index-core on first use; a missing one is reported with the install line."""
    try:
        import llama_index.core.schema
        import llama_index.core.vector_stores
        import llama_index.core.vector_stores.types
    except ImportError as exc:
        raise BackendNotInstalledError(
            "knowledge", "llamaindex", DISTRIBUTION, missing_module="llama_index.core", detail=str(exc)
        ) from exc
    return llama_index.core


def to_metadata_filters(tree: FilterNode) -> Any:
    """The portable filter ``tree`` as LlamaIndex ``MetadataFilters`` (its native filter objects)."""
    types = _client().vector_stores.types
    if isinstance(tree, Comparison):
        value = list(tree.value) if tree.op in ("$in", "$nin") else tree.value
        single = types.MetadataFilter(key=tree.key, value=value, operator=types.FilterOperator(_NATIVE_OPS[tree.op]))
        return types.MetadataFilters(filters=[single])
    condition = types.FilterCondition.AND if isinstance(tree, And) else types.FilterCondition.OR
    children = []
    for child in tree.children:
        built = to_metadata_filters(child)
        children.append(built.filters[0] if isinstance(child, Comparison) else built)
    return types.MetadataFilters(filters=children, condition=condition)


def default_vector_store(collection: str) -> Any:
    """llama-index-core's ``SimpleVectorStore``: the store the tests use."""
    return _client().vector_stores.SimpleVectorStore()


@dataclass
class _Collection:
    store: Any
    dimension: int
    metadata: dict[str, Any] | None


class LlamaindexKnowledgeStore(KnowledgeStore):
    """KnowledgeStore over one LlamaIndex vector store per collection (options in the README)."""

    backend_name = "llamaindex"

    def __init__(
        self,
        url: str | None = None,
        *,
        path: str | None = None,
        vector_store_factory: Callable[[str], Any] | None = None,
        filter_mode: str = "auto",
    ) -> None:
        target = path if path is not None else url
        if target not in (None, "llamaindex://", "llamaindex:"):
            raise ValueError(
                "The llamaindex adapter takes no URL or path: configure the wrapped LlamaIndex store "
                "through vector_store_factory."
            )
        if filter_mode not in FILTER_MODES:
            raise ValueError(f"filter_mode must be one of {', '.join(FILTER_MODES)}, got {filter_mode!r}.")
        _client()
        self._factory = vector_store_factory or default_vector_store
        self._filter_mode = filter_mode
        self._collections: dict[str, _Collection] = {}
        self._lock = threading.RLock()

    # -- helpers -------------------------------------------------------------------------------

    def _get(self, name: str) -> _Collection:
        validate_identifier(name, "collection name")
        coll = self._collections.get(name)
        if coll is None:
            raise CollectionNotFoundError(name)
        return coll

    @staticmethod
    def _is_simple(coll: _Collection) -> bool:
        return isinstance(coll.store, _client().vector_stores.SimpleVectorStore)

    def _metadata_of(self, coll: _Collection, ids: Sequence[str] | None) -> dict[str, dict[str, Any]]:
        """Stored metadata by node id (all nodes, or those of ``ids`` that exist)."""
        if self._is_simple(coll):
            table: dict[str, dict[str, Any]] = coll.store.data.metadata_dict
            keys = list(table) if ids is None else [i for i in ids if i in table]
            return {k: table[k] for k in keys}
        nodes = coll.store.get_nodes(node_ids=None if ids is None else list(ids))
        return {n.node_id: dict(n.metadata or {}) for n in nodes}

    def _embedding_of(self, coll: _Collection, node_id: str) -> list[float] | None:
        if self._is_simple(coll):
            vector = coll.store.data.embedding_dict.get(node_id)
        else:
            nodes = coll.store.get_nodes(node_ids=[node_id])
            vector = nodes[0].embedding if nodes else None
        return None if vector is None else [float(x) for x in vector]

    @staticmethod
    def _user_metadata(metadata: dict[str, Any] | None) -> dict[str, Any]:
        """The caller's metadata, as written (LlamaIndex adds and rewrites a few keys)."""
        source = metadata or {}
        own = source.get(RESERVED_KEY) or {}
        if "metadata" in own:
            return dict(own["metadata"])
        return {k: source[k] for k in own.get("keys", ()) if k in source}

    def _document(
        self,
        coll: _Collection,
        node_id: str,
        metadata: dict[str, Any],
        score: float | None = None,
        vector: Sequence[float] | None = None,
    ) -> KnowledgeDocument:
        """The stored node as a document; ``vector`` saves a lookup when the caller has the embedding."""
        own = metadata.get(RESERVED_KEY) or {}
        return KnowledgeDocument(
            id=node_id,
            content=own.get("content", ""),
            embedding=self._embedding_of(coll, node_id) if vector is None else [float(x) for x in vector],
            metadata=copy_json(self._user_metadata(metadata)),
            content_hash=own.get("content_hash"),
            created_at=float(own.get("created_at", 0.0)),
            score=score,
        )

    def _checked(self, name: str, coll: _Collection, documents: Sequence[KnowledgeDocument]) -> None:
        for doc in documents:
            if not isinstance(doc.id, str) or not doc.id:
                raise ValueError(f"Document ids must be non-empty strings, got {doc.id!r}.")
            if doc.embedding is None:
                raise ValueError(f"Document {doc.id!r} has no embedding; embed it before adding it to {name!r}.")
            if len(doc.embedding) != coll.dimension:
                raise DimensionMismatchError(name, coll.dimension, len(doc.embedding))
            if RESERVED_KEY in (doc.metadata or {}):
                raise ValueError(f"Metadata key {RESERVED_KEY!r} is reserved by the llamaindex adapter.")

    def _write(self, coll: _Collection, documents: Sequence[KnowledgeDocument]) -> None:
        text_node = _client().schema.TextNode
        nodes = []
        for doc in documents:
            # No copy needed: stores serialise node metadata (SimpleVectorStore: model_dump, a deep copy).
            user = doc.metadata or {}
            own: dict[str, Any] = {
                "content": doc.content,
                "content_hash": doc.content_hash,
                "created_at": float(doc.created_at),
            }
            if _LLAMA_KEYS.isdisjoint(user):
                own["keys"] = list(user)
            else:  # LlamaIndex will overwrite one of them at top level: keep the caller's values here
                own["metadata"] = user
            nodes.append(
                text_node(
                    id_=doc.id,
                    text=doc.content,
                    embedding=doc.embedding,  # pydantic validation copies the list
                    metadata={**user, RESERVED_KEY: own},
                )
            )
        coll.store.add(nodes)

    def _query_kwargs(self, coll: _Collection, tree: FilterNode | None) -> dict[str, Any] | None:
        """Arguments restricting the query to the filter, or None when nothing can match."""
        if tree is None:
            return {}
        mode = self._filter_mode
        if mode == "auto":
            mode = "node_ids" if self._is_simple(coll) else "native"
        if mode == "native":
            return {"filters": to_metadata_filters(tree)}
        if not self._is_simple(coll) and not hasattr(coll.store, "get_nodes"):
            raise UnsupportedFilterError(
                f"{type(coll.store).__name__} cannot list its nodes; use filter_mode='native'."
            )
        ids = [k for k, meta in self._metadata_of(coll, None).items() if matches(tree, self._user_metadata(meta))]
        return {"node_ids": ids} if ids else None

    # -- KnowledgeStore ------------------------------------------------------------------------

    def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        validate_identifier(name, "collection name")
        dim = validate_dimension(dimension)
        if normalize_distance(distance) != "cosine":
            raise ValueError(
                f"The llamaindex adapter offers the cosine distance only (got {distance!r}): "
                "SimpleVectorStore's default query mode ranks by cosine similarity."
            )
        with self._lock:
            existing = self._collections.get(name)
            if existing is not None:
                if existing.dimension != dim:
                    raise DimensionMismatchError(name, existing.dimension, dim)
                return
            self._collections[name] = _Collection(self._factory(name), dim, copy.deepcopy(metadata))

    def delete_collection(self, name: str) -> bool:
        validate_identifier(name, "collection name")
        with self._lock:
            coll = self._collections.pop(name, None)
        if coll is None:
            return False
        coll.store.clear()
        return True

    def collection_exists(self, name: str) -> bool:
        validate_identifier(name, "collection name")
        with self._lock:
            return name in self._collections

    def list_collections(self) -> list[str]:
        with self._lock:
            return sorted(self._collections)

    def insert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        check_vectors(documents)
        with self._lock:
            coll = self._get(collection)
            self._checked(collection, coll, documents)
            ids = [doc.id for doc in documents]
            repeated = {i for i in ids if ids.count(i) > 1} if len(set(ids)) != len(ids) else set()
            taken = sorted(repeated | set(self._metadata_of(coll, ids)))
            if taken:
                raise DocumentExistsError(collection, taken)
            self._write(coll, documents)
            return ids

    def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        check_vectors(documents)
        with self._lock:
            coll = self._get(collection)
            self._checked(collection, coll, documents)
            latest = list({doc.id: doc for doc in documents}.values())
            existing = list(self._metadata_of(coll, [d.id for d in latest]))
            if existing:
                coll.store.delete_nodes(node_ids=existing)
            self._write(coll, latest)
            return [doc.id for doc in documents]

    def search(
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
        types = _client().vector_stores.types
        with self._lock:
            coll = self._get(collection)
            if len(query) != coll.dimension:
                raise DimensionMismatchError(collection, coll.dimension, len(query))
            restriction = self._query_kwargs(coll, tree)
            if limit == 0 or restriction is None:
                return []
            result = coll.store.query(
                types.VectorStoreQuery(query_embedding=query, similarity_top_k=limit, **restriction)
            )
            ids = list(result.ids or ())
            scores = [float(s) for s in result.similarities or ()]
            metadata = self._metadata_of(coll, ids)
            hits = [
                self._document(coll, node_id, metadata[node_id], score)
                for node_id, score in zip(ids, scores, strict=True)
                if node_id in metadata and (score_threshold is None or score >= score_threshold)
            ]
            hits.sort(key=lambda d: (-(d.score or 0.0), d.id))
            return hits

    def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        wanted = list(dict.fromkeys([ids] if isinstance(ids, str) else ids))
        with self._lock:
            coll = self._get(collection)
            found = self._metadata_of(coll, wanted)
            return [self._document(coll, i, found[i]) for i in wanted if i in found]

    def delete(self, collection: str, ids: Sequence[str] | None = None, filters: Filters | None = None) -> int:
        if ids is None and not filters:
            raise ValueError("delete() needs ids or filters (or both); use delete_collection() to drop everything.")
        tree = parse_filter(filters)
        with self._lock:
            coll = self._get(collection)
            wanted = None if ids is None else list(dict.fromkeys([ids] if isinstance(ids, str) else ids))
            candidates = self._metadata_of(coll, wanted)
            doomed = [k for k, meta in candidates.items() if tree is None or matches(tree, self._user_metadata(meta))]
            if doomed:
                coll.store.delete_nodes(node_ids=doomed)
            return len(doomed)

    def count(self, collection: str) -> int:
        with self._lock:
            return len(self._metadata_of(self._get(collection), None))

    def scroll(self, collection: str, limit: int = 256, cursor: str | None = None) -> ScrollPage:
        """Documents in node id order; the cursor is the last id returned.

        LlamaIndex vector stores have no paging call. For ``SimpleVectorStore`` a page picks the
        ``limit + 1`` smallest ids above the cursor from its metadata table's keys with a bounded heap
        (no sorted copy of the collection) and reads only those nodes. Other stores are listed with
        ``get_nodes()``, the only generic listing call, which returns every node: each page there
        loads the whole collection and keeps one page of it (use the engine's own plugin to page
        large collections).
        """
        check_scroll_limit(limit)
        with self._lock:
            coll = self._get(collection)
            if self._is_simple(coll):
                table: dict[str, dict[str, Any]] = coll.store.data.metadata_dict
                ids = ids_after(table, limit, cursor)
                page = [self._document(coll, i, table[i]) for i in ids[:limit]]
            else:
                nodes = coll.store.get_nodes(node_ids=None)
                chosen = heapq.nsmallest(
                    limit + 1, (n for n in nodes if cursor is None or n.node_id > cursor), key=lambda n: n.node_id
                )
                ids = [n.node_id for n in chosen]
                page = [
                    self._document(coll, n.node_id, dict(n.metadata or {}), vector=n.embedding) for n in chosen[:limit]
                ]
        return page, (ids[limit - 1] if len(ids) > limit else None)

    def describe_collection(self, name: str) -> CollectionInfo:
        """The dimension and metadata given to ``create_collection``; the distance is always cosine."""
        with self._lock:
            coll = self._get(name)
            return CollectionInfo(name, coll.dimension, "cosine", copy.deepcopy(coll.metadata or {}))

    def close(self) -> None:
        """The wrapped stores belong to the caller's factory; nothing to release here."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(collections={len(self._collections)}, filter_mode={self._filter_mode!r})"
