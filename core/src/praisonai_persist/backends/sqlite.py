"""SQLite conversation stores (backends ``sqlite`` and ``sync_sqlite``), standard library only.

* :class:`SQLiteConversationStore`: one connection per store, shared by threads under a lock.
  Measured against a connection per thread (4 threads appending, with and without history
  reads): as fast for appends and a little faster for mixed work, and nothing to leak when
  threads come and go. WAL, a busy timeout and ``BEGIN IMMEDIATE`` let several processes
  write one file without lock-upgrade deadlocks.
* :class:`SyncSQLiteConversationStore`: a new connection per call under a lock, as PraisonAI's
  ``sync_sqlite`` does for multi-agent use (nothing stays open between calls).

Ties on ``created_at`` are broken by the rowid, which SQLite appends to every index, so the
``(session_id, created_at)`` index serves "the most recent N" without a sort.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
import weakref
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from types import TracebackType
from typing import ClassVar

from ..errors import StoreConnectionError
from ..sql.base import SQLConversationStoreBase
from ..sql.common import Cursor
from ..sql.dialect import SQLITE, Dialect
from ..urls import local_path

__all__ = [
    "DEFAULT_PATH",
    "SQLITE_SCHEMES",
    "SQLiteConversationStore",
    "SyncSQLiteConversationStore",
    "resolve_sqlite_path",
]

DEFAULT_PATH = "praisonai_conversations.db"
SQLITE_SCHEMES = ("sqlite", "sqlite3", "aiosqlite", "sqlite+aiosqlite")
_SYNCHRONOUS = ("OFF", "NORMAL", "FULL", "EXTRA")
# Primary result codes worth a retry: the database or a table is locked by another connection.
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


def resolve_sqlite_path(url: str | os.PathLike[str] | None = None, path: str | os.PathLike[str] | None = None) -> str:
    """File path from ``path`` or ``url`` (plain path, ``sqlite:///rel.db``, ``sqlite:////abs.db``, ``:memory:``)."""
    target = path if path is not None else url
    if target is None:
        return DEFAULT_PATH
    resolved = local_path(os.fspath(target), SQLITE_SCHEMES)
    if not resolved:
        raise ValueError(f"No database path in {os.fspath(target)!r}; use sqlite:///file.db or a plain path.")
    return resolved


def is_transient_sqlite_error(exc: BaseException) -> bool:
    """``database is locked`` / ``busy`` errors (another writer holds the lock past the timeout)."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    text = str(exc).lower()
    return "locked" in text or "busy" in text


# Connections must not be used by a forked child (SQLite forbids it); the child reconnects.
_LIVE_STORES: weakref.WeakSet[SQLiteConversationStore] = weakref.WeakSet()
# The parent's connections, kept referenced in a child so they are never closed there.
_INHERITED: list[object] = []


def _after_fork_in_child() -> None:
    for store in list(_LIVE_STORES):
        store._forget_connection_after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class _SharedWrite:
    """Write transaction on the store's shared connection (reused: no allocation per call)."""

    __slots__ = ("_store",)

    def __init__(self, store: SQLiteConversationStore) -> None:
        self._store = store

    def __enter__(self) -> sqlite3.Cursor:
        store = self._store
        store._lock.acquire()
        try:
            cur = store._cursor or store._reconnect()
            # IMMEDIATE takes the write lock now: a deferred BEGIN would upgrade later and
            # could deadlock against another process doing the same.
            cur.execute("BEGIN IMMEDIATE")
        except BaseException:
            store._lock.release()
            raise
        return cur

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        store = self._store
        try:
            _finish(store._conn, store._cursor, exc_type is None)
        finally:
            store._lock.release()


class _SharedRead:
    """Read cursor on the shared connection, under the store's lock."""

    __slots__ = ("_store",)

    def __init__(self, store: SQLiteConversationStore) -> None:
        self._store = store

    def __enter__(self) -> sqlite3.Cursor:
        store = self._store
        store._lock.acquire()
        try:
            return store._cursor or store._reconnect()
        except BaseException:
            store._lock.release()
            raise

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._store._lock.release()


def _finish(conn: sqlite3.Connection | None, cur: sqlite3.Cursor | None, ok: bool) -> None:
    """Commit (or roll back) the open transaction; a failed commit is rolled back and raised."""
    if conn is None or cur is None:
        return
    if ok:
        try:
            cur.execute("COMMIT")
            return
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise
    if conn.in_transaction:
        conn.rollback()


class SQLiteConversationStore(SQLConversationStoreBase):
    """Conversation store in a SQLite file (PraisonAI's schema and table names).

    ``url`` or ``path``: a file path, ``sqlite:///relative.db``, ``sqlite:////absolute.db`` or
    ``":memory:"`` (default ``praisonai_conversations.db``). ``busy_timeout`` is how long a
    writer waits for another one (seconds); ``synchronous`` is SQLite's durability level
    (``NORMAL`` is safe from corruption in WAL mode and may lose only the last commits on
    power loss; ``FULL`` syncs every commit).
    """

    backend_name = "sqlite"
    dialect: ClassVar[Dialect] = SQLITE

    def __init__(
        self,
        url: str | os.PathLike[str] | None = None,
        *,
        path: str | os.PathLike[str] | None = None,
        table_prefix: str = "praison_",
        auto_create_tables: bool = True,
        busy_timeout: float = 30.0,
        max_retries: int = 3,
        retry_delay: float = 0.1,
        synchronous: str = "NORMAL",
    ) -> None:
        self.path = resolve_sqlite_path(url, path)
        self.busy_timeout = float(busy_timeout)
        sync = str(synchronous).upper()
        if sync not in _SYNCHRONOUS:
            raise ValueError(f"synchronous must be one of {', '.join(_SYNCHRONOUS)}, got {synchronous!r}.")
        self.synchronous = sync
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._cursor: sqlite3.Cursor | None = None
        self._closed = False
        self._memory_uri: str | None = None
        self._write_cm = _SharedWrite(self)
        self._read_cm = _SharedRead(self)
        super().__init__(
            table_prefix=table_prefix,
            auto_create_tables=auto_create_tables,
            max_retries=max_retries,
            retry_delay=retry_delay,
        )
        _LIVE_STORES.add(self)

    # -- connections ---------------------------------------------------------------------

    def _describe(self) -> str:
        return f"SQLite database {self.path!r} (tables {self.table_prefix}*)"

    def _is_transient(self, exc: BaseException) -> bool:
        return is_transient_sqlite_error(exc)

    def _open_connection(self) -> sqlite3.Connection:
        """A configured connection to the store's file (autocommit; we issue BEGIN ourselves)."""
        if self._closed:
            raise StoreConnectionError(f"This store is closed; create a new one to use {self._describe()}.")
        target, uri = self.path, False
        if self._memory_uri is not None:
            target, uri = self._memory_uri, True
        elif self.path != ":memory:":
            parent = os.path.dirname(os.path.abspath(self.path))
            os.makedirs(parent, exist_ok=True)
        try:
            conn = sqlite3.connect(
                target,
                timeout=self.busy_timeout,
                isolation_level=None,
                check_same_thread=False,
                cached_statements=256,
                uri=uri,
            )
        except sqlite3.Error as exc:
            raise StoreConnectionError(
                f"Cannot open SQLite database {self.path!r}: {exc}. Check that the directory exists and is writable."
            ) from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA synchronous = {self.synchronous}")
        except BaseException:
            conn.close()
            raise
        return conn

    def _ensure_schema(self) -> None:
        # WAL only after the version check: a database we refuse must be left exactly as it was.
        super()._ensure_schema()
        self._enable_wal()

    def _enable_wal(self) -> None:
        if self.path == ":memory:":
            return

        def switch(cur: Cursor) -> None:
            cur.execute("PRAGMA journal_mode = WAL")
            cur.fetchall()

        # Persistent in the file; switching needs a moment of exclusive access, hence the retry.
        self._read(switch)

    def _connect(self) -> None:
        self._reconnect()

    def _reconnect(self) -> sqlite3.Cursor:
        conn = self._open_connection()
        self._conn = conn
        self._cursor = conn.cursor()
        return self._cursor

    def _forget_connection_after_fork(self) -> None:
        # The parent still owns the connection: drop it without closing it, and replace the
        # lock, which another thread of the parent may have held at fork time.
        _INHERITED.append(self._conn)
        self._conn = None
        self._cursor = None
        self._lock = threading.RLock()

    def _transaction(self) -> AbstractContextManager[Cursor]:
        return self._write_cm

    def _reading(self) -> AbstractContextManager[Cursor]:
        return self._read_cm

    def _close_connections(self) -> None:
        with self._lock:
            self._closed = True
            conn, self._conn, self._cursor = self._conn, None, None
            if conn is not None:
                conn.close()
        _LIVE_STORES.discard(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path={self.path!r}, table_prefix={self.table_prefix!r})"


class SyncSQLiteConversationStore(SQLiteConversationStore):
    """SQLite store that opens a connection per call under a lock (PraisonAI's ``sync_sqlite``).

    Slower than :class:`SQLiteConversationStore` but holds no connection between calls, which
    suits many short-lived agents sharing one file. ``":memory:"`` keeps one connection open
    to a private shared-cache database so the data survives between calls.
    """

    backend_name = "sync_sqlite"

    def _connect(self) -> None:
        if self.path == ":memory:":
            self._memory_uri = f"file:praisonai-persist-{uuid.uuid4().hex}?mode=memory&cache=shared"
            self._conn = self._open_connection()  # keeps the in-memory database alive

    @contextmanager
    def _per_call(self, write: bool) -> Iterator[Cursor]:
        with self._lock:
            conn = self._open_connection()
            try:
                cur = conn.cursor()
                if write:
                    cur.execute("BEGIN IMMEDIATE")
                    try:
                        yield cur
                    except BaseException:
                        _finish(conn, cur, False)
                        raise
                    _finish(conn, cur, True)
                else:
                    yield cur
            finally:
                conn.close()

    def _transaction(self) -> AbstractContextManager[Cursor]:
        return self._per_call(True)

    def _reading(self) -> AbstractContextManager[Cursor]:
        return self._per_call(False)

    def _forget_connection_after_fork(self) -> None:
        # Per-call connections are never shared; the ":memory:" keeper is only a keep-alive.
        self._lock = threading.RLock()
