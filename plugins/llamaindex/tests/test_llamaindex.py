"""The llamaindex adapter beyond the contract: native MetadataFilters, filter modes, registry names."""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core.schema import BaseNode
from llama_index.core.vector_stores.types import (
    BasePydanticVectorStore,
    FilterCondition,
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
    VectorStoreQuery,
    VectorStoreQueryResult,
)

from praisonai_persist import KnowledgeDocument, create_knowledge_store
from praisonai_persist.filters import parse_filter
from praisonai_persist_llamaindex import LlamaindexKnowledgeStore
from praisonai_persist_llamaindex.store import to_metadata_filters

DOCS = [
    KnowledgeDocument(id="x", content="x", embedding=[1.0, 0.0], metadata={"tag": "a", "n": 1}),
    KnowledgeDocument(id="y", content="y", embedding=[0.6, 0.8], metadata={"tag": "b", "n": 2}),
    KnowledgeDocument(id="z", content="z", embedding=[0.0, 1.0], metadata={"tag": "b", "n": 3}),
]


def test_portable_filters_become_metadata_filters() -> None:
    tree = parse_filter({"$or": [{"tag": "a"}, {"$and": [{"n": {"$gte": 2}}, {"tag": {"$nin": ["c"]}}]}]})
    assert tree is not None
    assert to_metadata_filters(tree) == MetadataFilters(
        condition=FilterCondition.OR,
        filters=[
            MetadataFilter(key="tag", value="a", operator=FilterOperator.EQ),
            MetadataFilters(
                condition=FilterCondition.AND,
                filters=[
                    MetadataFilter(key="n", value=2, operator=FilterOperator.GTE),
                    MetadataFilter(key="tag", value=["c"], operator=FilterOperator.NIN),
                ],
            ),
        ],
    )


@pytest.mark.parametrize("mode", ["node_ids", "native"])
def test_both_filter_modes_search_the_same(mode: str) -> None:
    store = LlamaindexKnowledgeStore(filter_mode=mode)
    store.create_collection("c", 2)
    store.insert("c", DOCS)
    hits = store.search("c", [1.0, 0.0], limit=3, filters={"tag": "b", "n": {"$lt": 3}})
    assert [(h.id, round(h.score or 0, 9)) for h in hits] == [("y", 0.6)]


def test_registry_aliases_and_options() -> None:
    for name in ("llamaindex", "llama_index", "llamaindex_adapter"):
        assert type(create_knowledge_store(name)).__name__ == "LlamaindexKnowledgeStore"
    with pytest.raises(ValueError, match="filter_mode"):
        LlamaindexKnowledgeStore(filter_mode="guess")
    with pytest.raises(ValueError, match="takes no URL"):
        LlamaindexKnowledgeStore(path="/tmp/x")


def test_llamaindex_bookkeeping_keys_stay_out_of_metadata() -> None:
    store = LlamaindexKnowledgeStore()
    store.create_collection("c", 2)
    store.insert("c", [KnowledgeDocument(id="k", content="c", embedding=[1.0, 0.0], metadata={"doc_id": "mine"})])
    assert store.get("c", ["k"])[0].metadata == {"doc_id": "mine"}
    assert store.search("c", [1.0, 0.0], filters={"ref_doc_id": "None"}) == []


class _NodeStore(BasePydanticVectorStore):
    """A store that keeps whole nodes and lists them with get_nodes (as most LlamaIndex stores do)."""

    stores_text: bool = True
    nodes: dict[str, Any] = {}

    @property
    def client(self) -> Any:
        return None

    def add(self, nodes: Any, **kwargs: Any) -> list[str]:
        self.nodes.update({n.node_id: n for n in nodes})
        return [n.node_id for n in nodes]

    def delete(self, ref_doc_id: str, **kwargs: Any) -> None:
        raise NotImplementedError

    def delete_nodes(self, node_ids: list[str] | None = None, filters: Any = None, **kwargs: Any) -> None:
        for node_id in node_ids or ():
            self.nodes.pop(node_id, None)

    def get_nodes(self, node_ids: list[str] | None = None, filters: Any = None) -> list[BaseNode]:
        return [n for k, n in self.nodes.items() if node_ids is None or k in node_ids]

    def query(self, query: VectorStoreQuery, **kwargs: Any) -> VectorStoreQueryResult:
        raise NotImplementedError


@pytest.mark.parametrize("factory", [None, lambda name: _NodeStore(nodes={})], ids=["simple", "get_nodes"])
def test_scroll_pages_in_id_order_on_both_listing_paths(factory: Any) -> None:
    store = LlamaindexKnowledgeStore(vector_store_factory=factory)
    store.create_collection("c", 2, metadata={"owner": "me"})
    store.insert("c", DOCS)
    first, cursor = store.scroll("c", limit=2)
    assert ([d.id for d in first], cursor) == (["x", "y"], "y")
    assert store.scroll("c", limit=2, cursor=cursor) == (store.get("c", ["z"]), None)
    assert first == store.get("c", ["x", "y"]) and first[1].embedding == [0.6, 0.8]
    assert store.scroll("c", cursor="xa")[0] == store.get("c", ["y", "z"])
    info = store.describe_collection("c")
    assert (info.name, info.dimension, info.distance, info.metadata) == ("c", 2, "cosine", {"owner": "me"})
