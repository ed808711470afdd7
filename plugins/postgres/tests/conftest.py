"""Fixtures for the postgres plugin's tests: the machine's PostgreSQL, one schema per test,
and a TCP proxy that can lose a reply on purpose."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator

import psycopg
import pytest

from praisonai_persist_testkit.servers import postgres_schema

#: The PostgreSQL server the tests use (trust auth on this machine).
PG_URL = os.environ.get("PRAISONAI_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture
def pg_url() -> str:
    """URL of the PostgreSQL server under test."""
    return PG_URL


@pytest.fixture
def schema() -> Iterator[str]:
    """A schema name owned by this test; dropped (with its tables) afterwards."""
    with postgres_schema(PG_URL) as name:
        yield name


@pytest.fixture
def admin() -> Iterator[psycopg.Connection]:
    """An autocommit connection for setting up and inspecting what a test made."""
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        yield conn


class LossyProxy:
    """A TCP proxy to PostgreSQL that, once armed with a marker, forwards the client's request
    containing it to the server but drops the server's reply and closes both sides.

    The server runs (and commits) the statement; the client sees a broken connection. That is
    the "commit succeeded, reply lost" case a retry must not turn into a duplicate.
    """

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.marker: bytes | None = None
        self.dropped = 0
        self._lock = threading.Lock()
        self._closing = False
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def arm(self, marker: str) -> None:
        self.marker = marker.encode()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self._sockets += [client, server]
            armed = threading.Event()
            threading.Thread(target=self._upstream, args=(client, server, armed), daemon=True).start()
            threading.Thread(target=self._downstream, args=(client, server, armed), daemon=True).start()

    def _upstream(self, client: socket.socket, server: socket.socket, armed: threading.Event) -> None:
        try:
            while data := client.recv(65536):
                with self._lock:
                    if self.marker is not None and self.marker in data:
                        self.marker = None
                        armed.set()  # before forwarding: the reply must find it set
                server.sendall(data)
        except OSError:
            pass
        _close(server)

    def _downstream(self, client: socket.socket, server: socket.socket, armed: threading.Event) -> None:
        try:
            while data := server.recv(65536):
                if armed.is_set():
                    self.dropped += 1
                    break
                client.sendall(data)
        except OSError:
            pass
        _close(client)
        _close(server)

    def close(self) -> None:
        self._closing = True
        _close(self.listener)
        for sock in self._sockets:
            _close(sock)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


@pytest.fixture
def lossy_proxy() -> Iterator[LossyProxy]:
    """A :class:`LossyProxy` in front of the test server."""
    from psycopg.conninfo import conninfo_to_dict

    info = conninfo_to_dict(PG_URL)
    proxy = LossyProxy((str(info.get("host", "127.0.0.1")), int(info.get("port", 5432))))
    try:
        yield proxy
    finally:
        proxy.close()


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections and never answers (a hung or firewalled host)."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            accepted.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stop.set()
        _close(listener)
        for conn in accepted:
            _close(conn)
