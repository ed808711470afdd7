"""Fixtures for the console-script tests: run ``praisonai-persist`` in a subprocess, isolated stores.

Every store URL points at a scratch namespace: a SQLite file in ``tmp_path``, a fresh PostgreSQL
schema (``search_path`` set in the URL), a fresh MariaDB database, or a unique Redis key prefix,
all removed afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from praisonai_persist_testkit.helpers import unique_name
from praisonai_persist_testkit.servers import mysql_database, mysql_url_for, postgres_schema

EXE = shutil.which("praisonai-persist", path=str(Path(sys.executable).parent)) or "praisonai-persist"
PG_URL = os.environ.get("PRAISONAI_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
MYSQL_URL = os.environ.get("PRAISONAI_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/test")
REDIS_URL = os.environ.get("PRAISONAI_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

#: The SQL servers and files the conversation commands are tested on.
SQL_TARGETS = ("sqlite", "postgres", "mariadb")

Run = Callable[..., subprocess.CompletedProcess[str]]


def run_cli(*args: str, env: dict[str, str] | None = None, input: str | None = None,
            cwd: str | Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the installed console script with a clean ``PRAISONAI_*`` environment."""
    full_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PRAISONAI_", "PRAISON_", "OPENAI_")) or k == "PRAISONAI_PERSIST_CACHE_DIR"
    }
    full_env.update(env or {})
    return subprocess.run([EXE, *args], capture_output=True, text=True, env=full_env, timeout=timeout,
                          input=input, cwd=cwd)


@pytest.fixture
def cli() -> Run:
    """The console-script runner (see :func:`run_cli`)."""
    return run_cli


def ok_json(proc: subprocess.CompletedProcess[str]) -> Any:
    """The JSON printed by a successful run (the assertion shows stderr otherwise)."""
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}"
    return json.loads(proc.stdout)


def postgres_url(schema: str) -> str:
    """``PG_URL`` with ``search_path`` set to ``schema`` (the store creates its tables there)."""
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture
def sql_url_factory(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """Make isolated conversation-store URLs: ``make("sqlite" | "postgres" | "mariadb")``."""
    cleanups: list[Any] = []

    def make(target: str) -> str:
        if target == "sqlite":
            return f"sqlite:///{tmp_path / unique_name('db')}.db"
        if target == "postgres":
            import psycopg

            ctx = postgres_schema(PG_URL, "cli")
            cleanups.append(ctx)
            schema = ctx.__enter__()
            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f'CREATE SCHEMA "{schema}"')  # search_path needs it to exist
            return postgres_url(schema)
        if target == "mariadb":
            ctx = mysql_database(MYSQL_URL, "cli")
            cleanups.append(ctx)
            return mysql_url_for(MYSQL_URL, ctx.__enter__())
        raise ValueError(target)

    yield make
    for ctx in reversed(cleanups):
        ctx.__exit__(None, None, None)


@pytest.fixture(params=SQL_TARGETS)
def sql_url(request: pytest.FixtureRequest, sql_url_factory: Callable[[str], str]) -> str:
    """One isolated conversation-store URL per SQL target."""
    return sql_url_factory(request.param)


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A unique Redis key prefix on the machine's Redis; its keys are deleted afterwards."""
    import redis

    prefix = unique_name("cli").lower() + ":"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(match=prefix + "*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
