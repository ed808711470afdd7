"""Fixtures of the redis plugin's tests: a unique key prefix per test, the servers' URLs."""

from __future__ import annotations

import os
import uuid

import pytest

from praisonai_persist_testkit.engines import engine_port


@pytest.fixture
def key_prefix() -> str:
    """A key prefix no other test (or helper sharing the server) uses."""
    return f"pptest_{uuid.uuid4().hex[:12]}:"


@pytest.fixture
def state_url() -> str:
    """The machine's Redis 7 (REDIS_STATE_URL overrides it)."""
    return os.environ.get("REDIS_STATE_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis8_url() -> str:
    """The Redis 8 server tools/engines.d/redis8.sh started (vector sets + RediSearch)."""
    port = engine_port("redis8")
    if port is None:
        pytest.fail("redis8 is not running: start it with `tools/engines.sh up redis8`")
    return f"redis://127.0.0.1:{port}/0"
