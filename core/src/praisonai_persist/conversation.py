"""Conversation store protocols: sessions and their messages, sync and async."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from types import TracebackType

from .errors import UnsupportedOperationError
from .models import ConversationMessage, ConversationSession

__all__ = ["AsyncConversationStore", "ConversationStore"]

_RESTORE_HINT = "import and copy need it to keep a session's timestamps exactly; every first-party store has it"


class ConversationStore(ABC):
    """Synchronous conversation store.

    Contract (checked by the testkit): messages come back oldest first with ties kept in
    insertion order; ``get_messages(limit=N)`` is the most recent N; ``before``/``after``
    are exclusive; adding a message to a missing session raises ``SessionNotFoundError``;
    adding a message bumps the session's ``updated_at``.
    """

    #: Backend name this store was registered under (set by the registry).
    backend_name: str = ""

    @abstractmethod
    def create_session(self, session: ConversationSession) -> ConversationSession:
        """Create a session; raises if one with the same id exists."""

    @abstractmethod
    def get_session(self, session_id: str) -> ConversationSession | None:
        """Return the session or ``None``."""

    @abstractmethod
    def update_session(self, session: ConversationSession) -> ConversationSession:
        """Write the session's fields and set ``updated_at`` to now."""

    def upsert_session(self, session: ConversationSession) -> ConversationSession:
        """Create the session, or update it if it exists."""
        if self.get_session(session.session_id) is not None:
            return self.update_session(session)
        return self.create_session(session)

    def restore_session(self, session: ConversationSession) -> ConversationSession:
        """Write the session exactly as given, timestamps included (insert, or replace every field).

        For import, copy and backups: unlike ``update_session`` it does not move ``updated_at``,
        so a restored session lists where it did in its source. Its messages are left alone.
        """
        raise UnsupportedOperationError(self.backend_name, "restore_session", _RESTORE_HINT)

    @abstractmethod
    def delete_session(self, session_id: str) -> bool:
        """Delete the session and all its messages; ``True`` if it existed."""

    @abstractmethod
    def list_sessions(
        self, user_id: str | None = None, agent_id: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[ConversationSession]:
        """Sessions, most recently updated first, optionally filtered by user and agent."""

    @abstractmethod
    def add_message(self, session_id: str, message: ConversationMessage) -> ConversationMessage:
        """Append one message to an existing session."""

    def add_messages(
        self, session_id: str, messages: Sequence[ConversationMessage]
    ) -> list[ConversationMessage]:
        """Append several messages in order; backends override this with one transaction."""
        return [self.add_message(session_id, m) for m in messages]

    @abstractmethod
    def get_messages(
        self, session_id: str, limit: int | None = None, before: float | None = None, after: float | None = None
    ) -> list[ConversationMessage]:
        """Messages oldest first; ``limit`` keeps the most recent, or the first after ``after``."""

    @abstractmethod
    def delete_messages(self, session_id: str, message_ids: Sequence[str] | None = None) -> int:
        """Delete the given messages (all when ``None``); return how many were deleted."""

    @abstractmethod
    def close(self) -> None:
        """Release connections and files; the store is unusable afterwards."""

    def __enter__(self) -> ConversationStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncConversationStore(ABC):
    """Asynchronous twin of :class:`ConversationStore`: the same methods, awaited."""

    backend_name: str = ""

    @abstractmethod
    async def create_session(self, session: ConversationSession) -> ConversationSession: ...

    @abstractmethod
    async def get_session(self, session_id: str) -> ConversationSession | None: ...

    @abstractmethod
    async def update_session(self, session: ConversationSession) -> ConversationSession: ...

    async def upsert_session(self, session: ConversationSession) -> ConversationSession:
        """Create the session, or update it if it exists."""
        if await self.get_session(session.session_id) is not None:
            return await self.update_session(session)
        return await self.create_session(session)

    async def restore_session(self, session: ConversationSession) -> ConversationSession:
        """Async twin of :meth:`ConversationStore.restore_session`."""
        raise UnsupportedOperationError(self.backend_name, "restore_session", _RESTORE_HINT)

    @abstractmethod
    async def delete_session(self, session_id: str) -> bool: ...

    @abstractmethod
    async def list_sessions(
        self, user_id: str | None = None, agent_id: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[ConversationSession]: ...

    @abstractmethod
    async def add_message(self, session_id: str, message: ConversationMessage) -> ConversationMessage: ...

    async def add_messages(
        self, session_id: str, messages: Sequence[ConversationMessage]
    ) -> list[ConversationMessage]:
        """Append several messages in order; backends override this with one transaction."""
        return [await self.add_message(session_id, m) for m in messages]

    @abstractmethod
    async def get_messages(
        self, session_id: str, limit: int | None = None, before: float | None = None, after: float | None = None
    ) -> list[ConversationMessage]: ...

    @abstractmethod
    async def delete_messages(self, session_id: str, message_ids: Sequence[str] | None = None) -> int: ...

    @abstractmethod
    async def close(self) -> None: ...

    async def __aenter__(self) -> AsyncConversationStore:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


def touch(session: ConversationSession) -> ConversationSession:
    """Set ``updated_at`` to now (strictly later than before, even on coarse clocks)."""
    now = time.time()
    session.updated_at = now if now > session.updated_at else session.updated_at + 1e-6
    return session


