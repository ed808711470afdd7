"""Schema version and additive, in-place migration of the SQL conversation schema.

The version lives in ``{prefix}schema_version`` (one row per component). On connect a store
inspects its tables, refuses a database stamped with a newer major version (touching
nothing), and otherwise creates what is missing and adds the columns older versions of
PraisonAI lacked (``state``, ``tool_calls``, ``tool_call_id``, plus our tie-break column), rows
kept. :func:`plan_migration` is pure, so ``migrate --dry-run`` and ``doctor`` can list the
pending steps without applying them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..errors import SchemaVersionError
from .statements import Statements

__all__ = [
    "COMPONENT",
    "SCHEMA_VERSION",
    "MigrationStep",
    "SchemaState",
    "aapply_steps",
    "ainspect_schema",
    "apply_steps",
    "check_version",
    "inspect_schema",
    "parse_version",
    "plan_migration",
]

#: "major.minor": a minor bump only adds (columns, indexes); a major bump is incompatible.
#: 1.0: the tables, columns and indexes of PraisonAI's schema, plus the tie-break column.
#: 1.1: index ``idx_{prefix}sessions_updated`` on ``sessions(updated_at)`` (list_sessions order);
#: a 1.0 database gets it on connect (or ``migrate``), and 1.0 code still opens a 1.1 database.
SCHEMA_VERSION = "1.1"
#: Row key in the version table (other components may stamp their own rows later).
COMPONENT = "conversation"


class _Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> Any: ...
    def fetchall(self) -> Sequence[Sequence[Any]]: ...


class _AsyncCursor(Protocol):
    async def execute(self, sql: str, params: Sequence[Any] = ..., /) -> Any: ...
    async def fetchall(self) -> Sequence[Sequence[Any]]: ...


@dataclass(frozen=True)
class MigrationStep:
    """One step: what it does, and the statements (SQL, parameters) that do it."""

    description: str
    statements: tuple[tuple[str, tuple[Any, ...]], ...]

    def __str__(self) -> str:
        return self.description


@dataclass
class SchemaState:
    """What a database holds: columns and indexes of our existing tables, and the stamp."""

    columns: dict[str, frozenset[str]] = field(default_factory=dict)
    indexes: dict[str, frozenset[str]] = field(default_factory=dict)
    version: str | None = None


def parse_version(text: str) -> tuple[int, int]:
    """``"1.2"`` -> ``(1, 2)``; anything else raises :class:`SchemaVersionError`."""
    try:
        major, _, minor = str(text).strip().partition(".")
        return int(major), int(minor or 0)
    except ValueError:
        raise SchemaVersionError(
            f"The database records schema version {text!r}, which is not 'major.minor'. "
            "Check the schema_version table; nothing was changed."
        ) from None


def check_version(stamped: str | None, *, where: str = "the database", current: str = SCHEMA_VERSION) -> None:
    """Raise :class:`SchemaVersionError` if ``stamped`` has a newer major than ``current``."""
    if stamped is None:
        return
    if parse_version(stamped)[0] > parse_version(current)[0]:
        raise SchemaVersionError(
            f"{where} was written with conversation schema version {stamped}, newer than version "
            f"{current} that this praisonai-persist knows. Upgrade praisonai-persist to open it; "
            "nothing was changed."
        )


def _needs_stamp(stamped: str | None, current: str) -> bool:
    return stamped is None or parse_version(stamped) < parse_version(current)


def plan_migration(stmts: Statements, state: SchemaState, *, current: str = SCHEMA_VERSION) -> list[MigrationStep]:
    """The steps that bring ``state`` to ``current`` (empty when up to date). Pure, no I/O.

    Raises :class:`SchemaVersionError` for a database stamped with a newer major version.
    """
    check_version(state.version, current=current)
    steps: list[MigrationStep] = []
    tables = state.columns
    for table, create in ((stmts.sessions_table, stmts.create_sessions), (stmts.messages_table, stmts.create_messages)):
        if table not in tables:
            steps.append(MigrationStep(f"create table {table}", ((create, ()),)))
    for table, additions in stmts.added_columns.items():
        have = tables.get(table)
        if have is None:
            continue  # created above with every column
        for column, sql in additions:
            if column.lower() not in have:
                steps.append(MigrationStep(f"add column {table}.{column}", ((sql, ()),)))
    for index in stmts.indexes:
        if index.name.lower() not in state.indexes.get(index.table, frozenset()):
            steps.append(MigrationStep(f"create index {index.name}", ((index.create, ()),)))
    if stmts.version_table not in tables:
        steps.append(MigrationStep(f"create table {stmts.version_table}", ((stmts.create_version, ()),)))
    if _needs_stamp(state.version, current):
        now = time.time()
        steps.append(
            MigrationStep(
                f"record schema version {current}",
                ((stmts.delete_version, (COMPONENT,)), (stmts.insert_version, (COMPONENT, current, now))),
            )
        )
    return steps


def _names(rows: Sequence[Sequence[Any]]) -> frozenset[str]:
    return frozenset(str(r[0]).lower() for r in rows)


def inspect_schema(cursor: _Cursor, stmts: Statements) -> SchemaState:
    """Read the columns, indexes and version stamp of our tables through a DB-API cursor."""
    state = SchemaState()
    for table in (stmts.sessions_table, stmts.messages_table, stmts.version_table):
        cursor.execute(stmts.columns_query, (table,))
        columns = _names(cursor.fetchall())
        if columns:
            state.columns[table] = columns
            cursor.execute(stmts.indexes_query, (table,))
            state.indexes[table] = _names(cursor.fetchall())
    if stmts.version_table in state.columns:
        cursor.execute(stmts.select_version, (COMPONENT,))
        rows = cursor.fetchall()
        state.version = str(rows[0][0]) if rows else None
    return state


async def ainspect_schema(cursor: _AsyncCursor, stmts: Statements) -> SchemaState:
    """Async twin of :func:`inspect_schema`."""
    state = SchemaState()
    for table in (stmts.sessions_table, stmts.messages_table, stmts.version_table):
        await cursor.execute(stmts.columns_query, (table,))
        columns = _names(await cursor.fetchall())
        if columns:
            state.columns[table] = columns
            await cursor.execute(stmts.indexes_query, (table,))
            state.indexes[table] = _names(await cursor.fetchall())
    if stmts.version_table in state.columns:
        await cursor.execute(stmts.select_version, (COMPONENT,))
        rows = await cursor.fetchall()
        state.version = str(rows[0][0]) if rows else None
    return state


def apply_steps(cursor: _Cursor, steps: Sequence[MigrationStep]) -> None:
    """Execute the steps in order (the caller owns the transaction)."""
    for step in steps:
        for sql, params in step.statements:
            cursor.execute(sql, params)


async def aapply_steps(cursor: _AsyncCursor, steps: Sequence[MigrationStep]) -> None:
    """Async twin of :func:`apply_steps`."""
    for step in steps:
        for sql, params in step.statements:
            await cursor.execute(sql, params)
