"""SQLite stores beyond the contract: URLs, pragmas, index use, retries, threads, fork, async."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sqlite3
import sys
import threading
import time
from pathlib import Path

import pytest

from praisonai_persist.backends.async_sqlite import AsyncSQLiteConversationStore
from praisonai_persist.backends.sqlite import (
    SQLiteConversationStore,
    SyncSQLiteConversationStore,
    resolve_sqlite_path,
)
from praisonai_persist.errors import SessionNotFoundError, StoreConnectionError
from praisonai_persist.models import ConversationMessage, ConversationSession


def _msg(content: str, at: float | None = None) -> ConversationMessage:
    m = ConversationMessage(role="user", content=content)
    if at is not None:
        m.created_at = at
    return m


def test_path_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_sqlite_path("sqlite:///rel/x.db") == "rel/x.db"
    assert resolve_sqlite_path("sqlite:////abs/x.db") == "/abs/x.db"
    assert resolve_sqlite_path(":memory:") == ":memory:"
    assert resolve_sqlite_path(None, tmp_path / "p.db") == str(tmp_path / "p.db")
    assert resolve_sqlite_path() == "praisonai_conversations.db"
    with pytest.raises(ValueError):
        resolve_sqlite_path("postgresql://host/db")
    monkeypatch.chdir(tmp_path)
    with SQLiteConversationStore("sqlite:///nested/dir/conv.db") as store:
        store.create_session(ConversationSession(session_id="s"))
    assert (tmp_path / "nested" / "dir" / "conv.db").exists()  # parent directories are created
    with SQLiteConversationStore() as store:
        assert store.path == "praisonai_conversations.db"
    assert (tmp_path / "praisonai_conversations.db").exists()


@pytest.mark.parametrize("store_class", [SQLiteConversationStore, SyncSQLiteConversationStore])
def test_memory_database_keeps_data_between_calls(store_class: type[SQLiteConversationStore]) -> None:
    with store_class(":memory:") as store:
        store.create_session(ConversationSession(session_id="s"))
        store.add_message("s", _msg("kept"))
        assert [m.content for m in store.get_messages("s")] == ["kept"]


def test_wal_foreign_keys_and_index_use(tmp_path: Path) -> None:
    path = tmp_path / "conv.db"
    with SQLiteConversationStore(path=path) as store:
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        conn.close()
        assert store._conn is not None
        assert store._conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
        # "Most recent N" walks the (session_id, created_at) index backwards: no sort step.
        sql = store._sql.get_messages[(False, False, 1)]
        plan = " ".join(str(row[-1]) for row in store._conn.execute("EXPLAIN QUERY PLAN " + sql, ("s", 20)))
        assert "USING INDEX idx_praison_messages_created" in plan
        assert "TEMP B-TREE" not in plan


def test_retried_insert_never_duplicates(tmp_path: Path) -> None:
    with SQLiteConversationStore(path=tmp_path / "c.db") as store:
        store.create_session(ConversationSession(session_id="s"))
        message = _msg("once", 10.0)
        store.add_message("s", message)
        store.add_message("s", message)  # what a retry after a lost COMMIT acknowledgement does
        store.add_messages("s", [message, _msg("two", 11.0)])
        assert [m.content for m in store.get_messages("s")] == ["once", "two"]


def test_locked_database_is_retried_then_succeeds(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with SQLiteConversationStore(path=path, busy_timeout=0.05, max_retries=8, retry_delay=0.05) as store:
        store.create_session(ConversationSession(session_id="s"))
        blocker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock past our busy timeout
        release = threading.Timer(0.3, lambda: blocker.execute("COMMIT"))
        release.start()
        start = time.monotonic()
        store.add_message("s", _msg("after the lock"))
        assert time.monotonic() - start >= 0.2
        release.join()
        blocker.close()
        assert [m.content for m in store.get_messages("s")] == ["after the lock"]


def test_lock_without_retries_raises_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with SQLiteConversationStore(path=path, busy_timeout=0.05, max_retries=0) as store:
        store.create_session(ConversationSession(session_id="s"))
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            store.add_message("s", _msg("blocked"))
        blocker.execute("COMMIT")
        blocker.close()
        assert store.get_messages("s") == []
        with pytest.raises(SessionNotFoundError):  # not transient: raised at once
            store.add_message("missing", _msg("x"))


def test_threads_share_one_store(tmp_path: Path) -> None:
    with SQLiteConversationStore(path=tmp_path / "c.db") as store:
        store.create_session(ConversationSession(session_id="s"))
        errors: list[BaseException] = []

        def work(n: int) -> None:
            try:
                for i in range(30):
                    store.add_message("s", _msg(f"t{n}-{i}"))
                    store.get_messages("s", limit=5)
                    store.list_sessions()
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert len(store.get_messages("s")) == 240


def _child_appends(store: SQLiteConversationStore) -> None:
    store.add_message("s", _msg("from the child"))


@pytest.mark.skipif(sys.platform == "win32" or not hasattr(os, "fork"), reason="fork is POSIX only")
def test_forked_child_reconnects(tmp_path: Path) -> None:
    with SQLiteConversationStore(path=tmp_path / "c.db") as store:
        store.create_session(ConversationSession(session_id="s"))
        store.add_message("s", _msg("from the parent", 1.0))
        child = multiprocessing.get_context("fork").Process(target=_child_appends, args=(store,))
        child.start()
        child.join(60)
        assert child.exitcode == 0
        store.add_message("s", _msg("parent again"))
        assert [m.content for m in store.get_messages("s")] == ["from the parent", "from the child", "parent again"]


@pytest.mark.parametrize("store_class", [SQLiteConversationStore, SyncSQLiteConversationStore])
def test_closed_store_raises_clearly(tmp_path: Path, store_class: type[SQLiteConversationStore]) -> None:
    store = store_class(path=tmp_path / "c.db")
    store.close()
    store.close()  # idempotent
    with pytest.raises(StoreConnectionError, match="closed"):
        store.get_session("s")


def test_unopenable_path_raises_store_connection_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    with pytest.raises((StoreConnectionError, OSError)):
        SQLiteConversationStore(path=blocker / "conv.db")


def test_update_session_moves_updated_at_and_raises_for_missing(tmp_path: Path) -> None:
    with SQLiteConversationStore(path=tmp_path / "c.db") as store:
        future = time.time() + 1000
        session = store.create_session(ConversationSession(session_id="s", updated_at=future))
        session.name = "renamed"
        store.update_session(session)
        assert session.updated_at > future  # strictly later, even when the stored value is ahead
        got = store.get_session("s")
        assert got is not None and (got.name, got.updated_at) == ("renamed", session.updated_at)
        with pytest.raises(SessionNotFoundError):
            store.update_session(ConversationSession(session_id="missing"))
        with pytest.raises(ValueError):
            store.get_messages("s", limit=-1)
        with pytest.raises(ValueError):
            store.list_sessions(offset=-1)


def test_async_store_runs_off_the_event_loop(tmp_path: Path) -> None:
    async def main() -> None:
        store = AsyncSQLiteConversationStore(path=tmp_path / "c.db")
        loop_thread = threading.get_ident()
        await store.create_session(ConversationSession(session_id="s"))
        await store.add_messages("s", [_msg("a", 1.0), _msg("b", 2.0)])
        assert [m.content for m in await store.get_messages("s", limit=1)] == ["b"]
        assert await store.pending_migrations() == []
        # Every statement ran on the store's worker thread, not on the loop's.
        assert store._store is not None and store._store._lock is not None
        worker = await asyncio.get_running_loop().run_in_executor(store._executor, threading.get_ident)
        assert worker != loop_thread
        await store.close()
        with pytest.raises(StoreConnectionError):
            await store.get_session("s")

    asyncio.run(main())
