"""Conformance tests for state (key-value) stores (DESIGN §3.2): JSON types, TTLs, patterns, hashes.

Each ``test_*`` body below runs in both :class:`StateStoreTests` (sync) and
:class:`AsyncStateStoreTests` (async).

Decision on ``None``: ``set(k, None)`` stores JSON ``null``; afterwards ``get(k)`` is ``None``
(as for a missing key) but ``exists(k)`` is ``True`` and ``k`` is listed by ``keys()``.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from praisonai_persist.errors import WrongTypeError
from praisonai_persist.state import AsyncStateStore

from .contract import CheckList, ContractTests, contract_class

__all__ = ["AsyncStateStoreTests", "StateStoreTests"]

CHECKS = CheckList()
Store = AsyncStateStore

#: Values whose type must survive a round trip (key -> value).
TYPED_VALUES: dict[str, Any] = {
    "int": 3,
    "zero": 0,
    "negative": -42,
    "big_int": 2**53 + 1,
    "float": 2.5,
    "float_integral": 3.0,
    "float_precise": 0.1 + 0.2,
    "true": True,
    "false": False,
    "string": "hello",
    "empty_string": "",
    "numeric_string": "3",
    "json_looking_string": '{"a": 1}',
    "unicode": "😀 مرحبا שלום 漢字 e\u0301 \t\n\x1f",
    "list": [1, "two", 3.5, None, True, [4]],
    "empty_list": [],
    "dict": {"a": {"b": [1, {"c": None}]}, "ключ": "значение", "flag": False},
    "empty_dict": {},
}


async def _poll(suite: ContractTests, condition: Callable[[], Awaitable[bool]], what: str) -> None:
    """Wait until ``condition`` holds, polling, for at most capabilities['expiry_grace_seconds']."""
    deadline = time.monotonic() + suite.capability("expiry_grace_seconds")
    while not await condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        await suite.pause(0.1)


@CHECKS
async def test_store_is_empty(suite: ContractTests, store: Store) -> None:
    """Canary 1/2: the fixture yields a store with no key; this test then writes some.

    Troubleshooting: give each test its own key prefix, database number or namespace, make keys()
    see only that namespace, and delete it in the fixture's finally block.
    """
    assert await store.keys("*") == []
    await store.set("canary", 1)
    await store.hset("canary_hash", "f", 1)
    assert await store.keys("canary") == ["canary"]


@CHECKS
async def test_json_values_keep_their_type(suite: ContractTests, store: Store) -> None:
    """Every JSON value reads back equal and with its type: 3 stays int, "3" stays str, True stays bool.

    Troubleshooting: store json.dumps(value) and return json.loads(stored); never str() values or
    guess types on read.
    """
    for key, value in TYPED_VALUES.items():
        await store.set(key, value)
    for key, value in TYPED_VALUES.items():
        got = await store.get(key)
        assert got == value and type(got) is type(value), f"{key}: wrote {value!r}, read {got!r}"


@CHECKS
async def test_none_value_is_stored(suite: ContractTests, store: Store) -> None:
    """set(k, None) stores JSON null: get returns None, but the key exists and is listed.

    Troubleshooting: store "null" like any other JSON value instead of deleting or skipping the key.
    """
    await store.set("nothing", None)
    assert await store.get("nothing") is None
    assert await store.exists("nothing") is True
    assert await store.keys("*") == ["nothing"]


@CHECKS
async def test_missing_key(suite: ContractTests, store: Store) -> None:
    """A missing key: get is None, exists is False, delete returns False, ttl is None.

    Troubleshooting: return None/False instead of raising for absent keys.
    """
    assert await store.get("absent") is None
    assert await store.exists("absent") is False
    assert await store.delete("absent") is False
    assert await store.ttl("absent") is None


@CHECKS
async def test_set_overwrites_and_delete_removes(suite: ContractTests, store: Store) -> None:
    """set replaces a value (even with another type); delete removes it and returns True once.

    Troubleshooting: upsert on set; delete returns whether a key was removed.
    """
    await store.set("k", [1, 2])
    await store.set("k", {"now": "a dict"})
    assert await store.get("k") == {"now": "a dict"}
    assert await store.exists("k") is True
    assert await store.delete("k") is True
    assert await store.get("k") is None
    assert await store.exists("k") is False
    assert await store.delete("k") is False


@CHECKS
async def test_keys_are_plain_data(suite: ContractTests, store: Store) -> None:
    """Keys with unicode, spaces, quotes, separators and SQL fragments round-trip literally.

    Troubleshooting: bind keys as parameters; escape them in file names or URLs reversibly.
    """
    keys = ["user:1/session 2", "ключ 😀", "x'; DROP TABLE state; --", 'q"uote\\back', "a.b-c_d~e"]
    for i, key in enumerate(keys):
        await store.set(key, i)
    for i, key in enumerate(keys):
        assert await store.get(key) == i
    assert sorted(await store.keys("*")) == sorted(keys)


@CHECKS
async def test_ttl_expiry_is_invisible(suite: ContractTests, store: Store) -> None:
    """A key set with ttl=1 disappears from get, exists, keys and scan_prefix once expired.

    Troubleshooting: filter expired rows on every read (expires_at <= now) instead of relying on a
    background sweeper alone.
    """
    suite.require("ttl")
    await store.set("short", "v", ttl=1)
    await store.set("long", "v")
    assert await store.get("short") == "v"

    async def gone() -> bool:
        return (
            await store.get("short") is None
            and not await store.exists("short")
            and "short" not in await store.keys("*")
            and "short" not in await store.keys("sho*")
            and await store.scan_prefix("sh") == []
        )

    await _poll(suite, gone, "'short' (ttl=1) expired")
    assert await store.get("long") == "v"
    assert await store.keys("*") == ["long"]


@CHECKS
async def test_ttl_reports_seconds_left(suite: ContractTests, store: Store) -> None:
    """ttl() is the whole seconds left for a key with a TTL, None without one or when missing.

    Troubleshooting: return None (not -1) for keys without expiry and for missing keys.
    """
    suite.require("ttl")
    await store.set("timed", 1, ttl=100)
    await store.set("forever", 1)
    left = await store.ttl("timed")
    assert isinstance(left, int) and 0 < left <= 100
    assert await store.ttl("forever") is None
    assert await store.ttl("missing") is None


@CHECKS
async def test_set_without_ttl_clears_ttl(suite: ContractTests, store: Store) -> None:
    """set(k, v) without ttl on a key that had one makes it persistent again (as Redis SET does).

    Troubleshooting: write the expiry column on every set, NULL when ttl is None.
    """
    suite.require("ttl")
    await store.set("k", 1, ttl=100)
    await store.set("k", 2)
    assert await store.ttl("k") is None
    assert await store.get("k") == 2


@CHECKS
async def test_expire(suite: ContractTests, store: Store) -> None:
    """expire(k, s) sets a TTL on an existing key (True), after which it expires; missing key: False.

    Troubleshooting: expire only updates the expiry of a live key and returns whether it existed.
    """
    suite.require("ttl")
    await store.set("k", "v")
    assert await store.expire("k", 100) is True
    left = await store.ttl("k")
    assert isinstance(left, int) and 0 < left <= 100
    assert await store.expire("missing", 10) is False
    assert await store.exists("missing") is False
    assert await store.expire("k", 1) is True

    async def gone() -> bool:
        return not await store.exists("k") and await store.get("k") is None

    await _poll(suite, gone, "'k' expired after expire(k, 1)")


@CHECKS
async def test_expire_rejects_non_positive_ttl(suite: ContractTests, store: Store) -> None:
    """expire(k, 0), a negative TTL or None raise ValueError and leave the key and its TTL unchanged.

    Unlike Redis (where EXPIRE k 0 deletes k) this matches set(k, v, ttl=0), which raises too; use
    delete to remove a key. Troubleshooting: validate with praisonai_persist.state.check_expire_ttl
    before touching the engine.
    """
    suite.require("ttl")
    await store.set("k", "v")
    await store.set("timed", "v", ttl=100)
    for bad in (0, -1, -0.5, None):
        for key in ("k", "timed", "missing"):
            with pytest.raises(ValueError):
                await store.expire(key, bad)  # type: ignore[arg-type]
    assert await store.get("k") == "v" and await store.ttl("k") is None
    left = await store.ttl("timed")
    assert await store.get("timed") == "v" and isinstance(left, int) and 0 < left <= 100
    assert await store.exists("missing") is False


@CHECKS
async def test_keys_glob_patterns(suite: ContractTests, store: Store) -> None:
    """keys() takes glob patterns: *, ? and [...] (default "*" lists every live key).

    Troubleshooting: translate the glob with fnmatch semantics (or the engine's glob), escaping
    SQL LIKE wildcards % and _ in the literal parts.
    """
    names = ["user:1", "user:2", "user:10", "user_x", "userAx", "session:1", "a%b"]
    for name in names:
        await store.set(name, 1)

    async def keys(pattern: str) -> list[str]:
        return sorted(await store.keys(pattern))

    assert await keys("*") == sorted(names)
    assert sorted(await store.keys()) == sorted(names)
    assert await keys("user:*") == ["user:1", "user:10", "user:2"]
    assert await keys("user:?") == ["user:1", "user:2"]
    assert await keys("user:[12]") == ["user:1", "user:2"]
    assert await keys("user_*") == ["user_x"]
    assert await keys("a%*") == ["a%b"]
    assert await keys("*:1") == ["session:1", "user:1"]
    assert await keys("user:1") == ["user:1"]
    assert await keys("nomatch*") == []


@CHECKS
async def test_scan_prefix_glob_characters_are_literal(suite: ContractTests, store: Store) -> None:
    """scan_prefix matches a literal prefix: *, ?, [, %, _ in it match only themselves.

    Troubleshooting: escape glob (and LIKE) special characters in the prefix, or compare with
    startswith.
    """
    names = ["a*b", "a*c", "ab", "a?x", "a[1]", "a1", "a_b", "axb", "a%c", "ac"]
    for name in names:
        await store.set(name, 1)

    async def scan(prefix: str) -> list[str]:
        return sorted(await store.scan_prefix(prefix))

    assert await scan("a*") == ["a*b", "a*c"]
    assert await scan("a?") == ["a?x"]
    assert await scan("a[") == ["a[1]"]
    assert await scan("a_") == ["a_b"]
    assert await scan("a%") == ["a%c"]
    assert await scan("a") == sorted(names)
    assert await scan("zz") == []


@CHECKS
async def test_hashes(suite: ContractTests, store: Store) -> None:
    """hset/hget/hgetall/hdel: fields keep JSON types; hdel returns how many fields it removed.

    Troubleshooting: hdel counts only fields that existed; hget/hgetall of a missing key return
    None / {}.
    """
    suite.require("hashes")
    await store.hset("h", "int", 1)
    await store.hset("h", "str", "1")
    await store.hset("h", "dict", {"a": [True, None]})
    await store.hset("h", "int", 2)
    assert await store.hget("h", "int") == 2
    assert await store.hget("h", "str") == "1"
    assert await store.hget("h", "missing") is None
    assert await store.hget("no_hash", "f") is None
    assert await store.hgetall("h") == {"int": 2, "str": "1", "dict": {"a": [True, None]}}
    assert await store.hgetall("no_hash") == {}
    assert await store.hdel("h", "int", "str", "missing") == 2
    assert await store.hgetall("h") == {"dict": {"a": [True, None]}}
    assert await store.hdel("h", "int") == 0
    assert await store.hdel("no_hash", "f") == 0


@CHECKS
async def test_key_holds_a_value_or_a_hash(suite: ContractTests, store: Store) -> None:
    """A key holds a plain value or a hash: using one as the other raises WrongTypeError, changing nothing.

    get on a hash key, and hget/hgetall/hset/hdel on a plain-value key (even one holding a dict),
    raise praisonai_persist.errors.WrongTypeError (a TypeError); set on a hash key replaces the
    hash with the value; delete, exists, keys, ttl and expire work on both kinds.
    Troubleshooting: record the kind with the key and check it in the same atomic operation as the
    write (Redis: map its WRONGTYPE reply).
    """
    suite.require("hashes")
    await store.set("plain", {"f": 1})
    await store.hset("h", "f", 1)
    with pytest.raises(WrongTypeError):
        await store.get("h")
    with pytest.raises(WrongTypeError):
        await store.get_json("h")
    with pytest.raises(WrongTypeError):
        await store.hget("plain", "f")
    with pytest.raises(WrongTypeError):
        await store.hgetall("plain")
    with pytest.raises(WrongTypeError):
        await store.hset("plain", "g", 2)
    with pytest.raises(WrongTypeError):
        await store.hdel("plain", "f")
    assert await store.get("plain") == {"f": 1}
    assert await store.hgetall("h") == {"f": 1}
    assert await store.exists("h") is True and await store.exists("plain") is True
    assert sorted(await store.keys("*")) == ["h", "plain"]
    assert await store.scan_prefix("h") == ["h"]
    if suite.capability("ttl"):
        assert await store.expire("h", 100) is True
        left = await store.ttl("h")
        assert isinstance(left, int) and 0 < left <= 100
    await store.set("h", [1])  # set replaces a hash with a value
    assert await store.get("h") == [1]
    with pytest.raises(WrongTypeError):
        await store.hget("h", "f")
    assert await store.delete("plain") is True
    await store.hset("plain", "f", 3)  # a deleted name can become a hash
    assert await store.hgetall("plain") == {"f": 3}
    assert await store.delete("plain") is True and await store.exists("plain") is False


@CHECKS
async def test_get_json_and_set_json(suite: ContractTests, store: Store) -> None:
    """set_json/get_json round-trip JSON values; get_json parses JSON text left by older PraisonAI code.

    Troubleshooting: get_json must decode a str holding JSON (praisonai_persist.state.decode_json_value)
    while get returns that str unchanged.
    """
    await store.set_json("j", {"a": [1, 2.5, None], "b": {"c": "ü"}})
    assert await store.get_json("j") == {"a": [1, 2.5, None], "b": {"c": "ü"}}
    assert await store.get("j") == {"a": [1, 2.5, None], "b": {"c": "ü"}}
    await store.set("legacy", '{"x": [1, true]}')
    assert await store.get("legacy") == '{"x": [1, true]}'
    assert await store.get_json("legacy") == {"x": [1, True]}
    assert await store.get_json("missing") is None


@CHECKS
async def test_set_json_with_ttl(suite: ContractTests, store: Store) -> None:
    """set_json(k, v, ttl=...) applies the TTL like set.

    Troubleshooting: pass ttl through from set_json to set.
    """
    suite.require("ttl")
    await store.set_json("j", [1], ttl=100)
    left = await store.ttl("j")
    assert isinstance(left, int) and 0 < left <= 100


@CHECKS
async def test_store_still_empty(suite: ContractTests, store: Store) -> None:
    """Canary 2/2: after test_store_is_empty wrote keys, this test's store is empty again.

    Troubleshooting: the fixture must give every test a fresh key namespace (not one per class or
    session) and make keys("*") see only it.
    """
    assert await store.keys("*") == []
    await store.set("canary", 2)
    assert await store.keys("*") == ["canary"]


@contract_class("state", CHECKS, is_async=False)
class StateStoreTests(ContractTests):
    """Conformance suite for a sync :class:`~praisonai_persist.StateStore`.

    Subclass it in a test module (name it ``Test...``) and define a ``store`` fixture that yields
    an empty store isolated for each test (its own key prefix or database); see the README.
    """


@contract_class("state", CHECKS, is_async=True)
class AsyncStateStoreTests(ContractTests):
    """Conformance suite for an :class:`~praisonai_persist.AsyncStateStore` (pytest-asyncio)."""
