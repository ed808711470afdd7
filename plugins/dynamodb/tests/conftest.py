"""The DynamoDB the tests use: moto's standalone server started by tools/engines.sh (engine ``moto``).

Tests get stores from the ``make_dynamodb_store`` fixture: each store has a table of its own,
dropped after the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from praisonai_persist_dynamodb import DynamoDBStateStore
from praisonai_persist_testkit import unique_name
from praisonai_persist_testkit.engines import engine_port

#: moto accepts any credentials; these keep boto3 from looking for real ones.
FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing-secret"}


@pytest.fixture
def moto_endpoint() -> str:
    port = engine_port("moto")
    if port is None:
        pytest.fail("moto is not running: start it with `tools/engines.sh up moto`")
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def make_dynamodb_store(moto_endpoint: str) -> Iterator[Callable[..., DynamoDBStateStore]]:
    """A factory of stores on fresh tables in moto; every table it made is dropped afterwards."""
    made: list[DynamoDBStateStore] = []

    def make(**options: Any) -> DynamoDBStateStore:
        options.setdefault("table_name", unique_name("state"))
        for key, value in FAKE_CREDENTIALS.items():
            options.setdefault(key, value)
        store = DynamoDBStateStore(endpoint_url=moto_endpoint, region_name="us-east-1", **options)
        made.append(store)
        return store

    try:
        yield make
    finally:
        for store in made:
            store.drop_table()
            store.close()
