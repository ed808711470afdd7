"""``StoreRunner``: call one store, sync or async, from sync or async code, on the right thread and loop.

* Sync store, sync caller: a plain call. Sync store, async caller: ``asyncio.to_thread``, so
  the caller's loop keeps running.
* Async store: its coroutines always run on one "home" loop, the first loop that awaited it
  (or the bridge loop when a sync caller came first). Connection pools of async drivers are
  bound to the loop that made them, so an async caller on another loop and sync callers in
  worker threads hand the coroutine to the home loop instead of running it where they are.
  A sync call made on the home loop's own thread cannot wait on that loop; it runs on the
  bridge loop (fine for loop-agnostic stores such as ``async_sqlite``).
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from .adapters import is_async_store
from .bridge import bridge_loop, run_sync

__all__ = ["StoreRunner"]


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _usable(loop: asyncio.AbstractEventLoop | None) -> bool:
    return loop is not None and not loop.is_closed() and loop.is_running()


class StoreRunner:
    """Runs the methods of one store for sync (:meth:`call`) and async (:meth:`acall`) callers."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.is_async = is_async_store(store)
        self._home: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"StoreRunner({self.store!r})"

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Run ``store.method(*args, **kwargs)`` to completion for a synchronous caller."""
        fn = getattr(self.store, method)
        if not self.is_async:
            return fn(*args, **kwargs)
        here = _running_loop()
        with self._lock:
            if not _usable(self._home):
                self._home = bridge_loop()
            home = self._home
        if home is here or home is bridge_loop():
            return run_sync(fn(*args, **kwargs))
        assert home is not None
        return asyncio.run_coroutine_threadsafe(fn(*args, **kwargs), home).result()

    async def acall(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Await ``store.method(*args, **kwargs)`` without blocking the caller's loop."""
        fn = getattr(self.store, method)
        if not self.is_async:
            return await asyncio.to_thread(fn, *args, **kwargs)
        here = asyncio.get_running_loop()
        with self._lock:
            if not _usable(self._home):
                self._home = here
            home = self._home
        if home is here or home is None:
            return await fn(*args, **kwargs)
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(fn(*args, **kwargs), home))
