"""The Cloud Storage the tests use: gcp-storage-emulator started by tools/engines.sh (engine ``gcs``).

Tests get stores from the ``make_gcs_store`` fixture: each store has a prefix of its own in the
bucket ``praisonai-persist-test``, and everything under it is deleted after the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from praisonai_persist_gcs import GCSStateStore
from praisonai_persist_testkit import unique_name
from praisonai_persist_testkit.engines import engine_port

BUCKET = "praisonai-persist-test"


@pytest.fixture
def gcs_endpoint() -> str:
    port = engine_port("gcs")
    if port is None:
        pytest.fail("gcp-storage-emulator is not running: start it with `tools/engines.sh up gcs`")
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def make_gcs_store(gcs_endpoint: str) -> Iterator[Callable[..., GCSStateStore]]:
    """A factory of stores under fresh prefixes; what they wrote is deleted afterwards."""
    from google.auth.credentials import AnonymousCredentials

    made: list[GCSStateStore] = []

    def make(**options: Any) -> GCSStateStore:
        options.setdefault("bucket", BUCKET)
        options.setdefault("prefix", unique_name("state") + "/")
        store = GCSStateStore(
            project="praisonai-persist-test",
            credentials=AnonymousCredentials(),
            api_endpoint=gcs_endpoint,
            create_bucket=True,
            **options,
        )
        made.append(store)
        return store

    try:
        yield make
    finally:
        for store in made:
            store.clear()
            store.close()
