"""upstash_vector: unit tests of the filter-string translation and score conversion, and, with
UPSTASH_VECTOR_REST_URL / UPSTASH_VECTOR_REST_TOKEN set, the whole knowledge contract live."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import pytest

from praisonai_persist import StoreConnectionError, UnsupportedFilterError
from praisonai_persist_testkit import AsyncKnowledgeStoreTests, KnowledgeStoreTests, unique_name
from praisonai_persist_upstash.vector import describe, range_arguments, score_from_upstash, scroll_page
from praisonai_persist_upstash.vfilter import literal, quote_string, to_upstash_filter

LIVE = bool(os.environ.get("UPSTASH_VECTOR_REST_URL") and os.environ.get("UPSTASH_VECTOR_REST_TOKEN"))


@pytest.mark.parametrize(
    ("filters", "text"),
    [
        ({"tag": "a"}, "tag = 'a'"),
        ({"flag": True}, "flag = true"),
        ({"n": {"$ne": 1}}, "(HAS NOT FIELD n OR n != 1)"),
        ({"tag": {"$in": ["b", "c"]}}, "tag IN ('b', 'c')"),
        ({"n": {"$nin": [1, 2.5]}}, "(HAS NOT FIELD n OR n NOT IN (1, 2.5))"),
        ({"n": {"$in": []}}, "(HAS FIELD n AND HAS NOT FIELD n)"),
        ({"n": {"$gt": 1, "$lt": 4}}, "(n > 1 AND n < 4)"),
        ({"$or": [{"tag": "c"}, {"n": {"$lte": 2}}]}, "(tag = 'c' OR n <= 2)"),
        ({"tag": "O'Brien"}, 'tag = "O\'Brien"'),
        ({"tag": "a' OR '1'='1"}, "tag = \"a' OR '1'='1\""),
    ],
)
def test_filter_strings(filters: dict[str, object], text: str) -> None:
    assert to_upstash_filter(filters) == text


@pytest.mark.parametrize(
    "filters",
    [
        {"tag": "both ' and \" quotes"},
        {"tag": "back\\slash"},
        {"tag": "new\nline"},
        {"tag": None},
        {"n": {"$gt": "a"}},
        {"tag') OR 1=1 --": "a"},
        {"a.b": 1},
        {"tag": {"$regex": "a"}},
    ],
)
def test_unrepresentable_filters_raise(filters: dict[str, object]) -> None:
    with pytest.raises(UnsupportedFilterError):
        to_upstash_filter(filters)


def test_quoting_functions() -> None:
    assert quote_string("plain") == "'plain'"
    assert quote_string('say "hi"') == "'say \"hi\"'"
    assert literal(3) == "3" and literal(2.5) == "2.5" and literal(False) == "false"
    for bad in (float("nan"), float("inf"), None, [1]):
        with pytest.raises(UnsupportedFilterError):
            literal(bad)
    assert to_upstash_filter(None) == "" and to_upstash_filter({}) == ""


def test_scores_on_the_common_scale() -> None:
    assert score_from_upstash("cosine", 1.0) == 1.0 and score_from_upstash("dot", 0.25) == -0.5
    assert score_from_upstash("euclidean", 1 / (1 + 4.0)) == pytest.approx(1 / 3)


def test_scroll_range_arguments_and_pages() -> None:
    from upstash_vector.types import FetchResult, RangeResult

    first = range_arguments(3, None, "ns_c")
    assert first == {
        "cursor": "", "limit": 3, "include_vectors": True, "include_metadata": True, "include_data": True,
        "namespace": "ns_c",
    }  # fmt: skip
    assert range_arguments(5000, "17", "ns_c")["cursor"] == "17"
    assert range_arguments(5000, "17", "ns_c")["limit"] == 1000  # one request's worth; the page is shorter
    for bad in (0, -1, True, "3", 2.5):
        with pytest.raises(ValueError):
            range_arguments(bad, None, "ns_c")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        range_arguments(3, 17, "ns_c")  # type: ignore[arg-type]
    data = '{"content": "hi", "content_hash": "h", "created_at": 1.5}'
    page = RangeResult._from_json(
        {"nextCursor": "2", "vectors": [{"id": "a", "vector": [1, 0], "metadata": {"n": 1}, "data": data}]}
    )
    docs, cursor = scroll_page(page)
    assert cursor == "2" and [(d.id, d.content, d.content_hash, d.created_at) for d in docs] == [("a", "hi", "h", 1.5)]
    assert docs[0].embedding == [1.0, 0.0] and docs[0].metadata == {"n": 1} and docs[0].score is None
    assert scroll_page(RangeResult(next_cursor="", vectors=[])) == ([], None)
    entry = FetchResult(id="p_c", metadata={"collection": "c", "meta": {"owner": "me"}})
    assert describe("c", entry, (8, "cosine")).to_dict() == {
        "name": "c", "dimension": 8, "distance": "cosine", "metadata": {"owner": "me"}
    }  # fmt: skip
    assert describe("c", FetchResult(id="p_c", metadata={"collection": "c", "meta": None}), (8, "dot")).metadata == {}


def test_missing_credentials_are_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from praisonai_persist_upstash import UpstashVectorStore

    monkeypatch.delenv("UPSTASH_VECTOR_REST_URL", raising=False)
    monkeypatch.delenv("UPSTASH_VECTOR_REST_TOKEN", raising=False)
    with pytest.raises(StoreConnectionError, match="UPSTASH_VECTOR_REST_URL"):
        UpstashVectorStore()


class TestUpstashVectorStoreLive(KnowledgeStoreTests):
    """The whole knowledge contract on a live Upstash Vector index (COSINE, dimension 8)."""

    backend = "upstash_vector"
    engine = "Upstash Vector (live)"
    skip_reason = (
        None if LIVE else "UPSTASH_VECTOR_REST_URL / UPSTASH_VECTOR_REST_TOKEN are not set (cloud-only service)"
    )
    capabilities = {"distances": {"cosine"}, "score_tolerance": 1e-4, "embedding_tolerance": 1e-6}

    @pytest.fixture
    def store(self) -> Iterator[object]:
        from praisonai_persist_upstash import UpstashVectorStore

        store = UpstashVectorStore(namespace_prefix=unique_name("t") + "_")
        try:
            yield store
        finally:
            for name in store.list_collections():
                store.delete_collection(name)
            store._index.reset(namespace=store._registry)
            store.close()


class TestAsyncUpstashVectorStoreLive(AsyncKnowledgeStoreTests):
    """The same contract through upstash_vector.AsyncIndex (live)."""

    backend = "async_upstash_vector"
    engine = "Upstash Vector (live)"
    skip_reason = TestUpstashVectorStoreLive.skip_reason
    capabilities = TestUpstashVectorStoreLive.capabilities

    @pytest.fixture
    async def store(self) -> AsyncIterator[object]:
        from praisonai_persist_upstash import AsyncUpstashVectorStore

        store = AsyncUpstashVectorStore(namespace_prefix=unique_name("t") + "_")
        try:
            yield store
        finally:
            for name in await store.list_collections():
                await store.delete_collection(name)
            await store._index.reset(namespace=store._registry)
            await store.close()
