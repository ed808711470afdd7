"""The lightrag adapter beyond the contract: persistence, no network, registry names."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from praisonai_persist import KnowledgeDocument, create_knowledge_store
from praisonai_persist_lightrag import AsyncLightragKnowledgeStore, LightragKnowledgeStore
from praisonai_persist_testkit import make_vector, unique_name


def _docs() -> list[KnowledgeDocument]:
    return [
        KnowledgeDocument(id=f"d{i}", content=f"doc {i}", embedding=make_vector(i, 8), metadata={"i": i})
        for i in range(20)
    ]


def test_documents_survive_reopening_the_working_dir(tmp_path: Path, offline_options: Callable[..., Any]) -> None:
    workspace = unique_name("w")
    options = offline_options(str(tmp_path / "rag"), workspace)
    with LightragKnowledgeStore(**options) as store:
        store.create_collection("notes", 8)
        store.insert("notes", _docs())
    with LightragKnowledgeStore(**offline_options(str(tmp_path / "rag"), workspace)) as store:
        assert store.list_collections() == ["notes"]
        assert store.count("notes") == 20
        hits = store.search("notes", make_vector(3, 8), limit=2, filters={"i": {"$gte": 3}})
        assert hits[0].id == "d3" and abs((hits[0].score or 0) - 1.0) < 1e-5
        store.delete_collection("notes")


def test_no_network_is_touched(
    tmp_path: Path, offline_options: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the lightrag store tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    with LightragKnowledgeStore(**offline_options(str(tmp_path / "rag"), unique_name("w"))) as store:
        store.create_collection("c", 8)
        store.upsert("c", _docs())
        assert len(store.search("c", make_vector(1, 8), limit=5)) == 5
        assert store.delete("c", filters={"i": {"$lt": 5}}) == 5
        store.delete_collection("c")


def test_registry_modes(tmp_path: Path, offline_options: Callable[..., Any]) -> None:
    options = offline_options(str(tmp_path / "rag"), unique_name("w"))
    url = options.pop("path")
    assert isinstance(create_knowledge_store("lightrag", url=url, **options), LightragKnowledgeStore)
    native = create_knowledge_store("lightrag", url=url, mode="async", **options)
    assert isinstance(native, AsyncLightragKnowledgeStore)
    with pytest.raises(ValueError, match="cosine"):
        LightragKnowledgeStore(url, **options).create_collection("c", 8, distance="euclidean")
