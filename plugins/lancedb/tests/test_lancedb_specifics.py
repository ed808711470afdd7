"""What is particular to the LanceDB plugin: URL forms, secrets, JSON metadata filters, registry."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from praisonai_persist import KnowledgeDocument, create_knowledge_store
from praisonai_persist.errors import UnsupportedFilterError
from praisonai_persist_lancedb import AsyncLancedbKnowledgeStore, LancedbKnowledgeStore
from praisonai_persist_lancedb.connection import settings_from


def test_url_forms() -> None:
    assert settings_from("/data/l", None).uri == "/data/l"
    assert settings_from("lancedb:////data/l", None).uri == "/data/l"
    assert settings_from(None, "rel/dir").uri == "rel/dir"
    cloud = settings_from("db://my-db", None, api_key="s3cret", region="eu-west-1")
    assert cloud.uri == "db://my-db" and cloud.connect_kwargs == {"api_key": "s3cret", "region": "eu-west-1"}
    assert settings_from("s3://bucket/x", None, storage_options={"k": "v"}).connect_kwargs["storage_options"] == {
        "k": "v"
    }
    with pytest.raises(ValueError, match="scheme"):
        settings_from("ftp://x", None)
    with pytest.raises(ValueError, match="path"):
        settings_from(None, None)


def test_api_key_never_shown(tmp_path: Path) -> None:
    settings = settings_from("db://my-db", None, api_key="s3cret-key")
    assert "s3cret-key" not in repr(settings)
    store = LancedbKnowledgeStore(path=str(tmp_path))
    assert str(tmp_path) in repr(store)
    store.close()


def test_metadata_types_are_kept_apart(tmp_path: Path) -> None:
    """2 == 2.0, but neither equals True or "2"; nested values round-trip."""
    store = LancedbKnowledgeStore(path=str(tmp_path / "l"))
    try:
        store.create_collection("c", 2)
        values = {"i": 2, "f": 2.0, "b": True, "s": "2", "n": None, "nested": {"x": [1, {"y": None}]}}
        store.insert("c", [KnowledgeDocument(id=k, embedding=[1.0, 0.5], metadata={"x": v}) for k, v in values.items()])
        assert {h.id for h in store.search("c", [1.0, 0.0], limit=10, filters={"x": 2})} == {"i", "f"}
        assert {h.id for h in store.search("c", [1.0, 0.0], limit=10, filters={"x": True})} == {"b"}
        assert {h.id for h in store.search("c", [1.0, 0.0], limit=10, filters={"x": "2"})} == {"s"}
        assert {h.id for h in store.search("c", [1.0, 0.0], limit=10, filters={"x": None})} == {"n"}
        assert {h.id for h in store.search("c", [1.0, 0.0], limit=10, filters={"x": {"$gte": 1.5}})} == {"i", "f"}
        with pytest.raises(UnsupportedFilterError):
            store.search("c", [1.0, 0.0], limit=10, filters={"x": {"$gt": "1"}})
        assert store.get("c", ["nested"])[0].metadata == {"x": {"x": [1, {"y": None}]}}
    finally:
        store.close()


def test_scroll_pages_hostile_ids_and_describe_keeps_metadata(tmp_path: Path) -> None:
    """scroll's ``id > cursor`` is a bound expression: quotes, backslashes and SQL survive; pages span fragments."""
    ids = ["a'b", "a\\b", "x' OR '1'='1", "😀", "z--", *[f"n{i:03d}" for i in range(40)]]
    store = LancedbKnowledgeStore(path=str(tmp_path / "l"))
    try:
        store.create_collection("c", 2, distance="dot", metadata={"owner": "me", "n": [1, 2]})
        for start in range(0, len(ids), 7):  # several adds: several Lance fragments
            store.insert("c", [KnowledgeDocument(id=i, embedding=[1.0, 0.5]) for i in ids[start : start + 7]])
        seen: list[str] = []
        cursor: str | None = None
        while True:
            page, cursor = store.scroll("c", limit=6, cursor=cursor)
            assert len(page) <= 6
            seen.extend(d.id for d in page)
            if cursor is None:
                break
        assert seen == sorted(ids)
        info = store.describe_collection("c")
        assert (info.dimension, info.distance, info.metadata) == (2, "dot", {"owner": "me", "n": [1, 2]})
        assert asyncio.run(_describe_async(tmp_path / "l")).metadata == {"owner": "me", "n": [1, 2]}
        with pytest.raises(ValueError):
            store.scroll("c", cursor=3)  # type: ignore[arg-type]
    finally:
        store.close()


async def _describe_async(path: Path) -> Any:
    store = AsyncLancedbKnowledgeStore(path=str(path))
    try:
        page, cursor = await store.scroll("c", limit=2, cursor="z")
        assert ([d.id for d in page], cursor) == (["z--", "😀"], None)
        return await store.describe_collection("c")
    finally:
        await store.close()


def test_registry_gives_both_forms(tmp_path: Path) -> None:
    sync = create_knowledge_store("lancedb", path=str(tmp_path / "a"))
    assert isinstance(sync, LancedbKnowledgeStore)
    sync.close()
    native_async = create_knowledge_store(f"lancedb:///{tmp_path / 'b'}", mode="async")
    assert isinstance(native_async, AsyncLancedbKnowledgeStore)
    asyncio.run(native_async.close())
