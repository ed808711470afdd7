"""Fixtures for the MariaDB server of this machine (the SingleStore wire stand-in): a database per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pymysql
import pytest

from praisonai_persist_testkit import unique_name
from praisonai_persist_testkit.engines import tcp_answers

#: The server the tests use (root, empty password, as on this machine and in CI).
SERVER_URL = os.environ.get("PERSIST_MYSQL_TEST_URL", "mysql://root@127.0.0.1:3306/test")
_SERVER = urlsplit(SERVER_URL)
HOST, PORT = _SERVER.hostname or "127.0.0.1", _SERVER.port or 3306


def mariadb_skip_reason() -> str | None:
    """None when the MariaDB server answers; otherwise why the tests skip and how to start it."""
    if tcp_answers(HOST, PORT):
        return None
    return f"MariaDB is not running at {HOST}:{PORT}: start it with `tools/engines.sh up mariadb`"


def admin_connect(database: str | None = None) -> Any:
    """A root connection (autocommit) for creating and dropping what the tests use."""
    return pymysql.connect(
        host=HOST,
        port=PORT,
        user=_SERVER.username or "root",
        password=_SERVER.password or "",
        database=database,
        charset="utf8mb4",
        autocommit=True,
    )


def url_for(database: str) -> str:
    """The server URL pointing at ``database``."""
    return SERVER_URL.rsplit("/", 1)[0] + f"/{database}"


@pytest.fixture
def admin() -> Iterator[Any]:
    reason = mariadb_skip_reason()
    if reason:
        pytest.skip(reason)
    conn = admin_connect()
    try:
        yield conn
    finally:
        conn.close()


@pytest.fixture
def database(admin: Any) -> Iterator[str]:
    """A fresh, empty database of its own, dropped after the test."""
    name = unique_name("pps")
    with admin.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    try:
        yield name
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
