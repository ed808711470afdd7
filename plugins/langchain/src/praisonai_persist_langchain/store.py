"""The ``langchain`` knowledge store: praisonai-persist's KnowledgeStore over LangChain vector stores.

One LangChain ``VectorStore`` per collection, built by ``vector_store_factory(collection,
embeddings)`` (default: langchain-core's ``InMemoryVectorStore``). Documents arrive already
embedded, so the wrapped store is given :class:`PrecomputedEmbeddings`, which hands it the
document's own vectors instead of computing new ones.

What the LangChain ``VectorStore`` API cannot do generically is done honestly here:
* filters: a store that takes a callable filter (``InMemoryVectorStore``) gets one that evaluates
  the portable filter exactly (:func:`praisonai_persist.filters.matches`) inside the store's own
  search; for other stores pass ``filter_translator`` (portable tree → the store's native filter),
  otherwise a filter raises ``UnsupportedFilterError``;
* scores: the wrapped store's score is cosine similarity (``score_kind="cosine_similarity"``,
  InMemoryVectorStore) or cosine distance (``"cosine_distance"``, e.g. Chroma, PGVector), and is
  reported as cosine similarity; only the ``cosine`` distance is offered;
* count, scroll, deleting by filter alone and reading embeddings back need the store's contents:
  available for ``InMemoryVectorStore`` (its ``store`` dict), otherwise they raise
  ``NotImplementedError`` naming the gap.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from praisonai_persist import BackendNotInstalledError, KnowledgeDocument, KnowledgeStore
from praisonai_persist.errors import (
    CollectionNotFoundError,
    DimensionMismatchError,
    DocumentExistsError,
    UnsupportedFilterError,
)
from praisonai_persist.filters import FilterNode, matches, parse_filter
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

__all__ = ["LangchainKnowledgeStore", "PrecomputedEmbeddings"]

DISTRIBUTION = "praisonai-persist-langchain"
#: Metadata key under which the adapter keeps its own fields next to the user's metadata.
RESERVED_KEY = "_praisonai_persist"
SCORE_KINDS = ("cosine_similarity", "cosine_distance")


def _client() -> Any:
    """Import langchain-core on first use; a missing one is reported with the install line."""
    try:
        import langchain_core.documents
        import langchain_core.embeddings
        import langchain_core.vectorstores
    except ImportError as exc:
        raise BackendNotInstalledError(
            "knowledge", "langchain", DISTRIBUTION, missing_module="langchain_core", detail=str(exc)
        ) from exc
    return langchain_core


def _embeddings_class() -> type:
    """``PrecomputedEmbeddings`` is an ``Embeddings`` subclass, built when langchain-core is imported."""
    base = _client().embeddings.Embeddings

    class _Precomputed(base):  # type: ignore[misc, valid-type]
        """Embeddings that return the vectors the adapter supplies for the current call.

        A LangChain store calls ``embed_documents(texts)`` inside ``add_documents``; the adapter
        has the vectors already, so it supplies them (in order) for exactly that call.
        """

        def __init__(self) -> None:
            self._local = threading.local()

        @contextmanager
        def supplying(self, vectors: list[list[float]]) -> Iterator[None]:
            self._local.vectors = vectors
            try:
                yield
            finally:
                self._local.vectors = None

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            vectors: list[list[float]] | None = getattr(self._local, "vectors", None)
            if vectors is None or len(vectors) != len(texts):
                raise RuntimeError(
                    "This LangChain store was given precomputed embeddings by praisonai-persist; add "
                    "documents through the praisonai-persist store (with embeddings), not directly."
                )
            return vectors

        def embed_query(self, text: str) -> list[float]:
            raise RuntimeError("praisonai-persist searches by vector; embed the query before searching.")

    return _Precomputed


def PrecomputedEmbeddings() -> Any:  # noqa: N802 - a factory that reads like the class it builds
    """A LangChain ``Embeddings`` that returns the vectors supplied with ``.supplying(vectors)``."""
    return _embeddings_class()()


def default_vector_store(collection: str, embeddings: Any) -> Any:
    """langchain-core's ``InMemoryVectorStore``: the store the tests use."""
    return _client().vectorstores.InMemoryVectorStore(embedding=embeddings)


@dataclass
class _Collection:
    store: Any
    embeddings: Any
    dimension: int
    metadata: dict[str, Any] | None


