"""The turso conversation store: ConversationStore on top of `libsql`.

TODO: implement every method; the testkit's conformance suite (tests/) says what each must do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from praisonai_persist import BackendNotInstalledError, ConversationMessage, ConversationSession, ConversationStore

__all__ = ["TursoConversationStore"]

DISTRIBUTION = "praisonai-persist-turso"


def _client() -> Any:
    """Import the client library on first use; a missing one is reported with the install line."""
    try:
        import libsql as client
    except ImportError as exc:
        raise BackendNotInstalledError(
            "conversation",
            "turso",
            DISTRIBUTION,
            missing_module="libsql",
            detail=str(exc),
        ) from exc
    return client


class TursoConversationStore(ConversationStore):
    """ConversationStore backed by Turso.

    The registry creates it as ``TursoConversationStore(url=..., **options)``; the plugin's README lists
    the options.
    """

    backend_name = "turso"

    def __init__(self, url: str | None = None, *, path: str | None = None, **options: Any) -> None:
        self.url = url if url is not None else path
        self.options = options
        self._client = _client()

    def create_session(self, session: ConversationSession) -> ConversationSession:
        raise NotImplementedError("TursoConversationStore.create_session")

    def get_session(self, session_id: str) -> ConversationSession | None:
        raise NotImplementedError("TursoConversationStore.get_session")

    def update_session(self, session: ConversationSession) -> ConversationSession:
        raise NotImplementedError("TursoConversationStore.update_session")

    def delete_session(self, session_id: str) -> bool:
        raise NotImplementedError("TursoConversationStore.delete_session")

    def list_sessions(
        self, user_id: str | None = None, agent_id: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[ConversationSession]:
        raise NotImplementedError("TursoConversationStore.list_sessions")

    def add_message(self, session_id: str, message: ConversationMessage) -> ConversationMessage:
        raise NotImplementedError("TursoConversationStore.add_message")

    def add_messages(self, session_id: str, messages: Sequence[ConversationMessage]) -> list[ConversationMessage]:
        # One transaction for the batch is what makes this faster than add_message in a loop.
        raise NotImplementedError("TursoConversationStore.add_messages")

    def get_messages(
        self, session_id: str, limit: int | None = None, before: float | None = None, after: float | None = None
    ) -> list[ConversationMessage]:
        raise NotImplementedError("TursoConversationStore.get_messages")

    def delete_messages(self, session_id: str, message_ids: Sequence[str] | None = None) -> int:
        raise NotImplementedError("TursoConversationStore.delete_messages")

    def close(self) -> None:
        """Release connections and files (TODO); the fixture calls it after every test."""
