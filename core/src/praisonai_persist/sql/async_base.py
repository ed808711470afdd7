"""``AsyncSQLConversationStoreBase``: the SQL conversation store for async drivers.

Same statements, marshalling and migration as :mod:`.base`; only execution is awaited.
A subclass supplies ``_aconnect()`` (open a connection or pool), ``_atransaction()`` (an
async write transaction yielding an async cursor), ``_areading()`` and
``_aclose_connections()``. Nothing is opened in ``__init__``: the first call connects and
checks the schema (an ``__init__`` cannot await).
"""

from __future__ import annotations

import asyncio
import time
from abc import abstractmethod
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, TypeVar

from ..conversation import AsyncConversationStore
from ..errors import SessionExistsError, SessionNotFoundError, StoreConnectionError
from ..models import ConversationMessage, ConversationSession
from .common import AsyncCursor, SQLStoreCommon, chunks, messages_from_rows
from .migrations import MigrationStep, SchemaState, aapply_steps, ainspect_schema, check_version, plan_migration
from .rows import dump_json, message_params, same_session, session_from_row, session_params
from .statements import MAX_IDS_PER_STATEMENT

__all__ = ["AsyncSQLConversationStoreBase"]

_T = TypeVar("_T")


class AsyncSQLConversationStoreBase(SQLStoreCommon, AsyncConversationStore):
    """Async conversation store over any SQL engine with an async DB-API-like driver."""

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
        self._ready = False
        self._connected = False
        self._closed = False
        self._start_lock: asyncio.Lock | None = None

    # -- connection hooks ----------------------------------------------------------------

    async def _aconnect(self) -> None:
        """Open connections (or a pool); called once, before the first statement."""

    @abstractmethod
    def _atransaction(self) -> AbstractAsyncContextManager[AsyncCursor]:
        """An async write transaction: commit when the block ends, roll back when it raises."""

    @abstractmethod
    def _areading(self) -> AbstractAsyncContextManager[AsyncCursor]:
        """An async cursor for reads."""

    @abstractmethod
    async def _aclose_connections(self) -> None:
        """Close every connection the store opened."""

    # -- start-up and retry --------------------------------------------------------------

    async def _connect_once(self) -> None:
        if self._connected:
            return
        if self._closed:
            raise StoreConnectionError(f"This store is closed; create a new one to use {self._describe()}.")
        if self._start_lock is None:
            self._start_lock = asyncio.Lock()
        async with self._start_lock:
            if not self._connected:
                await self._aconnect()
                self._connected = True

    async def _started(self) -> None:
        """Connect and check the schema once, before the first operation."""
        if self._ready:
            return
        await self._connect_once()
        assert self._start_lock is not None
        async with self._start_lock:
            if not self._ready:
                await self._ensure_schema()
                self._ready = True

    async def _write(self, op: Callable[[AsyncCursor], Awaitable[_T]]) -> _T:
        """Run ``op`` in a write transaction, retrying the whole transaction on transient errors."""

        async def attempt() -> _T:
            async with self._atransaction() as cur:
                return await op(cur)

        return await self._retry.acall(attempt, self._is_transient)

    async def _read(self, op: Callable[[AsyncCursor], Awaitable[_T]]) -> _T:
        """Run ``op`` with a read cursor, retrying on transient errors."""

        async def attempt() -> _T:
            async with self._areading() as cur:
                return await op(cur)

        return await self._retry.acall(attempt, self._is_transient)

    async def _fetch(self, sql: str, params: Sequence[Any]) -> Sequence[Sequence[Any]]:
        async def op(cur: AsyncCursor) -> Sequence[Sequence[Any]]:
            await cur.execute(sql, params)
            return await cur.fetchall()

        return await self._read(op)

    # -- schema --------------------------------------------------------------------------

    async def _inspect(self) -> SchemaState:
        return await self._read(lambda cur: ainspect_schema(cur, self._sql))

    async def _ensure_schema(self) -> None:
        state = await self._inspect()
        check_version(state.version, where=self._describe())
        if self.auto_create_tables and plan_migration(self._sql, state):
            await self._migrate()

    async def _migrate(self) -> list[MigrationStep]:
        async def run(cur: AsyncCursor) -> list[MigrationStep]:
            await self._before_migration(cur)
            state = await ainspect_schema(cur, self._sql)
            check_version(state.version, where=self._describe())
            steps = plan_migration(self._sql, state)
            await aapply_steps(cur, steps)
            return steps

        return await self._write(run)

    async def _before_migration(self, cur: AsyncCursor) -> None:
        """Hook run first in the migration transaction (see the sync base's)."""

    async def pending_migrations(self) -> list[MigrationStep]:
        """Steps :meth:`migrate` would apply, without applying them."""
        await self._connect_once()
        state = await self._inspect()
        check_version(state.version, where=self._describe())
        return plan_migration(self._sql, state)

    async def migrate(self) -> list[MigrationStep]:
        """Create missing tables, add missing columns and indexes, stamp the version."""
        await self._connect_once()
        return await self._migrate()

    async def schema_version(self) -> str | None:
        """The version stamped in the database (``None`` for tables made by PraisonAI)."""
        await self._connect_once()
        return (await self._inspect()).version

    # -- sessions ------------------------------------------------------------------------

    async def create_session(self, session: ConversationSession) -> ConversationSession:
        await self._started()
        await self._write(self._create_session_op(session))
        return session

    def _create_session_op(self, session: ConversationSession) -> Callable[[AsyncCursor], Awaitable[None]]:
        """The insert of ``session``, safe to retry (see the sync base's)."""
        params = session_params(session)
        stmts = self._sql
        attempts = 0

        async def op(cur: AsyncCursor) -> None:
            nonlocal attempts
            attempts += 1
            await cur.execute(stmts.insert_session, params)
            if cur.rowcount == 0:
                if attempts > 1:
                    await cur.execute(stmts.select_session, (session.session_id,))
                    rows = await cur.fetchall()
                    if rows and same_session(rows[0], params):
                        return
                raise SessionExistsError(session.session_id)

        return op

    async def upsert_session(self, session: ConversationSession) -> ConversationSession:
        """Create the session, or update it if it exists (no check-then-act race)."""
        try:
            return await self.create_session(session)
        except SessionExistsError:
            return await self.update_session(session)

    async def get_session(self, session_id: str) -> ConversationSession | None:
        await self._started()
        rows = await self._fetch(self._sql.select_session, (session_id,))
        return session_from_row(rows[0]) if rows else None

    async def update_session(self, session: ConversationSession) -> ConversationSession:
        await self._started()
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

        async def op(cur: AsyncCursor) -> Any:
            await cur.execute(stmts.update_session, params)
            if cur.rowcount == 0:
                raise SessionNotFoundError(sid)
            await cur.execute(stmts.select_updated_at, (sid,))
            return (await cur.fetchall())[0][0]

        session.updated_at = float(await self._write(op))
        return session

    async def restore_session(self, session: ConversationSession) -> ConversationSession:
        """Insert the session or overwrite every column, timestamps as given (one transaction)."""
        await self._started()
        params = session_params(session)
        stmts = self._sql

        async def op(cur: AsyncCursor) -> None:
            await cur.execute(stmts.insert_session, params)
            await cur.execute(stmts.restore_session, (*params[1:], params[0]))

        await self._write(op)
        return session

    async def delete_session(self, session_id: str) -> bool:
        await self._started()
        stmts = self._sql

        async def op(cur: AsyncCursor) -> bool:
            await cur.execute(stmts.delete_session_messages, (session_id,))
            await cur.execute(stmts.delete_session, (session_id,))
            return cur.rowcount > 0

        return await self._write(op)

    async def list_sessions(
        self, user_id: str | None = None, agent_id: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[ConversationSession]:
        await self._started()
        sql, params = self._sessions_query(user_id, agent_id, limit, offset)
        return [session_from_row(r) for r in await self._fetch(sql, params)]

    # -- messages ------------------------------------------------------------------------

    async def add_message(self, session_id: str, message: ConversationMessage) -> ConversationMessage:
        await self._started()
        message.session_id = session_id
        await self._append(session_id, [message_params(session_id, message)])
        return message

    async def add_messages(self, session_id: str, messages: Sequence[ConversationMessage]) -> list[ConversationMessage]:
        await self._started()
        out = list(messages)
        if not out:
            if await self.get_session(session_id) is None:
                raise SessionNotFoundError(session_id)
            return out
        for m in out:
            m.session_id = session_id
        await self._append(session_id, [message_params(session_id, m) for m in out])
        return out

    async def _append(self, session_id: str, rows: list[tuple[Any, ...]]) -> None:
        """Bump the session and insert ``rows`` in one transaction: no orphan row, no lost bump."""
        now = time.time()
        touch = (now, now, session_id)
        stmts = self._sql

        async def op(cur: AsyncCursor) -> None:
            await cur.execute(stmts.touch_session, touch)
            if cur.rowcount == 0:
                raise SessionNotFoundError(session_id)
            if len(rows) == 1:
                await cur.execute(stmts.insert_message, rows[0])
            else:
                await cur.executemany(stmts.insert_message, rows)

        await self._write(op)

    async def get_messages(
        self, session_id: str, limit: int | None = None, before: float | None = None, after: float | None = None
    ) -> list[ConversationMessage]:
        await self._started()
        sql, params, reverse = self._messages_query(session_id, limit, before, after)
        return messages_from_rows(await self._fetch(sql, params), reverse)

    async def delete_messages(self, session_id: str, message_ids: Sequence[str] | None = None) -> int:
        await self._started()
        stmts = self._sql
        if message_ids is None:

            async def delete_all(cur: AsyncCursor) -> int:
                await cur.execute(stmts.delete_messages_all, (session_id,))
                return max(cur.rowcount, 0)

            return await self._write(delete_all)
        ids = [message_ids] if isinstance(message_ids, str) else list(message_ids)
        batches = chunks(ids, MAX_IDS_PER_STATEMENT)
        if not batches:
            return 0

        async def delete_some(cur: AsyncCursor) -> int:
            total = 0
            for batch in batches:
                await cur.execute(stmts.delete_message_ids(len(batch)), [session_id, *batch])
                total += max(cur.rowcount, 0)
            return total

        return await self._write(delete_some)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._ready = False
        if self._connected:
            self._connected = False
            await self._aclose_connections()
