"""The SQL base classes as a plugin uses them: dialect hooks, the async base, the retry policy.

The async base is exercised through a small real driver: sqlite3 run on a worker thread behind
an async cursor, the shape psycopg's and aiomysql's async cursors have.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import pytest

from praisonai_persist.errors import SchemaVersionError, SessionExistsError, SessionNotFoundError
from praisonai_persist.models import ConversationMessage, ConversationSession
from praisonai_persist.sql import (
    MYSQL,
    POSTGRES,
    SCHEMA_VERSION,
    AsyncSQLConversationStoreBase,
    RetryPolicy,
    SQLConversationStoreBase,
    _SQLConversationStoreBase,
    is_serverless_host,
    retry_policy_for,
)
from praisonai_persist.sql.common import AsyncCursor
from praisonai_persist.sql.dialect import Dialect


class _ThreadCursor:
    """An async cursor over sqlite3, every call run on one worker thread."""

    def __init__(self, cur: sqlite3.Cursor, pool: ThreadPoolExecutor) -> None:
        self._cur, self._pool = cur, pool

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    async def _run(self, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return await self._run(self._cur.execute, sql, params)

    async def executemany(self, sql: str, seq_of_params: Any) -> Any:
        return await self._run(self._cur.executemany, sql, seq_of_params)

    async def fetchall(self) -> Sequence[Sequence[Any]]:
        rows: list[Any] = await self._run(self._cur.fetchall)
        return rows


class ThreadedSQLiteAsyncStore(AsyncSQLConversationStoreBase):
    """A minimal async plugin: only connection handling, everything else from the base."""

    def __init__(self, path: str, **options: Any) -> None:
        self.path = path
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._conn: sqlite3.Connection | None = None
        self._lock = asyncio.Lock()
        super().__init__(**options)

    async def _aconnect(self) -> None:
        loop = asyncio.get_running_loop()
        self._conn = await loop.run_in_executor(
            self._pool, lambda: sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        )

    @asynccontextmanager
    async def _atransaction(self) -> AsyncIterator[AsyncCursor]:
        assert self._conn is not None
        async with self._lock:
            cur = _ThreadCursor(self._conn.cursor(), self._pool)
            await cur.execute("BEGIN IMMEDIATE")
            try:
                yield cur
            except BaseException:
                await cur.execute("ROLLBACK")
                raise
            await cur.execute("COMMIT")

    @asynccontextmanager
    async def _areading(self) -> AsyncIterator[AsyncCursor]:
        assert self._conn is not None
        async with self._lock:
            yield _ThreadCursor(self._conn.cursor(), self._pool)

    async def _aclose_connections(self) -> None:
        if self._conn is not None:
            await asyncio.get_running_loop().run_in_executor(self._pool, self._conn.close)
        self._pool.shutdown(wait=False)


def test_async_base_contract_points(tmp_path: Path) -> None:
    async def main() -> None:
        store = ThreadedSQLiteAsyncStore(str(tmp_path / "a.db"), table_prefix="async_")
        assert not (tmp_path / "a.db").exists()  # nothing is opened before the first call
        await store.create_session(ConversationSession(session_id="s", updated_at=1.0))
        await store.create_session(ConversationSession(session_id="t", updated_at=2.0))
        with pytest.raises(SessionExistsError):
            await store.create_session(ConversationSession(session_id="s"))
        with pytest.raises(SessionNotFoundError):
            await store.add_message("missing", ConversationMessage(role="user", content="x"))
        for i in range(5):
            await store.add_message("s", ConversationMessage(role="user", content=f"m{i}", created_at=10.0))
        await store.add_messages("s", [ConversationMessage(role="user", content="b", created_at=5.0)])
        assert [m.content for m in await store.get_messages("s")] == ["b", "m0", "m1", "m2", "m3", "m4"]
        assert [m.content for m in await store.get_messages("s", limit=2)] == ["m3", "m4"]
        assert [m.content for m in await store.get_messages("s", after=5.0, limit=2)] == ["m0", "m1"]
        assert [s.session_id for s in await store.list_sessions()] == ["s", "t"]
        assert await store.delete_messages("s", ["nope"]) == 0
        assert await store.schema_version() == SCHEMA_VERSION
        assert await store.pending_migrations() == []
        assert await store.delete_session("s") is True
        assert await store.get_messages("s") == []
        await store.close()

    asyncio.run(main())


def test_async_base_refuses_newer_major(tmp_path: Path) -> None:
    path = tmp_path / "future.db"

    async def make() -> None:
        store = ThreadedSQLiteAsyncStore(str(path))
        await store.list_sessions()
        await store.close()

    asyncio.run(make())
    conn = sqlite3.connect(path)
    conn.execute("UPDATE praison_schema_version SET version = '9.1'")
    conn.commit()
    conn.close()

    async def reopen() -> None:
        store = ThreadedSQLiteAsyncStore(str(path))
        with pytest.raises(SchemaVersionError, match="9.1"):
            await store.list_sessions()
        await store.close()

    asyncio.run(reopen())


def test_praisonai_style_class_attributes_drive_the_dialect() -> None:
    class PraisonStyle(SQLConversationStoreBase):  # a PraisonAI-era subclass setting the hooks
        _id_type = "VARCHAR(255)"
        _json_type = "JSONB"
        _float_type = "DOUBLE PRECISION"
        _param = "%s"

        def _transaction(self) -> Any: ...
        def _reading(self) -> Any: ...
        def _close_connections(self) -> None: ...

    d = PraisonStyle.dialect
    assert (d.id_type, d.json_type, d.float_type, d.paramstyle) == (
        "VARCHAR(255)",
        "JSONB",
        "DOUBLE PRECISION",
        "format",
    )

    class DialectStyle(SQLConversationStoreBase):
        dialect = MYSQL

        def _transaction(self) -> Any: ...
        def _reading(self) -> Any: ...
        def _close_connections(self) -> None: ...

    assert DialectStyle._param == "%s" and DialectStyle._json_type == "JSON"
    assert DialectStyle.dialect.insert_ignore_suffix == " ON DUPLICATE KEY UPDATE {key} = {key}"
    assert _SQLConversationStoreBase is SQLConversationStoreBase

    class Numeric(SQLConversationStoreBase):
        dialect = POSTGRES
        _param = "$1"  # asyncpg-style numbered placeholders

        def _transaction(self) -> Any: ...
        def _reading(self) -> Any: ...
        def _close_connections(self) -> None: ...

    stmts_dialect: Dialect = Numeric.dialect
    assert stmts_dialect.paramstyle == "numeric"
    with pytest.raises(TypeError):

        class Bad(SQLConversationStoreBase):
            _param = ":name"


def test_retry_policy_backoff_and_transient_only() -> None:
    policy = RetryPolicy(max_retries=3, retry_delay=0.001, jitter=0.5)
    for attempt in range(6):
        base = min(0.001 * 2**attempt, policy.max_delay)
        assert base * 0.5 <= policy.delay(attempt) <= base * 1.5
    calls: list[int] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionResetError("dropped")
        return "ok"

    assert policy.call(flaky, lambda exc: isinstance(exc, ConnectionError)) == "ok"
    assert len(calls) == 3
    calls.clear()
    with pytest.raises(ValueError):
        policy.call(lambda: (calls.append(1), int("x"))[1], lambda exc: isinstance(exc, ConnectionError))
    assert len(calls) == 1  # a non-transient error is not retried
    calls.clear()

    def always() -> None:
        calls.append(1)
        raise ConnectionResetError("down")

    with pytest.raises(ConnectionResetError):
        policy.call(always, lambda exc: True)
    assert len(calls) == 4  # the first try and three retries

    async def main() -> str:
        attempts: list[int] = []

        async def flaky_async() -> str:
            attempts.append(1)
            if len(attempts) < 2:
                raise TimeoutError("slow")
            return "ok"

        return await policy.acall(flaky_async, lambda exc: isinstance(exc, TimeoutError))

    assert asyncio.run(main()) == "ok"


def test_serverless_hosts_get_retries_automatically() -> None:
    assert is_serverless_host("postgresql://u:p@ep-cool-1234.us-east-2.aws.neon.tech/db")
    assert is_serverless_host("libsql://db-org.turso.io")
    assert is_serverless_host("db.abcdefgh.supabase.co")
    assert not is_serverless_host("postgresql://localhost/db")
    assert not is_serverless_host("postgresql://evilneon.tech.example.com/db")
    assert retry_policy_for("postgresql://localhost/db").max_retries == 3
    auto = retry_policy_for("postgresql://x.neon.tech/db")
    assert auto.max_retries >= 5 and auto.retry_delay >= 0.5
    assert retry_policy_for("postgresql://x.neon.tech/db", max_retries=0).max_retries == 0


def test_sqlite_shared_store_is_usable_from_many_threads_via_base(tmp_path: Path) -> None:
    # The sync base's retry and transaction plumbing under contention from two store objects.
    from praisonai_persist.backends.sqlite import SQLiteConversationStore

    path = tmp_path / "two.db"
    a, b = SQLiteConversationStore(path=path), SQLiteConversationStore(path=path)
    a.create_session(ConversationSession(session_id="s"))

    def write(store: SQLiteConversationStore, tag: str) -> None:
        for i in range(50):
            store.add_message("s", ConversationMessage(role="user", content=f"{tag}{i}"))

    threads = [threading.Thread(target=write, args=(s, t)) for s, t in ((a, "a"), (b, "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(a.get_messages("s")) == 100
    a.close()
    b.close()


class _CommitThenLoseReply:
    """Mixin: the next write commits, then fails as if the COMMIT reply was lost on the way back."""

    lose_next = False
    #: Runs between the lost reply and the retry (another writer changing the row, say).
    on_loss: Any = None

    def _lost(self) -> None:
        if self.lose_next:
            self.lose_next = False
            if self.on_loss is not None:
                self.on_loss()
            raise ConnectionResetError("connection dropped before the commit reply arrived")

    def _is_transient(self, exc: BaseException) -> bool:
        return isinstance(exc, ConnectionResetError)


def _change_name(path: Path, sid: str) -> Any:
    def change() -> None:
        conn = sqlite3.connect(path)
        conn.execute("UPDATE praison_sessions SET name = 'other' WHERE session_id = ?", (sid,))
        conn.commit()
        conn.close()

    return change


def test_create_session_retried_after_a_lost_commit_reply(tmp_path: Path) -> None:
    from praisonai_persist.backends.sqlite import SQLiteConversationStore

    class Lossy(_CommitThenLoseReply, SQLiteConversationStore):
        @contextmanager
        def _transaction(self) -> Iterator[Any]:
            with super()._transaction() as cur:
                yield cur
            self._lost()

    path = tmp_path / "lossy.db"
    store = Lossy(path=path, retry_delay=0.001)
    try:
        store.lose_next = True
        store.create_session(ConversationSession(session_id="s", name="once", metadata={"a": [1, 2]}))
        assert not store.lose_next  # the reply was lost and the create retried
        got = store.get_session("s")
        assert got is not None and got.name == "once" and got.metadata == {"a": [1, 2]}
        # Not a retry: creating the same session again is still an error.
        with pytest.raises(SessionExistsError):
            store.create_session(ConversationSession(session_id="s", name="once", metadata={"a": [1, 2]}))
        # A retry that finds a different row (another writer got there first) is an error too.
        store.lose_next, store.on_loss = True, _change_name(path, "t")
        with pytest.raises(SessionExistsError):
            store.create_session(ConversationSession(session_id="t", name="mine"))
    finally:
        store.close()


def test_async_create_session_retried_after_a_lost_commit_reply(tmp_path: Path) -> None:
    class Lossy(_CommitThenLoseReply, ThreadedSQLiteAsyncStore):
        @asynccontextmanager
        async def _atransaction(self) -> AsyncIterator[AsyncCursor]:
            async with super()._atransaction() as cur:
                yield cur
            self._lost()

    path = tmp_path / "lossy_async.db"

    async def main() -> None:
        store = Lossy(str(path), retry_delay=0.001)
        try:
            await store.list_sessions()  # creates the tables before arming
            store.lose_next = True
            await store.create_session(ConversationSession(session_id="s", state={"k": "v"}, user_id="u"))
            assert not store.lose_next
            got = await store.get_session("s")
            assert got is not None and got.state == {"k": "v"} and got.user_id == "u"
            with pytest.raises(SessionExistsError):
                await store.create_session(ConversationSession(session_id="s", state={"k": "v"}, user_id="u"))
            store.lose_next, store.on_loss = True, _change_name(path, "t")
            with pytest.raises(SessionExistsError):
                await store.create_session(ConversationSession(session_id="t", name="mine"))
        finally:
            await store.close()

    asyncio.run(main())
