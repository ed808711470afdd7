"""In-memory knowledge store (backend ``memory``): exact nearest-neighbour search.

The reference implementation of the knowledge contract: scores from
:func:`praisonai_persist.scores.similarity`, portable filters evaluated with
:func:`praisonai_persist.filters.matches`, ties broken by id. Every document going in or
out is copied, so callers never hold the store's own objects.
"""

from __future__ import annotations

import copy
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import CollectionNotFoundError, DimensionMismatchError, DocumentExistsError
from ..filters import matches, parse_filter
from ..identifiers import validate_dimension, validate_identifier
from ..knowledge import (
    Filters,
    KnowledgeStore,
    ScrollPage,
    check_embedding,
    check_limit,
    check_same_distance,
    check_scroll_limit,
    check_vectors,
    ids_after,
    page_after,
)
from ..models import CollectionInfo, KnowledgeDocument
from ..scores import normalize_distance, similarity

__all__ = ["MemoryKnowledgeStore"]

_IN_MEMORY = (":memory:", "memory://", "memory:")


@dataclass
class _Collection:
    dimension: int
    distance: str
    metadata: dict[str, Any] | None
    docs: dict[str, KnowledgeDocument] = field(default_factory=dict)


def _copy_doc(doc: KnowledgeDocument, score: float | None = None) -> KnowledgeDocument:
    return KnowledgeDocument(
        id=doc.id,
        content=doc.content,
        embedding=None if doc.embedding is None else [float(x) for x in doc.embedding],
        metadata=copy.deepcopy(doc.metadata),
        content_hash=doc.content_hash,
        created_at=doc.created_at,
        score=score,
    )


class MemoryKnowledgeStore(KnowledgeStore):
    """Thread-safe in-process vector store for tests, examples and small corpora.

    The data lives in this process only, so the only ``url`` accepted is ``memory://`` (or
    ``:memory:``); a path is refused rather than silently ignored.
    """

    backend_name = "memory"

    def __init__(
        self, url: str | os.PathLike[str] | None = None, *, path: str | os.PathLike[str] | None = None
    ) -> None:
        target = path if path is not None else url
        if target is not None and os.fspath(target) not in _IN_MEMORY:
            raise ValueError(
                f"The memory knowledge store keeps its data in this process only and takes no path "
                f"(got {os.fspath(target)!r}). Use a persistent plugin such as lancedb, chroma or qdrant for that."
            )
        self.path = None
        self._lock = threading.RLock()
        self._collections: dict[str, _Collection] = {}

    def _get(self, name: str) -> _Collection:
        validate_identifier(name, "collection name")
        coll = self._collections.get(name)
        if coll is None:
            raise CollectionNotFoundError(name)
        return coll

    def _prepared(
        self, name: str, coll: _Collection, documents: Sequence[KnowledgeDocument]
    ) -> list[KnowledgeDocument]:
        """Validated copies of ``documents`` (all checked before any is stored)."""
        out = []
        for doc in documents:
            if doc.embedding is None:
                raise ValueError(f"Document {doc.id!r} has no embedding; embed it before adding it to {name!r}.")
            if len(doc.embedding) != coll.dimension:
                raise DimensionMismatchError(name, coll.dimension, len(doc.embedding))
            out.append(_copy_doc(doc))
        return out

    def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        validate_identifier(name, "collection name")
        dim = validate_dimension(dimension)
        kind = normalize_distance(distance)
        with self._lock:
            existing = self._collections.get(name)
            if existing is not None:
                if existing.dimension != dim:
                    raise DimensionMismatchError(name, existing.dimension, dim)
                check_same_distance(name, existing.distance, kind)
                return
            self._collections[name] = _Collection(dim, kind, copy.deepcopy(metadata))

    def delete_collection(self, name: str) -> bool:
        validate_identifier(name, "collection name")
        with self._lock:
            return self._collections.pop(name, None) is not None

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
            docs = self._prepared(collection, coll, documents)
            ids = [d.id for d in docs]
            seen: set[str] = set()
            repeated = {i for i in ids if i in seen or seen.add(i)}  # type: ignore[func-returns-value]
            taken = [i for i in dict.fromkeys(ids) if i in coll.docs or i in repeated]
            if taken:
                raise DocumentExistsError(collection, taken)
            for d in docs:
                coll.docs[d.id] = d
            return ids

    def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        check_vectors(documents)
        with self._lock:
            coll = self._get(collection)
            docs = self._prepared(collection, coll, documents)
            for d in docs:
                coll.docs[d.id] = d
            return [d.id for d in docs]

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
            scored = []
            for doc in coll.docs.values():
                if tree is not None and not matches(tree, doc.metadata):
                    continue
                assert doc.embedding is not None
                score = similarity(coll.distance, query, doc.embedding)
                if score_threshold is None or score >= score_threshold:
                    scored.append((score, doc))
            scored.sort(key=lambda pair: (-pair[0], pair[1].id))
            return [_copy_doc(doc, score) for score, doc in scored[:limit]]

    def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        wanted = [ids] if isinstance(ids, str) else list(ids)
        with self._lock:
            coll = self._get(collection)
            return [_copy_doc(coll.docs[i]) for i in dict.fromkeys(wanted) if i in coll.docs]

    def delete(self, collection: str, ids: Sequence[str] | None = None, filters: Filters | None = None) -> int:
        if ids is None and not filters:
            raise ValueError(
                "delete() needs ids or a non-empty filter (or both); an empty filter would match every "
                "document: use delete_collection() to drop everything."
            )
        tree = parse_filter(filters)
        with self._lock:
            coll = self._get(collection)
            if ids is None:
                candidates = list(coll.docs)
            else:
                wanted = [ids] if isinstance(ids, str) else list(ids)
                candidates = [i for i in dict.fromkeys(wanted) if i in coll.docs]
            doomed = [i for i in candidates if tree is None or matches(tree, coll.docs[i].metadata)]
            for i in doomed:
                del coll.docs[i]
            return len(doomed)

    def count(self, collection: str) -> int:
        with self._lock:
            return len(self._get(collection).docs)

    def scroll(self, collection: str, limit: int = 256, cursor: str | None = None) -> ScrollPage:
        """Documents in id order; the cursor is the last id returned."""
        check_scroll_limit(limit)
        with self._lock:
            docs = self._get(collection).docs
            return page_after([_copy_doc(docs[i]) for i in ids_after(docs, limit, cursor)], limit)

    def describe_collection(self, name: str) -> CollectionInfo:
        with self._lock:
            coll = self._get(name)
            return CollectionInfo(name, coll.dimension, coll.distance, copy.deepcopy(coll.metadata or {}))

    def close(self) -> None:
        """Nothing to release."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(collections={len(self._collections)})"
