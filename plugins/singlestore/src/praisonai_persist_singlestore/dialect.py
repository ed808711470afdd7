"""Everything SingleStore does differently from MySQL, in one place: the DDL and the no-op inserts.

SingleStore speaks the MySQL protocol and SQL, but it is a distributed database:

* every table has a **shard key**; rows of one session share ``session_id`` as shard key so a
  history read touches one partition, and every unique key must contain the shard key, so the
  messages' key is ``(session_id, id)`` and the tie-break ``seq`` is a plain (non-unique) key;
* **no FOREIGN KEY**: the SQL base already deletes a session's messages explicitly;
* tables are **rowstore** (sessions are updated on every message) or, on request, messages are
  a **columnstore** with a sort key ``(session_id, created_at, seq)`` and hash keys;
* ``AUTO_INCREMENT`` values are unique and increase per aggregator (not across aggregators), which
  is what the tie-break on equal ``created_at`` needs inside one writer's session;
* ``ON DUPLICATE KEY UPDATE`` may not assign a shard key column, so the duplicate-key no-op assigns
  ``created_at`` to itself (still 1 affected row for an insert, 0 for a duplicate);
* ``JSON`` is a native type; indexes are declared inside ``CREATE TABLE``.

With ``native=False`` the same layout is rendered without the SingleStore-only clauses (``SHARD
KEY``, ``SORT KEY``, ``ROWSTORE``, ``USING HASH``): that is what runs on MySQL/MariaDB, where the
tests exercise every statement of this module except those clauses.
"""

# ruff: noqa: S608  -- the only interpolated parts are identifiers checked by validate_identifier

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from praisonai_persist.sql.statements import MESSAGE_COLUMNS, SESSION_COLUMNS, Statements, bind_params, build_statements
from praisonai_persist_mysql.dialect import MYSQL_DIALECT

__all__ = ["ROWSTORE", "COLUMNSTORE", "SINGLESTORE", "TABLE_TYPES", "singlestore_statements"]

ROWSTORE, COLUMNSTORE = "rowstore", "columnstore"
TABLE_TYPES = (ROWSTORE, COLUMNSTORE)

SINGLESTORE = replace(
    MYSQL_DIALECT,
    name="singlestore",
    # Not UNIQUE: a unique key would have to contain the shard key.
    seq_column_ddl="seq BIGINT NOT NULL AUTO_INCREMENT",
    table_options=" DEFAULT CHARSET=utf8mb4",
)


def _no_op_insert(table: str, columns: tuple[str, ...]) -> str:
    marks = ", ".join("?" * len(columns))
    return bind_params(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) ON DUPLICATE KEY UPDATE created_at = created_at",
        "format",
    )


@lru_cache(maxsize=64)
def singlestore_statements(prefix: str, table_type: str = ROWSTORE, native: bool = True) -> Statements:
    """The statements of :func:`build_statements` with SingleStore's DDL and no-op inserts.

    ``native=False`` drops the clauses only SingleStore understands (for MySQL/MariaDB).
    """
    if table_type not in TABLE_TYPES:
        raise ValueError(f"table_type must be one of {', '.join(TABLE_TYPES)}, got {table_type!r}.")
    base = build_statements(SINGLESTORE, prefix)
    d = SINGLESTORE
    qs, qm = d.quote(base.sessions_table), d.quote(base.messages_table)
    t = d.id_type
    columnar = table_type == COLUMNSTORE

    def clause(text: str) -> str:
        return f", {text}" if native else ""

    rowstore_kw = "ROWSTORE " if native else ""
    create_sessions = (
        f"CREATE {rowstore_kw}TABLE IF NOT EXISTS {qs} (session_id {t} NOT NULL, user_id {t}, agent_id {t}, "
        f"name {d.text_type}, state {d.json_type}, metadata {d.json_type}, created_at {d.float_type}, "
        f"updated_at {d.float_type}, PRIMARY KEY (session_id){clause('SHARD KEY (session_id)')}, "
        f"KEY idx_{prefix}sessions_user (user_id), KEY idx_{prefix}sessions_agent (agent_id)){d.table_options}"
    )
    hash_ = " USING HASH" if native and columnar else ""
    messages_kind = "" if columnar else rowstore_kw
    if columnar:
        order_key = clause(f"SORT KEY (session_id, created_at, {d.tiebreak_column})")
        order_index = f"KEY idx_{prefix}messages_seq ({d.tiebreak_column}){hash_}"
    else:
        order_key = ""
        order_index = (
            f"KEY idx_{prefix}messages_order (session_id, created_at, {d.tiebreak_column}), "
            f"KEY idx_{prefix}messages_seq ({d.tiebreak_column})"
        )
    create_messages = (
        f"CREATE {messages_kind}TABLE IF NOT EXISTS {qm} (id {t} NOT NULL, session_id {t} NOT NULL, "
        f"role {t} NOT NULL, content {d.text_type}, tool_calls {d.json_type}, tool_call_id {t}, "
        f"metadata {d.json_type}, created_at {d.float_type}, {d.seq_column_ddl}, "
        f"PRIMARY KEY (session_id, id){hash_}{clause('SHARD KEY (session_id)')}{order_key}, "
        f"{order_index}){d.table_options}"
    )
    return replace(
        base,
        create_sessions=create_sessions,
        create_messages=create_messages,
        # Declared inside CREATE TABLE above (columnstore tables take no CREATE INDEX on several
        # columns), except schema 1.1's index on the (always rowstore) sessions table: a CREATE
        # INDEX, so that 1.0 tables gain it by migration too.
        indexes=tuple(i for i in base.indexes if i.name == f"idx_{prefix}sessions_updated"),
        insert_session=_no_op_insert(qs, SESSION_COLUMNS),
        insert_message=_no_op_insert(qm, MESSAGE_COLUMNS),
    )
