"""Fixtures of the mongodb plugin's tests: the nx-27017 server tools/engines.d/nx27017.sh starts."""

from __future__ import annotations

import pytest

from praisonai_persist_testkit import unique_name
from praisonai_persist_testkit.engines import engine_port


@pytest.fixture
def mongo_url() -> str:
    port = engine_port("nx27017")
    if port is None:
        pytest.fail("nx27017 is not running: start it with `tools/engines.sh up nx27017`")
    return f"mongodb://127.0.0.1:{port}/"


@pytest.fixture
def database() -> str:
    """A database of this test's own (dropped afterwards by the fixtures that use it)."""
    return unique_name("t")
