"""The mysql conversation store: ConversationStore on top of `pymysql`.

TODO: implement every method; the testkit's conformance suite (tests/) says what each must do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from praisonai_persist import BackendNotInstalledError, ConversationMessage, ConversationSession, ConversationStore

__all__ = ["MysqlConversationStore"]

DISTRIBUTION = "praisonai-persist-mysql"


def _client() -> Any:
    """Import the client library on first use; a missing one is reported with the install line."""
    try:
        import pymysql as client
    except ImportError as exc:
        raise BackendNotInstalledError(
            "conversation",
            "mysql",
            DISTRIBUTION,
            missing_module="pymysql",
            detail=str(exc),
        ) from exc
    return client


class MysqlConversationStore(ConversationStore):
    """ConversationStore backed by Mysql.

    The registry creates it as ``MysqlConversationStore(url=..., **options)``; the plugin's README lists
    the options.
    """

    backend_name = "mysql"

    def __init__(self, url: str | None = None, *, path: str | None = None, **options: Any) -> None:
        self.url = url if url is not None else path
        self.options = options
        self._client = _client()

    def create_session(self, session: ConversationSession) -> ConversationSession:
        raise NotImplementedError("MysqlConversationStore.create_session")

    def get_session(self, session_id: str) -> ConversationSession | None:
        raise NotImplementedError("MysqlConversationStore.get_session")

    def update_session(self, session: ConversationSession) -> ConversationSession:
        raise NotImplementedError("MysqlConversationStore.update_session")

    def delete_session(self, session_id: str) -> bool:
        raise NotImplementedError("MysqlConversationStore.delete_session")

    def list_sessions(
        self, user_id: str | None = None, agent_id: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[ConversationSession]:
        raise NotImplementedError("MysqlConversationStore.list_sessions")

    def add_message(self, session_id: str, message: ConversationMessage) -> ConversationMessage:
        raise NotImplementedError("MysqlConversationStore.add_message")

    def add_messages(self, session_id: str, messages: Sequence[ConversationMessage]) -> list[ConversationMessage]:
        # One transaction for the batch is what makes this faster than add_message in a loop.
        raise NotImplementedError("MysqlConversationStore.add_messages")

    def get_messages(
        self, session_id: str, limit: int | None = None, before: float | None = None, after: float | None = None
    ) -> list[ConversationMessage]:
        raise NotImplementedError("MysqlConversationStore.get_messages")

    def delete_messages(self, session_id: str, message_ids: Sequence[str] | None = None) -> int:
        raise NotImplementedError("MysqlConversationStore.delete_messages")

    def close(self) -> None:
        """Release connections and files (TODO); the fixture calls it after every test."""
