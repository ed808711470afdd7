"""DynamoDB specifics beyond the contract, on moto's server: table creation, paging, races, errors."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from praisonai_persist import create_state_store
from praisonai_persist.errors import ConfigError, StoreConnectionError
from praisonai_persist_dynamodb import DynamoDBStateStore
from praisonai_persist_dynamodb.store import parse_dynamodb_url
from praisonai_persist_testkit import unique_name

Make = Callable[..., DynamoDBStateStore]


def test_table_is_created_on_first_use_on_demand_with_ttl(make_dynamodb_store: Make) -> None:
    store = make_dynamodb_store()
    store.set("k", 1)
    client = store._client
    table = client.describe_table(TableName=store.table_name)["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    ttl = client.describe_time_to_live(TableName=store.table_name)["TimeToLiveDescription"]
    assert ttl["TimeToLiveStatus"] in ("ENABLED", "ENABLING") and ttl["AttributeName"] == "exp"


def test_two_stores_share_a_table_and_see_each_others_writes(make_dynamodb_store: Make) -> None:
    a = make_dynamodb_store()
    b = make_dynamodb_store(table_name=a.table_name)
    a.set("x", {"from": "a"})
    assert b.get("x") == {"from": "a"}


def test_key_prefix_separates_namespaces_in_one_table(make_dynamodb_store: Make) -> None:
    a = make_dynamodb_store(key_prefix="app1:")
    b = make_dynamodb_store(table_name=a.table_name, key_prefix="app2:")
    a.set("k", 1)
    b.set("k", 2)
    assert (a.get("k"), b.get("k")) == (1, 2)
    assert a.keys() == ["k"] and b.scan_prefix("") == ["k"]


def test_keys_pages_through_the_whole_table(make_dynamodb_store: Make) -> None:
    """PraisonAI's store reads one scan page; this one follows LastEvaluatedKey to the end."""
    store = make_dynamodb_store(scan_page_size=7)
    names = [f"k{i:03d}" for i in range(60)]
    for name in names:
        store.set(name, name)
    assert sorted(store.keys()) == names
    assert sorted(store.keys("k05?")) == [f"k05{i}" for i in range(10)]
    assert len(store.scan_prefix("k0")) == 60


def test_expired_item_still_in_the_table_is_invisible(make_dynamodb_store: Make) -> None:
    """DynamoDB deletes expired items within hours; reads check the expiry themselves."""
    store = make_dynamodb_store()
    store.set("gone", 1, ttl=1)
    time.sleep(1.2)
    raw = store._client.get_item(TableName=store.table_name, Key={"k": {"S": "gone"}})
    assert "Item" in raw, "moto keeps the expired item, as DynamoDB does for a while"
    assert store.get("gone") is None and not store.exists("gone") and store.keys() == []
    assert store.ttl("gone") is None and store.expire("gone", 10) is False
    assert store.delete("gone") is False


def test_concurrent_hset_on_a_new_hash_keeps_every_field(make_dynamodb_store: Make) -> None:
    """Creating the hash is a conditional write, so racing writers never overwrite each other."""
    store = make_dynamodb_store()
    store.set("warmup", 0)
    barrier = threading.Barrier(8)

    def writer(n: int) -> None:
        barrier.wait()
        for i in range(5):
            store.hset("h", f"w{n}-{i}", n * 10 + i)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.hgetall("h") == {f"w{n}-{i}": n * 10 + i for n in range(8) for i in range(5)}


def test_hash_field_names_are_plain_data(make_dynamodb_store: Make) -> None:
    store = make_dynamodb_store()
    fields = ["a.b", "x[0]", "#h", ":v", "sp ace", "ключ"]
    for i, field in enumerate(fields):
        store.hset("h", field, i)
    assert store.hgetall("h") == {f: i for i, f in enumerate(fields)}
    assert store.hdel("h", "a.b", "x[0]", "missing") == 2


def test_url_selects_table_region_and_endpoint(moto_endpoint: str) -> None:
    table = unique_name("url")
    store = create_state_store(
        f"dynamodb://{table}?region_name=us-east-1&endpoint_url={moto_endpoint}",
        aws_access_key_id="testing",
        aws_secret_access_key="testing-secret",
    )
    try:
        assert isinstance(store, DynamoDBStateStore) and store.table_name == table
        store.set("k", [1, 2])
        assert store.get("k") == [1, 2]
    finally:
        store.drop_table()
        store.close()


def test_url_parsing() -> None:
    assert parse_dynamodb_url("dynamodb://") == {}
    assert parse_dynamodb_url("dynamodb://t1?region_name=eu-west-1&create_table=false") == {
        "table_name": "t1",
        "region_name": "eu-west-1",
        "create_table": False,
    }
    with pytest.raises(ConfigError, match="Unknown dynamodb:// URL option 'regoin'"):
        parse_dynamodb_url("dynamodb://t?regoin=x")
    with pytest.raises(ConfigError, match="credentials come from boto3"):
        parse_dynamodb_url("dynamodb://AKIA:secret@t")


def test_injection_in_table_name_is_rejected() -> None:
    with pytest.raises(ValueError, match="table_name"):
        DynamoDBStateStore(table_name="t; DROP", region_name="us-east-1")


def test_missing_table_without_create_table_is_a_clear_error(make_dynamodb_store: Make) -> None:
    store = make_dynamodb_store(create_table=False)
    with pytest.raises(ConfigError, match="does not exist and create_table=False"):
        store.get("k")


def test_unreachable_endpoint_fails_fast_without_leaking_the_secret() -> None:
    secret = "wJalrXUtnFEMI-very-secret"
    store = DynamoDBStateStore(
        endpoint_url="http://127.0.0.1:9",
        region_name="us-east-1",
        aws_access_key_id="AKIATEST",
        aws_secret_access_key=secret,
        connect_timeout=1,
        max_attempts=1,
    )
    started = time.monotonic()
    with pytest.raises(StoreConnectionError) as info:
        store.get("k")
    assert time.monotonic() - started < 10
    assert secret not in str(info.value) and secret not in repr(store)
    assert "127.0.0.1:9" in str(info.value)
