"""Async SQLite conversation store (backend ``async_sqlite``), no extra dependency.

Each store owns one worker thread that runs a :class:`SQLiteConversationStore`; every
method is one hop to that thread, so the event loop never waits on SQLite (not even while
the file is opened and migrated: that happens on the worker, at the first call).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from ..conversation import AsyncConversationStore
from ..errors import StoreConnectionError
from ..identifiers import validate_identifier
from ..models import ConversationMessage, ConversationSession
from ..sql.migrations import MigrationStep
from .sqlite import SQLiteConversationStore, resolve_sqlite_path

__all__ = ["AsyncSQLiteConversationStore"]

_T = TypeVar("_T")


class AsyncSQLiteConversationStore(AsyncConversationStore):
    """Async twin of :class:`SQLiteConversationStore`, same constructor and same file format."""

    backend_name = "async_sqlite"

    def __init__(
        self,
        url: str | os.PathLike[str] | None = None,
        *,
        path: str | os.PathLike[str] | None = None,
        table_prefix: str = "praison_",
        auto_create_tables: bool = True,
        busy_timeout: float = 30.0,
        max_retries: int = 3,
        retry_delay: float = 0.1,
        synchronous: str = "NORMAL",
    ) -> None:
        # Validate now, so mistakes surface at construction and not at the first await.
        self.path = resolve_sqlite_path(url, path)
        self.table_prefix = validate_identifier(table_prefix, "table_prefix", allow_empty=False)
        self._options: dict[str, Any] = {
            "path": self.path,
            "table_prefix": table_prefix,
            "auto_create_tables": auto_create_tables,
            "busy_timeout": busy_timeout,
            "max_retries": max_retries,
            "retry_delay": retry_delay,
            "synchronous": synchronous,
        }
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="praisonai-persist-sqlite")
        self._store: SQLiteConversationStore | None = None
        self._closed = False

    def _sync_store(self) -> SQLiteConversationStore:
        """The wrapped store, opened on the worker thread at first use."""
        if self._store is None:
            self._store = SQLiteConversationStore(**self._options)
        return self._store

    async def _run(self, fn: Callable[[SQLiteConversationStore], _T]) -> _T:
        if self._closed:
            raise StoreConnectionError(f"This store is closed; create a new one to use SQLite database {self.path!r}.")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: fn(self._sync_store()))

    async def create_session(self, session: ConversationSession) -> ConversationSession:
        return await self._run(lambda s: s.create_session(session))

    async def get_session(self, session_id: str) -> ConversationSession | None:
        return await self._run(lambda s: s.get_session(session_id))

    async def update_session(self, session: ConversationSession) -> ConversationSession:
        return await self._run(lambda s: s.update_session(session))

    async def upsert_session(self, session: ConversationSession) -> ConversationSession:
        return await self._run(lambda s: s.upsert_session(session))

    async def restore_session(self, session: ConversationSession) -> ConversationSession:
        return await self._run(lambda s: s.restore_session(session))

    async def delete_session(self, session_id: str) -> bool:
        return await self._run(lambda s: s.delete_session(session_id))

    async def list_sessions(
        self, user_id: str | None = None, agent_id: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[ConversationSession]:
        return await self._run(lambda s: s.list_sessions(user_id, agent_id, limit, offset))

    async def add_message(self, session_id: str, message: ConversationMessage) -> ConversationMessage:
        return await self._run(lambda s: s.add_message(session_id, message))

    async def add_messages(self, session_id: str, messages: Sequence[ConversationMessage]) -> list[ConversationMessage]:
        return await self._run(lambda s: s.add_messages(session_id, messages))

    async def get_messages(
        self, session_id: str, limit: int | None = None, before: float | None = None, after: float | None = None
    ) -> list[ConversationMessage]:
        return await self._run(lambda s: s.get_messages(session_id, limit, before, after))

    async def delete_messages(self, session_id: str, message_ids: Sequence[str] | None = None) -> int:
        return await self._run(lambda s: s.delete_messages(session_id, message_ids))

    async def pending_migrations(self) -> list[MigrationStep]:
        """Schema steps not yet applied (see :meth:`SQLiteConversationStore.pending_migrations`)."""
        return await self._run(lambda s: s.pending_migrations())

    async def migrate(self) -> list[MigrationStep]:
        return await self._run(lambda s: s.migrate())

    async def schema_version(self) -> str | None:
        return await self._run(lambda s: s.schema_version())

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        loop = asyncio.get_running_loop()
        store, self._store = self._store, None
        if store is not None:
            await loop.run_in_executor(self._executor, store.close)
        self._executor.shutdown(wait=False)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path={self.path!r}, table_prefix={self.table_prefix!r})"
