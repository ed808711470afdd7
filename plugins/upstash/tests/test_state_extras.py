"""upstash state: credentials, secrets, registry names, and the REST protocol's pipelines."""

from __future__ import annotations

import pytest

from praisonai_persist import InvalidIdentifierError, StoreConnectionError, create_state_store
from praisonai_persist_upstash import AsyncUpstashStateStore, UpstashStateStore


def test_bad_token_is_a_connection_error_without_the_token(upstash_front: str, key_prefix: str) -> None:
    store = UpstashStateStore(upstash_front, token="wrong-secret-token", key_prefix=key_prefix, rest_retries=0)
    with pytest.raises(StoreConnectionError) as raised:
        store.get("k")
    assert "wrong-secret-token" not in str(raised.value) and "wrong-secret-token" not in repr(store)
    store.close()


def test_credentials_from_the_environment(
    upstash_front: str, upstash_token: str, key_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPSTASH_REDIS_REST_URL", upstash_front)
    monkeypatch.setenv("UPSTASH_REDIS_REST_TOKEN", upstash_token)
    store = create_state_store("upstash", key_prefix=key_prefix)
    try:
        assert isinstance(store, UpstashStateStore)
        store.set("k", {"v": [1, 2]}, ttl=30)
        assert store.get("k") == {"v": [1, 2]} and 0 < (store.ttl("k") or 0) <= 30
    finally:
        store.clear()
        store.close()
    assert type(create_state_store("upstash", mode="async", key_prefix=key_prefix)) is AsyncUpstashStateStore


def test_missing_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UPSTASH_REDIS_REST_URL", raising=False)
    monkeypatch.delenv("UPSTASH_REDIS_REST_TOKEN", raising=False)
    with pytest.raises(StoreConnectionError, match="UPSTASH_REDIS_REST_TOKEN"):
        UpstashStateStore()
    with pytest.raises(ValueError, match="https://"):
        UpstashStateStore("redis://x", token="t")


def test_key_prefix_is_validated() -> None:
    with pytest.raises(InvalidIdentifierError):
        UpstashStateStore("https://example.upstash.io", token="t", key_prefix="a*b")


def test_front_pipelines_match_the_client(upstash_front: str, upstash_token: str, key_prefix: str) -> None:
    """The front's /pipeline and /multi-exec answer as upstash-redis expects (sanity of the test rig)."""
    from upstash_redis import Redis

    client = Redis(upstash_front, upstash_token, allow_telemetry=False)
    pipe = client.pipeline()
    pipe.set(key_prefix + "a", "1")
    pipe.get(key_prefix + "a")
    pipe.hset(key_prefix + "h", "f", "é")
    pipe.hgetall(key_prefix + "h")
    assert pipe.exec() == [True, "1", 1, {"f": "é"}]
    tx = client.multi()
    tx.incr(key_prefix + "n")
    tx.delete(key_prefix + "a", key_prefix + "h", key_prefix + "n")
    assert tx.exec() == [1, 3]
    client.close()
