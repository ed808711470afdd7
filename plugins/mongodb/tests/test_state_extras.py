"""mongodb state: what the contract does not cover (registry names, URLs, secrets, TTL index,
documents written by PraisonAI, hash field names MongoDB would otherwise misread)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from praisonai_persist import InvalidIdentifierError, StoreConnectionError, create_state_store
from praisonai_persist_mongodb import AsyncMongoDBStateStore, MongoDBStateStore
from praisonai_persist_mongodb._common import decode_field, encode_field


@pytest.fixture
def store(mongo_url: str, database: str) -> Iterator[MongoDBStateStore]:
    s = MongoDBStateStore(mongo_url, database=database)
    try:
        yield s
    finally:
        s._client.drop_database(database)
        s.close()


def test_registry_names(mongo_url: str, database: str) -> None:
    for name in ("motor", "mongodb_async", "async_mongodb"):
        assert type(create_state_store(name, url=mongo_url, database=database)) is AsyncMongoDBStateStore
    sync = create_state_store(mongo_url, database=database)
    assert type(sync) is MongoDBStateStore
    sync.close()


def test_ttl_index_and_praisonai_documents(store: MongoDBStateStore) -> None:
    store.set("k", 1, ttl=60)
    indexes = store._coll.index_information()
    assert any(i.get("expireAfterSeconds") == 0 and i["key"][0][0] == "expires_at" for i in indexes.values())
    store._coll.insert_one({"_id": "legacy", "value": {"from": "praisonai"}})
    assert store.get("legacy") == {"from": "praisonai"}
    assert "legacy" in store.keys("*")


def test_hash_fields_with_dots_and_dollars(store: MongoDBStateStore) -> None:
    for field in ("a.b", "$set", "100%", "", "%2E"):
        store.hset("h", field, field)
    assert store.hgetall("h") == {f: f for f in ("a.b", "$set", "100%", "", "%2E")}
    assert store.hdel("h", "a.b", "nope") == 1
    assert decode_field(encode_field("%24.$")) == "%24.$"


@pytest.mark.parametrize("bad", ["a.b", "x y", "", "d" * 100])
def test_names_are_validated(bad: str) -> None:
    with pytest.raises(InvalidIdentifierError):
        MongoDBStateStore("mongodb://127.0.0.1:1", database=bad)
    with pytest.raises(InvalidIdentifierError):
        MongoDBStateStore("mongodb://127.0.0.1:1", collection=bad)


def test_wrong_scheme_and_hidden_password() -> None:
    with pytest.raises(ValueError, match="mongodb://"):
        MongoDBStateStore("redis://u:pw@host")
    store = MongoDBStateStore("mongodb://user:s3cret-pw@127.0.0.1:1/", serverSelectionTimeoutMS=300)
    with pytest.raises(StoreConnectionError) as raised:
        store.get("k")
    assert "s3cret-pw" not in str(raised.value) and "s3cret-pw" not in repr(store)
    store.close()
