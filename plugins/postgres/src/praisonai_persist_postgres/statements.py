"""PostgreSQL-only statements: an append that is one statement, so one round trip.

The schema base appends with ``UPDATE`` + ``INSERT`` in a transaction (four round trips with
``BEGIN``/``COMMIT``). PostgreSQL can bump the session and insert its messages in a single
statement with data-modifying CTEs; a single statement in autocommit is atomic, and
``ON CONFLICT (id) DO NOTHING`` makes a retried append insert nothing twice. The statement
returns (sessions bumped, messages inserted), so a missing session is still an error.
"""

# ruff: noqa: S608  -- only table names from the validated prefix and schema are interpolated

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from praisonai_persist.sql.statements import Statements

__all__ = ["AppendStatements", "append_query", "append_statements"]


@dataclass(frozen=True)
class AppendStatements:
    """``one``: one message (scalar parameters); ``many``: a batch as arrays (any size, one statement)."""

    one: str
    many: str


def append_statements(stmts: Statements) -> AppendStatements:
    """The append statements for the tables of ``stmts``."""
    return _build(stmts.qualified(stmts.sessions_table), stmts.qualified(stmts.messages_table), stmts.dialect.json_type)


def append_query(
    sql: AppendStatements, session_id: str, rows: Sequence[tuple[Any, ...]], now: float
) -> tuple[str, tuple[Any, ...]]:
    """(statement, parameters) appending ``rows`` (in ``MESSAGE_COLUMNS`` order) to ``session_id``."""
    if len(rows) == 1:
        return sql.one, (now, now, session_id, *rows[0])
    ids, _, roles, contents, tool_calls, tool_call_ids, metadata, created = (list(c) for c in zip(*rows, strict=True))
    times = [float(t) for t in created]  # one element type per array: no int/float mix
    return sql.many, (
        now,
        now,
        session_id,
        session_id,
        ids,
        roles,
        contents,
        tool_calls,
        tool_call_ids,
        metadata,
        times,
    )


@lru_cache(maxsize=64)
def _build(qs: str, qm: str, json_type: str) -> AppendStatements:
    touch = (
        f"WITH s AS (UPDATE {qs} SET updated_at = CASE WHEN updated_at IS NULL OR updated_at < %s THEN %s "
        "ELSE updated_at + 0.000001 END WHERE session_id = %s RETURNING 1)"
    )
    cols = "id, session_id, role, content, tool_calls, tool_call_id, metadata, created_at"
    tail = " ON CONFLICT (id) DO NOTHING RETURNING 1) SELECT (SELECT count(*) FROM s), (SELECT count(*) FROM i)"
    one = (
        f"{touch}, i AS (INSERT INTO {qm} ({cols}) "
        f"SELECT %s::text, %s::text, %s::text, %s::text, %s::text::{json_type}, %s::text, %s::text::{json_type}, "
        f"%s::float8 WHERE EXISTS (SELECT 1 FROM s){tail}"
    )
    many = (
        f"{touch}, i AS (INSERT INTO {qm} ({cols}) "
        f"SELECT u.id, %s::text, u.role, u.content, u.tool_calls::{json_type}, u.tool_call_id, "
        f"u.metadata::{json_type}, u.created_at "
        # %b: the arrays travel in binary; psycopg's text-format array dumper escapes every
        # element with a regex, which costs more than the server's work on large batches.
        "FROM unnest(%b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::float8[]) "
        "WITH ORDINALITY AS u(id, role, content, tool_calls, tool_call_id, metadata, created_at, n) "
        f"WHERE EXISTS (SELECT 1 FROM s) ORDER BY u.n{tail}"
    )
    return AppendStatements(one=one, many=many)
