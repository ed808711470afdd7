"""The conformance suite of praisonai-persist-testkit, run against the firestore state store.

On the Cloud Firestore emulator where this machine has it, and against a real project when
``PRAISONAI_PERSIST_FIRESTORE_PROJECT`` names one (with application default credentials).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from praisonai_persist import as_async
from praisonai_persist_firestore import FirestoreStateStore
from praisonai_persist_testkit import AsyncStateStoreTests, StateStoreTests, unique_name
from praisonai_persist_testkit.engines import engine_skip_reason

DEFAULT_JAR = "/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar"
#: This machine has the emulator jar and java (tools/engines.d/firestore.sh runs it).
INSTALLED = Path(os.environ.get("FIRESTORE_EMULATOR_JAR", DEFAULT_JAR)).is_file() and shutil.which("java") is not None
ENGINE_LABEL = "Cloud Firestore emulator (gcloud's jar), one collection per test"
SKIP_REASON = (
    engine_skip_reason("firestore", "the Cloud Firestore emulator")
    if INSTALLED
    else "the Cloud Firestore emulator jar is not on this machine (it ships with the Google Cloud CLI, "
    "component cloud-firestore-emulator; no package registry has it)"
)
LIVE_PROJECT = os.environ.get("PRAISONAI_PERSIST_FIRESTORE_PROJECT")


class TestFirestoreStateStore(StateStoreTests):
    """Every contract test of the testkit, on a fresh collection for each test."""

    backend = "firestore"
    engine = ENGINE_LABEL
    skip_reason = SKIP_REASON
    required_in_ci = INSTALLED

    @pytest.fixture
    def store(self, make_firestore_store: Callable[..., FirestoreStateStore]) -> FirestoreStateStore:
        return make_firestore_store()


class TestAsyncFirestoreStateStore(AsyncStateStoreTests):
    """The async contract: the sync store in a worker thread."""

    backend = "firestore (async)"
    engine = ENGINE_LABEL
    skip_reason = SKIP_REASON
    required_in_ci = INSTALLED

    @pytest.fixture
    def store(self, make_firestore_store: Callable[..., FirestoreStateStore]) -> Any:
        return as_async(make_firestore_store())


class TestLiveFirestoreStateStore(StateStoreTests):
    """The contract against a real Firestore project, when one is configured."""

    backend = "firestore (live)"
    engine = f"Firestore project {LIVE_PROJECT}"
    skip_reason = None if LIVE_PROJECT else "PRAISONAI_PERSIST_FIRESTORE_PROJECT is not set (no live Firestore)"

    @pytest.fixture
    def store(self) -> Iterator[FirestoreStateStore]:
        store = FirestoreStateStore(project=LIVE_PROJECT, collection=unique_name("state"))
        try:
            yield store
        finally:
            store.clear()
            store.close()
