"""SingleStore-only SQL, checked on the generated text (no SingleStore server runs here)."""

from __future__ import annotations

from typing import Any

import pytest

from praisonai_persist import InvalidIdentifierError
from praisonai_persist.sql.statements import build_statements
from praisonai_persist_mysql.dialect import MYSQL_DIALECT
from praisonai_persist_singlestore import SingleStoreConversationStore
from praisonai_persist_singlestore.dialect import singlestore_statements

from .conftest import url_for


def test_rowstore_ddl_has_shard_keys_and_no_foreign_key() -> None:
    s = singlestore_statements("praison_")
    assert s.create_sessions.startswith("CREATE ROWSTORE TABLE IF NOT EXISTS `praison_sessions`")
    assert "PRIMARY KEY (session_id), SHARD KEY (session_id)" in s.create_sessions
    assert s.create_messages.startswith("CREATE ROWSTORE TABLE IF NOT EXISTS `praison_messages`")
    assert "PRIMARY KEY (session_id, id), SHARD KEY (session_id)" in s.create_messages
    assert "seq BIGINT NOT NULL AUTO_INCREMENT," in s.create_messages
    assert "KEY idx_praison_messages_order (session_id, created_at, seq)" in s.create_messages
    for ddl in (s.create_sessions, s.create_messages):
        assert "FOREIGN KEY" not in ddl and "UNIQUE" not in ddl and "InnoDB" not in ddl
        assert ddl.endswith("DEFAULT CHARSET=utf8mb4")
    assert "state JSON, metadata JSON" in s.create_sessions and "tool_calls JSON" in s.create_messages
    # Declared inside CREATE TABLE, except schema 1.1's index: created (and migrated) on its own.
    assert "sessions_updated" not in s.create_sessions
    assert [i.create for i in s.indexes] == [
        "CREATE INDEX `idx_praison_sessions_updated` ON `praison_sessions` (updated_at)"
    ]


def test_columnstore_ddl_has_sort_key_and_hash_keys() -> None:
    s = singlestore_statements("praison_", "columnstore")
    assert s.create_messages.startswith("CREATE TABLE IF NOT EXISTS `praison_messages`")
    assert "ROWSTORE" not in s.create_messages
    assert "PRIMARY KEY (session_id, id) USING HASH, SHARD KEY (session_id)" in s.create_messages
    assert "SORT KEY (session_id, created_at, seq)" in s.create_messages
    assert "KEY idx_praison_messages_seq (seq) USING HASH" in s.create_messages
    # Sessions are updated on every message: always rowstore.
    assert s.create_sessions.startswith("CREATE ROWSTORE TABLE")


def test_duplicate_key_no_op_never_assigns_the_shard_key() -> None:
    s = singlestore_statements("praison_")
    for sql in (s.insert_session, s.insert_message):
        assert sql.endswith("ON DUPLICATE KEY UPDATE created_at = created_at")
        assert "IGNORE" not in sql and "session_id = session_id" not in sql
    assert s.insert_message.count("%s") == 8


def test_compat_rendering_drops_only_singlestore_clauses() -> None:
    native, compat = singlestore_statements("p_"), singlestore_statements("p_", native=False)
    for clause in ("ROWSTORE ", ", SHARD KEY (session_id)"):
        assert clause not in compat.create_sessions + compat.create_messages
    for table in ("create_sessions", "create_messages"):
        stripped = getattr(native, table).replace("ROWSTORE ", "").replace(", SHARD KEY (session_id)", "")
        assert stripped == getattr(compat, table)
    assert native.insert_message == compat.insert_message and native.get_messages == compat.get_messages
    columnar = singlestore_statements("p_", "columnstore", native=False).create_messages
    assert "USING HASH" not in columnar and "SORT KEY" not in columnar


def test_reads_and_updates_are_the_mysql_ones() -> None:
    s, my = singlestore_statements("praison_"), build_statements(MYSQL_DIALECT, "praison_")
    assert s.get_messages == my.get_messages and s.list_sessions == my.list_sessions
    assert s.touch_session == my.touch_session and s.update_session == my.update_session


@pytest.mark.parametrize("bad", ["x; DROP TABLE y", "a`b", ""])
def test_prefix_is_validated(bad: str) -> None:
    with pytest.raises(InvalidIdentifierError):
        singlestore_statements(bad)
    with pytest.raises(InvalidIdentifierError):
        SingleStoreConversationStore("singlestore://root@127.0.0.1:1/test", table_prefix=bad)


def test_options_are_checked() -> None:
    with pytest.raises(ValueError, match="table_type"):
        SingleStoreConversationStore("singlestore://root@127.0.0.1:1/test", table_type="heap")
    with pytest.raises(ValueError, match="flavor"):
        SingleStoreConversationStore("singlestore://root@127.0.0.1:1/test", flavor="oracle")


def test_mariadb_is_detected_as_not_singlestore(admin: Any, database: str) -> None:
    store = SingleStoreConversationStore(url_for(database))
    try:
        assert store.native is False
    finally:
        store.close()
    with admin.cursor() as cur:
        cur.execute(f"SHOW CREATE TABLE `{database}`.praison_messages")
        ddl = cur.fetchall()[0][1]
    assert "FOREIGN KEY" not in ddl and "PRIMARY KEY (`session_id`,`id`)" in ddl


def test_forcing_native_ddl_on_mariadb_fails_clearly(database: str) -> None:
    # MariaDB does not parse SingleStore's DDL: proof that the native text is really different.
    import pymysql

    with pytest.raises(pymysql.err.ProgrammingError):
        SingleStoreConversationStore(url_for(database), flavor="singlestore")
