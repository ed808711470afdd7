"""Connection failures are quick, clear StoreConnectionErrors that never show the password.

The server here trusts every local user, so a wrong password cannot be refused; a refused
port, a missing database, a missing role and a host that never answers stand in for it.
"""

from __future__ import annotations

import logging
import time

import pytest

from praisonai_persist import StoreConnectionError
from praisonai_persist_postgres import AsyncPostgresConversationStore, PostgresConversationStore

SECRET = "Sup3r-s3cret-pw"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def assert_masked(exc: BaseException, caplog: pytest.LogCaptureFixture) -> None:
    text = f"{exc}\n{exc!r}\n{caplog.text}"
    assert SECRET not in text
    cause = exc.__cause__ or exc.__context__
    assert cause is None or SECRET not in str(cause)


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(f"postgresql://postgres:{SECRET}@127.0.0.1:{{port}}/test", id="refused-port"),
        pytest.param(f"postgresql://postgres:{SECRET}@127.0.0.1:5432/no_such_db_pp", id="missing-database"),
        pytest.param(f"postgresql://no_such_role_pp:{SECRET}@127.0.0.1:5432/test", id="missing-role"),
    ],
)
def test_bad_target_is_a_quick_store_connection_error(url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    start = time.monotonic()
    with pytest.raises(StoreConnectionError) as info:
        PostgresConversationStore(url.format(port=free_port()))
    assert time.monotonic() - start < 5
    assert "postgres" in str(info.value).lower() and "***" in str(info.value)
    assert_masked(info.value, caplog)


def test_host_that_never_answers_times_out(silent_server: int, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    start = time.monotonic()
    with pytest.raises(StoreConnectionError, match="timeout") as info:
        PostgresConversationStore(f"postgresql://postgres:{SECRET}@127.0.0.1:{silent_server}/test", connect_timeout=1)
    assert time.monotonic() - start < 8
    assert_masked(info.value, caplog)


async def test_async_bad_target_is_a_store_connection_error(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    store = AsyncPostgresConversationStore(f"postgresql://postgres:{SECRET}@127.0.0.1:{free_port()}/test")
    assert SECRET not in repr(store)
    with pytest.raises(StoreConnectionError) as info:
        await store.get_session("x")
    assert_masked(info.value, caplog)
    await store.close()


def test_password_option_is_masked_too(caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(StoreConnectionError) as info:
        PostgresConversationStore(host="127.0.0.1", port=free_port(), user="postgres", password=SECRET, database="test")
    assert_masked(info.value, caplog)


def test_repr_and_errors_of_a_working_store_hide_the_password(schema: str) -> None:
    # Trust auth ignores the password, so the connection works and the secret is in the URL.
    store = PostgresConversationStore(f"postgresql://postgres:{SECRET}@127.0.0.1:5432/test", schema=schema)
    try:
        assert SECRET not in repr(store) and SECRET not in repr(store.settings)
        assert SECRET not in store._describe()
    finally:
        store.close()


def test_closed_store_says_so(schema: str, pg_url: str) -> None:
    store = PostgresConversationStore(pg_url, schema=schema)
    store.close()
    with pytest.raises(StoreConnectionError, match="closed"):
        store.get_session("x")
