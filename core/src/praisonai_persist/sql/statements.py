"""Every SQL text of the conversation schema, built once per (dialect, table prefix).

Pure functions, no I/O. Table names come from a validated prefix; every value is a bound
parameter. Statements are written with ``?`` and converted to the dialect's paramstyle.
"""

# ruff: noqa: S608  -- the only interpolated parts are identifiers checked by validate_identifier

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..identifiers import validate_identifier
from .dialect import Dialect

__all__ = [
    "MESSAGE_COLUMNS",
    "SESSION_COLUMNS",
    "IndexSpec",
    "Statements",
    "bind_params",
    "build_statements",
]

SESSION_COLUMNS = ("session_id", "user_id", "agent_id", "name", "state", "metadata", "created_at", "updated_at")
MESSAGE_COLUMNS = ("id", "session_id", "role", "content", "tool_calls", "tool_call_id", "metadata", "created_at")

#: get_messages modes: every message, the most recent N, the first N.
MODE_ALL, MODE_NEWEST, MODE_OLDEST = 0, 1, 2

#: Largest number of ids in one ``IN (...)`` list (SQLite's old limit is 999 parameters).
MAX_IDS_PER_STATEMENT = 500


def bind_params(sql: str, paramstyle: str) -> str:
    """Rewrite ``?`` placeholders into ``paramstyle`` (qmark, format or numeric)."""
    if paramstyle == "qmark":
        return sql
    if paramstyle == "format":
        return sql.replace("?", "%s")
    if paramstyle == "numeric":
        parts = sql.split("?")
        out = [parts[0]]
        for i, part in enumerate(parts[1:], start=1):
            out.append(f"${i}{part}")
        return "".join(out)
    raise ValueError(f"Unsupported paramstyle {paramstyle!r}; use qmark, format or numeric.")


@dataclass(frozen=True)
class IndexSpec:
    """An index we expect: its name as the catalog stores it, and its CREATE statement."""

    name: str
    table: str
    create: str


@dataclass(frozen=True)
class Statements:
    """All statement texts for one dialect and table prefix (see :func:`build_statements`)."""

    dialect: Dialect
    prefix: str
    #: Schema that qualifies every table name (``None``: the connection's current schema).
    schema: str | None
    #: Table names as the catalog stores them (for introspection parameters).
    sessions_table: str
    messages_table: str
    version_table: str
    create_sessions: str
    create_messages: str
    create_version: str
    indexes: tuple[IndexSpec, ...]
    #: Columns added in place when an older table lacks them: table -> ((column, ALTER), ...).
    added_columns: dict[str, tuple[tuple[str, str], ...]]
    columns_query: str
    indexes_query: str
    select_version: str
    delete_version: str
    insert_version: str
    insert_session: str
    select_session: str
    session_exists: str
    update_session: str
    restore_session: str
    select_updated_at: str
    delete_session: str
    delete_session_messages: str
    touch_session: str
    insert_message: str
    delete_messages_all: str
    list_sessions: dict[tuple[bool, bool], str]
    get_messages: dict[tuple[bool, bool, int], str]
    _delete_ids: dict[int, str] = field(default_factory=dict, compare=False, repr=False)

    def qualified(self, table: str) -> str:
        """``table`` quoted, and qualified with the schema when the store names one."""
        d = self.dialect
        return d.quote(table) if self.schema is None else f"{d.quote(self.schema)}.{d.quote(table)}"

    def delete_message_ids(self, count: int) -> str:
        """``DELETE`` of ``count`` message ids of one session (cached per count)."""
        sql = self._delete_ids.get(count)
        if sql is None:
            marks = ", ".join("?" * count)
            sql = bind_params(
                f"DELETE FROM {self.qualified(self.messages_table)} WHERE session_id = ? AND id IN ({marks})",
                self.dialect.paramstyle,
            )
            self._delete_ids[count] = sql
        return sql


