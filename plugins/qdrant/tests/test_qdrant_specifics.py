"""What is particular to the Qdrant plugin: URL forms, secrets, native filter objects, registry."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from qdrant_client import models

from praisonai_persist import KnowledgeDocument, create_knowledge_store
from praisonai_persist.errors import StoreConnectionError, UnsupportedFilterError
from praisonai_persist_qdrant import AsyncQdrantKnowledgeStore, QdrantKnowledgeStore
from praisonai_persist_qdrant.codec import point_id
from praisonai_persist_qdrant.connection import settings_from
from praisonai_persist_qdrant.filters import to_qdrant_filter


def test_url_forms() -> None:
    assert settings_from(None, None).client_kwargs == {"location": ":memory:"}
    assert settings_from("/data/q", None).client_kwargs == {"path": "/data/q"}
    server = settings_from("qdrant://db.example:6333", None, api_key="s3cret").client_kwargs
    assert server["url"] == "http://db.example:6333" and server["api_key"] == "s3cret"
    assert settings_from("qdrant://db:6333", None, https=True).client_kwargs["url"] == "https://db:6333"
    with pytest.raises(ValueError, match="scheme"):
        settings_from("ftp://x", None)
    with pytest.raises(ValueError, match="batch_size"):
        settings_from(None, None, batch_size=0)


def test_api_key_never_shown() -> None:
    settings = settings_from("https://user:pw@cloud.example:6333", None, api_key="s3cret-key")
    assert "s3cret-key" not in repr(settings) and "pw" not in settings.display


def test_filters_are_qdrant_objects_with_values_inside() -> None:
    native = to_qdrant_filter({"tag": "a' OR 1=1", "n": {"$gte": 2}})
    assert isinstance(native, models.Filter)
    dumped = native.model_dump_json()
    assert "metadata.tag" in dumped and "a' OR 1=1" in dumped


@pytest.mark.parametrize(
    "bad",
    [{"tag": {"$gt": "a"}}, {"a.b": 1}, {"tag') OR 1=1": "a"}, {"tag": {"$regex": "x"}}],
)
def test_inexpressible_filters_raise(bad: dict[str, object]) -> None:
    with pytest.raises(UnsupportedFilterError):
        to_qdrant_filter(bad)


def test_numbers_compare_by_value_and_not_with_booleans(tmp_path: Path) -> None:
    store = QdrantKnowledgeStore(path=str(tmp_path / "q"))
    try:
        store.create_collection("c", 2)
        values = {"i": 2, "f": 2.0, "b": True, "s": "2"}
        store.insert("c", [KnowledgeDocument(id=k, embedding=[1.0, 0.5], metadata={"x": v}) for k, v in values.items()])
        assert {h.id for h in store.search("c", [1.0, 0.0], limit=10, filters={"x": 2})} == {"i", "f"}
        assert {h.id for h in store.search("c", [1.0, 0.0], limit=10, filters={"x": True})} == {"b"}
        assert {h.id for h in store.search("c", [1.0, 0.0], limit=10, filters={"x": {"$in": ["2", 2]}})} == {
            "i",
            "f",
            "s",
        }
    finally:
        store.close()


def test_scroll_cursor_is_a_point_id_and_describe_keeps_metadata(tmp_path: Path) -> None:
    """The cursor is the next point id: a deleted one still resumes there; a foreign cursor raises."""
    store = QdrantKnowledgeStore(path=str(tmp_path / "q"))
    try:
        store.create_collection("c", 2, distance="euclidean", metadata={"owner": "me", "n": [1, 2]})
        store.insert("c", [KnowledgeDocument(id=f"d{i}", embedding=[1.0, float(i)]) for i in range(9)])
        first, cursor = store.scroll("c", limit=4)
        assert cursor is not None and cursor == point_id(store.scroll("c", limit=1, cursor=cursor)[0][0].id)
        following = store.scroll("c", limit=1, cursor=cursor)[0][0].id
        store.delete("c", ids=[following])  # the cursor's own point disappears: the scroll goes on after it
        rest: list[str] = []
        while cursor is not None:
            page, cursor = store.scroll("c", limit=4, cursor=cursor)
            rest.extend(d.id for d in page)
        assert sorted([d.id for d in first] + rest) == sorted({f"d{i}" for i in range(9)} - {following})
        for bad in ("d3", "", "12ab"):
            with pytest.raises(ValueError):
                store.scroll("c", limit=4, cursor=bad)
        info = store.describe_collection("c")
        assert (info.dimension, info.distance, info.metadata) == (2, "euclidean", {"owner": "me", "n": [1, 2]})
    finally:
        store.close()


def test_registry_gives_both_forms(tmp_path: Path) -> None:
    sync = create_knowledge_store("qdrant", path=str(tmp_path / "a"))
    assert isinstance(sync, QdrantKnowledgeStore)
    sync.close()
    native_async = create_knowledge_store("qdrant", path=str(tmp_path / "b"), mode="async")
    assert isinstance(native_async, AsyncQdrantKnowledgeStore)
    asyncio.run(native_async.close())


def test_unreachable_server_is_a_connection_error() -> None:
    store = QdrantKnowledgeStore(url="http://127.0.0.1:1", timeout=2)
    with pytest.raises(StoreConnectionError) as raised:
        store.list_collections()
    assert "127.0.0.1:1" in str(raised.value)

    async def connect() -> None:
        astore = AsyncQdrantKnowledgeStore(url="http://127.0.0.1:1", timeout=2)
        try:
            await astore.collection_exists("c")
        finally:
            await astore.close()

    with pytest.raises(StoreConnectionError):
        asyncio.run(connect())


def test_cosine_embeddings_read_back_as_written_after_reopening(tmp_path: Path) -> None:
    """Local mode normalises cosine vectors in memory but reloads them from disk as written."""
    vectors = {"a": [3.0, -4.0, 12.0], "b": [0.01, 0.02, 0.0], "c": [1.0, 0.0, 0.0]}
    store = QdrantKnowledgeStore(path=str(tmp_path))
    store.create_collection("c", 3, distance="cosine")
    store.insert("c", [KnowledgeDocument(id=k, content=k, embedding=v) for k, v in vectors.items()])
    for _ in range(2):
        got = {d.id: d.embedding for d in store.get("c", sorted(vectors))}
        for key, want in vectors.items():
            assert got[key] == pytest.approx(want, rel=1e-5, abs=1e-6), key
        assert [h.id for h in store.search("c", [3.0, -4.0, 12.0], limit=1)] == ["a"]
        store.close()
        store = QdrantKnowledgeStore(path=str(tmp_path))
    store.close()
