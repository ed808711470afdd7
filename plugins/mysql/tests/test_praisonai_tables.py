"""Tables made by PraisonAI's MySQL store are upgraded in place; a newer schema is refused untouched."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from praisonai_persist import ConversationMessage, SchemaVersionError
from praisonai_persist_mysql import AsyncMySQLConversationStore, MySQLConversationStore

from .conftest import url_for


def _praisonai_tables(admin: Any, database: str, prefix: str) -> None:
    """PraisonAI's DDL of a release before ``state``, ``tool_calls`` and ``tool_call_id`` existed."""
    with admin.cursor() as cur:
        cur.execute(f"USE `{database}`")
        cur.execute(
            f"CREATE TABLE {prefix}sessions (session_id VARCHAR(255) PRIMARY KEY, user_id VARCHAR(255), "
            "agent_id VARCHAR(255), name VARCHAR(255), metadata JSON, created_at DOUBLE, updated_at DOUBLE, "
            "INDEX idx_user (user_id), INDEX idx_agent (agent_id), INDEX idx_updated (updated_at DESC)"
            ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
        )
        cur.execute(
            f"CREATE TABLE {prefix}messages (id VARCHAR(255) PRIMARY KEY, session_id VARCHAR(255) NOT NULL, "
            "role VARCHAR(50) NOT NULL, content TEXT, metadata JSON, created_at DOUBLE, "
            "INDEX idx_session (session_id), INDEX idx_created (session_id, created_at), "
            f"FOREIGN KEY (session_id) REFERENCES {prefix}sessions(session_id) ON DELETE CASCADE"
            ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
        )
        # Rows written the way PraisonAI wrote them: JSON text, or NULL for empty metadata.
        cur.execute(
            f"INSERT INTO {prefix}sessions VALUES (%s, %s, %s, %s, %s, %s, %s)",
            ("old-1", "user-1", "agent-1", "Old chat 🚀", json.dumps({"topic": "débat"}), 1700000000.25, 1700000100.5),
        )
        cur.execute(
            f"INSERT INTO {prefix}sessions VALUES (%s, %s, %s, %s, %s, %s, %s)",
            ("old-2", None, None, None, None, 1700000001.0, 1700000001.0),
        )
        rows = [
            ("m1", "old-1", "user", "hello 👋", json.dumps({"lang": "en"}), 1700000010.0),
            ("m2", "old-1", "assistant", "bonjour 🌍", None, 1700000020.0),
        ]
        cur.executemany(f"INSERT INTO {prefix}messages VALUES (%s, %s, %s, %s, %s, %s)", rows)


def _columns(admin: Any, database: str, table: str) -> dict[str, str]:
    with admin.cursor() as cur:
        cur.execute(
            "SELECT column_name, column_type FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
            (database, table),
        )
        return {str(r[0]).lower(): str(r[1]).lower() for r in cur.fetchall()}


@pytest.mark.parametrize("prefix", ["praison_", "praisonai_"])
def test_praisonai_tables_upgraded_in_place(admin: Any, database: str, prefix: str) -> None:
    _praisonai_tables(admin, database, prefix)
    store = MySQLConversationStore(url_for(database), table_prefix=prefix)
    try:
        assert store.pending_migrations() == []
        assert store.schema_version() == store.SCHEMA_VERSION
        session = store.get_session("old-1")
        assert session is not None
        assert (session.user_id, session.agent_id, session.name) == ("user-1", "agent-1", "Old chat 🚀")
        assert session.metadata == {"topic": "débat"}
        assert session.state in (None, {})
        assert (session.created_at, session.updated_at) == (1700000000.25, 1700000100.5)
        bare = store.get_session("old-2")
        assert bare is not None and bare.metadata in (None, {})
        old = store.get_messages("old-1")
        assert [(m.id, m.role, m.content) for m in old] == [
            ("m1", "user", "hello 👋"),
            ("m2", "assistant", "bonjour 🌍"),
        ]
        assert old[0].metadata == {"lang": "en"} and old[1].tool_calls in (None, [])
        # The new columns work, and PraisonAI's narrow columns were widened (no truncation).
        big = "x" * (1 << 20)
        calls = [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]
        store.add_message("old-1", ConversationMessage(role="a-role-longer-than-fifty-characters-" * 2, content=big))
        store.add_message("old-1", ConversationMessage(role="tool", content="ok", tool_calls=calls, tool_call_id="c1"))
        latest = store.get_messages("old-1", limit=2)
        assert len(latest[0].content) == len(big) and latest[0].role.startswith("a-role-longer")
        assert latest[1].tool_calls == calls and latest[1].tool_call_id == "c1"
        assert [s.session_id for s in store.list_sessions()][0] == "old-1"
    finally:
        store.close()
    columns = _columns(admin, database, f"{prefix}messages")
    assert {"tool_calls", "tool_call_id", "seq"} <= set(columns)
    assert columns["content"] == "longtext" and columns["role"] == "varchar(255)"
    assert "state" in _columns(admin, database, f"{prefix}sessions")


def test_praisonai_tables_upgraded_by_async_store(admin: Any, database: str) -> None:
    _praisonai_tables(admin, database, "praisonai_")

    async def run() -> list[str]:
        store = AsyncMySQLConversationStore(url_for(database), table_prefix="praisonai_")
        try:
            await store.add_message("old-1", ConversationMessage(role="user", content="again 🎉"))
            return [m.content for m in await store.get_messages("old-1")]
        finally:
            await store.close()

    assert asyncio.run(run()) == ["hello 👋", "bonjour 🌍", "again 🎉"]
    assert "tool_calls" in _columns(admin, database, "praisonai_messages")


def _snapshot(admin: Any, database: str) -> tuple[Any, ...]:
    with admin.cursor() as cur:
        out: list[Any] = []
        for table in ("praison_sessions", "praison_messages", "praison_schema_version"):
            cur.execute(f"SHOW CREATE TABLE `{database}`.`{table}`")
            out.append(cur.fetchall())
            cur.execute(f"SELECT * FROM `{database}`.`{table}`")
            out.append(sorted(map(repr, cur.fetchall())))
        return tuple(out)


def test_newer_major_schema_version_is_refused_untouched(admin: Any, database: str) -> None:
    _praisonai_tables(admin, database, "praison_")
    with admin.cursor() as cur:
        cur.execute(
            f"CREATE TABLE `{database}`.praison_schema_version (component VARCHAR(255) PRIMARY KEY, "
            "version VARCHAR(255) NOT NULL, updated_at DOUBLE)"
        )
        cur.execute(f"INSERT INTO `{database}`.praison_schema_version VALUES ('conversation', '2.0', 1.0)")
    before = _snapshot(admin, database)
    with pytest.raises(SchemaVersionError, match="2.0"):
        MySQLConversationStore(url_for(database))

    async def open_async() -> None:
        store = AsyncMySQLConversationStore(url_for(database))
        try:
            await store.get_session("old-1")
        finally:
            await store.close()

    with pytest.raises(SchemaVersionError, match="2.0"):
        asyncio.run(open_async())
    assert _snapshot(admin, database) == before
