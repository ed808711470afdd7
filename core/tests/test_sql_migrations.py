"""Schema version and in-place migration of SQLite databases made by PraisonAI (DESIGN §3.5)."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from praisonai_persist.backends.sqlite import SQLiteConversationStore, SyncSQLiteConversationStore
from praisonai_persist.errors import InvalidIdentifierError, SchemaVersionError
from praisonai_persist.models import ConversationMessage, ConversationSession
from praisonai_persist.sql.dialect import MYSQL, POSTGRES, SQLITE
from praisonai_persist.sql.migrations import SCHEMA_VERSION, SchemaState, parse_version, plan_migration
from praisonai_persist.sql.statements import build_statements

# PraisonAI's current SQLite DDL, as its store creates it.
PRAISONAI_DDL = """
CREATE TABLE IF NOT EXISTS {p}sessions (session_id TEXT PRIMARY KEY, user_id TEXT, agent_id TEXT,
  name TEXT, state TEXT, metadata TEXT, created_at REAL, updated_at REAL);
CREATE TABLE IF NOT EXISTS {p}messages (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, role TEXT NOT NULL,
  content TEXT, tool_calls TEXT, tool_call_id TEXT, metadata TEXT, created_at REAL,
  FOREIGN KEY (session_id) REFERENCES {p}sessions(session_id) ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS idx_{p}sessions_user ON {p}sessions(user_id);
CREATE INDEX IF NOT EXISTS idx_{p}sessions_agent ON {p}sessions(agent_id);
CREATE INDEX IF NOT EXISTS idx_{p}messages_session ON {p}messages(session_id);
CREATE INDEX IF NOT EXISTS idx_{p}messages_created ON {p}messages(session_id, created_at);
"""

# Older PraisonAI versions: no state, tool_calls or tool_call_id.
OLD_PRAISONAI_DDL = """
CREATE TABLE {p}sessions (session_id TEXT PRIMARY KEY, user_id TEXT, agent_id TEXT,
  name TEXT, metadata TEXT, created_at REAL, updated_at REAL);
CREATE TABLE {p}messages (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, role TEXT NOT NULL,
  content TEXT, metadata TEXT, created_at REAL,
  FOREIGN KEY (session_id) REFERENCES {p}sessions(session_id) ON DELETE CASCADE);
CREATE INDEX idx_{p}messages_session ON {p}messages(session_id);
"""


def _praisonai_db(path: Path, prefix: str, *, old: bool) -> None:
    """A database as PraisonAI leaves it: its DDL and a session with three messages."""
    conn = sqlite3.connect(path)
    conn.executescript((OLD_PRAISONAI_DDL if old else PRAISONAI_DDL).format(p=prefix))
    session_cols = "session_id, user_id, agent_id, name, metadata, created_at, updated_at"
    conn.execute(
        f"INSERT INTO {prefix}sessions ({session_cols}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ("legacy", "u1", "a1", "Legacy chat", json.dumps({"origin": "praisonai"}), 100.0, 103.0),
    )
    for i, (role, content) in enumerate((("user", "hi"), ("assistant", "hello ✓"), ("user", "bye"))):
        conn.execute(
            f"INSERT INTO {prefix}messages (id, session_id, role, content, metadata, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (f"m{i}", "legacy", role, content, json.dumps({}), 100.0 + i),
        )
    conn.commit()
    conn.close()


def _columns(path: Path, table: str) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
    finally:
        conn.close()


def _schema(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute("SELECT name, COALESCE(sql, '') FROM sqlite_master").fetchall())
    finally:
        conn.close()


@pytest.mark.parametrize("prefix", ["praison_", "praisonai_"])
@pytest.mark.parametrize("old", [True, False], ids=["old-ddl", "current-ddl"])
@pytest.mark.parametrize("store_class", [SQLiteConversationStore, SyncSQLiteConversationStore])
def test_praisonai_database_is_upgraded_in_place(
    tmp_path: Path, prefix: str, old: bool, store_class: type[SQLiteConversationStore]
) -> None:
    path = tmp_path / "praisonai.db"
    _praisonai_db(path, prefix, old=old)
    with store_class(path=path, table_prefix=prefix) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.pending_migrations() == []
        # The rows PraisonAI wrote read back unchanged.
        session = store.get_session("legacy")
        assert session is not None
        assert (session.user_id, session.name, session.metadata, session.state) == (
            "u1",
            "Legacy chat",
            {"origin": "praisonai"},
            None,
        )
        got = store.get_messages("legacy")
        assert [(m.id, m.role, m.content, m.metadata, m.tool_calls) for m in got] == [
            ("m0", "user", "hi", {}, None),
            ("m1", "assistant", "hello ✓", {}, None),
            ("m2", "user", "bye", {}, None),
        ]
        # New writes use the added columns.
        call = ConversationMessage(
            role="assistant", content="", tool_calls=[{"id": "c1", "function": {"name": "f"}}], created_at=200.0
        )
        store.add_message("legacy", call)
        store.add_message("legacy", ConversationMessage(role="tool", content="42", tool_call_id="c1", created_at=201.0))
        session.state = {"step": 2}
        store.update_session(session)
        assert store.get_messages("legacy", limit=2)[0].tool_calls == [{"id": "c1", "function": {"name": "f"}}]
        assert store.get_messages("legacy", limit=1)[0].tool_call_id == "c1"
        refreshed = store.get_session("legacy")
        assert refreshed is not None and refreshed.state == {"step": 2}
    assert {"state"} <= _columns(path, f"{prefix}sessions")
    assert {"tool_calls", "tool_call_id"} <= _columns(path, f"{prefix}messages")
    # PraisonAI itself can still read the table with its own columns.
    conn = sqlite3.connect(path)
    assert conn.execute(f"SELECT COUNT(*) FROM {prefix}messages").fetchone() == (5,)
    conn.close()


def test_reopening_an_upgraded_database_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "praisonai.db"
    _praisonai_db(path, "praison_", old=True)
    SQLiteConversationStore(path=path).close()
    before = _schema(path)
    with SQLiteConversationStore(path=path) as store:
        assert store.pending_migrations() == []
    assert _schema(path) == before


def test_newer_major_version_is_refused_and_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.executescript(PRAISONAI_DDL.format(p="praison_"))
    conn.execute(
        "CREATE TABLE praison_schema_version (component TEXT PRIMARY KEY, version TEXT NOT NULL, updated_at REAL)"
    )
    conn.execute("INSERT INTO praison_schema_version VALUES ('conversation', '2.0', 1.0)")
    conn.commit()
    conn.close()
    before_bytes = path.read_bytes()
    before_files = sorted(os.listdir(tmp_path))

    for store_class in (SQLiteConversationStore, SyncSQLiteConversationStore):
        with pytest.raises(SchemaVersionError) as raised:
            store_class(path=path)
        message = str(raised.value)
        assert "2.0" in message and SCHEMA_VERSION in message

    assert path.read_bytes() == before_bytes
    assert sorted(os.listdir(tmp_path)) == before_files


def test_newer_minor_version_opens_without_restamping(tmp_path: Path) -> None:
    path = tmp_path / "minor.db"
    SQLiteConversationStore(path=path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE praison_schema_version SET version = '1.7'")
    conn.commit()
    conn.close()
    with SQLiteConversationStore(path=path) as store:
        store.create_session(ConversationSession(session_id="s"))
        assert store.schema_version() == "1.7"
        assert store.pending_migrations() == []


def test_pending_steps_are_listed_without_being_applied(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _praisonai_db(path, "praison_", old=True)
    before = _schema(path)
    with SQLiteConversationStore(path=path, auto_create_tables=False) as store:
        steps = [str(step) for step in store.pending_migrations()]
        assert steps == [
            "add column praison_sessions.state",
            "add column praison_messages.tool_calls",
            "add column praison_messages.tool_call_id",
            "create index idx_praison_sessions_user",
            "create index idx_praison_sessions_agent",
            "create index idx_praison_sessions_updated",
            "create index idx_praison_messages_created",
            "create table praison_schema_version",
            f"record schema version {SCHEMA_VERSION}",
        ]
        assert store.schema_version() is None
        assert _schema(path) == before  # listing changed nothing
        applied = store.migrate()
        assert [str(step) for step in applied] == steps
        assert store.pending_migrations() == []
        assert store.schema_version() == SCHEMA_VERSION
    assert "state" in _columns(path, "praison_sessions")


def test_empty_file_without_auto_create_lists_table_creation(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    with SQLiteConversationStore(path=path, auto_create_tables=False) as store:
        steps = [str(s) for s in store.pending_migrations()]
        assert steps[:2] == ["create table praison_sessions", "create table praison_messages"]
        assert _schema(path) == []


@pytest.mark.parametrize(
    "prefix",
    ["x; DROP TABLE y; --", "a'b", 'a"b', "a b", "a-b", "", "é_", "a" * 49, "p\n", "a`b"],
)
def test_injection_in_table_prefix_is_rejected(tmp_path: Path, prefix: str) -> None:
    with pytest.raises(InvalidIdentifierError):
        SQLiteConversationStore(path=tmp_path / "x.db", table_prefix=prefix)
    assert not (tmp_path / "x.db").exists()


def test_table_prefix_keeps_tables_apart(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    with (
        SQLiteConversationStore(path=path, table_prefix="app1_") as a,
        SQLiteConversationStore(path=path, table_prefix="app2_") as b,
    ):
        a.create_session(ConversationSession(session_id="s"))
        assert b.get_session("s") is None
        assert b.list_sessions() == []
    names = {n for n, _ in _schema(path)}
    assert {"app1_sessions", "app1_messages", "app2_sessions", "app2_messages"} <= names


# -- pure planning for the other dialects (used by the postgres/mysql plugins) ---------------


@pytest.mark.parametrize("dialect", [POSTGRES, MYSQL], ids=["postgres", "mysql"])
def test_plan_for_old_praisonai_server_tables_adds_columns_and_sequence(dialect: object) -> None:
    stmts = build_statements(dialect, "praison_")  # type: ignore[arg-type]
    state = SchemaState(
        columns={
            "praison_sessions": frozenset(
                {"session_id", "user_id", "agent_id", "name", "metadata", "created_at", "updated_at"}
            ),
            "praison_messages": frozenset({"id", "session_id", "role", "content", "metadata", "created_at"}),
        },
        indexes={"praison_sessions": frozenset(), "praison_messages": frozenset()},
    )
    steps = plan_migration(stmts, state)
    sqls = [sql for step in steps for sql, _ in step.statements]
    assert any("ADD COLUMN state" in s for s in sqls)
    assert any("ADD COLUMN tool_calls" in s for s in sqls)
    assert any("ADD COLUMN tool_call_id" in s for s in sqls)
    assert any("ADD COLUMN seq" in s for s in sqls)
    assert not any(s.startswith("CREATE TABLE IF NOT EXISTS") and "_messages" in s for s in sqls)
    placeholder = "%s"
    assert placeholder in stmts.insert_message and "?" not in stmts.insert_message


def test_statements_for_each_dialect() -> None:
    pg = build_statements(POSTGRES, "MyApp_")
    assert '"myapp_messages"' in pg.insert_message  # folded like PostgreSQL folds unquoted names
    assert pg.insert_message.endswith("ON CONFLICT (id) DO NOTHING")
    assert "JSONB" in pg.create_messages and "DOUBLE PRECISION" in pg.create_messages
    assert "ORDER BY created_at DESC, seq DESC" in pg.get_messages[(False, False, 1)]
    my = build_statements(MYSQL, "praison_")
    assert my.insert_message.startswith("INSERT INTO `praison_messages`")
    # Only the duplicate key is ignored; IGNORE would also truncate over-long values silently.
    assert my.insert_message.endswith("ON DUPLICATE KEY UPDATE id = id")
    assert my.insert_session.endswith("ON DUPLICATE KEY UPDATE session_id = session_id")
    assert "IGNORE" not in my.insert_message + my.insert_session
    assert "LONGTEXT" in my.create_messages and "AUTO_INCREMENT" in my.create_messages
    assert all("IF NOT EXISTS" not in index.create for index in my.indexes)
    lite = build_statements(SQLITE, "praison_")
    assert lite.insert_message.startswith('INSERT OR IGNORE INTO "praison_messages"')
    assert "ORDER BY created_at DESC, rowid DESC LIMIT ?" in lite.get_messages[(False, False, 1)]
    # PostgreSQL keeps 63 characters of a name; index names are cut the same way.
    long_prefix = "p" * 48
    assert all(len(index.name) <= 63 for index in build_statements(POSTGRES, long_prefix).indexes)


def test_version_parsing() -> None:
    assert parse_version("1.0") == (1, 0)
    assert parse_version("2") == (2, 0)
    assert parse_version(" 10.3 ") == (10, 3)
    with pytest.raises(SchemaVersionError):
        parse_version("one.two")


def test_statements_qualified_with_a_schema() -> None:
    from praisonai_persist.errors import InvalidIdentifierError

    pg = build_statements(POSTGRES, "p_", "MySchema")
    assert pg.schema == "MySchema"
    for sql in (pg.insert_message, pg.select_session, pg.create_messages, pg.delete_message_ids(2)):
        assert '"myschema"."p_' in sql
    assert all('ON "myschema"."p_' in index.create for index in pg.indexes)
    assert "table_schema = 'myschema'" in pg.columns_query and "schemaname = 'myschema'" in pg.indexes_query
    plain = build_statements(POSTGRES, "p_")
    assert "current_schema()" in plain.columns_query and '"p_messages"' in plain.insert_message
    assert "DATABASE()" in build_statements(MYSQL, "p_").columns_query
    with pytest.raises(ValueError, match="no schemas"):
        build_statements(SQLITE, "p_", "main")
    with pytest.raises(InvalidIdentifierError):
        build_statements(POSTGRES, "p_", 'x"; DROP TABLE t; --')


def test_version_1_0_database_gains_the_updated_at_index(tmp_path: Path) -> None:
    # A database written by the 1.0 schema: every table and index of 1.0, stamped "1.0".
    path = tmp_path / "v10.db"
    with SQLiteConversationStore(path=path) as store:
        store.create_session(ConversationSession(session_id="s", name="kept"))
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX idx_praison_sessions_updated")
    conn.execute("UPDATE praison_schema_version SET version = '1.0'")
    conn.commit()
    conn.close()
    with SQLiteConversationStore(path=path, auto_create_tables=False) as store:
        assert store.schema_version() == "1.0"
        assert [str(s) for s in store.pending_migrations()] == [
            "create index idx_praison_sessions_updated",
            f"record schema version {SCHEMA_VERSION}",
        ]
        assert store.get_session("s") is not None  # readable before the upgrade
    with SQLiteConversationStore(path=path) as store:
        assert store.schema_version() == SCHEMA_VERSION == "1.1"
        assert store.pending_migrations() == []
        got = store.get_session("s")
        assert got is not None and got.name == "kept"
    conn = sqlite3.connect(path)
    try:
        plan = " ".join(
            str(r[-1])
            for r in conn.execute(
                "EXPLAIN QUERY PLAN SELECT session_id FROM praison_sessions ORDER BY updated_at DESC LIMIT 10"
            )
        )
    finally:
        conn.close()
    assert "idx_praison_sessions_updated" in plan