@lru_cache(maxsize=64)
def build_statements(dialect: Dialect, prefix: str, schema: str | None = None) -> Statements:
    """Build (once, cached) every statement for ``dialect``, ``prefix`` and ``schema``.

    With ``schema`` every table name is qualified with it (no reliance on a ``search_path``,
    which transaction-mode poolers do not keep); without it the connection's current schema
    is used, as PraisonAI did.
    """
    validate_identifier(prefix, "table_prefix", allow_empty=False)
    d = dialect
    if schema is not None:
        validate_identifier(schema, "schema", allow_empty=False)
        if d.schema_expr is None:
            raise ValueError(f"The {d.name} dialect has no schemas; leave schema unset.")
    sessions, messages, version = (d.stored_name(f"{prefix}{t}") for t in ("sessions", "messages", "schema_version"))

    def qual(table: str) -> str:
        return d.quote(table) if schema is None else f"{d.quote(schema)}.{d.quote(table)}"

    qs, qm, qv = qual(sessions), qual(messages), qual(version)
    # A validated identifier as a string literal, or the engine's "current schema" expression.
    in_schema = f"'{d.stored_name(schema)}'" if schema is not None else (d.schema_expr or "")
    tb = d.tiebreak_column

    def b(sql: str) -> str:
        return bind_params(sql, d.paramstyle)

    def ignore(table: str, columns: tuple[str, ...], key: str) -> str:
        marks = ", ".join("?" * len(columns))
        suffix = d.insert_ignore_suffix.format(key=key)
        return b(f"{d.insert_ignore_prefix} {table} ({', '.join(columns)}) VALUES ({marks}){suffix}")

    create_sessions = (
        f"CREATE TABLE IF NOT EXISTS {qs} (session_id {d.id_type} PRIMARY KEY, user_id {d.id_type}, "
        f"agent_id {d.id_type}, name {d.text_type}, state {d.json_type}, metadata {d.json_type}, "
        f"created_at {d.float_type}, updated_at {d.float_type}){d.table_options}"
    )
    seq = f", {d.seq_column_ddl}" if d.seq_column_ddl else ""
    create_messages = (
        f"CREATE TABLE IF NOT EXISTS {qm} (id {d.id_type} PRIMARY KEY, session_id {d.id_type} NOT NULL, "
        f"role {d.id_type} NOT NULL, content {d.text_type}, tool_calls {d.json_type}, "
        f"tool_call_id {d.id_type}, metadata {d.json_type}, created_at {d.float_type}{seq}, "
        f"FOREIGN KEY (session_id) REFERENCES {qs}(session_id) ON DELETE CASCADE){d.table_options}"
    )
    create_version = (
        f"CREATE TABLE IF NOT EXISTS {qv} (component {d.id_type} PRIMARY KEY, version {d.id_type} NOT NULL, "
        f"updated_at {d.float_type}){d.table_options}"
    )

    def index(table: str, suffix: str, columns: str) -> IndexSpec:
        # Engines cut long names silently; cut them ourselves so introspection finds them.
        name = d.stored_name(f"idx_{prefix}{suffix}")[: d.max_identifier_length]
        guard = "IF NOT EXISTS " if d.create_index_if_not_exists else ""
        return IndexSpec(name, table, f"CREATE INDEX {guard}{d.quote(name)} ON {qual(table)} ({columns})")

    indexes = [
        index(sessions, "sessions_user", "user_id"),
        index(sessions, "sessions_agent", "agent_id"),
        # Serves list_sessions' ORDER BY updated_at DESC (scanned backwards); PraisonAI's name.
        # Added in schema 1.1: older tables get it by migration.
        index(sessions, "sessions_updated", "updated_at"),
        index(messages, "messages_session", "session_id"),
        # SQLite appends the rowid to every index, so this one also serves the tie-break.
        index(messages, "messages_created", "session_id, created_at"),
    ]
    if d.seq_column_ddl:
        indexes.append(index(messages, "messages_order", f"session_id, created_at, {tb}"))

    def add(table: str, column: str, type_: str) -> tuple[str, str]:
        return column, d.add_column.format(table=qual(table), column=column, type=type_)

    message_additions = [add(messages, "tool_calls", d.json_type), add(messages, "tool_call_id", d.id_type)]
    if d.seq_column_ddl:
        name, _, type_ = d.seq_column_ddl.partition(" ")
        message_additions.append(add(messages, name, type_))
    added_columns = {
        sessions: (add(sessions, "state", d.json_type),),
        messages: tuple(message_additions),
    }

    scols = ", ".join(SESSION_COLUMNS)
    mcols = ", ".join(MESSAGE_COLUMNS)
    list_sessions: dict[tuple[bool, bool], str] = {}
    for by_user in (False, True):
        for by_agent in (False, True):
            conds = [c for c, on in (("user_id = ?", by_user), ("agent_id = ?", by_agent)) if on]
            where = f" WHERE {' AND '.join(conds)}" if conds else ""
            list_sessions[(by_user, by_agent)] = b(
                f"SELECT {scols} FROM {qs}{where} ORDER BY updated_at DESC, session_id ASC {d.limit_offset}"
            )

    get_messages: dict[tuple[bool, bool, int], str] = {}
    for has_before in (False, True):
        for has_after in (False, True):
            conds = ["session_id = ?"]
            if has_before:
                conds.append("created_at < ?")
            if has_after:
                conds.append("created_at > ?")
            where = " AND ".join(conds)
            for mode in (MODE_ALL, MODE_NEWEST, MODE_OLDEST):
                order = "DESC" if mode == MODE_NEWEST else "ASC"
                limit = "" if mode == MODE_ALL else f" {d.limit_only}"
                get_messages[(has_before, has_after, mode)] = b(
                    f"SELECT {mcols} FROM {qm} WHERE {where} ORDER BY created_at {order}, {tb} {order}{limit}"
                )

    return Statements(
        dialect=d,
        prefix=prefix,
        schema=schema,
        sessions_table=sessions,
        messages_table=messages,
        version_table=version,
        create_sessions=create_sessions,
        create_messages=create_messages,
        create_version=create_version,
        indexes=tuple(indexes),
        added_columns=added_columns,
        columns_query=b(d.columns_query.replace("{schema}", in_schema)),
        indexes_query=b(d.indexes_query.replace("{schema}", in_schema)),
        select_version=b(f"SELECT version FROM {qv} WHERE component = ?"),
        delete_version=b(f"DELETE FROM {qv} WHERE component = ?"),
        insert_version=b(f"INSERT INTO {qv} (component, version, updated_at) VALUES (?, ?, ?)"),
        insert_session=ignore(qs, SESSION_COLUMNS, "session_id"),
        select_session=b(f"SELECT {scols} FROM {qs} WHERE session_id = ?"),
        session_exists=b(f"SELECT 1 FROM {qs} WHERE session_id = ?"),
        update_session=b(
            f"UPDATE {qs} SET user_id = ?, agent_id = ?, name = ?, state = ?, metadata = ?, "
            "updated_at = CASE WHEN updated_at IS NULL OR updated_at < ? THEN ? ELSE updated_at + 0.000001 END "
            "WHERE session_id = ?"
        ),
        restore_session=b(
            f"UPDATE {qs} SET user_id = ?, agent_id = ?, name = ?, state = ?, metadata = ?, created_at = ?, "
            "updated_at = ? WHERE session_id = ?"
        ),
        select_updated_at=b(f"SELECT updated_at FROM {qs} WHERE session_id = ?"),
        delete_session=b(f"DELETE FROM {qs} WHERE session_id = ?"),
        delete_session_messages=b(f"DELETE FROM {qm} WHERE session_id = ?"),
        # Strictly increasing even on coarse clocks, so the latest activity always sorts first;
        # it also makes MySQL report the row as changed (rowcount 1) without CLIENT_FOUND_ROWS.
        touch_session=b(
            f"UPDATE {qs} SET updated_at = CASE WHEN updated_at IS NULL OR updated_at < ? THEN ? "
            "ELSE updated_at + 0.000001 END WHERE session_id = ?"
        ),
        insert_message=ignore(qm, MESSAGE_COLUMNS, "id"),
        delete_messages_all=b(f"DELETE FROM {qm} WHERE session_id = ?"),
        list_sessions=list_sessions,
        get_messages=get_messages,
    )
