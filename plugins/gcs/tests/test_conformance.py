"""The conformance suite of praisonai-persist-testkit, run against the gcs state store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from praisonai_persist import as_async
from praisonai_persist_gcs import GCSStateStore
from praisonai_persist_testkit import AsyncStateStoreTests, StateStoreTests
from praisonai_persist_testkit.engines import engine_skip_reason

ENGINE_LABEL = "gcp-storage-emulator (Cloud Storage JSON API), one prefix per test"
SKIP_REASON = engine_skip_reason("gcs", "gcp-storage-emulator")


class TestGCSStateStore(StateStoreTests):
    """Every contract test of the testkit, under a fresh prefix for each test."""

    backend = "gcs"
    engine = ENGINE_LABEL
    skip_reason = SKIP_REASON
    required_in_ci = True

    @pytest.fixture
    def store(self, make_gcs_store: Callable[..., GCSStateStore]) -> GCSStateStore:
        return make_gcs_store()


class TestAsyncGCSStateStore(AsyncStateStoreTests):
    """The async contract: the sync store in a worker thread (the client has no async API)."""

    backend = "gcs (async)"
    engine = ENGINE_LABEL
    skip_reason = SKIP_REASON
    required_in_ci = True

    @pytest.fixture
    def store(self, make_gcs_store: Callable[..., GCSStateStore]) -> Any:
        return as_async(make_gcs_store())
