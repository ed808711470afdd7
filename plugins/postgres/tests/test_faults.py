"""Connection loss on the real server: retried, and never a lost or duplicated message.

* ``pg_terminate_backend`` kills every connection of the store mid-run (what a server restart
  or a serverless host's idle timeout does); the next call goes through.
* A lost reply: a proxy forwards an append to the server, which commits it, then drops the
  reply and the connection. The retry must not insert the message twice.
"""

from __future__ import annotations

import asyncio
import threading
import uuid

import psycopg

from praisonai_persist import ConversationMessage, ConversationSession
from praisonai_persist_postgres import AsyncPostgresConversationStore, PostgresConversationStore


def terminate(admin: psycopg.Connection, app: str) -> int:
    """Kill every backend of application ``app``; how many were killed."""
    rows = admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s", (app,)
    ).fetchall()
    return sum(1 for r in rows if r[0])


def count_rows(admin: psycopg.Connection, schema: str, message_id: str | None = None) -> int:
    sql = f'SELECT count(*) FROM "{schema}".praison_messages'
    if message_id is None:
        return int(admin.execute(sql).fetchone()[0])  # type: ignore[index]
    return int(admin.execute(sql + " WHERE id = %s", (message_id,)).fetchone()[0])  # type: ignore[index]


def test_terminated_connections_are_retried_without_loss(admin: psycopg.Connection, schema: str, pg_url: str) -> None:
    app = f"pp-test-{uuid.uuid4().hex[:8]}"
    store = PostgresConversationStore(pg_url, schema=schema, application_name=app, pool_size=4, retry_delay=0.01)
    try:
        store.create_session(ConversationSession(session_id="s"))

        # Several threads at once, so the pool holds several connections to kill.
        def work(n: int) -> None:
            for i in range(5):
                store.add_message("s", ConversationMessage(id=f"w{n}-{i}", role="user", content=str(i)))

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert terminate(admin, app) >= 1
        store.add_message("s", ConversationMessage(id="after", role="user", content="still here"))
        assert terminate(admin, app) >= 1
        store.add_messages("s", [ConversationMessage(id=f"b{i}", role="user", content="x") for i in range(10)])
        assert terminate(admin, app) >= 1
        got = store.get_messages("s")
        assert len(got) == 20 + 1 + 10 == len({m.id for m in got})
        assert count_rows(admin, schema) == 31
    finally:
        store.close()


async def test_async_terminated_connections_are_retried(admin: psycopg.Connection, schema: str, pg_url: str) -> None:
    app = f"pp-test-{uuid.uuid4().hex[:8]}"
    store = AsyncPostgresConversationStore(pg_url, schema=schema, application_name=app, pool_size=4, retry_delay=0.01)
    try:
        await store.create_session(ConversationSession(session_id="s"))
        await asyncio.gather(
            *(store.add_message("s", ConversationMessage(id=f"m{i}", role="user", content="x")) for i in range(12))
        )
        assert terminate(admin, app) >= 1
        await store.add_message("s", ConversationMessage(id="after", role="user", content="y"))
        assert terminate(admin, app) >= 1
        got = await store.get_messages("s")
        assert len(got) == 13 == len({m.id for m in got})
    finally:
        await store.close()


def test_lost_reply_after_commit_is_not_duplicated(
    lossy_proxy, admin: psycopg.Connection, schema: str, pg_url: str
) -> None:  # type: ignore[no-untyped-def]
    store = PostgresConversationStore(pg_url, host="127.0.0.1", port=lossy_proxy.port, schema=schema, retry_delay=0.01)
    try:
        store.create_session(ConversationSession(session_id="s"))
        for i in range(6):  # past psycopg's prepare threshold: the lost request is a prepared one
            store.add_message("s", ConversationMessage(id=f"warm{i}", role="user", content="x"))
        mid = f"lost-{uuid.uuid4().hex}"
        lossy_proxy.arm(mid)
        store.add_message("s", ConversationMessage(id=mid, role="user", content="committed, reply lost"))
        assert lossy_proxy.dropped == 1  # the reply really was lost, and the call still succeeded
        assert count_rows(admin, schema, mid) == 1
        # Same for a batch, whose rows are committed in one statement.
        batch = [
            ConversationMessage(id=f"lost-batch-{i}-{uuid.uuid4().hex}", role="user", content="b") for i in range(5)
        ]
        lossy_proxy.arm(batch[2].id)
        store.add_messages("s", batch)
        assert lossy_proxy.dropped == 2
        assert [m.id for m in store.get_messages("s", limit=5)] == [m.id for m in batch]
        assert count_rows(admin, schema) == 6 + 1 + 5
    finally:
        store.close()


def test_lost_reply_of_create_session_is_not_an_error(
    lossy_proxy, admin: psycopg.Connection, schema: str, pg_url: str
) -> None:  # type: ignore[no-untyped-def]
    store = PostgresConversationStore(pg_url, host="127.0.0.1", port=lossy_proxy.port, schema=schema, retry_delay=0.01)
    try:
        sid = f"sess-{uuid.uuid4().hex}"
        lossy_proxy.arm(sid)
        store.create_session(ConversationSession(session_id=sid, name="once", metadata={"a": [1, 2]}))
        assert lossy_proxy.dropped == 1
        got = store.get_session(sid)
        assert got is not None and got.name == "once"
    finally:
        store.close()


async def test_async_lost_reply_is_not_duplicated(
    lossy_proxy, admin: psycopg.Connection, schema: str, pg_url: str
) -> None:  # type: ignore[no-untyped-def]
    store = AsyncPostgresConversationStore(
        pg_url, host="127.0.0.1", port=lossy_proxy.port, schema=schema, retry_delay=0.01
    )
    try:
        await store.create_session(ConversationSession(session_id="s"))
        mid = f"lost-{uuid.uuid4().hex}"
        lossy_proxy.arm(mid)
        await store.add_message("s", ConversationMessage(id=mid, role="user", content="committed, reply lost"))
        assert lossy_proxy.dropped == 1
        assert count_rows(admin, schema, mid) == 1
        assert [m.id for m in await store.get_messages("s")] == [mid]
    finally:
        await store.close()
