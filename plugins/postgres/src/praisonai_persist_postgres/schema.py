"""Small PostgreSQL-only helpers around the schema base: the schema namespace and the migration lock."""

from __future__ import annotations

from praisonai_persist.sql.statements import Statements

__all__ = ["MIGRATION_LOCK_SQL", "create_schema_sql", "migration_lock_key", "schema_exists_sql"]

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
