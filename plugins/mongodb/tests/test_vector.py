"""mongodb_vector: translation unit tests (filters → MQL, index, pipeline, scores) and, with
MONGODB_ATLAS_URL set, the whole knowledge contract against MongoDB Atlas."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from praisonai_persist import UnsupportedFilterError
from praisonai_persist.filters import parse_filter
from praisonai_persist_mongodb.mql import (
    INDEX_NAME,
    filter_keys,
    index_definition,
    score_from_atlas,
    scroll_query,
    search_pipeline,
    to_mql,
)
from praisonai_persist_testkit import KnowledgeStoreTests, unique_name
from praisonai_persist_testkit.engines import engine_skip_reason

ATLAS_URL = os.environ.get("MONGODB_ATLAS_URL")
NX_SKIP = engine_skip_reason("nx27017", "nx-27017 (MongoDB wire protocol)")


@pytest.mark.parametrize(
    ("filters", "mql"),
    [
        ({"tag": "a"}, {"metadata.tag": {"$eq": "a"}}),
        ({"flag": True}, {"metadata.flag": {"$eq": True}}),
        ({"n": {"$ne": 1}}, {"metadata.n": {"$ne": 1}}),
        ({"n": {"$in": [1, 2]}}, {"metadata.n": {"$in": [1, 2]}}),
        ({"n": {"$nin": ("a",)}}, {"metadata.n": {"$nin": ["a"]}}),
        ({"n": {"$gt": 1, "$lte": 4.5}}, {"$and": [{"metadata.n": {"$gt": 1}}, {"metadata.n": {"$lte": 4.5}}]}),
        ({"tag": "a", "flag": True}, {"$and": [{"metadata.tag": {"$eq": "a"}}, {"metadata.flag": {"$eq": True}}]}),
        (
            {"$or": [{"$and": [{"tag": "a"}, {"n": {"$gte": 2}}]}, {"tag": {"$in": ["c"]}}]},
            {
                "$or": [
                    {"$and": [{"metadata.tag": {"$eq": "a"}}, {"metadata.n": {"$gte": 2}}]},
                    {"metadata.tag": {"$in": ["c"]}},
                ]
            },
        ),
        ({"tag": "x' || '1'=='1"}, {"metadata.tag": {"$eq": "x' || '1'=='1"}}),
    ],
)
def test_filters_become_mql_documents(filters: dict[str, object], mql: dict[str, object]) -> None:
    assert to_mql(parse_filter(filters)) == mql


@pytest.mark.parametrize(
    "filters", [{"a.b": 1}, {"$where": "1"}, {"tag": {"$regex": "a"}}, {"k y": 1}, {"x": {"$exists": True}}]
)
def test_unsafe_or_unknown_filters_raise(filters: dict[str, object]) -> None:
    with pytest.raises(UnsupportedFilterError):
        to_mql(parse_filter(filters))


def test_index_definition() -> None:
    assert index_definition(3, "dot", ["tag", "n", "tag"]) == {
        "fields": [
            {"type": "vector", "path": "embedding", "numDimensions": 3, "similarity": "dotProduct"},
            {"type": "filter", "path": "metadata.n"},
            {"type": "filter", "path": "metadata.tag"},
        ]
    }


def test_search_pipeline() -> None:
    pipeline = search_pipeline([1, 0], 5, {"tag": "a"}, exact=False, num_candidates=None, declared=["tag"])
    stage = pipeline[0]["$vectorSearch"]
    assert stage == {
        "index": INDEX_NAME,
        "path": "embedding",
        "queryVector": [1.0, 0.0],
        "limit": 5,
        "numCandidates": 100,
        "filter": {"metadata.tag": {"$eq": "a"}},
    }
    assert pipeline[1] == {"$project": {"embedding": 0, "score": {"$meta": "vectorSearchScore"}}}
    exact = search_pipeline([1, 0], 3, None, exact=True, num_candidates=None, declared=[])[0]["$vectorSearch"]
    assert exact["exact"] is True and "numCandidates" not in exact and "filter" not in exact


def test_undeclared_filter_fields_are_refused_up_front() -> None:
    with pytest.raises(UnsupportedFilterError, match="filter_fields"):
        search_pipeline([1, 0], 5, {"n": {"$gt": 1}}, exact=True, num_candidates=None, declared=["tag"])
    assert filter_keys(parse_filter({"$or": [{"a": 1}, {"b": {"$in": [2]}}]})) == {"a", "b"}


def test_scores_on_the_common_scale() -> None:
    assert score_from_atlas("cosine", 1.0) == 1.0 and score_from_atlas("cosine", 0.5) == 0.0
    assert score_from_atlas("dot", 0.75) == 0.5
    assert score_from_atlas("euclidean", 0.25) == 0.25


def test_scroll_query_pages_by_id() -> None:
    assert scroll_query(3, None) == ({}, [("_id", 1)], 4)
    assert scroll_query(2, "b'q\"$x") == ({"_id": {"$gt": "b'q\"$x"}}, [("_id", 1)], 3)
    with pytest.raises(TypeError):
        scroll_query(2, {"$ne": None})  # type: ignore[arg-type]


@pytest.mark.skipif(bool(NX_SKIP), reason=NX_SKIP or "")
def test_scroll_and_describe_on_the_wire(mongo_url: str, database: str) -> None:
    """scroll's find() and describe_collection on nx-27017 (a MongoDB wire server without Atlas
    search indexes, so the registry row is written directly instead of by create_collection)."""
    from praisonai_persist import CollectionNotFoundError, KnowledgeDocument
    from praisonai_persist_mongodb import MongoDBVectorStore

    store = MongoDBVectorStore(mongo_url, database=database)
    try:
        store._registry.insert_one(
            {"_id": "c", "dimension": 2, "distance": "dot", "filter_fields": [], "metadata": {"owner": "me"}}
        )
        ids = ["a", "b'q", "c/s", "d 😀", "e", "é", "Z"]
        store.insert("c", [KnowledgeDocument(id=i, content=i, embedding=[1.0, n]) for n, i in enumerate(ids)])
        pages = [store.scroll("c", limit=3)]
        while pages[-1][1] is not None:
            pages.append(store.scroll("c", limit=3, cursor=pages[-1][1]))
        assert [[d.id for d in page] for page, _ in pages] == [["Z", "a", "b'q"], ["c/s", "d 😀", "e"], ["é"]]
        assert [d.embedding for d in pages[0][0]] == [[1.0, 6.0], [1.0, 0.0], [1.0, 1.0]]
        info = store.describe_collection("c")
        assert (info.dimension, info.distance, info.metadata) == (2, "dot", {"owner": "me"})
        with pytest.raises(CollectionNotFoundError):
            store.scroll("missing")
    finally:
        store._client.drop_database(database)
        store.close()


class TestMongoDBVectorStoreAtlas(KnowledgeStoreTests):
    """The whole knowledge contract on MongoDB Atlas (live: needs MONGODB_ATLAS_URL)."""

    backend = "mongodb_vector"
    engine = "MongoDB Atlas (live)"
    skip_reason = None if ATLAS_URL else "MONGODB_ATLAS_URL is not set (Atlas Vector Search is cloud-only)"
    capabilities = {"score_tolerance": 1e-4, "embedding_tolerance": 1e-6}

    @pytest.fixture
    def store(self) -> Iterator[object]:
        from praisonai_persist_mongodb import MongoDBVectorStore

        database = unique_name("t")
        store = MongoDBVectorStore(ATLAS_URL, database=database, filter_fields=["n", "tag", "flag"], exact=True)
        try:
            yield store
        finally:
            store._client.drop_database(database)
            store.close()
