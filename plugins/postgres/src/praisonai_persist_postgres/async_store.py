"""The ``async_postgres`` conversation store: the async SQL schema base on psycopg 3's async API.

Same driver, settings, statements and retry rules as the sync store (:mod:`.store`), on an
``AsyncConnectionPool``. Nothing connects in ``__init__``: the first call opens the pool and
checks the schema.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, ClassVar, TypeVar

from praisonai_persist import ConversationSession, SessionNotFoundError, StoreConnectionError
from praisonai_persist.sql import POSTGRES, AsyncSQLConversationStoreBase, Dialect
from praisonai_persist.sql.common import AsyncCursor

from .connection import (
    UNSET,
    ConnectionSettings,
    connection_error,
    is_connection_loss,
    is_transient_error,
    load_driver,
    resolve_settings,
    text_json_adapters,
)
from .schema import MIGRATION_LOCK_SQL, create_schema_sql, migration_lock_key, schema_exists_sql
from .statements import append_query, append_statements

__all__ = ["AsyncPostgresConversationStore"]

_T = TypeVar("_T")


class AsyncPostgresConversationStore(AsyncSQLConversationStoreBase):
    """Async conversation store in PostgreSQL; options as :class:`~.store.PostgresConversationStore`."""

    backend_name = "async_postgres"
    dialect: ClassVar[Dialect] = POSTGRES

    def __init__(
        self,
        url: str | None = None,
        *,
        host: str | None = None,
        port: int | None = None,
        database: str | None = None,
        user: str | None = None,
        password: str | None = None,
        schema: str | None = None,
        table_prefix: str = "praison_",
        auto_create_tables: bool = True,
        pool_size: int = 5,
        min_pool_size: int = 1,
        pool_timeout: float = 30.0,
        max_retries: int | None = None,
        retry_delay: float | None = None,
        connect_timeout: float | None = None,
        sslmode: str | None = None,
        prepare_threshold: int | None = UNSET,
        pgbouncer: bool | None = None,
        application_name: str = "praisonai-persist",
    ) -> None:
        self._psycopg = load_driver(self.backend_name)
        if pool_size < 1 or min_pool_size < 0 or min_pool_size > pool_size:
            raise ValueError(
                f"Need 0 <= min_pool_size <= pool_size and pool_size >= 1, got {min_pool_size}, {pool_size}."
            )
        self.settings: ConnectionSettings = resolve_settings(
            url,
            host=host,
            port=port,
            database=database,
            user=user,
            password=password,
            sslmode=sslmode,
            connect_timeout=connect_timeout,
            prepare_threshold=prepare_threshold,
            pgbouncer=pgbouncer,
            application_name=application_name,
        )
        self.pool_size = pool_size
        self.min_pool_size = min_pool_size
        self.pool_timeout = float(pool_timeout)
        self._pool: Any = None
        self._purge = False
        super().__init__(
            url=self.settings.display,
            table_prefix=table_prefix,
            auto_create_tables=auto_create_tables,
            max_retries=max_retries,
            retry_delay=retry_delay,
            schema=schema,
        )
        self._append_sql = append_statements(self._sql)

    # -- connections ---------------------------------------------------------------------

    async def _aconnect(self) -> None:
        from psycopg_pool import AsyncConnectionPool

        psycopg = self._psycopg
        kwargs = {
            **self.settings.kwargs,
            "autocommit": True,
            "prepare_threshold": self.settings.prepare_threshold,
            "context": text_json_adapters(),
        }
        try:
            probe = await psycopg.AsyncConnection.connect(self.settings.conninfo, **kwargs)
        except psycopg.Error as exc:
            raise connection_error(exc, self.settings) from None
        await probe.close()
        pool = AsyncConnectionPool(
            self.settings.conninfo,
            kwargs=kwargs,
            min_size=self.min_pool_size,
            max_size=self.pool_size,
            timeout=self.pool_timeout,
            name=f"praisonai-persist-{self.backend_name}",
            open=False,
        )
        await pool.open()
        self._pool = pool

    def _is_transient(self, exc: BaseException) -> bool:
        if is_connection_loss(exc):
            self._purge = True
        return is_transient_error(exc)

    async def _checkout(self) -> AbstractAsyncContextManager[Any]:
        pool = self._pool
        if pool is None:
            raise StoreConnectionError(f"This store is closed; create a new one to use {self._describe()}.")
        if self._purge:
            self._purge = False
            await pool.check()
        return pool.connection()  # type: ignore[no-any-return]

    @asynccontextmanager
    async def _atransaction(self) -> AsyncIterator[AsyncCursor]:
        async with await self._checkout() as conn, conn.transaction():
            yield conn.cursor()

    @asynccontextmanager
    async def _areading(self) -> AsyncIterator[AsyncCursor]:
        async with await self._checkout() as conn:
            yield conn.cursor()

    async def _aclose_connections(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    async def _run(self, attempt: Callable[[], Awaitable[_T]]) -> _T:
        try:
            return await self._retry.acall(attempt, self._is_transient)
        except self._psycopg.OperationalError as exc:
            if is_connection_loss(exc):
                raise connection_error(exc, self.settings) from None
            raise

    async def _write(self, op: Callable[[AsyncCursor], Awaitable[_T]]) -> _T:
        async def attempt() -> _T:
            async with self._atransaction() as cur:
                return await op(cur)

        return await self._run(attempt)

    async def _read(self, op: Callable[[AsyncCursor], Awaitable[_T]]) -> _T:
        async def attempt() -> _T:
            async with self._areading() as cur:
                return await op(cur)

        return await self._run(attempt)

    # -- schema --------------------------------------------------------------------------

    async def _before_migration(self, cur: AsyncCursor) -> None:
        await cur.execute(MIGRATION_LOCK_SQL, (migration_lock_key(self._sql),))
        if self.schema is not None:
            await cur.execute(schema_exists_sql(), (self.schema.lower(),))
            if not await cur.fetchall():
                await cur.execute(create_schema_sql(self._sql))

    # -- overrides that save round trips or make retries exact -----------------------------

    async def create_session(self, session: ConversationSession) -> ConversationSession:
        # The base's retry-safe insert, in autocommit: one statement needs no BEGIN/COMMIT.
        await self._started()
        await self._read(self._create_session_op(session))
        return session

    async def _append(self, session_id: str, rows: list[tuple[Any, ...]]) -> None:
        sql, params = append_query(self._append_sql, session_id, rows, time.time())

        async def op(cur: AsyncCursor) -> None:
            await cur.execute(sql, params)
            if not (await cur.fetchall())[0][0]:
                raise SessionNotFoundError(session_id)

        await self._read(op)

    # -- misc ----------------------------------------------------------------------------

    def _describe(self) -> str:
        where = f"{self.schema}.{self.table_prefix}*" if self.schema else f"{self.table_prefix}*"
        return f"PostgreSQL at {self.settings.display} (tables {where})"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.settings.display!r}, schema={self.schema!r}, table_prefix={self.table_prefix!r})"