class LangchainKnowledgeStore(KnowledgeStore):
    """KnowledgeStore over one LangChain ``VectorStore`` per collection (options in the README)."""

    backend_name = "langchain"

    def __init__(
        self,
        url: str | None = None,
        *,
        path: str | None = None,
        vector_store_factory: Callable[[str, Any], Any] | None = None,
        filter_translator: Callable[[FilterNode], Any] | None = None,
        score_kind: str = "cosine_similarity",
        callable_filters: bool | None = None,
    ) -> None:
        target = path if path is not None else url
        if target not in (None, "langchain://", "langchain:"):
            raise ValueError(
                "The langchain adapter takes no URL or path: configure the wrapped LangChain store "
                "through vector_store_factory."
            )
        if score_kind not in SCORE_KINDS:
            raise ValueError(f"score_kind must be one of {', '.join(SCORE_KINDS)}, got {score_kind!r}.")
        _client()
        self._factory = vector_store_factory or default_vector_store
        self._translator = filter_translator
        self._score_kind = score_kind
        self._callable_filters = callable_filters
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
    def _contents(coll: _Collection, what: str) -> dict[str, dict[str, Any]]:
        """The wrapped store's records by id, where LangChain exposes them (InMemoryVectorStore)."""
        contents = getattr(coll.store, "store", None)
        if not isinstance(contents, dict):
            raise NotImplementedError(
                f"{type(coll.store).__name__} does not expose its documents, so {what} is not available "
                "through the LangChain API; use the engine's own praisonai-persist plugin."
            )
        return contents

    def _takes_callable_filter(self, coll: _Collection) -> bool:
        if self._callable_filters is not None:
            return self._callable_filters
        return isinstance(coll.store, _client().vectorstores.InMemoryVectorStore)

    @staticmethod
    def _user_metadata(metadata: dict[str, Any] | None) -> dict[str, Any]:
        return {k: v for k, v in (metadata or {}).items() if k != RESERVED_KEY}

    def _checked(self, name: str, coll: _Collection, documents: Sequence[KnowledgeDocument]) -> list[list[float]]:
        """The documents' embeddings, after checking every document of the batch.

        Like LangChain itself, the wrapped store keeps the embedding lists and nested metadata
        values it is given (no deep copy): do not mutate them after adding a document. Reads
        always return copies.
        """
        vectors: list[list[float]] = []
        for doc in documents:
            if not isinstance(doc.id, str) or not doc.id:
                raise ValueError(f"Document ids must be non-empty strings, got {doc.id!r}.")
            if doc.embedding is None:
                raise ValueError(f"Document {doc.id!r} has no embedding; embed it before adding it to {name!r}.")
            if len(doc.embedding) != coll.dimension:
                raise DimensionMismatchError(name, coll.dimension, len(doc.embedding))
            if RESERVED_KEY in (doc.metadata or {}):
                raise ValueError(f"Metadata key {RESERVED_KEY!r} is reserved by the langchain adapter.")
            vectors.append(doc.embedding)
        return vectors

    def _write(self, coll: _Collection, documents: Sequence[KnowledgeDocument], vectors: list[list[float]]) -> None:
        # Fields are built here with their exact types (str id and content, dict metadata), so the
        # per-document pydantic validation of Document(...) is skipped: it was most of the cost.
        build = _client().documents.Document.model_construct
        docs = [
            build(
                id=doc.id,
                page_content=doc.content,
                metadata={
                    # A top-level copy (LangChain itself keeps the caller's dict); reads deep-copy.
                    **(doc.metadata or {}),
                    RESERVED_KEY: {"content_hash": doc.content_hash, "created_at": float(doc.created_at)},
                },
            )
            for doc in documents
        ]
        with coll.embeddings.supplying(vectors):
            coll.store.add_documents(docs, ids=[doc.id for doc in documents])

    def _document(
        self, coll: _Collection, lc_doc: Any, score: float | None = None, vector: Any = None
    ) -> KnowledgeDocument:
        metadata = lc_doc.metadata or {}
        own = metadata.get(RESERVED_KEY) or {}
        if vector is None:
            record = (getattr(coll.store, "store", None) or {}).get(lc_doc.id)
            vector = record.get("vector") if isinstance(record, dict) else None
        return KnowledgeDocument(
            id=str(lc_doc.id),
            content=lc_doc.page_content,
            embedding=None if vector is None else [float(x) for x in vector],
            metadata=copy_json(self._user_metadata(metadata)),
            content_hash=own.get("content_hash"),
            created_at=float(own.get("created_at", 0.0)),
            score=score,
        )

    def _native_filter(self, coll: _Collection, tree: FilterNode | None) -> dict[str, Any]:
        if tree is None:
            return {}
        if self._translator is not None:
            return {"filter": self._translator(tree)}
        if self._takes_callable_filter(coll):
            user_metadata = self._user_metadata
            return {"filter": lambda doc: matches(tree, user_metadata(doc.metadata))}
        raise UnsupportedFilterError(
            f"{type(coll.store).__name__} takes no callable filter; pass filter_translator= to translate "
            "portable filters into its native filter."
        )

    # -- KnowledgeStore ------------------------------------------------------------------------

    def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        validate_identifier(name, "collection name")
        dim = validate_dimension(dimension)
        if normalize_distance(distance) != "cosine":
            raise ValueError(
                f"The langchain adapter offers the cosine distance only (got {distance!r}): LangChain's "
                "VectorStore API does not choose the metric per call."
            )
        with self._lock:
            existing = self._collections.get(name)
            if existing is not None:
                if existing.dimension != dim:
                    raise DimensionMismatchError(name, existing.dimension, dim)
                return
            embeddings = PrecomputedEmbeddings()
            store = self._factory(name, embeddings)
            self._collections[name] = _Collection(store, embeddings, dim, copy.deepcopy(metadata))

    def delete_collection(self, name: str) -> bool:
        validate_identifier(name, "collection name")
        with self._lock:
            coll = self._collections.pop(name, None)
        if coll is None:
            return False
        contents = getattr(coll.store, "store", None)
        if isinstance(contents, dict) and contents:
            coll.store.delete(list(contents))
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
            vectors = self._checked(collection, coll, documents)
            ids = [doc.id for doc in documents]
            repeated = {i for i in ids if ids.count(i) > 1} if len(set(ids)) != len(ids) else set()
            taken = sorted(repeated | {d.id for d in coll.store.get_by_ids(ids)})
            if taken:
                raise DocumentExistsError(collection, taken)
            self._write(coll, documents, vectors)
            return ids

    def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        check_vectors(documents)
        with self._lock:
            coll = self._get(collection)
            vectors = self._checked(collection, coll, documents)
            latest = {doc.id: (doc, vec) for doc, vec in zip(documents, vectors, strict=True)}
            # Delete first: not every LangChain store replaces a document added under an existing id.
            existing = [d.id for d in coll.store.get_by_ids(list(latest))]
            if existing:
                coll.store.delete(existing)
            self._write(coll, [d for d, _ in latest.values()], [v for _, v in latest.values()])
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
        with self._lock:
            coll = self._get(collection)
            if len(query) != coll.dimension:
                raise DimensionMismatchError(collection, coll.dimension, len(query))
            native = self._native_filter(coll, tree)
            if limit == 0:
                return []
            pairs = coll.store.similarity_search_with_score_by_vector(query, k=limit, **native)
            hits = []
            for lc_doc, raw in pairs:
                score = float(raw) if self._score_kind == "cosine_similarity" else 1.0 - float(raw)
                if score_threshold is None or score >= score_threshold:
                    hits.append(self._document(coll, lc_doc, score))
            hits.sort(key=lambda d: (-(d.score or 0.0), d.id))
            return hits

    def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        wanted = list(dict.fromkeys([ids] if isinstance(ids, str) else ids))
        with self._lock:
            coll = self._get(collection)
            found = {d.id: d for d in coll.store.get_by_ids(wanted)}
            return [self._document(coll, found[i]) for i in wanted if i in found]

    def delete(self, collection: str, ids: Sequence[str] | None = None, filters: Filters | None = None) -> int:
        if ids is None and not filters:
            raise ValueError("delete() needs ids or filters (or both); use delete_collection() to drop everything.")
        tree = parse_filter(filters)
        with self._lock:
            coll = self._get(collection)
            if ids is None:
                candidates = [
                    (key, record.get("metadata")) for key, record in self._contents(coll, "delete by filter").items()
                ]
            else:
                wanted = list(dict.fromkeys([ids] if isinstance(ids, str) else ids))
                candidates = [(d.id, d.metadata) for d in coll.store.get_by_ids(wanted)]
            doomed = [key for key, meta in candidates if tree is None or matches(tree, self._user_metadata(meta))]
            if doomed:
                coll.store.delete(doomed)
            return len(doomed)

    def count(self, collection: str) -> int:
        with self._lock:
            return len(self._contents(self._get(collection), "count"))

    def scroll(self, collection: str, limit: int = 256, cursor: str | None = None) -> ScrollPage:
        """Documents in id order; the cursor is the last id returned.

        LangChain's ``VectorStore`` API has no listing or paging call, so this needs the store's
        contents (``InMemoryVectorStore``'s ``store`` dict; ``NotImplementedError`` otherwise). A page
        picks the ``limit + 1`` smallest ids above the cursor from the dict's keys with a bounded heap
        (no sorted copy of the collection), then reads only those documents with ``get_by_ids``.
        """
        check_scroll_limit(limit)
        with self._lock:
            coll = self._get(collection)
            contents = self._contents(coll, "scroll")
            ids = ids_after(contents, limit, cursor)
            found = {d.id: d for d in coll.store.get_by_ids(ids[:limit])}
            page = [self._document(coll, found[i]) for i in ids[:limit] if i in found]
        return page, (ids[limit - 1] if len(ids) > limit else None)

    def describe_collection(self, name: str) -> CollectionInfo:
        """The dimension and metadata given to ``create_collection``; the distance is always cosine."""
        with self._lock:
            coll = self._get(name)
            return CollectionInfo(name, coll.dimension, "cosine", copy.deepcopy(coll.metadata or {}))

    def close(self) -> None:
        """The wrapped stores belong to the caller's factory; nothing to release here."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(collections={len(self._collections)}, score_kind={self._score_kind!r})"
