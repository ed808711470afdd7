"""Tables made by PraisonAI are upgraded in place; a newer major schema is refused untouched.

The legacy tables are created as PraisonAI's postgres store creates them
(praisonai/persistence/conversation/postgres.py: ``{schema}.{prefix}sessions`` and
``{prefix}messages``, JSONB, DOUBLE PRECISION epoch times), minus the columns older versions
lacked (``state``, ``tool_calls``, ``tool_call_id``).
"""

from __future__ import annotations

import json

import psycopg
import pytest

from praisonai_persist import ConversationMessage, SchemaVersionError
from praisonai_persist.sql import SCHEMA_VERSION
from praisonai_persist_postgres import AsyncPostgresConversationStore, PostgresConversationStore


def make_legacy_tables(admin: psycopg.Connection, schema: str, prefix: str) -> None:
    """PraisonAI's tables of an older version, with two sessions and three messages."""
    s, m = f"{schema}.{prefix}sessions", f"{schema}.{prefix}messages"
    admin.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    admin.execute(
        f"CREATE TABLE {s} (session_id VARCHAR(255) PRIMARY KEY, user_id VARCHAR(255), agent_id VARCHAR(255), "
        "name VARCHAR(255), metadata JSONB, created_at DOUBLE PRECISION, updated_at DOUBLE PRECISION)"
    )
    admin.execute(f"CREATE INDEX idx_{prefix}sessions_user ON {s}(user_id)")
    admin.execute(f"CREATE INDEX idx_{prefix}sessions_updated ON {s}(updated_at DESC)")
    admin.execute(
        f"CREATE TABLE {m} (id VARCHAR(255) PRIMARY KEY, session_id VARCHAR(255) NOT NULL "
        f"REFERENCES {s}(session_id) ON DELETE CASCADE, role VARCHAR(50) NOT NULL, content TEXT, "
        "metadata JSONB, created_at DOUBLE PRECISION DEFAULT EXTRACT(EPOCH FROM NOW()))"
    )
    admin.execute(f"CREATE INDEX idx_{prefix}messages_session ON {m}(session_id)")
    for sid, user, t in (("s1", "alice", 100.0), ("s2", "bob", 200.0)):
        admin.execute(
            f"INSERT INTO {s} VALUES (%s, %s, 'agent', %s, %s, %s, %s)",
            (sid, user, f"chat {sid}", json.dumps({"topic": sid}), t, t),
        )
    # Two messages share a timestamp: the upgrade must keep their insertion order.
    rows = [("m1", "s1", "user", "hello", 101.0), ("m2", "s1", "assistant", "hi there", 102.0)]
    rows.append(("m3", "s1", "user", "same time", 102.0))
    for mid, sid, role, content, t in rows:
        admin.execute(
            f"INSERT INTO {m} VALUES (%s, %s, %s, %s, %s, %s)", (mid, sid, role, content, json.dumps({"n": mid}), t)
        )


def columns(admin: psycopg.Connection, schema: str, table: str) -> set[str]:
    rows = admin.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
        (schema, table),
    ).fetchall()
    return {r[0] for r in rows}


@pytest.mark.parametrize("prefix", ["praison_", "praisonai_"])
def test_praisonai_tables_are_upgraded_and_read_back(
    admin: psycopg.Connection, schema: str, pg_url: str, prefix: str
) -> None:
    make_legacy_tables(admin, schema, prefix)
    assert "state" not in columns(admin, schema, f"{prefix}sessions")

    store = PostgresConversationStore(pg_url, schema=schema, table_prefix=prefix)
    try:
        assert store.schema_version() == SCHEMA_VERSION
        assert {"state"} <= columns(admin, schema, f"{prefix}sessions")
        assert {"tool_calls", "tool_call_id", "seq"} <= columns(admin, schema, f"{prefix}messages")

        session = store.get_session("s1")
        assert session is not None
        assert (session.user_id, session.name, session.metadata, session.state) == (
            "alice",
            "chat s1",
            {"topic": "s1"},
            None,
        )
        got = store.get_messages("s1")
        assert [(m.id, m.role, m.content, m.metadata) for m in got] == [
            ("m1", "user", "hello", {"n": "m1"}),
            ("m2", "assistant", "hi there", {"n": "m2"}),
            ("m3", "user", "same time", {"n": "m3"}),
        ]
        assert [m.tool_calls for m in got] == [None, None, None]
        assert [s.session_id for s in store.list_sessions()] == ["s2", "s1"]

        # New rows use the new columns, beside the old ones.
        calls = [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]
        store.add_message("s1", ConversationMessage(role="assistant", content="", tool_calls=calls, created_at=103.0))
        store.add_message("s1", ConversationMessage(role="tool", content="42", tool_call_id="c1", created_at=104.0))
        got = store.get_messages("s1", limit=2)
        assert got[0].tool_calls == calls and got[1].tool_call_id == "c1"
        assert [m.id for m in store.get_messages("s1")][:3] == ["m1", "m2", "m3"]
    finally:
        store.close()


