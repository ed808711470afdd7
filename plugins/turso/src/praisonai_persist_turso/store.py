"""The ``turso`` conversation store: the SQL schema base over the libSQL client (``libsql``).

One connection per store, shared by threads under a lock (as the built-in SQLite store does);
writes are ``BEGIN IMMEDIATE ... COMMIT``. Works on a local file, a remote Turso/sqld database
and an embedded replica (a local file synced from the remote primary; reads are local, writes
go to the primary). Two quirks of the client are handled here: every error is a plain
``ValueError`` (classified by its text), and ``Cursor.rowcount`` reports the connection's total
changes, so the affected-row count is read with ``SELECT changes()`` instead.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from types import TracebackType
from typing import Any, ClassVar, TypeVar

from praisonai_persist.errors import BackendNotInstalledError, PersistError, StoreConnectionError
from praisonai_persist.sql.base import SQLConversationStoreBase
from praisonai_persist.sql.common import Cursor
from praisonai_persist.sql.dialect import SQLITE, Dialect
from praisonai_persist.urls import redact

from .target import LOCAL, REPLICA, LibsqlTarget, resolve_target

__all__ = ["LIBSQL", "TursoConversationStore", "is_transient_libsql_error"]

DISTRIBUTION = "praisonai-persist-turso"
_T = TypeVar("_T")
#: libSQL speaks SQLite's SQL; only the name in messages differs.
LIBSQL = replace(SQLITE, name="libsql")
# Fragments of libSQL error texts of a remote that cannot be reached (or answers with a gateway error).
_NETWORK_TEXT = (
    "hrana",
    "http error",
    "connection refused",
    "connection reset",
    "timed out",
    "stream expired",
    "stream not found",
    "502",
    "503",
    "504",
)
# Worth a retry: a busy local file, or the network failures above.
_TRANSIENT_TEXT = ("database is locked", "database table is locked", "busy", *_NETWORK_TEXT)


def load_libsql() -> Any:
    """Import the libSQL client on first use; a missing one is reported with the install line."""
    try:
        import libsql
    except ImportError as exc:
        raise BackendNotInstalledError(
            "conversation", "turso", DISTRIBUTION, missing_module="libsql", detail=str(exc)
        ) from exc
    return libsql


def is_transient_libsql_error(exc: BaseException) -> bool:
    """True for a locked/busy file or a network failure talking to the server (worth a retry)."""
    if isinstance(exc, StoreConnectionError):
        return exc.__cause__ is not None and is_transient_libsql_error(exc.__cause__)
    if isinstance(exc, PersistError) or not isinstance(exc, (ValueError, ConnectionError, TimeoutError)):
        return False
    text = str(exc).lower()
    return any(fragment in text for fragment in _TRANSIENT_TEXT)


def _is_network_error(exc: BaseException) -> bool:
    if isinstance(exc, PersistError) or not isinstance(exc, (ValueError, ConnectionError, TimeoutError)):
        return False
    text = str(exc).lower()
    return any(fragment in text for fragment in _NETWORK_TEXT)


class _Cursor:
    """The libSQL cursor with a correct ``rowcount`` (the driver's is cumulative per connection)."""

    __slots__ = ("_conn", "_cur")

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._cur = conn.cursor()

    @property
    def rowcount(self) -> int:
        return int(self._conn.execute("SELECT changes()").fetchone()[0])

    def execute(self, sql: str, params: Sequence[Any] = (), /) -> _Cursor:
        self._cur.execute(sql, tuple(params))
        return self

    def executemany(self, sql: str, seq_of_params: Any, /) -> _Cursor:
        self._cur.executemany(sql, [tuple(p) for p in seq_of_params])
        return self

    def fetchall(self) -> Sequence[Sequence[Any]]:
        return self._cur.fetchall()  # type: ignore[no-any-return]


class _Locked:
    """The store's connection under its lock; as a write, inside ``BEGIN IMMEDIATE ... COMMIT``."""

    __slots__ = ("_store", "_write")

    def __init__(self, store: TursoConversationStore, write: bool) -> None:
        self._store = store
        self._write = write

    def __enter__(self) -> _Cursor:
        store = self._store
        store._lock.acquire()
        try:
            conn = store._connection()
            cur = _Cursor(conn)
            if self._write:
                # IMMEDIATE takes the write lock now, so two writers cannot deadlock on an upgrade.
                conn.execute("BEGIN IMMEDIATE")
        except BaseException:
            store._lock.release()
            raise
        return cur

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        store = self._store
        try:
            if self._write and store._conn is not None:
                conn = store._conn
                if exc is None:
                    try:
                        conn.execute("COMMIT")
                    except BaseException:
                        store._rollback_quietly()
                        raise
                else:
                    store._rollback_quietly()
        finally:
            store._lock.release()


class TursoConversationStore(SQLConversationStoreBase):
    """ConversationStore on libSQL: a local file, a Turso/sqld server, or an embedded replica.

    ``TursoConversationStore("libsql://db-org.turso.io", auth_token=...)``,
    ``TursoConversationStore(path="chat.db")`` or both (embedded replica); see the README.
    """

    dialect: ClassVar[Dialect] = LIBSQL
    backend_name = "turso"

    def __init__(
        self,
        url: str | os.PathLike[str] | None = None,
        *,
        path: str | os.PathLike[str] | None = None,
        auth_token: str | None = None,
        sync_url: str | None = None,
        sync_interval: float | None = None,
        sync_on_connect: bool = True,
        encryption_key: str | None = None,
        timeout: float = 5.0,
        table_prefix: str = "praison_",
        auto_create_tables: bool = True,
        max_retries: int | None = None,
        retry_delay: float | None = None,
    ) -> None:
        self._target = resolve_target(
            url,
            path=path,
            auth_token=auth_token,
            sync_url=sync_url,
            sync_interval=sync_interval,
            encryption_key=encryption_key,
            timeout=timeout,
        )
        self.sync_on_connect = bool(sync_on_connect)
        self._client = load_libsql()
        self._lock = threading.RLock()
        self._conn: Any = None
        super().__init__(
            url=self._target.remote_url,
            table_prefix=table_prefix,
            auto_create_tables=auto_create_tables,
            max_retries=max_retries,
            retry_delay=retry_delay,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._target.describe()!r}, table_prefix={self.table_prefix!r})"

    @property
    def target(self) -> LibsqlTarget:
        """Where the store connects (secrets hidden from its ``repr``)."""
        return self._target

    def sync(self) -> None:
        """Pull the primary's latest changes into an embedded replica (no-op for other modes)."""
        if self._target.mode != REPLICA:
            return
        with self._lock:
            try:
                self._connection().sync()
            except Exception as exc:
                raise self._connection_error(exc, "sync") from exc

    # -- connection hooks of the SQL base ------------------------------------------------

    def _connection(self) -> Any:
        if self._conn is None:
            self._conn = self._open()
        return self._conn

    def _open(self) -> Any:
        database, kwargs = self._target.connect_args()
        try:
            conn = self._client.connect(database, **kwargs)
            if self._target.mode == LOCAL:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA foreign_keys=ON")
            elif self._target.mode == REPLICA and self.sync_on_connect:
                conn.sync()
        except Exception as exc:
            raise self._connection_error(exc, "connect to") from exc
        return conn

    def _write(self, op: Callable[[Cursor], _T]) -> _T:
        try:
            return super()._write(op)
        except Exception as exc:
            if _is_network_error(exc):
                raise self._connection_error(exc, "reach") from exc
            raise

    def _read(self, op: Callable[[Cursor], _T]) -> _T:
        try:
            return super()._read(op)
        except Exception as exc:
            if _is_network_error(exc):
                raise self._connection_error(exc, "reach") from exc
            raise

    def _connection_error(self, exc: BaseException, action: str) -> StoreConnectionError:
        detail = redact(str(exc) or type(exc).__name__)
        for secret in self._target.secrets():
            detail = detail.replace(secret, "***")
        return StoreConnectionError(
            f"Could not {action} the {self._target.describe()}: {detail} "
            "(check the URL, the auth token and that the server is reachable)."
        )

    def _rollback_quietly(self) -> None:
        conn = self._conn
        try:
            if conn is not None and conn.in_transaction:
                conn.execute("ROLLBACK")
        except Exception:
            # A connection that cannot roll back is replaced on the next call.
            self._conn = None

    def _transaction(self) -> _Locked:
        return _Locked(self, write=True)

    def _reading(self) -> _Locked:
        return _Locked(self, write=False)

    def _close_connections(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is not None:
                conn.close()

    def _is_transient(self, exc: BaseException) -> bool:
        return is_transient_libsql_error(exc)

    def _describe(self) -> str:
        return f"the {self._target.describe()} (tables {self.table_prefix}*)"
