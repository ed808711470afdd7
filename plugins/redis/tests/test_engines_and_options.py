"""What the contract does not cover: engine choice, servers without vector search, protocol
versions, the vector-set filter mechanics, URLs, prefixes, errors and registration."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from praisonai_persist import (
    InvalidIdentifierError,
    KnowledgeDocument,
    StoreConnectionError,
    WrongTypeError,
    create_knowledge_store,
    create_state_store,
)
from praisonai_persist_redis import AsyncRedisStateStore, RedisKnowledgeStore, RedisStateStore
from praisonai_persist_redis._kcore import RedisFeatureError
from praisonai_persist_testkit import unique_name
from praisonai_persist_testkit.engines import engine_port, tcp_answers

needs_redis7 = pytest.mark.skipif(
    not tcp_answers("127.0.0.1", 6379) and os.environ.get("CI") != "true", reason="Redis 7 is not running"
)


@pytest.fixture
def kstore(redis8_url: str, key_prefix: str) -> Iterator[RedisKnowledgeStore]:
    store = RedisKnowledgeStore(redis8_url, key_prefix=key_prefix)
    try:
        yield store
    finally:
        store.drop_all()
        store.close()


def test_auto_engine_picks_vector_sets_for_cosine_and_the_query_engine_otherwise(kstore: RedisKnowledgeStore) -> None:
    kstore.create_collection("cos", 4)
    kstore.create_collection("l2", 4, distance="euclidean")
    kstore.create_collection("ip", 4, distance="dot")
    assert [kstore.engine_of(n) for n in ("cos", "l2", "ip")] == ["vectorset", "query_engine", "query_engine"]


def test_vectorset_refuses_other_distances(redis8_url: str, key_prefix: str) -> None:
    with RedisKnowledgeStore(redis8_url, engine="vectorset", key_prefix=key_prefix) as store:
        with pytest.raises(ValueError, match="cosine"):
            store.create_collection("c", 4, distance="euclidean")
        assert store.list_collections() == []


@needs_redis7
def test_redis7_without_modules_names_what_is_missing(state_url: str, key_prefix: str) -> None:
    with RedisKnowledgeStore(state_url, key_prefix=key_prefix) as store:
        with pytest.raises(RedisFeatureError, match="vector sets .*Query Engine"):
            store.create_collection("c", 4)
        assert store.list_collections() == []
    with RedisKnowledgeStore(state_url, key_prefix=key_prefix, engine="query_engine") as store:
        with pytest.raises(RedisFeatureError, match="RediSearch"):
            store.create_collection("c", 4)


@pytest.mark.parametrize("protocol", [2, 3])
@pytest.mark.parametrize("engine", ["vectorset", "query_engine"])
def test_resp2_and_resp3_replies(redis8_url: str, key_prefix: str, protocol: int, engine: str) -> None:
    store = RedisKnowledgeStore(redis8_url, engine=engine, key_prefix=key_prefix, protocol=protocol)
    try:
        store.create_collection("c", 2)
        store.insert(
            "c",
            [
                KnowledgeDocument(id=f"d{i}", content=str(i), embedding=[1.0, i / 10], metadata={"i": i})
                for i in range(5)
            ],
        )
        assert store.count("c") == 5
        hits = store.search("c", [1.0, 0.0], limit=2, filters={"i": {"$gte": 1}})
        assert [h.id for h in hits] == ["d1", "d2"] and hits[0].score == pytest.approx(1 / (1.01**0.5), abs=1e-6)
        assert store.delete("c", filters={"i": {"$lt": 3}}) == 3
        assert sorted(d.id for d in store.get("c", ["d0", "d3", "d4"])) == ["d3", "d4"]
    finally:
        store.drop_all()
        store.close()


@pytest.mark.parametrize("engine", ["vectorset", "query_engine"])
def test_range_inside_or_keeps_documents_without_the_key(redis8_url: str, key_prefix: str, engine: str) -> None:
    """A vector-set FILTER drops elements lacking a field it reads: the store backfills nulls."""
    store = RedisKnowledgeStore(redis8_url, engine=engine, key_prefix=key_prefix)
    try:
        store.create_collection("c", 2)
        store.insert("c", [KnowledgeDocument(id="old", content="", embedding=[1, 0], metadata={"tag": "a"})])
        store.insert("c", [KnowledgeDocument(id="new", content="", embedding=[0, 1], metadata={"n": 1, "tag": "b"})])
        store.insert("c", [KnowledgeDocument(id="str", content="", embedding=[1, 1], metadata={"n": "x"})])
        either = {"$or": [{"tag": "a"}, {"n": {"$lt": 2}}]}
        assert {d.id for d in store.search("c", [1, 0], limit=10, filters=either)} == {"old", "new"}
        assert {d.id for d in store.search("c", [1, 0], limit=10, filters={"n": {"$gte": -5}})} == {"new"}
        assert {d.id for d in store.search("c", [1, 0], limit=10, filters={"n": {"$ne": 1}})} == {"old", "str"}
    finally:
        store.drop_all()
        store.close()


def test_insert_refuses_existing_ids_and_upsert_drops_stale_fields(kstore: RedisKnowledgeStore) -> None:
    from praisonai_persist import DocumentExistsError

    kstore.create_collection("c", 2)
    kstore.insert("c", [KnowledgeDocument(id="a", content="x", embedding=[1, 0], metadata={"n": 1})])
    with pytest.raises(DocumentExistsError):
        kstore.insert(
            "c",
            [
                KnowledgeDocument(id="b", content="y", embedding=[1, 0]),
                KnowledgeDocument(id="a", content="z", embedding=[0, 1]),
            ],
        )
    assert kstore.count("c") == 1
    kstore.upsert("c", [KnowledgeDocument(id="a", content="x2", embedding=[0, 1], metadata={"m": 2})])
    assert kstore.search("c", [1, 0], limit=5, filters={"n": 1}) == []
    assert [d.metadata for d in kstore.get("c", ["a"])] == [{"m": 2}]


@pytest.mark.parametrize("engine", ["vectorset", "query_engine"])
def test_scroll_indexes_collections_created_before_the_id_index(redis8_url: str, key_prefix: str, engine: str) -> None:
    """A registry entry without the "ids" flag (an older store): the first scroll builds c:NAME:ids once."""
    import json

    import redis

    store = RedisKnowledgeStore(redis8_url, engine=engine, key_prefix=key_prefix)
    raw = redis.Redis.from_url(redis8_url)
    try:
        store.create_collection("c", 2, metadata={"owner": "me"})
        ids = [f"d{i}" for i in range(7)] + ["é", "a b", "x*y"]
        store.insert("c", [KnowledgeDocument(id=i, content=i, embedding=[1.0, n]) for n, i in enumerate(ids)])
        registry = key_prefix + "collections"
        legacy = json.loads(raw.hget(registry, "c") or b"{}")
        legacy.pop("ids")
        raw.hset(registry, "c", json.dumps(legacy))
        raw.unlink(f"{key_prefix}c:c:ids")
        store.upsert("c", [KnowledgeDocument(id="d3", content="new", embedding=[0.0, 1.0])])  # indexed meanwhile
        old = RedisKnowledgeStore(redis8_url, key_prefix=key_prefix)  # no cached entry
        try:
            got, cursor = old.scroll("c", limit=4)
            while cursor is not None:
                page, cursor = old.scroll("c", limit=4, cursor=cursor)
                got += page
        finally:
            old.close()
        assert [d.id for d in got] == sorted(ids, key=lambda i: i.encode())
        assert next(d.content for d in got if d.id == "d3") == "new"
        assert json.loads(raw.hget(registry, "c") or b"{}").get("ids") is True
        assert raw.zcard(f"{key_prefix}c:c:ids") == len(ids)
        info = store.describe_collection("c")
        assert (info.dimension, info.distance, info.metadata) == (2, "cosine", {"owner": "me"})
    finally:
        raw.close()
        store.drop_all()
        store.close()


def test_delete_collection_drops_the_id_index(kstore: RedisKnowledgeStore) -> None:
    kstore.create_collection("c", 2)
    kstore.insert("c", [KnowledgeDocument(id="a", content="", embedding=[1, 0])])
    kstore.delete("c", ids=["a"])
    kstore.insert("c", [KnowledgeDocument(id="b", content="", embedding=[1, 0])])
    assert kstore.scroll("c")[0][0].id == "b" and len(kstore.scroll("c")[0]) == 1
    assert kstore.delete_collection("c")
    kstore.create_collection("c", 2)
    assert kstore.scroll("c") == ([], None)


# -- state store ---------------------------------------------------------------------------------


@needs_redis7
def test_valkey_url_and_registry(key_prefix: str) -> None:
    store = create_state_store("valkey://127.0.0.1:6379/0", key_prefix=key_prefix)
    try:
        assert isinstance(store, RedisStateStore)
        store.set("k", [1])
        assert store.get("k") == [1]
    finally:
        store.clear()
        store.close()
    assert (
        type(create_state_store("valkey", url="redis://127.0.0.1:6379/0", mode="async", key_prefix=key_prefix))
        is AsyncRedisStateStore
    )


@needs_redis7
def test_wrongtype_reply_names_the_unprefixed_key(state_url: str, key_prefix: str) -> None:
    with RedisStateStore(state_url, key_prefix=key_prefix) as store:
        store.hset("h", "f", {"x": 1})
        with pytest.raises(WrongTypeError) as raised:
            store.get("h")
        assert raised.value.key == "h" and raised.value.holds == "hash"
        assert key_prefix not in str(raised.value) and raised.value.__cause__ is None
        store.clear()


@pytest.mark.parametrize("bad", ["a b", "x*", "p:{y}", "a" * 200, 3])
def test_key_prefix_is_validated(bad: object) -> None:
    with pytest.raises(InvalidIdentifierError):
        RedisStateStore("redis://127.0.0.1:6379/0", key_prefix=bad)  # type: ignore[arg-type]


def test_other_url_schemes_are_refused() -> None:
    with pytest.raises(ValueError, match="redis://"):
        RedisStateStore("http://user:pw@127.0.0.1:6379")


def test_connection_errors_hide_the_password() -> None:
    port = 1  # nothing listens on port 1
    store = RedisStateStore(f"redis://user:s3cret-pw@127.0.0.1:{port}/0", socket_connect_timeout=1)
    with pytest.raises(StoreConnectionError) as raised:
        store.get("k")
    assert "s3cret-pw" not in str(raised.value) and "***" in str(raised.value)
    assert "s3cret-pw" not in repr(store)
    kstore = RedisKnowledgeStore(f"redis://:s3cret-pw@127.0.0.1:{port}/0", socket_connect_timeout=1)
    with pytest.raises(StoreConnectionError) as kraised:
        kstore.list_collections()
    assert "s3cret-pw" not in str(kraised.value)


def test_knowledge_store_from_url(redis8_url: str) -> None:
    store = create_knowledge_store(redis8_url, key_prefix=unique_name("kb") + ":")
    try:
        assert isinstance(store, RedisKnowledgeStore)
        assert store.list_collections() == []
    finally:
        store.close()


def test_engine_port_is_recorded() -> None:
    assert engine_port("redis8") is not None or os.environ.get("CI") != "true"


@needs_redis7
def test_set_many_and_get_many(state_url: str, key_prefix: str) -> None:
    with RedisStateStore(state_url, key_prefix=key_prefix) as store:
        store.set_many({f"k{i}": {"i": i} for i in range(2500)}, ttl=60)
        got = store.get_many([f"k{i}" for i in range(0, 2600, 100)])
        assert got == {f"k{i}": {"i": i} for i in range(0, 2500, 100)}
        assert 0 < (store.ttl("k7") or 0) <= 60
        assert store.clear() == 2500


@needs_redis7
async def test_async_set_many_and_get_many(state_url: str, key_prefix: str) -> None:
    store = AsyncRedisStateStore(state_url, key_prefix=key_prefix)
    try:
        await store.set_many({"a": 1, "b": [2]})
        assert await store.get_many(["a", "b", "c"]) == {"a": 1, "b": [2]}
    finally:
        await store.clear()
        await store.close()
