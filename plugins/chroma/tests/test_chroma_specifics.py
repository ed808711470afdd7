"""What is particular to the Chroma plugin: filter translation, names, metadata encoding, URLs."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from praisonai_persist import KnowledgeDocument, create_knowledge_store
from praisonai_persist.errors import StoreConnectionError, UnsupportedFilterError
from praisonai_persist_chroma import AsyncChromaKnowledgeStore, ChromaKnowledgeStore, paging
from praisonai_persist_chroma.codec import native_name, visible_names
from praisonai_persist_chroma.connection import settings_from
from praisonai_persist_chroma.filters import to_chroma_where
from praisonai_persist_testkit.engines import engine_skip_reason


def test_filters_become_chroma_dicts() -> None:
    assert to_chroma_where({"n": 2}) == {"n": {"$eq": 2.0}}
    assert to_chroma_where({"flag": True}) == {"flag": {"$eq": True}}
    assert to_chroma_where({"a": 1, "b": "x"}) == {"$and": [{"a": {"$eq": 1.0}}, {"b": {"$eq": "x"}}]}
    assert to_chroma_where({"$or": [{"a": 1}]}) == {"a": {"$eq": 1.0}}
    assert to_chroma_where({"t": {"$in": ["x", 1]}}) == {"$or": [{"t": {"$eq": "x"}}, {"t": {"$eq": 1.0}}]}
    assert to_chroma_where({"t": {"$nin": ["x", 1]}}) == {"$and": [{"t": {"$ne": "x"}}, {"t": {"$ne": 1.0}}]}
    assert to_chroma_where(None) is None


@pytest.mark.parametrize(
    "bad", [{"tag": {"$gt": "a"}}, {"x": None}, {"x": {"$ne": None}}, {"a.b": 1}, {"tag": {"$regex": "^a"}}]
)
def test_inexpressible_filters_raise(bad: dict[str, object]) -> None:
    with pytest.raises(UnsupportedFilterError):
        to_chroma_where(bad)


def test_short_names_are_wrapped_reversibly() -> None:
    assert native_name("", "docs") == "docs"
    assert native_name("", "s0") == "pp-s0-pp"
    assert native_name("", "_x_") == "pp-_x_-pp"
    assert native_name("app_", "c") == "app_c"
    assert visible_names("", ["docs", "pp-s0-pp", "pp-_x_-pp", "other-tool"]) == ["_x_", "docs", "s0"]
    assert visible_names("app_", ["app_c", "pp-app_-pp", "docs"]) == ["c"]


def test_url_forms_and_secrets() -> None:
    assert settings_from("/data/c", None).client_kwargs["path"] == "/data/c"
    assert settings_from("chroma:////data/c", None).client_kwargs["path"] == "/data/c"
    http = settings_from("https://chroma.example", None, api_key="s3cret-token")
    assert (http.kind, http.client_kwargs["host"], http.client_kwargs["port"], http.client_kwargs["ssl"]) == (
        "http",
        "chroma.example",
        443,
        True,
    )
    assert http.client_kwargs["headers"] == {"x-chroma-token": "s3cret-token"}
    assert "s3cret-token" not in repr(http) and "s3cret-token" not in http.display
    assert settings_from("chroma://h:9000", None).client_kwargs["port"] == 9000
    with pytest.raises(ValueError, match="scheme"):
        settings_from("ftp://x", None)


@pytest.fixture
def store(tmp_path: Path) -> ChromaKnowledgeStore:
    return ChromaKnowledgeStore(path=str(tmp_path / "c"))


def test_fractional_bounds_on_integers(store: ChromaKnowledgeStore) -> None:
    """Chroma truncates a fractional bound against an integer field; the store sends floats only."""
    try:
        store.create_collection("c", 2)
        store.insert("c", [KnowledgeDocument(id=f"n{v}", embedding=[1.0, 0.0], metadata={"n": v}) for v in (1, 2, 3)])
        assert {h.id for h in store.search("c", [1.0, 0.0], limit=10, filters={"n": {"$gte": 1.5}})} == {"n2", "n3"}
        assert {h.id for h in store.search("c", [1.0, 0.0], limit=10, filters={"n": {"$lt": 2.5}})} == {"n1", "n2"}
    finally:
        store.close()


def test_metadata_comes_back_with_its_types(store: ChromaKnowledgeStore) -> None:
    try:
        store.create_collection("s0", 2)
        cases = {
            "ints": {"a": 1, "b": 2.5, "c": "x", "d": False},
            "nested": {"a": {"b": [1, None]}, "n": None},
            "huge": {"big": 2**60},
            "none": None,
            "empty": {},
        }
        store.insert("s0", [KnowledgeDocument(id=k, embedding=[1.0, 0.0], metadata=v) for k, v in cases.items()])
        got = {d.id: d.metadata for d in store.get("s0", list(cases))}
        assert got == cases
        assert type(got["ints"]["a"]) is int  # type: ignore[index]
        assert store.list_collections() == ["s0"]
    finally:
        store.close()


async def _scroll_through_deletes(call: Callable[..., Awaitable[Any]]) -> None:
    """Deletes before the cursor (the cursor's own document too) skip nothing; upserts keep their place."""
    ids = [f"d{i:02d}" for i in range(20)]
    await call("create_collection", "c", 2, "cosine", {"owner": "me"})
    await call("insert", "c", [KnowledgeDocument(id=i, embedding=[1.0, 0.5]) for i in ids])
    seen: list[str] = []

    async def page(cursor: str | None) -> str | None:
        docs, cursor = await call("scroll", "c", 5, cursor)
        seen.extend(d.id for d in docs)
        return cursor

    cursor = await page(None)
    assert cursor == "5:d04"
    await call("delete", "c", ["d00", "d01", "d02"])  # before the cursor: everything after shifts back
    cursor = await page(cursor)
    await call("delete", "c", ["d09"])  # the cursor's own document
    await call("upsert", "c", [KnowledgeDocument(id="d03", embedding=[0.0, 1.0])])
    await call("insert", "c", [KnowledgeDocument(id="new", embedding=[0.0, 1.0])])
    while cursor is not None:
        cursor = await page(cursor)
    assert seen == [*ids, "new"]  # each once: d00-d02 and d09 were read before their deletes
    info = await call("describe_collection", "c")
    assert (info.dimension, info.distance, info.metadata) == (2, "cosine", {"owner": "me"})
    with pytest.raises(ValueError):
        await call("scroll", "c", 5, "d04")


def test_scroll_survives_deletes_embedded(store: ChromaKnowledgeStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "_WINDOW", 2)  # the look-back reads several windows

    async def call(method: str, *args: Any) -> Any:
        return getattr(store, method)(*args)

    try:
        asyncio.run(_scroll_through_deletes(call))
    finally:
        store.close()


@pytest.mark.skipif(engine_skip_reason("chroma") is not None, reason=str(engine_skip_reason("chroma")))
def test_scroll_survives_deletes_on_server_async(chroma_server_database: tuple[str, str]) -> None:
    url, database = chroma_server_database

    async def run() -> None:
        store = AsyncChromaKnowledgeStore(url=url, database=database)

        async def call(method: str, *args: Any) -> Any:
            return await getattr(store, method)(*args)

        try:
            await _scroll_through_deletes(call)
        finally:
            await store.close()

    asyncio.run(run())


def test_registry_gives_both_forms(tmp_path: Path) -> None:
    sync = create_knowledge_store("chromadb", path=str(tmp_path / "a"))
    assert isinstance(sync, ChromaKnowledgeStore)
    sync.close()
    offloaded = create_knowledge_store("chroma", path=str(tmp_path / "b"), mode="async")
    assert isinstance(offloaded, AsyncChromaKnowledgeStore)
    asyncio.run(offloaded.close())


def test_unreachable_server_is_a_connection_error() -> None:
    with pytest.raises(StoreConnectionError) as raised:
        ChromaKnowledgeStore(url="http://127.0.0.1:1", api_key="s3cret-token")
    assert "s3cret-token" not in str(raised.value)

    async def connect() -> None:
        store = AsyncChromaKnowledgeStore(url="http://127.0.0.1:1", api_key="s3cret-token")
        await store.list_collections()

    with pytest.raises(StoreConnectionError):
        asyncio.run(connect())
