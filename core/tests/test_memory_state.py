"""MemoryStateStore: file-backed persistence across instances and processes, TTLs, copies, globs."""

from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path

import pytest

from praisonai_persist.backends.memory_state import MemoryStateStore, glob_match
from praisonai_persist.errors import CorruptDataError

WORKERS = 4
KEYS_PER_WORKER = 20


def _wait_until(predicate: object, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def state_worker(path: str, worker: int) -> None:
    store = MemoryStateStore(path=path)
    for i in range(KEYS_PER_WORKER):
        store.set(f"w{worker}:k{i}", {"worker": worker, "i": i})
        store.hset("shared-hash", f"w{worker}-f{i}", i)
    store.close()


def test_values_persist_across_instances(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    values = {"int": 3, "float": 2.5, "str": "ü😀", "bool": False, "none": None, "list": [1, [2]], "dict": {"a": {}}}
    with MemoryStateStore(path=path) as first:
        for key, value in values.items():
            first.set(key, value)
        first.set("timed", "t", ttl=100)
        first.hset("h", "f", [1, 2])
    with MemoryStateStore(path=path) as second:
        for key, value in values.items():
            got = second.get(key)
            assert got == value and type(got) is type(value)
        assert second.exists("none") is True
        assert second.hgetall("h") == {"f": [1, 2]}
        left = second.ttl("timed")
        assert left is not None and 98 <= left <= 100
    # Expiry is stored as an absolute wall-clock time, so it survives restarts and other processes.
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert abs(doc["entries"]["timed"]["expires_at"] - (time.time() + 100)) < 5
    assert doc["entries"]["none"]["expires_at"] is None


def test_two_instances_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    a, b = MemoryStateStore(path=path), MemoryStateStore(path=path)
    a.set("from_a", 1)
    b.set("from_b", 2)  # b reloads before writing: from_a is kept
    assert sorted(a.keys()) == ["from_a", "from_b"]
    assert b.get("from_a") == 1
    a.delete("from_b")
    assert b.exists("from_b") is False


def test_processes_sharing_a_file_lose_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "state.json")
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=state_worker, args=(path, w)) for w in range(WORKERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * WORKERS
    store = MemoryStateStore(path=path)
    expected = {f"w{w}:k{i}" for w in range(WORKERS) for i in range(KEYS_PER_WORKER)}
    assert set(store.keys("w*:k*")) == expected
    assert store.get("w2:k7") == {"worker": 2, "i": 7}
    assert len(store.hgetall("shared-hash")) == WORKERS * KEYS_PER_WORKER


@pytest.mark.parametrize("file_backed", [False, True], ids=["memory", "file"])
def test_ttl_expiry_and_remaining_seconds(tmp_path: Path, file_backed: bool) -> None:
    store = MemoryStateStore(path=tmp_path / "s.json") if file_backed else MemoryStateStore()
    store.set("long", 1, ttl=10)
    assert store.ttl("long") == 10  # whole seconds, rounded up
    store.set("short", "v", ttl=1)
    store.set("forever", "v")
    assert store.ttl("forever") is None and store.ttl("missing") is None
    assert _wait_until(lambda: store.get("short") is None, 5)
    assert store.exists("short") is False
    assert "short" not in store.keys() and store.scan_prefix("sh") == []
    assert store.ttl("short") is None
    assert store.expire("short", 10) is False  # expired keys cannot be revived
    with pytest.raises(ValueError):
        store.expire("forever", 0)  # unlike Redis, a non-positive TTL is an error, not a delete
    assert store.exists("forever") is True and store.ttl("forever") is None
    store.set("long", 2)  # set without ttl clears it
    assert store.ttl("long") is None
    with pytest.raises(ValueError):
        store.set("bad", 1, ttl=0)
    with pytest.raises(ValueError):
        store.set("bad", 1, ttl=-5)


def test_hset_keeps_ttl_and_hdel_drops_empty_hash() -> None:
    store = MemoryStateStore()
    store.hset("h", "a", 1)
    store.expire("h", 50)
    store.hset("h", "b", 2)
    left = store.ttl("h")
    assert left is not None and 49 <= left <= 50
    assert store.hdel("h", "a", "b") == 2
    assert store.exists("h") is False
    store.set("plain", "text")
    with pytest.raises(TypeError):
        store.hset("plain", "f", 1)


def test_values_are_copies() -> None:
    store = MemoryStateStore()
    value = {"list": [1, 2], "nested": {"x": 1}}
    store.set("k", value)
    value["list"].append(3)  # changing what was passed in does not change the store
    got = store.get("k")
    assert got == {"list": [1, 2], "nested": {"x": 1}}
    got["nested"]["x"] = 99  # nor does changing what came out
    assert store.get("k") == {"list": [1, 2], "nested": {"x": 1}}
    store.hset("h", "f", [1])
    store.hgetall("h")["f"].append(2)
    fetched = store.hget("h", "f")
    assert fetched == [1]
    fetched.append(5)
    assert store.hget("h", "f") == [1]
    store.set("t", (1, 2))
    assert store.get("t") == [1, 2]  # JSON has no tuples
    with pytest.raises(TypeError):
        store.set("bad", {1, 2})


def test_corrupt_state_file_is_reported_and_left(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CorruptDataError) as raised:
        MemoryStateStore(path=path)
    assert str(path) in str(raised.value)
    assert path.read_text(encoding="utf-8") == "{not json"


@pytest.mark.parametrize(
    ("pattern", "key", "expected"),
    [
        ("*", "", True),
        ("user:*", "user:1", True),
        ("user:?", "user:10", False),
        ("user:[12]", "user:2", True),
        ("user:[^12]", "user:3", True),
        ("user:[!12]", "user:1", False),
        ("user:[a-c]", "user:b", True),
        ("user:[c-a]", "user:b", True),
        ("a\\*b", "a*b", True),
        ("a\\*b", "axb", False),
        ("a[*]b", "a*b", True),
        ("a[b", "a[b", True),
        ("a.b", "axb", False),
        ("%_", "%_", True),
        ("line*", "line1\nline2", True),
    ],
)
def test_redis_glob_rules(pattern: str, key: str, expected: bool) -> None:
    assert glob_match(pattern, key) is expected
