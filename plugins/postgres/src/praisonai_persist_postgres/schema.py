"""Small PostgreSQL-only helpers around the schema base: the schema namespace, retry checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from praisonai_persist.sql.rows import load_json
from praisonai_persist.sql.statements import Statements

__all__ = ["MIGRATION_LOCK_SQL", "create_schema_sql", "migration_lock_key", "same_session", "schema_exists_sql"]

#: Transaction-scoped advisory lock: stores starting together migrate one after the other
#: (concurrent ``CREATE TABLE IF NOT EXISTS`` can otherwise fail on the catalog's unique index).
MIGRATION_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext(%s))"


def migration_lock_key(stmts: Statements) -> str:
    """The lock's key: the qualified sessions table (one lock per schema and prefix)."""
    return f"praisonai-persist:{stmts.qualified(stmts.sessions_table)}"


def schema_exists_sql() -> str:
    """Whether a schema (name as stored) exists; one parameter."""
    return "SELECT 1 FROM pg_namespace WHERE nspname = %s"


def create_schema_sql(stmts: Statements) -> str:
    """``CREATE SCHEMA`` for the store's schema (a validated identifier)."""
    assert stmts.schema is not None
    return f"CREATE SCHEMA IF NOT EXISTS {stmts.dialect.quote(stmts.schema)}"


def same_session(row: Sequence[Any], params: Sequence[Any]) -> bool:
    """True when ``row`` (as read) holds exactly the session ``params`` (as written) describe.

    A create retried after its reply was lost finds its own row; anything else is a
    different session with the same id.
    """
    if len(row) != len(params):
        return False
    for i, (got, sent) in enumerate(zip(row, params, strict=True)):
        if i in (4, 5):  # state, metadata: JSON text written, decoded JSON read
            got, sent = load_json(got), load_json(sent)
        elif i in (6, 7):
            got = None if got is None else float(got)
            sent = None if sent is None else float(sent)
        if got != sent:
            return False
    return True
