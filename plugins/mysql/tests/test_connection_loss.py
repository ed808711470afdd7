"""Lost connections mid-run: killed connections and a commit whose reply never arrived."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from praisonai_persist import ConversationMessage, ConversationSession
from praisonai_persist_mysql import AsyncMySQLConversationStore, MySQLConversationStore

from .conftest import HOST, PORT, url_for


def _kill_store_connections(admin: Any, database: str) -> int:
    """KILL every connection using ``database`` (the store's), from the admin connection."""
    with admin.cursor() as cur:
        cur.execute(
            "SELECT id FROM information_schema.processlist WHERE db = %s AND id <> CONNECTION_ID()", (database,)
        )
        ids = [row[0] for row in cur.fetchall()]
        for conn_id in ids:
            cur.execute("KILL %s", (conn_id,))
    return len(ids)


def _stored_ids(admin: Any, database: str, session_id: str) -> list[str]:
    with admin.cursor() as cur:
        cur.execute(
            f"SELECT id FROM `{database}`.praison_messages WHERE session_id = %s ORDER BY created_at, seq",
            (session_id,),
        )
        return [row[0] for row in cur.fetchall()]


def test_killed_connections_are_replaced_without_loss_or_duplicates(admin: Any, database: str) -> None:
    store = MySQLConversationStore(url_for(database), pool_size=3, retry_delay=0.01)
    try:
        store.create_session(ConversationSession(session_id="s"))
        sent = []
        for n in range(12):
            if n in (4, 9):
                assert _kill_store_connections(admin, database) >= 1
            message = store.add_message("s", ConversationMessage(role="user", content=f"m{n}"))
            sent.append(message.id)
        assert _kill_store_connections(admin, database) >= 1
        assert [m.id for m in store.get_messages("s")] == sent
    finally:
        store.close()
    assert _stored_ids(admin, database, "s") == sent


def test_async_killed_connections_are_replaced_without_loss_or_duplicates(admin: Any, database: str) -> None:
    async def run() -> list[str]:
        store = AsyncMySQLConversationStore(url_for(database), pool_size=3, retry_delay=0.01)
        try:
            await store.create_session(ConversationSession(session_id="s"))
            sent = []
            for n in range(12):
                if n in (4, 9):
                    assert _kill_store_connections(admin, database) >= 1
                    await asyncio.sleep(0.05)
                message = await store.add_message("s", ConversationMessage(role="user", content=f"m{n}"))
                sent.append(message.id)
            _kill_store_connections(admin, database)
            assert [m.id for m in await store.get_messages("s")] == sent
            return sent
        finally:
            await store.close()

    sent = asyncio.run(run())
    assert _stored_ids(admin, database, "s") == sent


class CommitReplyDropper:
    """A TCP proxy to MariaDB that, when armed, lets a ``COMMIT`` reach the server and then cuts the
    connection instead of passing the server's reply back: the commit happened, the client can't know."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.armed = threading.Event()
        self.fired = threading.Event()
        self._sockets: list[socket.socket] = []
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection((HOST, PORT))
            self._sockets += [client, upstream]
            cutting = threading.Event()
            threading.Thread(target=self._to_server, args=(client, upstream, cutting), daemon=True).start()
            threading.Thread(target=self._to_client, args=(upstream, client, cutting), daemon=True).start()

    def _to_server(self, client: socket.socket, upstream: socket.socket, cutting: threading.Event) -> None:
        try:
            while data := client.recv(65536):
                if self.armed.is_set() and b"\x03COMMIT" in data:
                    self.armed.clear()
                    cutting.set()  # before sending: the reply must not be passed on
                upstream.sendall(data)
        except OSError:
            pass

    def _to_client(self, upstream: socket.socket, client: socket.socket, cutting: threading.Event) -> None:
        try:
            while data := upstream.recv(65536):
                if cutting.is_set():
                    self.fired.set()
                    break
                client.sendall(data)
        except OSError:
            pass
        for sock in (client, upstream):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def close(self) -> None:
        self._closed = True
        self._listener.close()
        for sock in self._sockets:
            try:
                sock.close()
            except OSError:
                pass


@pytest.fixture
def dropper() -> Iterator[CommitReplyDropper]:
    proxy = CommitReplyDropper()
    try:
        yield proxy
    finally:
        proxy.close()


def test_retried_insert_after_lost_commit_reply_is_not_duplicated(
    admin: Any, database: str, dropper: CommitReplyDropper
) -> None:
    url = f"mysql://root@127.0.0.1:{dropper.port}/{database}"
    store = MySQLConversationStore(url, pool_size=1, retry_delay=0.01)
    try:
        store.create_session(ConversationSession(session_id="s"))
        first = store.add_message("s", ConversationMessage(role="user", content="before"))
        dropper.armed.set()
        lost = store.add_message("s", ConversationMessage(role="assistant", content="reply lost 📡"))
        assert dropper.fired.is_set(), "the proxy never cut a COMMIT reply: the test did not test anything"
        assert [m.id for m in store.get_messages("s")] == [first.id, lost.id]
    finally:
        store.close()
    assert _stored_ids(admin, database, "s") == [first.id, lost.id]


def test_async_retried_insert_after_lost_commit_reply_is_not_duplicated(
    admin: Any, database: str, dropper: CommitReplyDropper
) -> None:
    url = f"mysql://root@127.0.0.1:{dropper.port}/{database}"

    async def run() -> list[str]:
        store = AsyncMySQLConversationStore(url, pool_size=1, retry_delay=0.01)
        try:
            await store.create_session(ConversationSession(session_id="s"))
            first = await store.add_message("s", ConversationMessage(role="user", content="before"))
            dropper.armed.set()
            lost = await store.add_messages(
                "s", [ConversationMessage(role="assistant", content=f"r{n}") for n in range(3)]
            )
            assert dropper.fired.is_set(), "the proxy never cut a COMMIT reply"
            ids = [first.id, *(m.id for m in lost)]
            assert [m.id for m in await store.get_messages("s")] == ids
            return ids
        finally:
            await store.close()

    ids = asyncio.run(run())
    assert _stored_ids(admin, database, "s") == ids


def test_forked_child_opens_its_own_connections(database: str) -> None:
    import multiprocessing
    import os

    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")

    def connection_id(store: MySQLConversationStore) -> int:
        def op(cur: Any) -> int:
            cur.execute("SELECT CONNECTION_ID()", ())
            return int(cur.fetchall()[0][0])

        return store._read(op)

    store = MySQLConversationStore(url_for(database), pool_size=1)
    try:
        store.create_session(ConversationSession(session_id="s"))
        store.add_message("s", ConversationMessage(role="user", content="parent 1"))
        parent_id = connection_id(store)
        ctx = multiprocessing.get_context("fork")
        reader, writer = ctx.Pipe(duplex=False)

        def child() -> None:
            store.add_message("s", ConversationMessage(role="user", content="child"))
            writer.send(connection_id(store))
            os._exit(0)

        proc = ctx.Process(target=child)
        proc.start()
        proc.join(60)
        assert proc.exitcode == 0
        assert reader.recv() != parent_id, "the child reused the parent's connection"
        # The parent's pooled connection is intact after the child used the store.
        assert connection_id(store) == parent_id
        store.add_message("s", ConversationMessage(role="user", content="parent 2"))
        assert [m.content for m in store.get_messages("s")] == ["parent 1", "child", "parent 2"]
    finally:
        store.close()
