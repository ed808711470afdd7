"""Firestore specifics beyond the contract, on the emulator: ids, fields, TTL field, races, errors."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

import pytest

from praisonai_persist import create_state_store
from praisonai_persist.errors import ConfigError, StoreConnectionError
from praisonai_persist_firestore import FirestoreStateStore
from praisonai_persist_firestore.store import document_id, parse_firestore_url
from praisonai_persist_testkit import unique_name

Make = Callable[..., FirestoreStateStore]


def test_document_ids_are_valid_for_awkward_keys(make_firestore_store: Make) -> None:
    """Ids may not hold '/', be '.' or '..', or look like __x__; keys may."""
    store = make_firestore_store()
    keys = ["a/b", "a_b", ".", "..", "__name__", "", "~", "ключ/😀"]
    for i, key in enumerate(keys):
        assert "/" not in document_id(key) and not document_id(key).startswith("__")
        store.set(key, i)
    assert sorted(store.keys()) == sorted(keys)
    assert [store.get(k) for k in keys] == list(range(len(keys)))


def test_hash_field_names_are_plain_data(make_firestore_store: Make) -> None:
    store = make_firestore_store()
    fields = ["a.b", "`tick`", "sp ace", "x[0]", "back\\slash", "ключ", "__f__"]
    for i, field in enumerate(fields):
        store.hset("h", field, i)
    assert store.hgetall("h") == {f: i for i, f in enumerate(fields)}
    assert store.hdel("h", "a.b", "`tick`", "missing") == 2
    assert store.hget("h", "sp ace") == 2


def test_expiry_is_a_timestamp_field_for_a_ttl_policy(make_firestore_store: Make) -> None:
    store = make_firestore_store()
    store.set("k", 1, ttl=100)
    snap = store._ref("k").get()
    exp = snap.get("exp")
    assert isinstance(exp, dt.datetime) and exp.timestamp() > time.time() + 90
    assert snap.get("k") == "k" and snap.get("v") == "1"


def test_expired_document_still_stored_is_invisible(make_firestore_store: Make) -> None:
    store = make_firestore_store()
    store.set("gone", 1, ttl=1)
    time.sleep(1.2)
    assert store._ref("gone").get().exists, "the emulator runs no TTL policy"
    assert store.get("gone") is None and not store.exists("gone") and store.keys() == []
    assert store.expire("gone", 10) is False and store.delete("gone") is False
    store.hset("gone", "f", 1)  # an expired key is replaced, not revived
    assert store.hgetall("gone") == {"f": 1} and store.ttl("gone") is None


def test_concurrent_hset_keeps_every_field(make_firestore_store: Make) -> None:
    """hset runs in a transaction, so racing writers never drop each other's fields."""
    store = make_firestore_store()
    store.set("warmup", 0)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        barrier.wait()
        try:
            for i in range(2):
                store.hset("h", f"w{n}-{i}", n * 10 + i)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.hgetall("h") == {f"w{n}-{i}": n * 10 + i for n in range(4) for i in range(2)}


def test_url_parsing_and_creation(firestore_emulator: str) -> None:
    assert parse_firestore_url("firestore://") == {}
    assert parse_firestore_url("firestore://proj/agent_state?database=db1") == {
        "project": "proj",
        "collection": "agent_state",
        "database": "db1",
    }
    with pytest.raises(ConfigError, match="Unknown firestore:// URL option 'db'"):
        parse_firestore_url("firestore://p/c?db=x")
    collection = unique_name("url")
    store = create_state_store(f"firestore://praisonai-persist-test/{collection}", emulator_host=firestore_emulator)
    try:
        assert isinstance(store, FirestoreStateStore) and store.collection == collection
        store.set("k", {"a": [1, [2]]})
        assert store.get("k") == {"a": [1, [2]]}
    finally:
        store.clear()
        store.close()


def test_injection_in_collection_is_rejected() -> None:
    with pytest.raises(ValueError, match="collection"):
        FirestoreStateStore(collection="state/../other")


def test_unreachable_emulator_fails_fast() -> None:
    store = FirestoreStateStore(project="p", emulator_host="127.0.0.1:9", timeout=2)
    started = time.monotonic()
    with pytest.raises(StoreConnectionError, match="Cannot reach Firestore at 127.0.0.1:9"):
        store.get("k")
    assert time.monotonic() - started < 15
