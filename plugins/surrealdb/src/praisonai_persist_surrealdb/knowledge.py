"""SurrealDB knowledge stores (backend ``surrealdb_vector``): sync and native-async forms.

Both run the generators of :mod:`._knowledge_ops`; the async form uses the SDK's ``AsyncSurreal``
connection (native asyncio), the sync form its blocking ``Surreal`` connection.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any, TypeVar

from praisonai_persist.knowledge import AsyncKnowledgeStore, Filters, KnowledgeStore, ScrollPage
from praisonai_persist.models import CollectionInfo, KnowledgeDocument
from praisonai_persist.urls import mask_url

from ._connection import Operation, client, connect_async, connect_sync, drive_async, drive_sync, settings_from
from ._knowledge_ops import KnowledgeOps

__all__ = ["AsyncSurrealKnowledgeStore", "SurrealKnowledgeStore"]

_T = TypeVar("_T")
_BACKEND = "surrealdb_vector"
PathOrUrl = str | os.PathLike[str] | None


class SurrealKnowledgeStore(KnowledgeStore):
    """Collections of documents in SurrealDB tables, searched exactly with its vector functions.

    ``url``: ``mem://`` (default), ``surrealkv://PATH`` or a bare path (embedded engine), or
    ``ws(s)://`` / ``http(s)://`` for a server; options in the plugin README.
    """

    backend_name = _BACKEND

    def __init__(
        self,
        url: PathOrUrl = None,
        *,
        path: PathOrUrl = None,
        namespace: str = "praisonai",
        database: str = "knowledge",
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        table_prefix: str = "kb_",
    ) -> None:
        self.settings = settings_from(url, path, namespace, database, username, password, token)
        self._ops = KnowledgeOps(client("knowledge", _BACKEND), table_prefix)
        self._db = connect_sync(self.settings, "knowledge", _BACKEND)
        self._lock = threading.Lock()  # the blocking connection is one stream of requests

    def _run(self, operation: Operation[_T]) -> _T:
        with self._lock:
            return drive_sync(self._db, operation)

    def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        self._run(self._ops.create_collection(name, dimension, distance, metadata))

    def delete_collection(self, name: str) -> bool:
        return self._run(self._ops.delete_collection(name))

    def collection_exists(self, name: str) -> bool:
        return self._run(self._ops.collection_exists(name))

    def list_collections(self) -> list[str]:
        return self._run(self._ops.list_collections())

    def insert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        return self._run(self._ops.insert(collection, documents))

    def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        return self._run(self._ops.upsert(collection, documents))

    def search(
        self,
        collection: str,
        query_embedding: Sequence[float],
        limit: int = 5,
        filters: Filters | None = None,
        score_threshold: float | None = None,
    ) -> list[KnowledgeDocument]:
        return self._run(self._ops.search(collection, query_embedding, limit, filters, score_threshold))

    def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        return self._run(self._ops.get(collection, ids))

    def delete(self, collection: str, ids: Sequence[str] | None = None, filters: Filters | None = None) -> int:
        return self._run(self._ops.delete(collection, ids, filters))

    def count(self, collection: str) -> int:
        return self._run(self._ops.count(collection))

    def scroll(self, collection: str, limit: int = 256, cursor: str | None = None) -> ScrollPage:
        """One page in id order (a record-id range scan); the cursor is the page's last id."""
        return self._run(self._ops.scroll(collection, limit, cursor))

    def describe_collection(self, name: str) -> CollectionInfo:
        return self._run(self._ops.describe_collection(name))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={mask_url(self.settings.url)!r}, namespace={self.settings.namespace!r})"


class AsyncSurrealKnowledgeStore(AsyncKnowledgeStore):
    """Async twin of :class:`SurrealKnowledgeStore` on the SDK's native ``AsyncSurreal`` connection.

    It connects on first use (or ``await store.connect()``), so it can be built outside a loop.
    """

    backend_name = _BACKEND

    def __init__(
        self,
        url: PathOrUrl = None,
        *,
        path: PathOrUrl = None,
        namespace: str = "praisonai",
        database: str = "knowledge",
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        table_prefix: str = "kb_",
    ) -> None:
        self.settings = settings_from(url, path, namespace, database, username, password, token)
        self._ops = KnowledgeOps(client("knowledge", _BACKEND), table_prefix)
        self._db: Any = None

    async def connect(self) -> None:
        """Open the connection now instead of on the first call."""
        if self._db is None:
            self._db = await connect_async(self.settings, "knowledge", _BACKEND)

    async def _run(self, operation: Operation[_T]) -> _T:
        if self._db is None:
            await self.connect()
        return await drive_async(self._db, operation)

    async def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        await self._run(self._ops.create_collection(name, dimension, distance, metadata))

    async def delete_collection(self, name: str) -> bool:
        return await self._run(self._ops.delete_collection(name))

    async def collection_exists(self, name: str) -> bool:
        return await self._run(self._ops.collection_exists(name))

    async def list_collections(self) -> list[str]:
        return await self._run(self._ops.list_collections())

    async def insert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        return await self._run(self._ops.insert(collection, documents))

    async def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        return await self._run(self._ops.upsert(collection, documents))

    async def search(
        self,
        collection: str,
        query_embedding: Sequence[float],
        limit: int = 5,
        filters: Filters | None = None,
        score_threshold: float | None = None,
    ) -> list[KnowledgeDocument]:
        return await self._run(self._ops.search(collection, query_embedding, limit, filters, score_threshold))

    async def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        return await self._run(self._ops.get(collection, ids))

    async def delete(self, collection: str, ids: Sequence[str] | None = None, filters: Filters | None = None) -> int:
        return await self._run(self._ops.delete(collection, ids, filters))

    async def count(self, collection: str) -> int:
        return await self._run(self._ops.count(collection))

    async def scroll(self, collection: str, limit: int = 256, cursor: str | None = None) -> ScrollPage:
        """One page in id order (a record-id range scan); the cursor is the page's last id."""
        return await self._run(self._ops.scroll(collection, limit, cursor))

    async def describe_collection(self, name: str) -> CollectionInfo:
        return await self._run(self._ops.describe_collection(name))

    async def close(self) -> None:
        if self._db is not None:
            db, self._db = self._db, None
            await db.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={mask_url(self.settings.url)!r}, namespace={self.settings.namespace!r})"
