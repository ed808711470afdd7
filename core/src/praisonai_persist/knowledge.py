"""Knowledge (vector) store protocols, sync and async."""

from __future__ import annotations

import heapq
import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any

from .errors import UnsupportedOperationError
from .models import CollectionInfo, KnowledgeDocument


def check_limit(limit: Any) -> int:
    """``limit`` of a search, checked before any engine call: a non-negative int (``0`` gives ``[]``)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise ValueError(f"limit must be a non-negative integer, got {limit!r}.")
    return limit


def check_embedding(vector: Sequence[float], what: str = "query embedding") -> Sequence[float]:
    """Refuse NaN and infinities before any engine call: engines store or rank them inconsistently."""
    try:
        if math.isfinite(sum(vector)):  # fast path; a finite overflow to inf falls through to the scan
            return vector
    except TypeError:
        return vector  # non-numbers are the engine's (or the dimension check's) to refuse
    for value in vector:
        try:
            finite = math.isfinite(value)
        except TypeError:
            continue
        if not finite:
            raise ValueError(f"{what} holds a non-finite value ({value!r}); embeddings must be finite numbers.")
    return vector


def check_vectors(documents: Iterable[KnowledgeDocument]) -> None:
    """:func:`check_embedding` for every document of a write batch, before any of it is stored."""
    for doc in documents:
        if doc.embedding is not None:
            check_embedding(doc.embedding, f"embedding of document {doc.id!r}")


def check_scroll_limit(limit: Any) -> int:
    """``limit`` of a ``scroll`` page: a positive int (a page of zero could never advance)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"scroll limit must be a positive integer, got {limit!r}.")
    return limit


def ids_after(ids: Iterable[str], limit: int, cursor: str | None) -> list[str]:
    """The ``limit + 1`` smallest ids above ``cursor``, sorted: ``scroll`` over an unordered id set.

    A bounded heap, so a page costs one pass over the ids and never a sorted copy of them all.
    """
    keys = ids if cursor is None else (i for i in ids if i > cursor)
    return heapq.nsmallest(limit + 1, keys)


def page_after(docs: Sequence[KnowledgeDocument], limit: int) -> ScrollPage:
    """``scroll``'s page from up to ``limit + 1`` documents in id order (the extra one only says more exist)."""
    page = list(docs[:limit])
    return page, (page[-1].id if len(docs) > limit else None)


def iter_documents(store: KnowledgeStore, collection: str, batch_size: int = 256) -> Iterator[list[KnowledgeDocument]]:
    """Every document of ``collection`` with its embedding, ``batch_size`` at a time (bounded memory)."""
    cursor: str | None = None
    while True:
        page, cursor = store.scroll(collection, limit=batch_size, cursor=cursor)
        if page:
            yield page
        if cursor is None:
            return


def check_same_distance(collection: str, existing: str, requested: str) -> None:
    """create_collection on an existing name: another distance raises instead of a silent no-op."""
    if existing != requested:
        raise ValueError(
            f"Collection {collection!r} exists with distance {existing!r}, not {requested!r}; "
            "delete it first to change its distance."
        )


__all__ = [
    "AsyncKnowledgeStore",
    "KnowledgeStore",
    "ScrollPage",
    "check_embedding",
    "check_limit",
    "check_same_distance",
    "check_scroll_limit",
    "check_vectors",
    "ids_after",
    "iter_documents",
    "page_after",
]

#: The page type of ``scroll``: documents, and the cursor of the next page (``None`` at the end).
ScrollPage = tuple[list[KnowledgeDocument], str | None]
_SCROLL_HINT = "copy and export need it to read a whole collection"

Filters = dict[str, Any]


class KnowledgeStore(ABC):
    """Synchronous knowledge store: collections of documents with embeddings.

    ``search`` returns documents best first with ``score`` set to a similarity on the
    scale of :mod:`praisonai_persist.scores`; ``filters`` use the portable syntax of
    :mod:`praisonai_persist.filters`.
    """

    backend_name: str = ""

    @abstractmethod
    def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        """Create a collection; a no-op if it exists with the same dimension."""

    @abstractmethod
    def delete_collection(self, name: str) -> bool:
        """Drop a collection and its documents; ``True`` if it existed."""

    @abstractmethod
    def collection_exists(self, name: str) -> bool: ...

    @abstractmethod
    def list_collections(self) -> list[str]: ...

    @abstractmethod
    def insert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        """Insert documents; return their ids in order."""

    @abstractmethod
    def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        """Insert or replace documents by id; return their ids in order."""

    @abstractmethod
    def search(
        self,
        collection: str,
        query_embedding: Sequence[float],
        limit: int = 5,
        filters: Filters | None = None,
        score_threshold: float | None = None,
    ) -> list[KnowledgeDocument]:
        """Nearest documents, best first, with ``score`` set."""

    @abstractmethod
    def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        """Documents with these ids (missing ids are left out)."""

    @abstractmethod
    def delete(self, collection: str, ids: Sequence[str] | None = None, filters: Filters | None = None) -> int:
        """Delete by ids and/or filters; return how many were deleted."""

    @abstractmethod
    def count(self, collection: str) -> int: ...

    def scroll(self, collection: str, limit: int = 256, cursor: str | None = None) -> ScrollPage:
        """One page of every document in ``collection``, embeddings included, in a stable order.

        Pass the returned cursor back for the next page; ``None`` means there is none. A missing
        collection raises ``CollectionNotFoundError``. Writes during a scroll may or may not show.
        """
        raise UnsupportedOperationError(self.backend_name, "scroll", _SCROLL_HINT)

    def describe_collection(self, name: str) -> CollectionInfo:
        """Dimension, distance and metadata of a collection (``CollectionNotFoundError`` if missing)."""
        raise UnsupportedOperationError(self.backend_name, "describe_collection", _SCROLL_HINT)

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> KnowledgeStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncKnowledgeStore(ABC):
    """Asynchronous twin of :class:`KnowledgeStore`."""

    backend_name: str = ""

    @abstractmethod
    async def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None: ...

    @abstractmethod
    async def delete_collection(self, name: str) -> bool: ...

    @abstractmethod
    async def collection_exists(self, name: str) -> bool: ...

    @abstractmethod
    async def list_collections(self) -> list[str]: ...

    @abstractmethod
    async def insert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]: ...

    @abstractmethod
    async def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]: ...

    @abstractmethod
    async def search(
        self,
        collection: str,
        query_embedding: Sequence[float],
        limit: int = 5,
        filters: Filters | None = None,
        score_threshold: float | None = None,
    ) -> list[KnowledgeDocument]: ...

    @abstractmethod
    async def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]: ...

    @abstractmethod
    async def delete(
        self, collection: str, ids: Sequence[str] | None = None, filters: Filters | None = None
    ) -> int: ...

    @abstractmethod
    async def count(self, collection: str) -> int: ...

    async def scroll(self, collection: str, limit: int = 256, cursor: str | None = None) -> ScrollPage:
        """Async twin of :meth:`KnowledgeStore.scroll`."""
        raise UnsupportedOperationError(self.backend_name, "scroll", _SCROLL_HINT)

    async def describe_collection(self, name: str) -> CollectionInfo:
        """Async twin of :meth:`KnowledgeStore.describe_collection`."""
        raise UnsupportedOperationError(self.backend_name, "describe_collection", _SCROLL_HINT)

    @abstractmethod
    async def close(self) -> None: ...

    async def __aenter__(self) -> AsyncKnowledgeStore:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
