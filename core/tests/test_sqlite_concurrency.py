"""Several processes, each with several threads, appending to one session (DESIGN §5).

Every message must be stored exactly once, and every reader must see one consistent order in
which each writer's messages keep the order it wrote them.
"""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from praisonai_persist.backends.json_store import JSONConversationStore
from praisonai_persist.backends.sqlite import SQLiteConversationStore, SyncSQLiteConversationStore
from praisonai_persist.conversation import ConversationStore
from praisonai_persist.models import ConversationMessage, ConversationSession

PROCESSES = 4
THREADS = 4
PER_THREAD = 25
SESSION = "shared-session"
STORES: dict[str, type[ConversationStore]] = {
    "sqlite": SQLiteConversationStore,
    "sync_sqlite": SyncSQLiteConversationStore,
    "json": JSONConversationStore,
}


def _open(kind: str, path: str) -> ConversationStore:
    return STORES[kind](path=path)  # type: ignore[call-arg]


def append_worker(kind: str, path: str, proc: int, start: multiprocessing.synchronize.Event) -> None:
    """One process: THREADS threads sharing one store, each appending PER_THREAD messages."""
    store = _open(kind, path)
    errors: list[BaseException] = []

    def run(thread: int) -> None:
        try:
            for i in range(PER_THREAD):
                # Half the messages share one timestamp, so ties are broken by insertion order.
                created = 1_700_000_000.0 if i % 2 else None
                message = ConversationMessage(role="user", content=f"p{proc}-t{thread}-{i:03d}")
                if created is not None:
                    message.created_at = created
                store.add_message(SESSION, message)
        except BaseException as exc:  # reported to the parent through the exit code
            errors.append(exc)

    start.wait(30)
    threads = [threading.Thread(target=run, args=(t,)) for t in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store.close()
    if errors:
        raise errors[0]


def _run_processes(kind: str, path: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [ctx.Process(target=append_worker, args=(kind, path, p, start)) for p in range(PROCESSES)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(240)
    codes = [p.exitcode for p in procs]
    for p in procs:
        if p.is_alive():
            p.kill()
    assert codes == [0] * PROCESSES, f"worker exit codes {codes}"


@pytest.mark.timeout(300)
@pytest.mark.parametrize("kind", sorted(STORES))
def test_processes_and_threads_append_to_one_session(tmp_path: Path, kind: str) -> None:
    path = str(tmp_path / ("sessions" if kind == "json" else "conv.db"))
    with _open(kind, path) as store:
        store.create_session(ConversationSession(session_id=SESSION))

    _run_processes(kind, path)

    with _open(kind, path) as store:
        got = store.get_messages(SESSION)
        again = store.get_messages(SESSION)
        contents = [m.content for m in got]
        expected = {f"p{p}-t{t}-{i:03d}" for p in range(PROCESSES) for t in range(THREADS) for i in range(PER_THREAD)}
        assert len(contents) == len(expected)
        assert set(contents) == expected  # each exactly once
        assert len({m.id for m in got}) == len(got)
        assert contents == [m.content for m in again]  # one consistent order
        assert [m.created_at for m in got] == sorted(m.created_at for m in got)
        # Each writer's messages keep its own order, also among equal timestamps.
        for p in range(PROCESSES):
            for t in range(THREADS):
                mine = [c for c in contents if c.startswith(f"p{p}-t{t}-")]
                tied = [c for c in mine if int(c.rsplit("-", 1)[1]) % 2]
                assert tied == sorted(tied)
        # The most recent N is the tail of the full order.
        assert [m.content for m in store.get_messages(SESSION, limit=37)] == contents[-37:]
