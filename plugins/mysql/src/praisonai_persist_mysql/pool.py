"""A small thread-safe pool of PyMySQL connections (PyMySQL has none of its own).

At most ``size`` connections are open; a caller waits (up to ``timeout``) for a free one. A
connection that failed is closed instead of being returned, and when one turns out to be
disconnected every idle one is dropped too: a server restart or a ``KILL`` usually takes all
of them, and probing each on checkout would cost a round trip per call. A forked child never
reuses its parent's connections (two processes on one socket would corrupt both): it forgets
them, without closing them, and opens its own.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

from praisonai_persist.errors import StoreConnectionError

__all__ = ["ConnectionPool"]


def _close_quietly(conn: Any) -> None:
    try:
        conn.close()
    except Exception:  # noqa: S110 -- already broken or closed; nothing else to do
        pass


class ConnectionPool:
    """LIFO pool: the most recently used connection is reused first (it is the likeliest alive)."""

    def __init__(self, connect: Callable[[], Any], size: int, timeout: float = 30.0) -> None:
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ValueError(f"pool_size must be a positive integer, got {size!r}.")
        self._connect = connect
        self.size = size
        self._timeout = timeout
        self._idle: list[Any] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)
        self._closed = False
        self._pid = os.getpid()

    def _after_fork(self) -> None:
        # The parent's sockets stay open for the parent: drop the references, close nothing.
        self._idle = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.size)
        self._pid = os.getpid()

    def acquire(self) -> Any:
        """A connection for the caller's exclusive use; give it back with :meth:`release`."""
        if self._closed:
            raise StoreConnectionError("This store is closed; create a new one.")
        if self._pid != os.getpid():
            self._after_fork()
        if not self._slots.acquire(timeout=self._timeout):
            raise StoreConnectionError(
                f"No MySQL connection became free within {self._timeout:g} s (pool_size={self.size}); "
                "raise pool_size or release long-running work."
            )
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is not None:
            return conn
        try:
            return self._connect()
        except BaseException:
            self._slots.release()
            raise

    def release(self, conn: Any, *, reusable: bool = True) -> None:
        """Return ``conn``; a connection that is not ``reusable`` is closed instead."""
        try:
            if reusable and not self._closed:
                with self._lock:
                    self._idle.append(conn)
                    return
            _close_quietly(conn)
        finally:
            self._slots.release()

    def drop_idle(self) -> None:
        """Close every idle connection (after one of them turned out to be disconnected)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            _close_quietly(conn)

    def idle_count(self) -> int:
        with self._lock:
            return len(self._idle)

    def close(self) -> None:
        """Close idle connections now; connections in use are closed when released."""
        self._closed = True
        self.drop_idle()
