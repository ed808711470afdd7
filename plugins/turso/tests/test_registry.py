"""The turso store through the registry: name, alias, URL scheme and mode=."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from praisonai_persist import ConversationMessage, ConversationSession, StoreConnectionError, create_conversation_store
from praisonai_persist_turso import TursoConversationStore


def test_name_alias_and_path(tmp_path: Path) -> None:
    for name in ("turso", "libsql"):
        store = create_conversation_store(name, path=str(tmp_path / f"{name}.db"))
        try:
            assert type(store) is TursoConversationStore
        finally:
            store.close()
    assert (tmp_path / "turso.db").exists() and (tmp_path / "libsql.db").exists()


def test_libsql_url_selects_turso() -> None:
    with pytest.raises(StoreConnectionError, match="libSQL server libsql://127.0.0.1:9"):
        create_conversation_store("libsql://127.0.0.1:9", auth_token="tok-secret-123", max_retries=0)


def test_async_mode(tmp_path: Path) -> None:
    store = create_conversation_store("turso", path=str(tmp_path / "a.db"), mode="async")

    async def run() -> list[str]:
        try:
            await store.create_session(ConversationSession(session_id="s"))
            await store.add_message("s", ConversationMessage(role="user", content="hi 🐍"))
            return [m.content for m in await store.get_messages("s")]
        finally:
            await store.close()

    assert asyncio.run(run()) == ["hi 🐍"]
