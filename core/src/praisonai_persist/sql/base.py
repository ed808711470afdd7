"""``SQLConversationStoreBase``: every SQL conversation store's CRUD, written once.

A subclass supplies a dialect (class attributes) and the connection hooks: ``_connect()``
(open connections; called by ``__init__``), ``_transaction()`` (a write transaction yielding a
DB-API cursor, committed on success and rolled back on error), ``_reading()`` (a cursor for
reads) and ``_close_connections()``. It sets its own attributes, then calls
``super().__init__(...)``, which validates the options, connects and checks the schema.
"""

from __future__ import annotations

import time
from abc import abstractmethod
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any, TypeVar

from ..conversation import ConversationStore
from ..errors import SessionExistsError, SessionNotFoundError
from ..models import ConversationMessage, ConversationSession
from .common import Cursor, SQLStoreCommon, chunks, messages_from_rows
from .migrations import MigrationStep, SchemaState, apply_steps, check_version, inspect_schema, plan_migration
from .rows import dump_json, message_params, same_session, session_from_row, session_params
from .statements import MAX_IDS_PER_STATEMENT

__all__ = ["SQLConversationStoreBase", "_SQLConversationStoreBase"]

_T = TypeVar("_T")


class SQLConversationStoreBase(SQLStoreCommon, ConversationStore):
    """Conversation store over any SQL engine with a DB-API driver (see the module docstring)."""

    def __init__(
        self,
        *,
        url: str | None = None,
        table_prefix: str = "praison_",
        auto_create_tables: bool = True,
        max_retries: int | None = None,
        retry_delay: float | None = None,
        schema: str | None = None,
    ) -> None:
        self._init_common(
            table_prefix=table_prefix,
            auto_create_tables=auto_create_tables,
            max_retries=max_retries,
            retry_delay=retry_delay,
            url=url,
            schema=schema,
        )
        self._connect()
        try:
            self._ensure_schema()
        except BaseException:
            self._close_connections()
            raise

    # -- connection hooks ----------------------------------------------------------------

    def _connect(self) -> None:
        """Open connections (or a pool); the default opens nothing and connects per call."""

    @abstractmethod
    def _transaction(self) -> AbstractContextManager[Cursor]:
        """A write transaction: commit when the block ends, roll back when it raises."""

    @abstractmethod
    def _reading(self) -> AbstractContextManager[Cursor]:
        """A cursor for reads (a transaction is not required)."""

    @abstractmethod
    def _close_connections(self) -> None:
        """Close every connection the store opened."""

    # -- retry ---------------------------------------------------------------------------

    def _write(self, op: Callable[[Cursor], _T]) -> _T:
        """Run ``op`` in a write transaction, retrying the whole transaction on transient errors."""

        def attempt() -> _T:
            with self._transaction() as cur:
                return op(cur)

        return self._retry.call(attempt, self._is_transient)

    def _read(self, op: Callable[[Cursor], _T]) -> _T:
        """Run ``op`` with a read cursor, retrying on transient errors."""

        def attempt() -> _T:
            with self._reading() as cur:
                return op(cur)

        return self._retry.call(attempt, self._is_transient)

    # -- schema --------------------------------------------------------------------------

    def _inspect(self) -> SchemaState:
        return self._read(lambda cur: inspect_schema(cur, self._sql))

    def _ensure_schema(self) -> None:
        """On connect: refuse a newer major schema; create and upgrade tables if allowed."""
        state = self._inspect()
        check_version(state.version, where=self._describe())
        if self.auto_create_tables and plan_migration(self._sql, state):
            self.migrate()

    def _before_migration(self, cur: Cursor) -> None:
        """Hook run first in the migration transaction (a server engine takes a lock here so
        that processes starting together migrate one after the other)."""

    def pending_migrations(self) -> list[MigrationStep]:
        """Steps :meth:`migrate` would apply, without applying them (empty when up to date)."""
        state = self._inspect()
        check_version(state.version, where=self._describe())
        return plan_migration(self._sql, state)

    def migrate(self) -> list[MigrationStep]:
        """Create missing tables, add missing columns and indexes, stamp the version; return the steps."""

        def run(cur: Cursor) -> list[MigrationStep]:
            self._before_migration(cur)
            # Inspect again inside the write transaction: another process may have migrated.
            state = inspect_schema(cur, self._sql)
            check_version(state.version, where=self._describe())
            steps = plan_migration(self._sql, state)
            apply_steps(cur, steps)
            return steps

        return self._write(run)

    def schema_version(self) -> str | None:
        """The version stamped in the database (``None`` for tables made by PraisonAI)."""
        return self._inspect().version

    # -- sessions ------------------------------------------------------------------------

    def create_session(self, session: ConversationSession) -> ConversationSession:
        self._write(self._create_session_op(session))
        return session

    def _create_session_op(self, session: ConversationSession) -> Callable[[Cursor], None]:
        """The insert of ``session``, safe to retry: a retry (the commit reply of an earlier
        attempt was lost) that finds exactly this session treats it as created."""
        params = session_params(session)
        stmts = self._sql
        attempts = 0

        def op(cur: Cursor) -> None:
            nonlocal attempts
            attempts += 1
            cur.execute(stmts.insert_session, params)
            if cur.rowcount == 0:
                if attempts > 1:
                    cur.execute(stmts.select_session, (session.session_id,))
                    rows = cur.fetchall()
                    if rows and same_session(rows[0], params):
                        return
                raise SessionExistsError(session.session_id)

        return op

    def upsert_session(self, session: ConversationSession) -> ConversationSession:
        """Create the session, or update it if it exists (no check-then-act race)."""
        try:
            return self.create_session(session)
        except SessionExistsError:
            return self.update_session(session)

    def get_session(self, session_id: str) -> ConversationSession | None:
        sql = self._sql.select_session

        def op(cur: Cursor) -> Sequence[Sequence[Any]]:
            cur.execute(sql, (session_id,))
            return cur.fetchall()

        rows = self._read(op)
        return session_from_row(rows[0]) if rows else None

    def update_session(self, session: ConversationSession) -> ConversationSession:
        now = time.time()
        sid = session.session_id
        params = (
            session.user_id,
            session.agent_id,
            session.name,
            dump_json(session.state),
            dump_json(session.metadata),
            now,
            now,
            sid,
        )
        stmts = self._sql

        def op(cur: Cursor) -> Any:
            cur.execute(stmts.update_session, params)
            if cur.rowcount == 0:
                raise SessionNotFoundError(sid)
            cur.execute(stmts.select_updated_at, (sid,))
            return cur.fetchall()[0][0]

        session.updated_at = float(self._write(op))
        return session

    def restore_session(self, session: ConversationSession) -> ConversationSession:
        """Insert the session or overwrite every column, timestamps as given (one transaction)."""
        params = session_params(session)
        stmts = self._sql

        def op(cur: Cursor) -> None:
            cur.execute(stmts.insert_session, params)
            cur.execute(stmts.restore_session, (*params[1:], params[0]))

        self._write(op)
        return session

    def delete_session(self, session_id: str) -> bool:
        stmts = self._sql

        def op(cur: Cursor) -> bool:
            # Explicit, not ON DELETE CASCADE: tables made elsewhere may lack the foreign key.
            cur.execute(stmts.delete_session_messages, (session_id,))
            cur.execute(stmts.delete_session, (session_id,))
            return cur.rowcount > 0

        return self._write(op)

    def list_sessions(
        self, user_id: str | None = None, agent_id: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[ConversationSession]:
        sql, params = self._sessions_query(user_id, agent_id, limit, offset)

        def op(cur: Cursor) -> Sequence[Sequence[Any]]:
            cur.execute(sql, params)
            return cur.fetchall()

        return [session_from_row(r) for r in self._read(op)]

    # -- messages ------------------------------------------------------------------------

    def add_message(self, session_id: str, message: ConversationMessage) -> ConversationMessage:
        message.session_id = session_id
        self._append(session_id, [message_params(session_id, message)])
        return message

    def add_messages(self, session_id: str, messages: Sequence[ConversationMessage]) -> list[ConversationMessage]:
        out = list(messages)
        if not out:
            if self.get_session(session_id) is None:
                raise SessionNotFoundError(session_id)
            return out
        for m in out:
            m.session_id = session_id
        self._append(session_id, [message_params(session_id, m) for m in out])
        return out

    def _append(self, session_id: str, rows: list[tuple[Any, ...]]) -> None:
        """Bump the session and insert ``rows`` in one transaction: no orphan row, no lost bump."""
        now = time.time()
        touch = (now, now, session_id)
        stmts = self._sql

        def op(cur: Cursor) -> None:
            cur.execute(stmts.touch_session, touch)
            if cur.rowcount == 0:
                raise SessionNotFoundError(session_id)
            if len(rows) == 1:
                cur.execute(stmts.insert_message, rows[0])
            else:
                cur.executemany(stmts.insert_message, rows)

        self._write(op)

    def get_messages(
        self, session_id: str, limit: int | None = None, before: float | None = None, after: float | None = None
    ) -> list[ConversationMessage]:
        sql, params, reverse = self._messages_query(session_id, limit, before, after)

        def op(cur: Cursor) -> Sequence[Sequence[Any]]:
            cur.execute(sql, params)
            return cur.fetchall()

        return messages_from_rows(self._read(op), reverse)

    def delete_messages(self, session_id: str, message_ids: Sequence[str] | None = None) -> int:
        stmts = self._sql
        if message_ids is None:

            def delete_all(cur: Cursor) -> int:
                cur.execute(stmts.delete_messages_all, (session_id,))
                return max(cur.rowcount, 0)

            return self._write(delete_all)
        ids = [message_ids] if isinstance(message_ids, str) else list(message_ids)
        batches = chunks(ids, MAX_IDS_PER_STATEMENT)
        if not batches:
            return 0

        def delete_some(cur: Cursor) -> int:
            total = 0
            for batch in batches:
                cur.execute(stmts.delete_message_ids(len(batch)), [session_id, *batch])
                total += max(cur.rowcount, 0)
            return total

        return self._write(delete_some)

    def close(self) -> None:
        self._close_connections()


#: PraisonAI's name for the base class.
_SQLConversationStoreBase = SQLConversationStoreBase
