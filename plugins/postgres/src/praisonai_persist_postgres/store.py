"""The ``postgres`` conversation store: the SQL schema base on psycopg 3 with a psycopg_pool pool.

Connections run in autocommit, so a read or a one-statement write costs one round trip;
multi-statement writes use an explicit transaction. Appends are one statement (see
:mod:`.statements`). A connection that broke (server restart, ``pg_terminate_backend``,
an idle timeout of a serverless host) is retried; the pool's idle connections are
checked before the retry so it does not meet another dead one.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, ClassVar

from praisonai_persist import ConversationSession, SessionNotFoundError, StoreConnectionError
from praisonai_persist.sql import POSTGRES, Dialect, SQLConversationStoreBase
from praisonai_persist.sql.common import Cursor

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

__all__ = ["PostgresConversationStore"]

DEFAULT_POOL_SIZE = 5


class PostgresConversationStore(SQLConversationStoreBase):
    """Conversation store in PostgreSQL (also Neon, CockroachDB, Xata, Supabase; PraisonAI's tables).

    ``url``: ``postgresql://user:password@host:5432/db`` (or ``postgres://``, or a libpq DSN);
    ``host``/``port``/``database``/``user``/``password`` may be given instead or override it.
    ``schema`` qualifies every table (default: the connection's current schema, usually
    ``public``). See the README for every option.
    """

    backend_name = "postgres"
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
        pool_size: int = DEFAULT_POOL_SIZE,
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
            url=self.settings.display,  # masked; the retry policy only looks at the host
            table_prefix=table_prefix,
            auto_create_tables=auto_create_tables,
            max_retries=max_retries,
            retry_delay=retry_delay,
            schema=schema,
        )
        self._append_sql = append_statements(self._sql)

    # -- connections ---------------------------------------------------------------------

    def _connect_kwargs(self) -> dict[str, Any]:
        return {
            **self.settings.kwargs,
            "autocommit": True,
            "prepare_threshold": self.settings.prepare_threshold,
            "context": text_json_adapters(),
        }

    def _connect(self) -> None:
        from psycopg_pool import ConnectionPool

        psycopg = self._psycopg
        kwargs = self._connect_kwargs()
        # One direct connection first: a wrong host, database or password fails here, at
        # once and with libpq's reason, instead of as a pool timeout later.
        try:
            psycopg.connect(self.settings.conninfo, **kwargs).close()
        except psycopg.Error as exc:
            raise connection_error(exc, self.settings) from None
        self._pool = ConnectionPool(
            self.settings.conninfo,
            kwargs=kwargs,
            min_size=self.min_pool_size,
            max_size=self.pool_size,
            timeout=self.pool_timeout,
            name=f"praisonai-persist-{self.backend_name}",
            open=True,
        )

    def _is_transient(self, exc: BaseException) -> bool:
        if is_connection_loss(exc):
            self._purge = True  # other idle connections are likely dead too (server restart)
        return is_transient_error(exc)

    def _checkout(self) -> AbstractContextManager[Any]:
        pool = self._pool
        if pool is None:
            raise StoreConnectionError(f"This store is closed; create a new one to use {self._describe()}.")
        if self._purge:
            self._purge = False
            pool.check()
        return pool.connection()  # type: ignore[no-any-return]

    @contextmanager
    def _transaction(self) -> Iterator[Cursor]:
        with self._checkout() as conn, conn.transaction():
            yield conn.cursor()

    @contextmanager
    def _reading(self) -> Iterator[Cursor]:
        with self._checkout() as conn:
            yield conn.cursor()

    def _close_connections(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    def _run(self, op: Any) -> Any:
        """Run ``op`` through the retry policy; a connection that stays lost is a StoreConnectionError."""
        try:
            return self._retry.call(op, self._is_transient)
        except self._psycopg.OperationalError as exc:
            if is_connection_loss(exc):
                raise connection_error(exc, self.settings) from None
            raise

    def _write(self, op: Any) -> Any:
        def attempt() -> Any:
            with self._transaction() as cur:
                return op(cur)

        return self._run(attempt)

    def _read(self, op: Any) -> Any:
        def attempt() -> Any:
            with self._reading() as cur:
                return op(cur)

        return self._run(attempt)

    # -- schema --------------------------------------------------------------------------

    def _before_migration(self, cur: Cursor) -> None:
        cur.execute(MIGRATION_LOCK_SQL, (migration_lock_key(self._sql),))
        if self.schema is not None:
            # Only when missing: CREATE SCHEMA needs a privilege an existing schema does not.
            cur.execute(schema_exists_sql(), (self.schema.lower(),))
            if not cur.fetchall():
                cur.execute(create_schema_sql(self._sql))

    # -- overrides that save round trips or make retries exact -----------------------------

    def create_session(self, session: ConversationSession) -> ConversationSession:
        # The base's retry-safe insert, in autocommit: one statement needs no BEGIN/COMMIT.
        self._read(self._create_session_op(session))
        return session

    def _append(self, session_id: str, rows: list[tuple[Any, ...]]) -> None:
        sql, params = append_query(self._append_sql, session_id, rows, time.time())

        def op(cur: Cursor) -> None:
            cur.execute(sql, params)
            touched = cur.fetchall()[0][0]
            if not touched:
                raise SessionNotFoundError(session_id)

        self._read(op)

    # -- misc ----------------------------------------------------------------------------

    def _describe(self) -> str:
        where = f"{self.schema}.{self.table_prefix}*" if self.schema else f"{self.table_prefix}*"
        return f"PostgreSQL at {self.settings.display} (tables {where})"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.settings.display!r}, schema={self.schema!r}, table_prefix={self.table_prefix!r})"
