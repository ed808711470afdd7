"""Scratch namespaces on SQL servers for test fixtures, dropped afterwards.

A schema of its own on PostgreSQL and a database of its own on MySQL/MariaDB isolate each test
(DESIGN §7). The client (psycopg, PyMySQL) is imported when a helper is called, so the testkit
depends on neither; plugins that use a helper already depend on its client.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import unquote, urlsplit

from .helpers import unique_name

__all__ = ["mysql_connect", "mysql_database", "mysql_url_for", "postgres_schema"]


@contextmanager
def postgres_schema(url: str, prefix: str = "t") -> Iterator[str]:
    """Yield a fresh schema name on the server at ``url``; drop it (CASCADE) afterwards.

    The schema itself is left to the store to create, as it would be in use.
    """
    import psycopg
    from psycopg import sql

    name = unique_name(prefix).lower()
    try:
        yield name
    finally:
        with psycopg.connect(url, autocommit=True, prepare_threshold=None) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


def mysql_connect(url: str, database: str | None = None) -> Any:
    """An autocommit utf8mb4 PyMySQL connection to the server of ``mysql://user:pw@host:port/db``."""
    import pymysql

    parts = urlsplit(url)
    return pymysql.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 3306,
        user=unquote(parts.username or "root"),
        password=unquote(parts.password or ""),
        database=database,
        charset="utf8mb4",
        autocommit=True,
    )


def mysql_url_for(url: str, database: str) -> str:
    """``url`` pointing at ``database`` instead of its own database."""
    return url.split("?", 1)[0].rsplit("/", 1)[0] + f"/{database}"


@contextmanager
def mysql_database(url: str, prefix: str = "t") -> Iterator[str]:
    """Create a fresh utf8mb4 database on the server at ``url``; yield its name; drop it afterwards."""
    name = unique_name(prefix)
    conn = mysql_connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        try:
            yield name
        finally:
            with conn.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
    finally:
        conn.close()
