"""Cloud Storage specifics beyond the contract: key encoding, URLs, expiry in listings, errors."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from praisonai_persist import create_state_store
from praisonai_persist.errors import ConfigError, CorruptDataError, StoreConnectionError
from praisonai_persist_gcs import GCSStateStore
from praisonai_persist_gcs.store import parse_gcs_url

Make = Callable[..., GCSStateStore]

def test_url_parsing() -> None:
    assert parse_gcs_url("gs://bkt") == {"bucket": "bkt"}
    assert parse_gcs_url("gs://bkt/agents/state") == {"bucket": "bkt", "prefix": "agents/state/"}
    assert parse_gcs_url("gcs://bkt/p/") == {"bucket": "bkt", "prefix": "p/"}
    with pytest.raises(ConfigError, match="credentials and options go in keyword options"):
        parse_gcs_url("gs://bkt/p?token=secret")
    with pytest.raises(ConfigError, match="needs a bucket"):
        GCSStateStore()


def test_url_selects_bucket_and_prefix(gcs_endpoint: str, make_gcs_store: Make) -> None:
    from google.auth.credentials import AnonymousCredentials

    writer = make_gcs_store(prefix="urltest/")
    writer.set("k", {"a": 1})
    store = create_state_store(
        "gs://praisonai-persist-test/urltest",
        credentials=AnonymousCredentials(),
        api_endpoint=gcs_endpoint,
        project="praisonai-persist-test",
    )
    try:
        assert isinstance(store, GCSStateStore) and store.prefix == "urltest/"
        assert store.get("k") == {"a": 1}
    finally:
        store.close()


def test_objects_are_readable_json_with_expiry_metadata(make_gcs_store: Make) -> None:
    store = make_gcs_store()
    store.set("session 1", [1, "two"], ttl=100)
    blob = store._bucket_handle().get_blob(store.prefix + "session~201")
    assert blob is not None and blob.content_type == "application/json"
    assert float(blob.metadata["expires-at"]) > time.time() + 90
    assert b'"v":[1,"two"]' in blob.download_as_bytes()


def test_expired_object_still_in_the_bucket_is_invisible(make_gcs_store: Make) -> None:
    store = make_gcs_store()
    store.set("gone", 1, ttl=1)
    store.hset("h", "f", 1)
    assert store.expire("h", 1) is True
    time.sleep(1.2)
    assert store._bucket_handle().get_blob(store.prefix + "gone") is not None
    assert store.get("gone") is None and not store.exists("gone") and store.keys() == []
    assert store.hgetall("h") == {} and store.hdel("h", "f") == 0 and store.ttl("h") is None
    assert store.delete("gone") is False
    store.hset("h", "g", 2)  # an expired hash is replaced, not revived
    assert store.hgetall("h") == {"g": 2} and store.ttl("h") is None


def test_foreign_objects_under_the_prefix_are_ignored_or_reported(make_gcs_store: Make) -> None:
    store = make_gcs_store()
    bucket = store._bucket_handle()
    bucket.blob(store.prefix + "not/ours").upload_from_string(b"x")
    bucket.blob(store.prefix + "broken").upload_from_string(b"{not json")
    assert store.keys() == ["broken"]
    with pytest.raises(CorruptDataError, match="is not JSON"):
        store.get("broken")


def test_missing_bucket_is_a_clear_error(gcs_endpoint: str) -> None:
    from google.auth.credentials import AnonymousCredentials

    store = GCSStateStore(
        bucket="no-such-bucket-here", credentials=AnonymousCredentials(), api_endpoint=gcs_endpoint, project="p"
    )
    with pytest.raises((ConfigError, StoreConnectionError)):
        store.set("k", 1)


def test_unreachable_endpoint_fails_fast() -> None:
    from google.auth.credentials import AnonymousCredentials

    store = GCSStateStore(
        bucket="b",
        credentials=AnonymousCredentials(),
        api_endpoint="http://127.0.0.1:9",
        project="p",
        timeout=2,
        retry_deadline=2,
    )
    started = time.monotonic()
    with pytest.raises(StoreConnectionError, match="Cannot reach Cloud Storage at http://127.0.0.1:9"):
        store.exists("k")
    assert time.monotonic() - started < 10
