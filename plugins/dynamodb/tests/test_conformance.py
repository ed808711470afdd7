"""The conformance suite of praisonai-persist-testkit, run against the dynamodb state store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from praisonai_persist import as_async
from praisonai_persist_dynamodb import DynamoDBStateStore
from praisonai_persist_testkit import AsyncStateStoreTests, StateStoreTests
from praisonai_persist_testkit.engines import engine_skip_reason

ENGINE_LABEL = "moto standalone server (DynamoDB API), one table per test"
SKIP_REASON = engine_skip_reason("moto", "moto's DynamoDB server")


class TestDynamoDBStateStore(StateStoreTests):
    """Every contract test of the testkit, on a fresh table for each test."""

    backend = "dynamodb"
    engine = ENGINE_LABEL
    skip_reason = SKIP_REASON
    required_in_ci = True

    @pytest.fixture
    def store(self, make_dynamodb_store: Callable[..., DynamoDBStateStore]) -> DynamoDBStateStore:
        return make_dynamodb_store()


class TestAsyncDynamoDBStateStore(AsyncStateStoreTests):
    """The async contract: the sync store offloaded to a worker thread (boto3 has no async API)."""

    backend = "dynamodb (async)"
    engine = ENGINE_LABEL
    skip_reason = SKIP_REASON
    required_in_ci = True

    @pytest.fixture
    def store(self, make_dynamodb_store: Callable[..., DynamoDBStateStore]) -> Any:
        return as_async(make_dynamodb_store())
