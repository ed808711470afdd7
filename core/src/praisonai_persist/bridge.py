"""The one async bridge: run a coroutine to completion from synchronous code, anywhere.

Every coroutine runs on a single background event loop owned by this module, so a sync call
works the same in a plain script, a worker thread, or inside a running loop (FastAPI,
Jupyter), and an async store wrapped with ``as_sync`` always sees the same loop.
"""

from __future__ import annotations

import asyncio
import atexit
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

__all__ = ["bridge_loop", "run_sync"]

_T = TypeVar("_T")

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_thread: threading.Thread | None = None


def _run_forever(loop: asyncio.AbstractEventLoop) -> None:
    asyncio.set_event_loop(loop)
    loop.run_forever()


def bridge_loop() -> asyncio.AbstractEventLoop:
    """The bridge's event loop, started on first use in a daemon thread."""
    global _loop, _thread
    loop = _loop
    if loop is not None and _thread is not None and _thread.is_alive():
        return loop
    with _lock:
        if _loop is None or _thread is None or not _thread.is_alive():
            _loop = asyncio.new_event_loop()
            _thread = threading.Thread(
                target=_run_forever, args=(_loop,), name="praisonai-persist-bridge", daemon=True
            )
            _thread.start()
        return _loop


def run_sync(coro: Coroutine[Any, Any, _T], timeout: float | None = None) -> _T:
    """Run ``coro`` on the bridge loop and return its result (exceptions propagate).

    Safe from any thread, with or without a running loop; only calling it from a coroutine
    that itself runs on the bridge loop is refused, since that would wait on itself.
    """
    loop = bridge_loop()
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:
        coro.close()
        raise RuntimeError(
            "A synchronous praisonai-persist call was made from a coroutine running on the bridge "
            "loop itself; await the async store instead."
        )
    future = asyncio.run_coroutine_threadsafe(coro, loop)
    return future.result(timeout)


@atexit.register
def _stop() -> None:
    loop = _loop
    if loop is not None and loop.is_running():
        loop.call_soon_threadsafe(loop.stop)
