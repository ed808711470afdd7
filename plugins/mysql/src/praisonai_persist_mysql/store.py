"""The ``mysql`` conversation store: the SQL schema base over PyMySQL, for MySQL and MariaDB.

Connections come from a small pool and run in autocommit mode, so a read never leaves a
transaction (and its metadata locks) open on a pooled connection; a write is one explicit
``BEGIN ... COMMIT``. Everything is ``utf8mb4`` end to end (connection, tables, JSON text), so
4-byte characters such as emoji round-trip. Lost connections, deadlocks and lock timeouts are
retried with backoff; a retried insert cannot duplicate a message (client-side ids and a
duplicate-key no-op insert).
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, ClassVar

from praisonai_persist.errors import BackendNotInstalledError
from praisonai_persist.sql.base import SQLConversationStoreBase
from praisonai_persist.sql.common import Cursor
from praisonai_persist.sql.dialect import Dialect
from praisonai_persist.sql.migrations import MigrationStep

from .dialect import MYSQL_DIALECT, columns_query, widen_statements
from .errors import connection_error, is_disconnect, is_transient
from .pool import ConnectionPool
from .settings import ConnectionSettings, parse_settings

__all__ = ["DISTRIBUTION", "MySQLConversationStore", "load_pymysql"]

DISTRIBUTION = "praisonai-persist-mysql"
DEFAULT_POOL_SIZE = 5


def load_pymysql(backend: str = "mysql", distribution: str = DISTRIBUTION) -> Any:
    """Import PyMySQL on first use; a missing one is reported with the install line."""
    try:
        import pymysql
    except ImportError as exc:
        raise BackendNotInstalledError(
            "conversation", backend, distribution, missing_module="pymysql", detail=str(exc)
        ) from exc
    return pymysql


def connect_kwargs(settings: ConnectionSettings) -> dict[str, Any]:
    """Driver arguments for the settings. The FOUND_ROWS client flag stays off: the duplicate-key
    no-op insert reports 0 rows only without it (see :mod:`.dialect`)."""
    kwargs = settings.driver_kwargs()
    if settings.collation:
        # Both names were validated as identifiers, so they may be written into the statement.
        kwargs["init_command"] = f"SET NAMES {settings.charset} COLLATE {settings.collation}"
    return kwargs


class _Write:
    """``BEGIN`` on a pooled connection; ``COMMIT`` on success, ``ROLLBACK`` on error."""

    __slots__ = ("_conn", "_store")

    def __init__(self, store: MySQLConversationStore) -> None:
        self._store = store
        self._conn: Any = None

    def __enter__(self) -> Cursor:
        store = self._store
        conn = store._pool.acquire()
        try:
            cur = conn.cursor()
            cur.execute("BEGIN")
        except BaseException as exc:
            store._give_back(conn, exc)
            raise
        self._conn = conn
        return cur  # type: ignore[no-any-return]

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        store, conn = self._store, self._conn
        if exc is None:
            try:
                conn.commit()
            except BaseException as failure:
                store._give_back(conn, failure)
                raise
            store._pool.release(conn)
            return
        store._give_back(conn, exc)


class _Read:
    """A cursor on a pooled connection (autocommit: no transaction stays open)."""

    __slots__ = ("_conn", "_store")

    def __init__(self, store: MySQLConversationStore) -> None:
        self._store = store
        self._conn: Any = None

    def __enter__(self) -> Cursor:
        conn = self._store._pool.acquire()
        self._conn = conn
        try:
            return conn.cursor()  # type: ignore[no-any-return]
        except BaseException as exc:
            self._store._give_back(conn, exc)
            raise

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc is None:
            self._store._pool.release(self._conn)
        else:
            self._store._give_back(self._conn, exc)


class MySQLConversationStore(SQLConversationStoreBase):
    """ConversationStore on MySQL 5.7+/8.x and MariaDB 10.5+ (PyMySQL); PraisonAI's tables open as they are.

    ``MySQLConversationStore(url="mysql://user:password@host:3306/db", table_prefix="praison_")``;
    the plugin's README lists every option.
    """

    dialect: ClassVar[Dialect] = MYSQL_DIALECT
    backend_name = "mysql"
    #: Name used in messages (SingleStore's store says "SingleStore").
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
        pool_timeout: float = 30.0,
        max_retries: int | None = None,
        retry_delay: float | None = None,
        charset: str | None = None,
        collation: str | None = None,
        connect_timeout: float | None = None,
        ssl: bool | str | None = None,
        ssl_ca: str | None = None,
        unix_socket: str | None = None,
    ) -> None:
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
        self._driver = load_pymysql(self.backend_name, self.distribution)
        self._kwargs = connect_kwargs(self._settings)
        self._pool = ConnectionPool(self._open, pool_size, pool_timeout)
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

    def migrate(self) -> list[MigrationStep]:
        """The SQL base's additive migration, then widening of PraisonAI's narrow message columns."""
        steps = super().migrate()
        stmts = self._sql
        query = columns_query(stmts)

        def widen(cur: Cursor) -> None:
            cur.execute(query, (stmts.messages_table,))
            columns = {str(r[0]).lower(): (str(r[1]), r[2]) for r in cur.fetchall()}
            for sql in widen_statements(stmts, columns):
                cur.execute(sql)

        self._write(widen)
        return steps

    # -- connection hooks of the SQL base ------------------------------------------------

    def _open(self) -> Any:
        try:
            return self._driver.connect(**self._kwargs)
        except Exception as exc:
            raise connection_error(exc, self._settings, self.engine_label) from exc

    def _give_back(self, conn: Any, exc: BaseException) -> None:
        """Return ``conn`` after ``exc``: rolled back and reused, or dropped when it is broken."""
        if not is_disconnect(exc):
            try:
                conn.rollback()
            except Exception as failure:
                exc = failure
            else:
                self._pool.release(conn)
                return
        self._pool.release(conn, reusable=False)
        if is_disconnect(exc):
            self._pool.drop_idle()

    def _transaction(self) -> _Write:
        return _Write(self)

    def _reading(self) -> _Read:
        return _Read(self)

    def _close_connections(self) -> None:
        self._pool.close()

    def _is_transient(self, exc: BaseException) -> bool:
        return is_transient(exc)

    def _describe(self) -> str:
        return f"the {self.engine_label} database {self._settings.safe_url()} (tables {self.table_prefix}*)"
