"""Fixtures for the MariaDB server of this machine (the SingleStore wire stand-in): a database per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from praisonai_persist_testkit.engines import tcp_answers
from praisonai_persist_testkit.servers import mysql_connect, mysql_database, mysql_url_for

#: The server the tests use (root, empty password, as on this machine and in CI).
SERVER_URL = os.environ.get("PERSIST_MYSQL_TEST_URL", "mysql://root@127.0.0.1:3306/test")
_SERVER = urlsplit(SERVER_URL)
HOST, PORT = _SERVER.hostname or "127.0.0.1", _SERVER.port or 3306


def mariadb_skip_reason() -> str | None:
    """None when the MariaDB server answers; otherwise why the tests skip and how to start it."""
    if tcp_answers(HOST, PORT):
        return None
    return f"MariaDB is not running at {HOST}:{PORT}: start it with `tools/engines.sh up mariadb`"


def url_for(database: str) -> str:
    """The server URL pointing at ``database``."""
    return mysql_url_for(SERVER_URL, database)


@pytest.fixture
def admin() -> Iterator[Any]:
    """A root connection (autocommit) for creating, inspecting and dropping what the tests use."""
    reason = mariadb_skip_reason()
    if reason:
        pytest.skip(reason)
    conn = mysql_connect(SERVER_URL)
    try:
        yield conn
    finally:
        conn.close()


@pytest.fixture
def database(admin: Any) -> Iterator[str]:
    """A fresh, empty database of its own, dropped after the test."""
    with mysql_database(SERVER_URL, "pps") as name:
        yield name
