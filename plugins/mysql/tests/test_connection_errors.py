"""Wrong passwords and unreachable servers: a quick StoreConnectionError that never shows the password."""

from __future__ import annotations

import asyncio
import logging
import time
import traceback
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from praisonai_persist import StoreConnectionError
from praisonai_persist_mysql import AsyncMySQLConversationStore, MySQLConversationStore

from .conftest import HOST, PORT

RIGHT = "Right-Pa55word-" + uuid.uuid4().hex[:8]
WRONG = "Wr0ng-Secret-" + uuid.uuid4().hex[:8]


@pytest.fixture
def user(admin: Any, database: str) -> Iterator[str]:
    """A user with a password, allowed on the test's database; dropped afterwards."""
    name = f"ppm_{uuid.uuid4().hex[:10]}"
    hosts = ("localhost", "127.0.0.1", "%")
    try:
        with admin.cursor() as cur:
            for host in hosts:
                host_literal = host.replace("%", "%%")  # PyMySQL formats the statement with %
                cur.execute(f"CREATE USER '{name}'@'{host_literal}' IDENTIFIED BY %s", (RIGHT,))
                cur.execute(f"GRANT ALL ON `{database}`.* TO '{name}'@'{host}'")
        yield name
    finally:
        with admin.cursor() as cur:
            for host in hosts:
                cur.execute(f"DROP USER IF EXISTS '{name}'@'{host}'")


def _everything_said(exc: BaseException, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> str:
    out = capsys.readouterr()
    return "\n".join([str(exc), repr(exc), "".join(traceback.format_exception(exc)), caplog.text, out.out, out.err])


def test_wrong_password_is_a_quick_connection_error_without_the_password(
    user: str, database: str, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    url = f"mysql://{user}:{WRONG}@{HOST}:{PORT}/{database}"
    started = time.perf_counter()
    with pytest.raises(StoreConnectionError) as info:
        MySQLConversationStore(url)
    assert time.perf_counter() - started < 3.0, "an authentication failure must not be retried"
    said = _everything_said(info.value, caplog, capsys)
    assert WRONG not in said and RIGHT not in said
    assert user in str(info.value) and "password" in str(info.value).lower()
    # The same user with the right password connects: the failure above was the password.
    store = MySQLConversationStore(f"mysql://{user}:{RIGHT}@{HOST}:{PORT}/{database}")
    try:
        assert RIGHT not in repr(store) and RIGHT not in repr(store.settings)
    finally:
        store.close()


def test_async_wrong_password_is_a_quick_connection_error_without_the_password(
    user: str, database: str, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)

    async def run() -> None:
        store = AsyncMySQLConversationStore(host=HOST, port=PORT, user=user, password=WRONG, database=database)
        try:
            await store.list_sessions()
        finally:
            await store.close()

    started = time.perf_counter()
    with pytest.raises(StoreConnectionError) as info:
        asyncio.run(run())
    assert time.perf_counter() - started < 3.0
    said = _everything_said(info.value, caplog, capsys)
    assert WRONG not in said


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    "url",
    [
        f"mysql://root:{WRONG}@127.0.0.1:{_closed_port()}/test",  # nothing listens: refused
        f"mysql://root:{WRONG}@no-such-host.invalid:3306/test",  # the name does not resolve
    ],
    ids=["refused", "unresolvable"],
)
def test_unreachable_server_is_a_quick_connection_error(
    url: str, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    started = time.perf_counter()
    with pytest.raises(StoreConnectionError) as info:
        MySQLConversationStore(url, max_retries=1, retry_delay=0.05)
    assert time.perf_counter() - started < 5.0
    message = str(info.value)
    assert "check the host and port" in message
    assert WRONG not in _everything_said(info.value, caplog, capsys)


def test_async_unreachable_server_is_a_quick_connection_error() -> None:
    async def run() -> None:
        store = AsyncMySQLConversationStore(
            f"mysql://root:{WRONG}@127.0.0.1:{_closed_port()}/test", max_retries=1, retry_delay=0.05
        )
        try:
            await store.get_session("x")
        finally:
            await store.close()

    started = time.perf_counter()
    with pytest.raises(StoreConnectionError) as info:
        asyncio.run(run())
    assert time.perf_counter() - started < 5.0
    assert WRONG not in str(info.value) and WRONG not in repr(info.value)
