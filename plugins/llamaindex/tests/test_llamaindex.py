"""The llamaindex adapter beyond the contract: native MetadataFilters, filter modes, registry names."""

from __future__ import annotations

import pytest
from llama_index.core.vector_stores.types import FilterCondition, FilterOperator, MetadataFilter, MetadataFilters

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
