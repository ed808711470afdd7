"""The langchain adapter beyond the contract: filter paths, score kinds, registry names, laziness."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from langchain_core.documents import Document
from langchain_core.vectorstores import InMemoryVectorStore

from praisonai_persist import KnowledgeDocument, create_knowledge_store
from praisonai_persist.errors import UnsupportedFilterError
from praisonai_persist.filters import Comparison, FilterNode
from praisonai_persist_langchain import LangchainKnowledgeStore

DOCS = [
    KnowledgeDocument(id="x", content="x", embedding=[1.0, 0.0], metadata={"tag": "a"}),
    KnowledgeDocument(id="y", content="y", embedding=[0.6, 0.8], metadata={"tag": "b"}),
]


def test_store_without_callable_filters_refuses_filters_but_searches() -> None:
    store = LangchainKnowledgeStore(callable_filters=False)
    store.create_collection("c", 2)
    store.insert("c", DOCS)
    assert [h.id for h in store.search("c", [1.0, 0.0], limit=2)] == ["x", "y"]
    with pytest.raises(UnsupportedFilterError):
        store.search("c", [1.0, 0.0], filters={"tag": "a"})


def test_filter_translator_result_is_what_the_store_receives() -> None:
    seen: list[FilterNode] = []

    def translate(tree: FilterNode) -> Any:
        seen.append(tree)
        return lambda doc: doc.metadata.get("tag") == "b"

    store = LangchainKnowledgeStore(filter_translator=translate)
    store.create_collection("c", 2)
    store.insert("c", DOCS)
    assert [h.id for h in store.search("c", [1.0, 0.0], filters={"tag": "b"})] == ["y"]
    assert seen == [Comparison("tag", "$eq", "b")]


class _DistanceStore(InMemoryVectorStore):
    """A store that reports cosine distance (as Chroma or PGVector do)."""

    def similarity_search_with_score_by_vector(self, embedding: list[float], k: int = 4, **kw: Any) -> Any:
        pairs = super().similarity_search_with_score_by_vector(embedding, k=k, **kw)
        return [(doc, 1.0 - score) for doc, score in pairs]


def test_cosine_distance_scores_are_converted() -> None:
    store = LangchainKnowledgeStore(
        vector_store_factory=lambda name, emb: _DistanceStore(emb), score_kind="cosine_distance"
    )
    store.create_collection("c", 2)
    store.insert("c", DOCS)
    hits = store.search("c", [1.0, 0.0], limit=2)
    assert [(h.id, round(h.score or 0, 9)) for h in hits] == [("x", 1.0), ("y", 0.6)]


def test_wrapped_store_cannot_embed_by_itself() -> None:
    captured: dict[str, Any] = {}

    def factory(name: str, embeddings: Any) -> Any:
        captured["store"] = InMemoryVectorStore(embeddings)
        return captured["store"]

    store = LangchainKnowledgeStore(vector_store_factory=factory)
    store.create_collection("c", 2)
    with pytest.raises(RuntimeError, match="precomputed embeddings"):
        captured["store"].add_documents([Document(page_content="no vector")])


def test_registry_aliases_and_no_url() -> None:
    assert type(create_knowledge_store("langchain_adapter")).__name__ == "LangchainKnowledgeStore"
    with pytest.raises(ValueError, match="takes no URL"):
        LangchainKnowledgeStore("postgresql://somewhere")
    with pytest.raises(ValueError, match="cosine"):
        LangchainKnowledgeStore().create_collection("c", 2, distance="dot")


def test_plugin_module_imports_no_client() -> None:
    sys.modules.pop("praisonai_persist_langchain.plugin", None)
    loaded = {m for m in sys.modules if m.startswith("langchain_core")}
    import praisonai_persist_langchain.plugin  # noqa: F401

    assert {m for m in sys.modules if m.startswith("langchain_core")} == loaded


def test_scroll_needs_the_store_contents_and_describe_reports_the_creation() -> None:
    store = LangchainKnowledgeStore(vector_store_factory=lambda name, emb: object())
    store.create_collection("c", 2, metadata={"owner": "me"})
    with pytest.raises(NotImplementedError, match="scroll"):
        store.scroll("c")
    info = store.describe_collection("c")
    assert (info.name, info.dimension, info.distance, info.metadata) == ("c", 2, "cosine", {"owner": "me"})


def test_scroll_resumes_after_any_cursor() -> None:
    store = LangchainKnowledgeStore()
    store.create_collection("c", 2)
    store.insert("c", DOCS)
    assert store.scroll("c", limit=1) == (store.get("c", ["x"]), "x")
    assert store.scroll("c", limit=1, cursor="x") == (store.get("c", ["y"]), None)
    assert store.scroll("c", cursor="xa") == (store.get("c", ["y"]), None)
    assert store.scroll("c", cursor="z") == ([], None)
