"""The Firestore the tests use: gcloud's Cloud Firestore emulator started by tools/engines.sh.

The emulator jar comes with the Google Cloud CLI, not from a package registry. Where it is
absent the tests skip and say so; where it is present but not running they fail under CI=true.
Each store gets a collection of its own, emptied after the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from praisonai_persist_firestore import FirestoreStateStore
from praisonai_persist_testkit import unique_name
from praisonai_persist_testkit.engines import engine_port


@pytest.fixture
def firestore_emulator() -> str:
    port = engine_port("firestore")
    if port is None:
        pytest.fail("the Firestore emulator is not running: start it with `tools/engines.sh up firestore`")
    return f"127.0.0.1:{port}"


@pytest.fixture
def make_firestore_store(firestore_emulator: str) -> Iterator[Callable[..., FirestoreStateStore]]:
    """A factory of stores on fresh collections in the emulator, emptied afterwards."""
    made: list[FirestoreStateStore] = []

    def make(**options: Any) -> FirestoreStateStore:
        options.setdefault("collection", unique_name("state"))
        store = FirestoreStateStore(project="praisonai-persist-test", emulator_host=firestore_emulator, **options)
        made.append(store)
        return store

    try:
        yield make
    finally:
        for store in made:
            store.clear()
            store.close()
