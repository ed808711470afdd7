"""The async bridge and the sync/async adapters, from plain code, threads and running loops."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from praisonai_persist import AsyncStateStore, StateStore, as_async, as_sync, run_sync
from praisonai_persist.backends.memory_state import MemoryStateStore


async def _add(a: int, b: int) -> int:
    await asyncio.sleep(0)
    return a + b


def test_run_sync_from_plain_code_and_threads() -> None:
    assert run_sync(_add(1, 2)) == 3
    results: list[int] = []
    threads = [threading.Thread(target=lambda i=i: results.append(run_sync(_add(i, 1)))) for i in range(16)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(results) == list(range(1, 17))


def test_run_sync_inside_a_running_loop() -> None:
    async def main() -> int:
        return run_sync(_add(20, 22))  # what FastAPI / Jupyter code does

    assert asyncio.run(main()) == 42


def test_run_sync_propagates_exceptions() -> None:
    async def boom() -> None:
        raise KeyError("x")

    with pytest.raises(KeyError):
        run_sync(boom())


def test_as_async_offloads_and_as_sync_round_trips(tmp_path: Path) -> None:
    store = MemoryStateStore()
    astore = as_async(store)
    assert isinstance(astore, AsyncStateStore) and as_async(astore) is astore
    assert as_sync(astore) is store

    async def use() -> object:
        loop_thread = threading.get_ident()
        seen: list[int] = []
        original = store.set

        def spy(*args: object, **kwargs: object) -> None:
            seen.append(threading.get_ident())
            original(*args, **kwargs)  # type: ignore[arg-type]

        store.set = spy  # type: ignore[method-assign]
        await astore.set("k", {"v": [1, 2]})
        assert seen and seen[0] != loop_thread, "sync store must run off the event loop"
        return await astore.get("k")

    assert asyncio.run(use()) == {"v": [1, 2]}
    sstore = as_sync(as_async(MemoryStateStore()))
    assert isinstance(sstore, StateStore)


def test_sync_wrapper_of_native_async_store_inside_running_loop(tmp_path: Path) -> None:
    from praisonai_persist import ConversationMessage, ConversationSession, ConversationStore
    from praisonai_persist.backends.async_sqlite import AsyncSQLiteConversationStore

    store = as_sync(AsyncSQLiteConversationStore(path=str(tmp_path / "a.db")))
    assert isinstance(store, ConversationStore)

    async def main() -> list[str]:
        store.create_session(ConversationSession(session_id="s"))
        store.add_message("s", ConversationMessage(role="user", content="hi"))
        return [m.content for m in store.get_messages("s")]

    try:
        assert asyncio.run(main()) == ["hi"]
        assert [m.content for m in store.get_messages("s")] == ["hi"]
    finally:
        store.close()


def test_adapters_reject_non_stores() -> None:
    with pytest.raises(TypeError):
        as_async(object())
