"""The ``async_mysql`` conversation store: the async SQL schema base over aiomysql.

aiomysql (aio-libs, 0.3.x) is built on PyMySQL: same connection arguments, same exception
classes and error codes, so the sync and async stores share their settings and retry rules.
The pool is created on first use, on the running event loop.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, ClassVar

from praisonai_persist.errors import BackendNotInstalledError
from praisonai_persist.sql.async_base import AsyncSQLConversationStoreBase
from praisonai_persist.sql.common import AsyncCursor
from praisonai_persist.sql.dialect import Dialect
from praisonai_persist.sql.migrations import MigrationStep

from .dialect import MYSQL_DIALECT, columns_query, widen_statements
from .errors import connection_error, is_disconnect, is_transient
from .settings import ConnectionSettings, parse_settings
from .store import DEFAULT_POOL_SIZE, DISTRIBUTION, connect_kwargs, load_pymysql

__all__ = ["AsyncMySQLConversationStore", "load_aiomysql"]


def load_aiomysql(backend: str = "async_mysql", distribution: str = DISTRIBUTION) -> Any:
    """Import aiomysql on first use; a missing one is reported with the install line."""
    try:
        import aiomysql
    except ImportError as exc:
        raise BackendNotInstalledError(
            "conversation", backend, distribution, missing_module="aiomysql", detail=str(exc)
        ) from exc
    return aiomysql


_QUIET_CURSOR: Any = None


def quiet_cursor_class(driver: Any) -> Any:
    """aiomysql's cursor without the extra ``SHOW WARNINGS`` round trip (and Python warning) it
    makes after every statement the server answered with a note; PyMySQL does not do it either."""
    global _QUIET_CURSOR
    if _QUIET_CURSOR is None:

        class QuietCursor(driver.Cursor):  # type: ignore[misc]
            async def _show_warnings(self, conn: Any) -> None:
                return None

        _QUIET_CURSOR = QuietCursor
    return _QUIET_CURSOR


class _AsyncWrite:
    """``BEGIN`` on a pooled connection; ``COMMIT`` on success, ``ROLLBACK`` on error."""

    __slots__ = ("_conn", "_store")

    def __init__(self, store: AsyncMySQLConversationStore) -> None:
        self._store = store
        self._conn: Any = None

    async def __aenter__(self) -> AsyncCursor:
        store = self._store
        conn = await store._acquire()
        try:
            cur = await conn.cursor()
            await cur.execute("BEGIN")
        except BaseException as exc:
            await store._give_back(conn, exc)
            raise
        self._conn = conn
        return cur  # type: ignore[no-any-return]

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        store, conn = self._store, self._conn
        if exc is None:
            try:
                await conn.commit()
            except BaseException as failure:
                await store._give_back(conn, failure)
                raise
            store._release(conn)
            return
        await store._give_back(conn, exc)


class _AsyncRead:
    """A cursor on a pooled connection (autocommit: no transaction stays open)."""

    __slots__ = ("_conn", "_store")

    def __init__(self, store: AsyncMySQLConversationStore) -> None:
        self._store = store
        self._conn: Any = None

    async def __aenter__(self) -> AsyncCursor:
        conn = await self._store._acquire()
        self._conn = conn
        try:
            return await conn.cursor()  # type: ignore[no-any-return]
        except BaseException as exc:
            await self._store._give_back(conn, exc)
            raise

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is None:
            self._store._release(self._conn)
        else:
            await self._store._give_back(self._conn, exc)


class AsyncMySQLConversationStore(AsyncSQLConversationStoreBase):
    """AsyncConversationStore on MySQL / MariaDB (aiomysql); same options as the sync store."""

    dialect: ClassVar[Dialect] = MYSQL_DIALECT
    backend_name = "async_mysql"
    engine_label: ClassVar[str] = "MySQL"
    distribution: ClassVar[str] = DISTRIBUTION

    def __init__(
        self,
        url: str | None = None,
        *,
        host: str | None = None,
        port: int | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        table_prefix: str = "praison_",
        auto_create_tables: bool = True,
        pool_size: int = DEFAULT_POOL_SIZE,
        max_retries: int | None = None,
        retry_delay: float | None = None,
        charset: str | None = None,
        collation: str | None = None,
        connect_timeout: float | None = None,
        ssl: bool | str | None = None,
        ssl_ca: str | None = None,
        unix_socket: str | None = None,
    ) -> None:
        if isinstance(pool_size, bool) or not isinstance(pool_size, int) or pool_size < 1:
            raise ValueError(f"pool_size must be a positive integer, got {pool_size!r}.")
        self._settings = parse_settings(
            url,
            host=host,
            port=port,
            user=user,
            password=password,
            database=database,
            charset=charset,
            collation=collation,
            connect_timeout=connect_timeout,
            ssl=ssl,
            ssl_ca=ssl_ca,
            unix_socket=unix_socket,
        )
        self._driver = load_aiomysql(self.backend_name, self.distribution)
        load_pymysql(self.backend_name, self.distribution)
        kwargs = connect_kwargs(self._settings)
        kwargs["db"] = kwargs.pop("database")
        kwargs["cursorclass"] = quiet_cursor_class(self._driver)
        self._kwargs = kwargs
        self.pool_size = pool_size
        self._pool: Any = None
        super().__init__(
            url=self._settings.safe_url(),
            table_prefix=table_prefix,
            auto_create_tables=auto_create_tables,
            max_retries=max_retries,
            retry_delay=retry_delay,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._settings.safe_url()!r}, table_prefix={self.table_prefix!r})"

    @property
    def settings(self) -> ConnectionSettings:
        """The connection settings in use (the password is not shown in their ``repr``)."""
        return self._settings

    async def _migrate(self) -> list[MigrationStep]:
        """The SQL base's additive migration, then widening of PraisonAI's narrow message columns."""
        steps = await super()._migrate()
        stmts = self._sql
        query = columns_query(stmts)

        async def widen(cur: AsyncCursor) -> None:
            await cur.execute(query, (stmts.messages_table,))
            columns = {str(r[0]).lower(): (str(r[1]), r[2]) for r in await cur.fetchall()}
            for sql in widen_statements(stmts, columns):
                await cur.execute(sql)

        await self._write(widen)
        return steps

    # -- connection hooks of the async SQL base ------------------------------------------

    async def _aconnect(self) -> None:
        async def create() -> Any:
            try:
                return await self._driver.create_pool(minsize=1, maxsize=self.pool_size, **self._kwargs)
            except Exception as exc:
                raise connection_error(exc, self._settings, self.engine_label) from exc

        self._pool = await self._retry.acall(create, is_transient)

    async def _acquire(self) -> Any:
        try:
            return await self._pool.acquire()
        except Exception as exc:
            if is_disconnect(exc) or isinstance(exc, OSError):
                raise connection_error(exc, self._settings, self.engine_label) from exc
            raise

    def _release(self, conn: Any) -> None:
        self._pool.release(conn)

    async def _give_back(self, conn: Any, exc: BaseException) -> None:
        """Return ``conn`` after ``exc``: rolled back and reused, or closed when it is broken."""
        if not is_disconnect(exc):
            try:
                await conn.rollback()
            except Exception:  # noqa: S110 -- the connection is closed below instead
                pass
            else:
                self._pool.release(conn)
                return
        conn.close()
        self._pool.release(conn)

    def _atransaction(self) -> _AsyncWrite:
        return _AsyncWrite(self)

    def _areading(self) -> _AsyncRead:
        return _AsyncRead(self)

    async def _aclose_connections(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()
            await pool.wait_closed()

    def _is_transient(self, exc: BaseException) -> bool:
        return is_transient(exc)

    def _describe(self) -> str:
        return f"the {self.engine_label} database {self._settings.safe_url()} (tables {self.table_prefix}*)"
