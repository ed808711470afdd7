"""SurrealDB conversation stores (backend ``surrealdb``): sync and native-async forms.

Both run the generators of :mod:`._conversation_ops`; the async form uses the SDK's native
``AsyncSurreal`` connection.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any, TypeVar

from praisonai_persist.conversation import AsyncConversationStore, ConversationStore
from praisonai_persist.models import ConversationMessage, ConversationSession
from praisonai_persist.urls import mask_url

from ._connection import Operation, client, connect_async, connect_sync, drive_async, drive_sync, settings_from
from ._conversation_ops import ConversationOps

__all__ = ["AsyncSurrealConversationStore", "SurrealConversationStore"]

_T = TypeVar("_T")
_BACKEND = "surrealdb"
PathOrUrl = str | os.PathLike[str] | None


class SurrealConversationStore(ConversationStore):
    """Sessions and messages in two SurrealDB tables; every write that spans both is one transaction."""

    backend_name = _BACKEND

    def __init__(
        self,
        url: PathOrUrl = None,
        *,
        path: PathOrUrl = None,
        namespace: str = "praisonai",
        database: str = "conversation",
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        table_prefix: str = "praison_",
    ) -> None:
        self.settings = settings_from(url, path, namespace, database, username, password, token)
        self._ops = ConversationOps(client("conversation", _BACKEND), table_prefix)
        self._db = connect_sync(self.settings, "conversation", _BACKEND)
        self._lock = threading.Lock()

    def _run(self, operation: Operation[_T]) -> _T:
        with self._lock:
            return drive_sync(self._db, operation)

    def create_session(self, session: ConversationSession) -> ConversationSession:
        return self._run(self._ops.create_session(session))

    def get_session(self, session_id: str) -> ConversationSession | None:
        return self._run(self._ops.get_session(session_id))

    def update_session(self, session: ConversationSession) -> ConversationSession:
        return self._run(self._ops.update_session(session))

    def upsert_session(self, session: ConversationSession) -> ConversationSession:
        return self._run(self._ops.upsert_session(session))

    def restore_session(self, session: ConversationSession) -> ConversationSession:
        return self._run(self._ops.restore_session(session))

    def delete_session(self, session_id: str) -> bool:
        return self._run(self._ops.delete_session(session_id))

    def list_sessions(
        self, user_id: str | None = None, agent_id: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[ConversationSession]:
        return self._run(self._ops.list_sessions(user_id, agent_id, limit, offset))

    def add_message(self, session_id: str, message: ConversationMessage) -> ConversationMessage:
        return self._run(self._ops.add_messages(session_id, [message]))[0]

    def add_messages(self, session_id: str, messages: Sequence[ConversationMessage]) -> list[ConversationMessage]:
        return self._run(self._ops.add_messages(session_id, messages))

    def get_messages(
        self, session_id: str, limit: int | None = None, before: float | None = None, after: float | None = None
    ) -> list[ConversationMessage]:
        return self._run(self._ops.get_messages(session_id, limit, before, after))

    def delete_messages(self, session_id: str, message_ids: Sequence[str] | None = None) -> int:
        return self._run(self._ops.delete_messages(session_id, message_ids))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={mask_url(self.settings.url)!r}, namespace={self.settings.namespace!r})"


class AsyncSurrealConversationStore(AsyncConversationStore):
    """Async twin of :class:`SurrealConversationStore`; connects on first use."""

    backend_name = _BACKEND

    def __init__(
        self,
        url: PathOrUrl = None,
        *,
        path: PathOrUrl = None,
        namespace: str = "praisonai",
        database: str = "conversation",
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        table_prefix: str = "praison_",
    ) -> None:
        self.settings = settings_from(url, path, namespace, database, username, password, token)
        self._ops = ConversationOps(client("conversation", _BACKEND), table_prefix)
        self._db: Any = None

    async def connect(self) -> None:
        """Open the connection now instead of on the first call."""
        if self._db is None:
            self._db = await connect_async(self.settings, "conversation", _BACKEND)

    async def _run(self, operation: Operation[_T]) -> _T:
        if self._db is None:
            await self.connect()
        return await drive_async(self._db, operation)

    async def create_session(self, session: ConversationSession) -> ConversationSession:
        return await self._run(self._ops.create_session(session))

    async def get_session(self, session_id: str) -> ConversationSession | None:
        return await self._run(self._ops.get_session(session_id))

    async def update_session(self, session: ConversationSession) -> ConversationSession:
        return await self._run(self._ops.update_session(session))

    async def upsert_session(self, session: ConversationSession) -> ConversationSession:
        return await self._run(self._ops.upsert_session(session))

    async def restore_session(self, session: ConversationSession) -> ConversationSession:
        return await self._run(self._ops.restore_session(session))

    async def delete_session(self, session_id: str) -> bool:
        return await self._run(self._ops.delete_session(session_id))

    async def list_sessions(
        self, user_id: str | None = None, agent_id: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[ConversationSession]:
        return await self._run(self._ops.list_sessions(user_id, agent_id, limit, offset))

    async def add_message(self, session_id: str, message: ConversationMessage) -> ConversationMessage:
        return (await self._run(self._ops.add_messages(session_id, [message])))[0]

    async def add_messages(self, session_id: str, messages: Sequence[ConversationMessage]) -> list[ConversationMessage]:
        return await self._run(self._ops.add_messages(session_id, messages))

    async def get_messages(
        self, session_id: str, limit: int | None = None, before: float | None = None, after: float | None = None
    ) -> list[ConversationMessage]:
        return await self._run(self._ops.get_messages(session_id, limit, before, after))

    async def delete_messages(self, session_id: str, message_ids: Sequence[str] | None = None) -> int:
        return await self._run(self._ops.delete_messages(session_id, message_ids))

    async def close(self) -> None:
        if self._db is not None:
            db, self._db = self._db, None
            await db.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={mask_url(self.settings.url)!r}, namespace={self.settings.namespace!r})"