async def test_async_store_upgrades_praisonai_tables(admin: psycopg.Connection, schema: str, pg_url: str) -> None:
    make_legacy_tables(admin, schema, "praison_")
    store = AsyncPostgresConversationStore(pg_url, schema=schema)
    try:
        assert [m.id for m in await store.get_messages("s1")] == ["m1", "m2", "m3"]
        assert await store.schema_version() == SCHEMA_VERSION
        assert "tool_calls" in columns(admin, schema, "praison_messages")
    finally:
        await store.close()


def test_pending_migrations_lists_the_steps_without_applying(
    admin: psycopg.Connection, schema: str, pg_url: str
) -> None:
    make_legacy_tables(admin, schema, "praison_")
    store = PostgresConversationStore(pg_url, schema=schema, auto_create_tables=False)
    try:
        steps = [str(s) for s in store.pending_migrations()]
        assert "add column praison_sessions.state" in steps
        assert "add column praison_messages.tool_calls" in steps
        assert "state" not in columns(admin, schema, "praison_sessions")
        assert [str(s) for s in store.migrate()] == steps
        assert store.pending_migrations() == []
    finally:
        store.close()


def snapshot(admin: psycopg.Connection, schema: str) -> list[tuple[object, ...]]:
    """Every column of every table in the schema, and every row count: what 'untouched' means."""
    cols = admin.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = %s "
        "ORDER BY 1, 2",
        (schema,),
    ).fetchall()
    idx = admin.execute("SELECT indexname FROM pg_indexes WHERE schemaname = %s ORDER BY 1", (schema,)).fetchall()
    counts = [
        (t, admin.execute(f'SELECT count(*) FROM "{schema}"."{t}"').fetchone()) for t in sorted({c[0] for c in cols})
    ]
    return [*cols, *idx, *counts]


def test_newer_major_schema_raises_and_is_left_untouched(admin: psycopg.Connection, schema: str, pg_url: str) -> None:
    make_legacy_tables(admin, schema, "praison_")
    # A future praisonai-persist stamped version 2.0 (and, say, still lacks our columns).
    admin.execute(
        f"CREATE TABLE {schema}.praison_schema_version (component VARCHAR(255) PRIMARY KEY, "
        "version VARCHAR(255) NOT NULL, updated_at DOUBLE PRECISION)"
    )
    admin.execute(f"INSERT INTO {schema}.praison_schema_version VALUES ('conversation', '2.0', 1)")
    before = snapshot(admin, schema)

    with pytest.raises(SchemaVersionError, match="2.0"):
        PostgresConversationStore(pg_url, schema=schema)
    assert snapshot(admin, schema) == before
    assert "state" not in columns(admin, schema, "praison_sessions")


async def test_async_newer_major_schema_raises_and_is_left_untouched(
    admin: psycopg.Connection, schema: str, pg_url: str
) -> None:
    PostgresConversationStore(pg_url, schema=schema).close()
    admin.execute(f"UPDATE {schema}.praison_schema_version SET version = '3.1'")
    before = snapshot(admin, schema)
    store = AsyncPostgresConversationStore(pg_url, schema=schema)
    try:
        with pytest.raises(SchemaVersionError, match="3.1"):
            await store.get_session("s1")
    finally:
        await store.close()
    assert snapshot(admin, schema) == before


def test_stores_starting_together_migrate_one_after_the_other(schema: str, pg_url: str) -> None:
    import threading

    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def start() -> None:
        try:
            barrier.wait()
            PostgresConversationStore(pg_url, schema=schema, pool_size=1).close()
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    store = PostgresConversationStore(pg_url, schema=schema)
    try:
        assert store.pending_migrations() == [] and store.schema_version() == SCHEMA_VERSION
    finally:
        store.close()
