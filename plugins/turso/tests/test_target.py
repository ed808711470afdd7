"""Local file, remote URL and embedded replica: translation into libsql.connect arguments (no server)."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

import pytest

from praisonai_persist import StoreConnectionError
from praisonai_persist.errors import ConfigError
from praisonai_persist.sql.retry import retry_policy_for
from praisonai_persist_turso import TursoConversationStore
from praisonai_persist_turso.store import is_transient_libsql_error
from praisonai_persist_turso.target import LOCAL, REMOTE, REPLICA, resolve_target

TOKEN = "eyJhbGciOiJFZERTQSJ9.secret-token-value"


@pytest.mark.parametrize(
    ("url", "path"),
    [("chat.db", "chat.db"), ("file:chat.db", "chat.db"), ("sqlite:///data/chat.db", "data/chat.db"), (None, None)],
)
def test_local_files(url: str | None, path: str | None) -> None:
    t = resolve_target(url) if url else resolve_target(path="x.db")
    assert t.mode == LOCAL
    database, kwargs = t.connect_args()
    assert database == (path or "x.db")
    assert kwargs == {"isolation_level": None, "timeout": 5.0, "_check_same_thread": False}
    assert t.remote_url is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("libsql://db-org.turso.io", "libsql://db-org.turso.io"),
        (f"libsql://db-org.turso.io?authToken={TOKEN}", "libsql://db-org.turso.io"),
        ("https://db-org.turso.io", "https://db-org.turso.io"),
        ("wss://db-org.turso.io", "https://db-org.turso.io"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
    ],
)
def test_remote_urls(url: str, expected: str) -> None:
    t = resolve_target(url, auth_token=None if "authToken" in url else TOKEN)
    assert t.mode == REMOTE
    database, kwargs = t.connect_args()
    assert database == expected and kwargs["auth_token"] == TOKEN
    assert "sync_url" not in kwargs and "encryption_key" not in kwargs
    assert TOKEN not in repr(t) and TOKEN not in t.describe() and TOKEN not in database


def test_embedded_replica(tmp_path: Path) -> None:
    local = tmp_path / "replica.db"
    for t in (
        resolve_target("libsql://db-org.turso.io", path=local, auth_token=TOKEN, sync_interval=30),
        resolve_target(path=local, sync_url="libsql://db-org.turso.io", auth_token=TOKEN, sync_interval=30),
        resolve_target(str(local), sync_url=f"libsql://db-org.turso.io?authToken={TOKEN}", sync_interval=30),
    ):
        assert t.mode == REPLICA
        database, kwargs = t.connect_args()
        assert database == str(local)
        assert kwargs["sync_url"] == "libsql://db-org.turso.io" and kwargs["auth_token"] == TOKEN
        assert kwargs["sync_interval"] == 30.0
        assert TOKEN not in repr(t) and TOKEN not in t.describe()
    keyed = resolve_target("libsql://h.turso.io", path=local, encryption_key="k3y-secret")
    assert keyed.connect_args()[1]["encryption_key"] == "k3y-secret" and "k3y-secret" not in repr(keyed)


def test_turso_hosts_get_the_serverless_retry_policy() -> None:
    t = resolve_target("libsql://db-org.turso.io", auth_token=TOKEN)
    assert retry_policy_for(t.remote_url).max_retries >= 5


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"url": "libsql://h.turso.io?tls=0"}, "Unknown libSQL URL parameter"),
        ({"url": f"libsql://{TOKEN}@h.turso.io"}, "auth_token"),
        ({"url": "chat.db", "auth_token": TOKEN}, "no remote URL"),
        ({"url": "libsql://h.turso.io", "sync_interval": 5}, "replica"),
        ({"url": "libsql://h.turso.io", "sync_url": "libsql://g.turso.io"}, "once"),
        ({"path": "a.db", "sync_url": "ftp://x"}, "sync_url"),
        ({"url": "a.db", "path": "b.db"}, "once"),
        ({"url": f"libsql://h.turso.io?authToken={TOKEN}", "auth_token": "other"}, "Two different"),
        ({"path": "a.db", "timeout": 0}, "timeout"),
        ({"url": "libsql://"}, "no host"),
    ],
)
def test_bad_combinations_are_clear_errors(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigError, match=match) as info:
        resolve_target(**kwargs)  # type: ignore[arg-type]
    assert TOKEN not in str(info.value)


def test_unreachable_remote_is_a_connection_error_without_the_token(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(StoreConnectionError) as info:
        TursoConversationStore(f"http://127.0.0.1:{port}?authToken={TOKEN}", max_retries=1, retry_delay=0.01)
    said = "".join(traceback.format_exception(info.value)) + caplog.text + repr(info.value)
    assert TOKEN not in said
    assert "libSQL server http://127.0.0.1" in str(info.value)


def test_transient_errors() -> None:
    assert is_transient_libsql_error(ValueError("database is locked"))
    assert is_transient_libsql_error(ValueError("Hrana: `http error: `error trying to connect``"))
    assert not is_transient_libsql_error(ValueError("no such table: x"))
    assert not is_transient_libsql_error(ValueError("UNIQUE constraint failed"))
    assert not is_transient_libsql_error(ConfigError("busy"))


def test_rowcount_is_per_statement(tmp_path: Path) -> None:
    # The client's own rowcount is cumulative; a duplicate session must still be detected.
    from praisonai_persist import ConversationSession, SessionExistsError

    store = TursoConversationStore(path=tmp_path / "c.db")
    try:
        store.create_session(ConversationSession(session_id="a"))
        with pytest.raises(SessionExistsError):
            store.create_session(ConversationSession(session_id="a"))
        assert store.delete_messages("a", ["nope"]) == 0
    finally:
        store.close()
