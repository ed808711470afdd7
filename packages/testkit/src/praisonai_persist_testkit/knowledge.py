"""Conformance tests for knowledge (vector) stores (DESIGN §3.2): collections, documents, search.

Each ``test_*`` body below runs in both :class:`KnowledgeStoreTests` (sync) and
:class:`AsyncKnowledgeStoreTests` (async). Scores are compared with
:func:`praisonai_persist.scores.similarity`, the scale every backend reports.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import partial
from typing import Any

import pytest

from praisonai_persist.errors import (
    CollectionNotFoundError,
    DimensionMismatchError,
    DocumentExistsError,
    InvalidIdentifierError,
    PersistError,
    UnsupportedFilterError,
)
from praisonai_persist.knowledge import AsyncKnowledgeStore
from praisonai_persist.models import KnowledgeDocument
from praisonai_persist.scores import similarity

from .contract import CheckList, ContractTests, contract_class
from .helpers import make_vector, unique_name

__all__ = ["AsyncKnowledgeStoreTests", "KnowledgeStoreTests"]

T0 = 1_700_000_000.0
DIM = 8
CHECKS = CheckList()
Store = AsyncKnowledgeStore

#: Metadata of the filter fixture: doc id -> metadata ("d6" has no "n" key at all).
FILTER_DOCS: dict[str, dict[str, Any]] = {
    "d1": {"n": 1, "tag": "a", "flag": True},
    "d2": {"n": 2, "tag": "b", "flag": False},
    "d3": {"n": 3, "tag": "a", "flag": True},
    "d4": {"n": 4, "tag": "b", "flag": False},
    "d5": {"n": 5, "tag": "c", "flag": True},
    "d6": {"tag": "a"},
}
ALL_IDS = frozenset(FILTER_DOCS)


def _unit(*values: float) -> list[float]:
    """An embedding of DIM values starting with ``values`` (rest zero)."""
    return [*values, *([0.0] * (DIM - len(values)))]


async def _collection(store: Store, distance: str = "cosine", dimension: int = DIM) -> str:
    name = unique_name("c")
    await store.create_collection(name, dimension, distance=distance)
    return name


async def _filter_collection(store: Store) -> str:
    """A collection holding FILTER_DOCS with distinct random embeddings."""
    name = await _collection(store)
    docs = [
        KnowledgeDocument(id=doc_id, content=f"doc {doc_id}", embedding=make_vector(i, DIM), metadata=dict(meta))
        for i, (doc_id, meta) in enumerate(FILTER_DOCS.items())
    ]
    await store.insert(name, docs)
    return name


async def _search_ids(store: Store, collection: str, filters: Mapping[str, Any] | None) -> set[str]:
    hits = await store.search(collection, make_vector(99, DIM), limit=100, filters=dict(filters or {}) or None)
    return {d.id for d in hits}


def _expect_close(got: Sequence[float] | None, want: Sequence[float], tolerance: float) -> None:
    assert got is not None, "embedding was not returned"
    assert len(got) == len(want)
    assert all(abs(g - w) <= tolerance for g, w in zip(got, want, strict=True)), f"{list(got)} != {list(want)}"


@CHECKS
async def test_store_is_empty(suite: ContractTests, store: Store) -> None:
    """Canary 1/2: the fixture yields a store with no collection; this test then creates one.

    Troubleshooting: give each test its own collection-name prefix, database or namespace, and
    drop everything under it in the fixture's finally block.
    """
    assert await store.list_collections() == []
    name = await _collection(store)
    await store.insert(name, [KnowledgeDocument(content="canary", embedding=make_vector(1, DIM))])
    assert await store.list_collections() == [name]


@CHECKS
async def test_collection_lifecycle(suite: ContractTests, store: Store) -> None:
    """create/exists/list/delete collection; delete returns True once, then False.

    Troubleshooting: list_collections must list only this store's collections, under their
    user-facing names (strip any internal prefix).
    """
    name = unique_name("c")
    assert await store.collection_exists(name) is False
    await store.create_collection(name, DIM)
    assert await store.collection_exists(name) is True
    assert name in await store.list_collections()
    assert await store.delete_collection(name) is True
    assert await store.collection_exists(name) is False
    assert name not in await store.list_collections()
    assert await store.delete_collection(name) is False


@CHECKS
async def test_create_existing_collection_keeps_documents(suite: ContractTests, store: Store) -> None:
    """create_collection on an existing name with the same dimension is a no-op (documents stay).

    Troubleshooting: use CREATE ... IF NOT EXISTS (or check first); never drop and re-create.
    """
    name = await _collection(store)
    await store.insert(name, [KnowledgeDocument(content="kept", embedding=make_vector(1, DIM))])
    await store.create_collection(name, DIM)
    assert await store.count(name) == 1


@CHECKS
async def test_create_existing_collection_other_distance_raises(suite: ContractTests, store: Store) -> None:
    """create_collection on an existing name with another distance raises ValueError naming both.

    The collection, its distance and its documents are left as they were; the same dimension and
    distance again stays a no-op.

    Troubleshooting: compare the stored distance with the requested one (after
    praisonai_persist.scores.normalize_distance) before the no-op return, with
    praisonai_persist.knowledge.check_same_distance.
    """
    name = await _collection(store)
    stored = _unit(2.0, 0.0)
    await store.insert(name, [KnowledgeDocument(id="kept", content="kept", embedding=stored)])
    for other in sorted(set(suite.capability("distances")) - {"cosine"}):
        with pytest.raises(ValueError) as raised:
            await store.create_collection(name, DIM, distance=other)
        assert "cosine" in str(raised.value) and other in str(raised.value), str(raised.value)
    await store.create_collection(name, DIM, distance="cosine")
    assert await store.count(name) == 1
    query = _unit(1.0, 0.0)
    [hit] = await store.search(name, query, limit=1)
    assert hit.id == "kept"
    assert hit.score is not None
    assert abs(hit.score - similarity("cosine", query, stored)) <= suite.capability("score_tolerance")


@CHECKS
async def test_invalid_collection_names_raise(suite: ContractTests, store: Store) -> None:
    """Collection names outside [A-Za-z0-9_] (or too long) raise InvalidIdentifierError.

    Troubleshooting: call praisonai_persist.identifiers.validate_identifier(name, "collection
    name") before the name reaches a query, path or API call.
    """
    for bad in ("x; DROP TABLE y", "../a", "", "a'b", "a b", "a" * 300):
        with pytest.raises(InvalidIdentifierError):
            await store.create_collection(bad, DIM)
    assert await store.list_collections() == []


@CHECKS
async def test_insert_get_round_trip(suite: ContractTests, store: Store) -> None:
    """insert returns ids in order; get returns content, embedding, metadata, hash and created_at.

    Troubleshooting: store content and metadata (JSON) verbatim, created_at as a 64-bit float,
    and the embedding; get leaves score None.
    """
    name = await _collection(store)
    metadata: dict[str, Any] = {"source": "guide.md", "page": 3, "ratio": 0.25, "draft": False, "lang": "日本語"}
    if suite.capability("nested_metadata"):
        metadata["nested"] = {"a": [1, {"b": None}], "c": {"d": True}}
    docs = [
        KnowledgeDocument(
            id=f"doc-{i}",
            content=text,
            embedding=make_vector(i, DIM),
            metadata=copy.deepcopy(metadata),
            created_at=T0 + i / 3,
        )
        for i, text in enumerate(("émoji 😀 and RTL مرحبا", "control \t\n\x1f chars", "plain"))
    ]
    ids = await store.insert(name, docs)
    assert ids == ["doc-0", "doc-1", "doc-2"]
    got = {d.id: d for d in await store.get(name, ["doc-2", "doc-0", "doc-1"])}
    assert set(got) == set(ids)
    tolerance = suite.capability("embedding_tolerance")
    for doc in docs:
        read = got[doc.id]
        assert read.content == doc.content
        assert read.metadata == metadata
        assert read.content_hash == doc.content_hash
        assert read.created_at == doc.created_at
        assert read.score is None
        _expect_close(read.embedding, doc.embedding or [], tolerance)


@CHECKS
async def test_get_leaves_out_missing_ids(suite: ContractTests, store: Store) -> None:
    """get with unknown ids returns only the documents that exist.

    Troubleshooting: skip ids with no row instead of raising or returning None entries.
    """
    name = await _collection(store)
    await store.insert(name, [KnowledgeDocument(id="here", content="x", embedding=make_vector(1, DIM))])
    assert [d.id for d in await store.get(name, ["here", "not-here"])] == ["here"]
    assert await store.get(name, ["not-here"]) == []


@CHECKS
async def test_get_repeated_id_returns_document_once(suite: ContractTests, store: Store) -> None:
    """get with an id named twice (or more) returns that document once.

    Troubleshooting: de-duplicate the ids (dict.fromkeys keeps their order) before the lookup,
    or build the result from the rows found, not from the ids asked for.
    """
    name = await _collection(store)
    await store.insert(
        name,
        [
            KnowledgeDocument(id="a", content="a", embedding=make_vector(1, DIM)),
            KnowledgeDocument(id="b", content="b", embedding=make_vector(2, DIM)),
        ],
    )
    assert [d.id for d in await store.get(name, ["a", "a"])] == ["a"]
    got = [d.id for d in await store.get(name, ["b", "a", "b", "missing", "a", "b"])]
    assert sorted(got) == ["a", "b"], got


@CHECKS
async def test_upsert_replaces_by_id(suite: ContractTests, store: Store) -> None:
    """upsert replaces a document with the same id (content, embedding, metadata) and inserts new ones.

    Troubleshooting: INSERT ... ON CONFLICT (id) DO UPDATE (or delete + insert in one transaction).
    """
    name = await _collection(store)
    await store.insert(
        name, [KnowledgeDocument(id="a", content="old", embedding=make_vector(1, DIM), metadata={"v": 1})]
    )
    ids = await store.upsert(
        name,
        [
            KnowledgeDocument(id="a", content="new", embedding=make_vector(2, DIM), metadata={"v": 2}),
            KnowledgeDocument(id="b", content="added", embedding=make_vector(3, DIM), metadata={"v": 3}),
        ],
    )
    assert ids == ["a", "b"]
    assert await store.count(name) == 2
    got = {d.id: d for d in await store.get(name, ["a", "b"])}
    assert (got["a"].content, got["a"].metadata) == ("new", {"v": 2})
    _expect_close(got["a"].embedding, make_vector(2, DIM), suite.capability("embedding_tolerance"))
    hits = await store.search(name, make_vector(2, DIM), limit=1)
    assert [h.id for h in hits] == ["a"]


@CHECKS
async def test_count(suite: ContractTests, store: Store) -> None:
    """count follows inserts and deletes and is per collection.

    Troubleshooting: count rows of this collection only.
    """
    a = await _collection(store)
    b = await _collection(store)
    assert await store.count(a) == 0
    await store.insert(a, [KnowledgeDocument(content=f"{i}", embedding=make_vector(i, DIM)) for i in range(7)])
    await store.insert(b, [KnowledgeDocument(content="b", embedding=make_vector(1, DIM))])
    assert (await store.count(a), await store.count(b)) == (7, 1)


@CHECKS
async def test_delete_by_ids(suite: ContractTests, store: Store) -> None:
    """delete(ids=...) removes those documents and returns how many existed.

    Troubleshooting: return the number of rows actually deleted; unknown ids count zero.
    """
    name = await _filter_collection(store)
    assert await store.delete(name, ids=["d1", "d2", "nope"]) == 2
    assert await store.count(name) == len(FILTER_DOCS) - 2
    assert await store.get(name, ["d1", "d2"]) == []
    assert await store.delete(name, ids=["d1"]) == 0


@CHECKS
async def test_delete_by_filters(suite: ContractTests, store: Store) -> None:
    """delete(filters=...) removes exactly the matching documents; with ids too, both must match.

    Troubleshooting: translate the filter with the same code as search; ids and filters are ANDed.
    """
    if not {"$eq", "$in"} <= suite.capability("filter_operators"):
        pytest.skip("needs $eq and $in")
    name = await _filter_collection(store)
    assert await store.delete(name, filters={"tag": "a"}) == 3
    assert {d.id for d in await store.get(name, sorted(ALL_IDS))} == {"d2", "d4", "d5"}
    assert await store.delete(name, ids=["d2", "d5"], filters={"tag": {"$in": ["b"]}}) == 1
    assert {d.id for d in await store.get(name, sorted(ALL_IDS))} == {"d4", "d5"}


@CHECKS
async def test_search_cosine_scores_best_first(suite: ContractTests, store: Store) -> None:
    """Cosine search returns documents best first with score = cosine similarity (1 - distance).

    Troubleshooting: convert the engine's distance with praisonai_persist.scores (cosine:
    1 - distance), sort by score descending and honour limit.
    """
    await _check_distance(suite, store, "cosine")


@CHECKS
async def test_search_euclidean_scores_best_first(suite: ContractTests, store: Store) -> None:
    """Euclidean search scores 1 / (1 + L2 distance), best first; refused if not declared.

    Troubleshooting: take the square root of squared-L2 engines' distances before converting,
    or leave "euclidean" out of capabilities["distances"] and raise on create_collection.
    """
    await _check_distance(suite, store, "euclidean")


@CHECKS
async def test_search_dot_scores_best_first(suite: ContractTests, store: Store) -> None:
    """Dot-product search scores the inner product itself, best first; refused if not declared.

    Troubleshooting: engines that report negative inner product (pgvector <#>) must negate it;
    or leave "dot" out of capabilities["distances"] and raise on create_collection.
    """
    await _check_distance(suite, store, "dot")


async def _check_distance(suite: ContractTests, store: Store, distance: str) -> None:
    name = unique_name("c")
    if distance not in suite.capability("distances"):
        with pytest.raises((ValueError, NotImplementedError, PersistError)):
            await store.create_collection(name, DIM, distance=distance)
        return
    await store.create_collection(name, DIM, distance=distance)
    vectors = {
        "same": _unit(2.0, 0.0),
        "close": _unit(0.8, 0.6),
        "orthogonal": _unit(0.0, 1.0),
        "far": _unit(0.1, -0.5, 0.3),
        "opposite": _unit(-1.0, 0.0),
    }
    await store.insert(name, [KnowledgeDocument(id=k, content=k, embedding=v) for k, v in vectors.items()])
    query = _unit(1.0, 0.0)
    want = sorted(((similarity(distance, query, v), k) for k, v in vectors.items()), reverse=True)
    hits = await store.search(name, query, limit=3)
    tolerance = suite.capability("score_tolerance")
    assert [h.id for h in hits] == [k for _, k in want[:3]]
    for hit, (score, _) in zip(hits, want[: len(hits)], strict=True):
        assert hit.score is not None and abs(hit.score - score) <= tolerance, (hit.id, hit.score, score)
    assert hits[0].content == hits[0].id
    everything = await store.search(name, query, limit=10)
    assert [h.id for h in everything] == [k for _, k in want]


@CHECKS
async def test_score_threshold(suite: ContractTests, store: Store) -> None:
    """score_threshold drops results whose score is below it (on the common scale).

    Troubleshooting: apply the threshold to the converted similarity, not to the engine's raw
    distance (where lower is better).
    """
    name = await _collection(store)
    vectors = {"same": _unit(1.0), "close": _unit(0.8, 0.6), "orthogonal": _unit(0.0, 1.0), "opposite": _unit(-1.0)}
    await store.insert(name, [KnowledgeDocument(id=k, content=k, embedding=v) for k, v in vectors.items()])
    hits = await store.search(name, _unit(1.0), limit=10, score_threshold=0.5)
    assert [h.id for h in hits] == ["same", "close"]
    assert all(h.score is not None and h.score >= 0.5 for h in hits)
    assert [h.id for h in await store.search(name, _unit(1.0), limit=10, score_threshold=-0.5)] == [
        "same",
        "close",
        "orthogonal",
    ]


@CHECKS
async def test_search_empty_collection_and_isolation(suite: ContractTests, store: Store) -> None:
    """Search of an empty collection returns []; documents of one collection never show in another.

    Troubleshooting: scope every query to its collection (table, namespace or filter).
    """
    a = await _collection(store)
    b = await _collection(store)
    assert await store.search(a, make_vector(1, DIM)) == []
    await store.insert(b, [KnowledgeDocument(id="in-b", content="b", embedding=make_vector(1, DIM))])
    assert await store.search(a, make_vector(1, DIM)) == []
    assert [d.id for d in await store.search(b, make_vector(1, DIM))] == ["in-b"]


async def _check_filter(
    suite: ContractTests, store: Store, operators: set[str], filters: dict[str, Any], expected: set[str]
) -> None:
    """Search (and for one filter, delete) with ``filters``, or expect UnsupportedFilterError."""
    name = await _filter_collection(store)
    if not operators <= suite.capability("filter_operators"):
        with pytest.raises(UnsupportedFilterError):
            await store.search(name, make_vector(99, DIM), limit=100, filters=filters)
        with pytest.raises(UnsupportedFilterError):
            await store.delete(name, filters=filters)
        assert await store.count(name) == len(FILTER_DOCS), "an unsupported filter deleted documents"
        return
    assert await _search_ids(store, name, filters) == expected
    assert await store.delete(name, filters=filters) == len(expected)
    remaining = {d.id for d in await store.get(name, sorted(ALL_IDS))}
    assert remaining == set(ALL_IDS) - expected


def _filter_check(operators: set[str], filters: dict[str, Any], expected: set[str], name: str, doc: str) -> None:
    async def body(suite: ContractTests, store: Store) -> None:
        await _check_filter(suite, store, operators, filters, expected)

    body.__name__ = name
    body.__qualname__ = name
    body.__doc__ = doc
    CHECKS(body)


_FILTER_TROUBLE = (
    "\n\n    Troubleshooting: translate the parse_filter() tree into the native filter; a missing key\n"
    "    satisfies only $ne/$nin; if the engine cannot express the operator, leave it out of\n"
    "    capabilities['filter_operators'] and raise UnsupportedFilterError."
)

for _ops, _filters, _expected, _name, _what in (
    ({"$eq"}, {"tag": "a"}, {"d1", "d3", "d6"}, "test_filter_implicit_equality", "{'key': value}"),
    ({"$eq"}, {"n": {"$eq": 2}}, {"d2"}, "test_filter_eq", "$eq"),
    ({"$eq"}, {"flag": True}, {"d1", "d3", "d5"}, "test_filter_eq_boolean", "boolean equality"),
    ({"$ne"}, {"tag": {"$ne": "a"}}, {"d2", "d4", "d5"}, "test_filter_ne", "$ne"),
    ({"$ne"}, {"n": {"$ne": 1}}, {"d2", "d3", "d4", "d5", "d6"}, "test_filter_ne_missing_key", "$ne on a key some documents lack"),
    ({"$in"}, {"tag": {"$in": ["b", "c"]}}, {"d2", "d4", "d5"}, "test_filter_in", "$in"),
    ({"$nin"}, {"n": {"$nin": [1, 2]}}, {"d3", "d4", "d5", "d6"}, "test_filter_nin", "$nin"),
    ({"$gt"}, {"n": {"$gt": 3}}, {"d4", "d5"}, "test_filter_gt", "$gt"),
    ({"$gte"}, {"n": {"$gte": 3}}, {"d3", "d4", "d5"}, "test_filter_gte", "$gte"),
    ({"$lt"}, {"n": {"$lt": 2.5}}, {"d1", "d2"}, "test_filter_lt", "$lt with a float bound"),
    ({"$lte"}, {"n": {"$lte": 2}}, {"d1", "d2"}, "test_filter_lte", "$lte"),
    ({"$gt", "$lt"}, {"n": {"$gt": 1, "$lt": 4}}, {"d2", "d3"}, "test_filter_range", "two operators on one key"),
    ({"$eq"}, {"tag": "a", "flag": True}, {"d1", "d3"}, "test_filter_several_keys_anded", "several keys"),
    (
        {"$and", "$eq", "$gte"},
        {"$and": [{"tag": "a"}, {"n": {"$gte": 2}}]},
        {"d3"},
        "test_filter_and",
        "$and",
    ),
    (
        {"$or", "$eq", "$lt"},
        {"$or": [{"tag": "c"}, {"n": {"$lt": 2}}]},
        {"d1", "d5"},
        "test_filter_or",
        "$or",
    ),
    (
        {"$and", "$or", "$eq", "$in"},
        {"$or": [{"$and": [{"tag": "a"}, {"flag": True}]}, {"tag": {"$in": ["c"]}}]},
        {"d1", "d3", "d5"},
        "test_filter_nested_and_or",
        "nested $or of $and",
    ),
):
    _filter_check(
        _ops,
        _filters,
        _expected,
        _name,
        f"Filter {_what}: {_filters!r} matches exactly {sorted(_expected)} in search and delete."
        + _FILTER_TROUBLE,
    )


@CHECKS
async def test_unsupported_filter_operator_raises(suite: ContractTests, store: Store) -> None:
    """Operators outside the portable set ($regex, $exists, $not, $contains) raise UnsupportedFilterError.

    Troubleshooting: validate filters with praisonai_persist.filters.parse_filter before
    translating; never drop an unknown operator (that would return or delete too much).
    """
    name = await _filter_collection(store)
    for bad in (
        {"tag": {"$regex": "^a"}},
        {"tag": {"$exists": True}},
        {"$not": {"tag": "a"}},
        {"tag": {"$contains": "a"}},
        {"$and": [{"tag": "a"}, {"n": {"$regex": "1"}}]},
    ):
        with pytest.raises(UnsupportedFilterError):
            await store.search(name, make_vector(99, DIM), limit=100, filters=bad)
        with pytest.raises(UnsupportedFilterError):
            await store.delete(name, filters=bad)
    assert await store.count(name) == len(FILTER_DOCS)


@CHECKS
async def test_filter_key_injection_is_inert(suite: ContractTests, store: Store) -> None:
    """A filter key or value holding quotes or query syntax matches nothing and harms nothing.

    Troubleshooting: bind metadata keys and values as parameters (or validate the key) instead of
    formatting them into the query; UnsupportedFilterError is also acceptable for such a key.
    """
    name = await _filter_collection(store)
    for hostile in (
        {"tag') OR 1=1 --": "a"},
        {"tag": "a' OR '1'='1"},
        {"$.tag": "a"},
        {'tag" || true || "': "a"},
    ):
        try:
            found = await _search_ids(store, name, hostile)
        except UnsupportedFilterError:
            continue
        assert found == set(), f"{hostile!r} matched {sorted(found)}"
    assert await store.count(name) == len(FILTER_DOCS)


@CHECKS
async def test_dimension_mismatch_raises(suite: ContractTests, store: Store) -> None:
    """Embeddings of the wrong length raise DimensionMismatchError on insert, upsert and search.

    Troubleshooting: record the collection's dimension and compare len(embedding) before calling
    the engine; raise DimensionMismatchError(collection, expected, got).
    """
    name = await _collection(store)
    wrong = [0.5] * (DIM + 1)
    with pytest.raises(DimensionMismatchError) as raised:
        await store.insert(name, [KnowledgeDocument(id="w", content="wrong", embedding=wrong)])
    assert (raised.value.expected, raised.value.got) == (DIM, DIM + 1)
    with pytest.raises(DimensionMismatchError):
        await store.upsert(name, [KnowledgeDocument(id="w", content="wrong", embedding=wrong[:-2])])
    assert await store.count(name) == 0
    await store.insert(name, [KnowledgeDocument(id="ok", content="ok", embedding=make_vector(1, DIM))])
    with pytest.raises(DimensionMismatchError):
        await store.search(name, wrong)
    with pytest.raises(DimensionMismatchError):
        await store.search(name, wrong[: DIM - 1])
    assert await store.count(name) == 1


@CHECKS
async def test_batch_insert_is_all_or_nothing_on_dimension(suite: ContractTests, store: Store) -> None:
    """A batch with one wrong-dimension embedding raises before any document of it is stored.

    Troubleshooting: validate every document of the batch before writing the first one.
    """
    name = await _collection(store)
    batch = [
        KnowledgeDocument(id="good", content="good", embedding=make_vector(1, DIM)),
        KnowledgeDocument(id="bad", content="bad", embedding=[1.0] * (DIM - 1)),
    ]
    with pytest.raises(DimensionMismatchError):
        await store.insert(name, batch)
    assert await store.count(name) == 0


@CHECKS
async def test_non_finite_embeddings_raise(suite: ContractTests, store: Store) -> None:
    """NaN or an infinity in an inserted/upserted embedding or a query vector raises ValueError.

    Nothing of the refused batch is stored.

    Troubleshooting: call praisonai_persist.knowledge.check_vectors(documents) before writing and
    check_embedding(query_embedding) before searching; engines store or rank such values
    inconsistently.
    """
    name = await _collection(store)
    await store.insert(name, [KnowledgeDocument(id="ok", content="ok", embedding=make_vector(1, DIM))])
    for bad_value in (float("nan"), float("inf"), float("-inf")):
        bad = _unit(0.5, bad_value, 0.25)
        batch = [
            KnowledgeDocument(id="good", content="good", embedding=make_vector(2, DIM)),
            KnowledgeDocument(id="bad", content="bad", embedding=bad),
        ]
        with pytest.raises(ValueError):
            await store.insert(name, batch)
        with pytest.raises(ValueError):
            await store.upsert(name, batch)
        with pytest.raises(ValueError):
            await store.upsert(name, [KnowledgeDocument(id="ok", content="replaced", embedding=bad)])
        with pytest.raises(ValueError):
            await store.search(name, bad)
    assert await store.count(name) == 1, "a batch with a non-finite embedding stored some of its documents"
    [kept] = await store.get(name, ["ok"])
    assert kept.content == "ok"
    _expect_close(kept.embedding, make_vector(1, DIM), suite.capability("embedding_tolerance"))


@CHECKS
async def test_insert_existing_id_raises(suite: ContractTests, store: Store) -> None:
    """insert of an id already stored, or named twice in one batch, raises DocumentExistsError.

    Nothing of the failing batch is stored and the existing document is unchanged.

    Troubleshooting: look the batch's ids up (and check it for repeats) before writing, or write
    it in one transaction whose unique-key violation rolls everything back; upsert replaces.
    """
    name = await _collection(store)
    await store.insert(name, [KnowledgeDocument(id="a", content="first", embedding=make_vector(1, DIM))])
    with pytest.raises(DocumentExistsError) as raised:
        await store.insert(
            name,
            [
                KnowledgeDocument(id="b", content="new", embedding=make_vector(2, DIM)),
                KnowledgeDocument(id="a", content="again", embedding=make_vector(3, DIM)),
            ],
        )
    assert "a" in raised.value.ids
    with pytest.raises(DocumentExistsError) as raised:
        await store.insert(
            name,
            [
                KnowledgeDocument(id="c", content="one", embedding=make_vector(4, DIM)),
                KnowledgeDocument(id="d", content="other", embedding=make_vector(5, DIM)),
                KnowledgeDocument(id="c", content="two", embedding=make_vector(6, DIM)),
            ],
        )
    assert "c" in raised.value.ids
    assert await store.count(name) == 1, "a refused insert batch stored some of its documents"
    assert await store.get(name, ["b", "c", "d"]) == []
    [kept] = await store.get(name, ["a"])
    assert kept.content == "first"
    _expect_close(kept.embedding, make_vector(1, DIM), suite.capability("embedding_tolerance"))


@CHECKS
async def test_upsert_repeated_id_last_wins(suite: ContractTests, store: Store) -> None:
    """An upsert batch naming an id twice keeps the last document for it (stored once).

    Troubleshooting: de-duplicate the batch keeping the last occurrence before writing (engines
    that reject two rows with one key in a statement, or keep the first, get this wrong).
    """
    name = await _collection(store)
    await store.insert(name, [KnowledgeDocument(id="old", content="v0", embedding=make_vector(1, DIM))])
    ids = await store.upsert(
        name,
        [
            KnowledgeDocument(id="new", content="v1", embedding=make_vector(2, DIM), metadata={"v": 1}),
            KnowledgeDocument(id="old", content="v1", embedding=make_vector(3, DIM), metadata={"v": 1}),
            KnowledgeDocument(id="new", content="v2", embedding=make_vector(4, DIM), metadata={"v": 2}),
            KnowledgeDocument(id="old", content="v2", embedding=make_vector(5, DIM), metadata={"v": 2}),
        ],
    )
    assert ids == ["new", "old", "new", "old"], "upsert returns one id per document given, in order"
    assert await store.count(name) == 2
    tolerance = suite.capability("embedding_tolerance")
    got = {d.id: d for d in await store.get(name, ["new", "old"])}
    for doc_id, seed in (("new", 4), ("old", 5)):
        assert (got[doc_id].content, got[doc_id].metadata) == ("v2", {"v": 2}), doc_id
        _expect_close(got[doc_id].embedding, make_vector(seed, DIM), tolerance)
        hits = await store.search(name, make_vector(seed, DIM), limit=1)
        assert [h.id for h in hits] == [doc_id]
        assert hits[0].score is not None and abs(hits[0].score - 1.0) <= suite.capability("score_tolerance")


@CHECKS
async def test_create_existing_collection_other_dimension_raises(suite: ContractTests, store: Store) -> None:
    """create_collection on an existing name with another dimension raises DimensionMismatchError.

    The collection and its documents are left as they were.

    Troubleshooting: compare the stored dimension with the requested one before the no-op
    return; never drop and re-create.
    """
    name = await _collection(store)
    await store.insert(name, [KnowledgeDocument(id="kept", content="kept", embedding=make_vector(1, DIM))])
    with pytest.raises(DimensionMismatchError) as raised:
        await store.create_collection(name, DIM + 4)
    assert (raised.value.expected, raised.value.got) == (DIM, DIM + 4)
    await store.create_collection(name, DIM)
    assert await store.count(name) == 1
    assert [h.id for h in await store.search(name, make_vector(1, DIM), limit=1)] == ["kept"]
    with pytest.raises(DimensionMismatchError):
        await store.insert(name, [KnowledgeDocument(id="w", content="w", embedding=make_vector(1, DIM + 4))])


@CHECKS
async def test_missing_collection_raises(suite: ContractTests, store: Store) -> None:
    """insert/upsert/search/get/delete/count on a collection that does not exist raise CollectionNotFoundError.

    Nothing is created by the failed calls, and a deleted collection counts as missing.

    Troubleshooting: look the collection up (or map the engine's "no such table/collection"
    error) and raise CollectionNotFoundError(name); never create it implicitly.
    """
    kept = await _collection(store)
    gone = await _collection(store)
    await store.insert(gone, [KnowledgeDocument(id="x", content="x", embedding=make_vector(1, DIM))])
    assert await store.delete_collection(gone) is True
    for name in (unique_name("missing"), gone):
        doc = KnowledgeDocument(id="x", content="x", embedding=make_vector(1, DIM))
        calls: dict[str, Callable[[], Awaitable[Any]]] = {
            "insert": partial(store.insert, name, [doc]),
            "upsert": partial(store.upsert, name, [doc]),
            "search": partial(store.search, name, make_vector(1, DIM)),
            "get": partial(store.get, name, ["x"]),
            "delete(ids)": partial(store.delete, name, ids=["x"]),
            "count": partial(store.count, name),
        }
        if "$eq" in suite.capability("filter_operators"):
            calls["delete(filters)"] = partial(store.delete, name, filters={"tag": "a"})
        for call_name, call in calls.items():
            with pytest.raises(CollectionNotFoundError):
                await call()
                pytest.fail(f"{call_name} on missing collection {name!r} did not raise")
        assert await store.collection_exists(name) is False
    assert await store.list_collections() == [kept]


@CHECKS
async def test_search_limit_validated(suite: ContractTests, store: Store) -> None:
    """A negative, boolean or non-integer limit raises ValueError (or TypeError); limit=0 returns [].

    Troubleshooting: check ``isinstance(limit, int) and not isinstance(limit, bool) and limit >= 0``
    before calling the engine, and return [] for 0 without a query (engines reject top_k=0).
    """
    name = await _collection(store)
    docs = [KnowledgeDocument(id=f"d{i}", content="x", embedding=make_vector(i, DIM)) for i in range(3)]
    await store.insert(name, docs)
    for bad in (-1, True, 1.5, "3", None):
        with pytest.raises((ValueError, TypeError)):
            await store.search(name, make_vector(1, DIM), limit=bad)  # type: ignore[arg-type]
            pytest.fail(f"search accepted limit={bad!r}")
    assert await store.search(name, make_vector(1, DIM), limit=0) == []
    assert len(await store.search(name, make_vector(1, DIM), limit=1)) == 1
    assert len(await store.search(name, make_vector(1, DIM), limit=100)) == 3


@CHECKS
async def test_metadata_none_reads_back_empty(suite: ContractTests, store: Store) -> None:
    """Metadata None and {} both read back as {} or None (never an error), and match like {}.

    A document without metadata satisfies $ne/$nin (missing key) and never $eq.

    Troubleshooting: store no metadata as an empty JSON object (or null) and decode null as
    {}; filters on such a document see every key as missing.
    """
    name = await _collection(store)
    await store.insert(
        name,
        [
            KnowledgeDocument(id="none", content="n", embedding=make_vector(1, DIM), metadata=None),
            KnowledgeDocument(id="empty", content="e", embedding=make_vector(2, DIM), metadata={}),
            KnowledgeDocument(id="tagged", content="t", embedding=make_vector(3, DIM), metadata={"tag": "a"}),
        ],
    )
    got = {d.id: d for d in await store.get(name, ["none", "empty", "tagged"])}
    hits = {d.id: d for d in await store.search(name, make_vector(1, DIM), limit=10)}
    for doc_id in ("none", "empty"):
        assert got[doc_id].metadata in (None, {}), (doc_id, got[doc_id].metadata)
        assert hits[doc_id].metadata in (None, {}), (doc_id, hits[doc_id].metadata)
    operators = suite.capability("filter_operators")
    if "$eq" in operators:
        assert await _search_ids(store, name, {"tag": "a"}) == {"tagged"}
    if "$ne" in operators:
        assert await _search_ids(store, name, {"tag": {"$ne": "a"}}) == {"none", "empty"}
    if "$nin" in operators:
        assert await _search_ids(store, name, {"tag": {"$nin": ["b"]}}) == {"none", "empty", "tagged"}


#: Metadata of the value-typing fixture: numbers of both Python types, booleans, numeric strings.
TYPED_DOCS: dict[str, dict[str, Any]] = {
    "int0": {"v": 0},
    "int1": {"v": 1, "k": "x"},
    "float1": {"v": 1.0},
    "int2": {"v": 2},
    "float2": {"v": 2.0},
    "true": {"v": True},
    "false": {"v": False},
    "str1": {"v": "1"},
    "nov": {"k": "x"},
}
TYPED_IDS = frozenset(TYPED_DOCS)


async def _typed_check(
    suite: ContractTests, store: Store, cases: Sequence[tuple[set[str], dict[str, Any], set[str]]]
) -> None:
    """Search a TYPED_DOCS collection with each filter the store declares; compare the ids."""
    name = await _collection(store)
    await store.insert(
        name,
        [
            KnowledgeDocument(id=doc_id, content=doc_id, embedding=make_vector(i, DIM), metadata=dict(meta))
            for i, (doc_id, meta) in enumerate(TYPED_DOCS.items())
        ],
    )
    ran = 0
    for operators, filters, expected in cases:
        if not operators <= suite.capability("filter_operators"):
            continue
        ran += 1
        found = await _search_ids(store, name, filters)
        assert found == expected, f"{filters!r} matched {sorted(found)}, expected {sorted(expected)}"
    if not ran:
        pytest.skip("needs filter operators this store does not declare")


@CHECKS
async def test_filter_int_equals_float(suite: ContractTests, store: Store) -> None:
    """Numbers compare by value across int and float: {'v': 2} and {'v': 2.0} match both 2 and 2.0.

    Troubleshooting: compare JSON numbers as numbers (not their text), and do not index int and
    float values apart (or query both).
    """
    await _typed_check(
        suite,
        store,
        [
            ({"$eq"}, {"v": 2}, {"int2", "float2"}),
            ({"$eq"}, {"v": 2.0}, {"int2", "float2"}),
            ({"$in"}, {"v": {"$in": [2.0, 7]}}, {"int2", "float2"}),
        ],
    )


@CHECKS
async def test_filter_bool_int_string_never_equal(suite: ContractTests, store: Store) -> None:
    """True, 1 and "1" never match each other (nor False and 0), in $eq, $in, $ne and $nin.

    Troubleshooting: keep the JSON type in the comparison (a boolean is not the number 1, and a
    numeric string is not a number); check the type where the engine coerces.
    """
    everything = set(TYPED_IDS)
    await _typed_check(
        suite,
        store,
        [
            ({"$eq"}, {"v": 1}, {"int1", "float1"}),
            ({"$eq"}, {"v": True}, {"true"}),
            ({"$eq"}, {"v": "1"}, {"str1"}),
            ({"$eq"}, {"v": 0}, {"int0"}),
            ({"$eq"}, {"v": False}, {"false"}),
            ({"$in"}, {"v": {"$in": [1, "x"]}}, {"int1", "float1"}),
            ({"$in"}, {"v": {"$in": [True]}}, {"true"}),
            ({"$in"}, {"v": {"$in": ["1", False]}}, {"str1", "false"}),
            ({"$ne"}, {"v": {"$ne": 1}}, everything - {"int1", "float1"}),
            ({"$ne"}, {"v": {"$ne": True}}, everything - {"true"}),
            ({"$nin"}, {"v": {"$nin": [True, "1"]}}, everything - {"true", "str1"}),
        ],
    )


@CHECKS
async def test_filter_range_ignores_other_types(suite: ContractTests, store: Store) -> None:
    """Ranges on numbers match numbers only: booleans and numeric strings are never in range.

    Troubleshooting: guard a numeric range with a type check (JSON number) instead of casting
    the value (true as 1, "1" as 1).
    """
    await _typed_check(
        suite,
        store,
        [
            ({"$gte"}, {"v": {"$gte": 1}}, {"int1", "float1", "int2", "float2"}),
            ({"$lt"}, {"v": {"$lt": 1}}, {"int0"}),
            ({"$gt", "$lte"}, {"v": {"$gt": 0, "$lte": 1.5}}, {"int1", "float1"}),
        ],
    )


@CHECKS
async def test_filter_or_with_range_on_missing_key(suite: ContractTests, store: Store) -> None:
    """A document lacking a range key but matching another $or branch is included.

    Troubleshooting: a missing key makes only its own comparison false; do not turn it into a
    NULL that poisons the whole $or (SQL: wrap each comparison with COALESCE(..., FALSE)).
    """
    await _typed_check(
        suite,
        store,
        [
            ({"$or", "$gt", "$eq"}, {"$or": [{"v": {"$gt": 1}}, {"k": "x"}]}, {"int2", "float2", "int1", "nov"}),
            ({"$or", "$lt", "$eq"}, {"$or": [{"k": "x"}, {"v": {"$lt": 1}}]}, {"int0", "int1", "nov"}),
        ],
    )


@CHECKS
async def test_delete_needs_ids_or_filter_and_empty_inputs(suite: ContractTests, store: Store) -> None:
    """delete() with neither ids nor a non-empty filter raises ValueError; empty lists are no-ops.

    ``delete(c)`` and ``delete(c, filters={})`` would match every document, so they are refused
    (use delete_collection); ``delete(c, ids=[])`` deletes nothing and returns 0; an empty filter
    next to ids adds no condition. ``insert``/``upsert``/``get`` of an empty list return [].

    Troubleshooting: test ``ids is None and not filters`` before anything else, and return early
    for an empty id list instead of sending ``IN ()`` (or no condition) to the engine.
    """
    name = await _filter_collection(store)
    refused: tuple[dict[str, Any], ...] = ({}, {"filters": {}}, {"ids": None, "filters": None})
    for kwargs in refused:
        with pytest.raises(ValueError):
            await store.delete(name, **kwargs)
            pytest.fail(f"delete({kwargs!r}) did not raise")
    assert await store.count(name) == len(FILTER_DOCS)
    assert await store.delete(name, ids=[]) == 0
    if "$eq" in suite.capability("filter_operators"):
        assert await store.delete(name, ids=[], filters={"tag": "a"}) == 0
    assert await store.count(name) == len(FILTER_DOCS)
    assert await store.delete(name, ids=["d1"], filters={}) == 1
    assert await store.count(name) == len(FILTER_DOCS) - 1
    assert await store.insert(name, []) == []
    assert await store.upsert(name, []) == []
    assert await store.get(name, []) == []
    assert await store.count(name) == len(FILTER_DOCS) - 1


#: Ids every store must keep as plain data: quotes, escapes, wildcards and expression syntax.
PLAIN_IDS = (
    'q"q',
    "back\\slash\\",
    "pct%_*?",
    "a,b;c",
    "{p0} $1 :v @x",
    "ünï 😀 مرحبا",
    " spaced ",
    "i" * 200,
)
#: Ids with single quotes: plain data too, unless capabilities["single_quote_ids"] is False.
QUOTE_IDS = ("x' OR '1'='1", "x'] or id != '", "O'Brien.txt")
#: Ids an engine may refuse at insert with ValueError (empty, control characters, 600 bytes).
AWKWARD_IDS = ("", "tab\tnew\nline", "j" * 600)


@CHECKS
async def test_unusual_ids_are_plain_data(suite: ContractTests, store: Store) -> None:
    """Ids holding quotes, backslashes, wildcards or query syntax round-trip and match only themselves.

    get, search and delete by such an id touch exactly that document. An empty id, one with
    control characters or a 600-byte id either round-trips too or is refused by insert with a
    ValueError (nothing stored) -- never accepted and then unreachable. Ids with single quotes
    are plain data too, unless the store declares ``single_quote_ids=False``: insert then refuses
    them with ValueError.

    Troubleshooting: bind ids as parameters (or quote them with a tested function); the raw
    client's "delete by ids" may format ids into an expression unescaped (pymilvus does).
    """
    name = await _collection(store)
    keep = KnowledgeDocument(id="keep", content="keep", embedding=make_vector(0, DIM))
    await store.insert(name, [keep])
    plain = list(PLAIN_IDS)
    if suite.capability("single_quote_ids"):
        plain += QUOTE_IDS
    else:
        for doc_id in QUOTE_IDS:
            doc = KnowledgeDocument(id=doc_id, content="quote", embedding=make_vector(40, DIM))
            with pytest.raises(ValueError):
                await store.insert(name, [doc])
                pytest.fail(f"insert accepted {doc_id!r} although single_quote_ids is declared False")
            with pytest.raises(ValueError):
                await store.upsert(name, [doc])
                pytest.fail(f"upsert accepted {doc_id!r} although single_quote_ids is declared False")
        assert await store.count(name) == 1
    docs = [KnowledgeDocument(id=i, content=f"c{n}", embedding=make_vector(n + 1, DIM)) for n, i in enumerate(plain)]
    assert await store.insert(name, docs) == plain
    assert sorted(d.id for d in await store.get(name, plain)) == sorted(plain)
    for n, doc_id in enumerate(plain):
        assert [d.id for d in await store.get(name, [doc_id])] == [doc_id]
        hits = await store.search(name, make_vector(n + 1, DIM), limit=1)
        assert [h.id for h in hits] == [doc_id]
    for n, doc_id in enumerate(plain):
        assert await store.delete(name, ids=[doc_id]) == 1, doc_id
        assert await store.count(name) == len(plain) - n, f"deleting {doc_id!r} removed other documents"
    for n, doc_id in enumerate(AWKWARD_IDS):
        doc = KnowledgeDocument(id=doc_id, content="awkward", embedding=make_vector(50 + n, DIM))
        try:
            await store.insert(name, [doc])
        except ValueError:
            assert await store.count(name) == 1, f"a refused id {doc_id!r} was stored"
            continue
        assert [d.id for d in await store.get(name, [doc_id])] == [doc_id], f"{doc_id!r} stored but not readable"
        assert await store.delete(name, ids=[doc_id]) == 1, f"{doc_id!r} stored but not deletable"
        assert await store.count(name) == 1
    assert [d.id for d in await store.get(name, ["keep"])] == ["keep"]


async def _scroll_all(store: Store, name: str, limit: int) -> list[list[KnowledgeDocument]]:
    """Every page of a scroll of ``name`` (at most 100 pages, so a cursor that never ends fails)."""
    pages: list[list[KnowledgeDocument]] = []
    cursor: str | None = None
    for _ in range(100):
        page, cursor = await store.scroll(name, limit=limit, cursor=cursor)
        assert len(page) <= limit, f"scroll(limit={limit}) returned {len(page)} documents"
        pages.append(page)
        if cursor is None:
            return pages
        assert isinstance(cursor, str), f"scroll cursors are strings, got {cursor!r}"
    pytest.fail("scroll returned a next cursor 100 times over a small collection")


@CHECKS
async def test_scroll_reads_every_document_once(suite: ContractTests, store: Store) -> None:
    """scroll pages through the whole collection: every document exactly once, with its embedding.

    Pages hold at most ``limit`` documents, a ``None`` cursor ends the scroll, and a second scroll
    gives the same order. Content, metadata, hash and created_at are exact; score is None.

    Troubleshooting: order by a unique key (the id) and resume after the cursor's key (or use
    the engine's own paging token); return embeddings, not only ids.
    """
    name = await _collection(store)
    ids = ["a", "b'quote" if suite.capability("single_quote_ids") else "b-dash", "c/slash", "d 😀", "e", "f", "g"]
    docs = [
        KnowledgeDocument(
            id=doc_id, content=f"text {n}", embedding=make_vector(n, DIM), metadata={"n": n, "tag": "x"},
            created_at=T0 + n / 7,
        )
        for n, doc_id in enumerate(ids)
    ]
    await store.insert(name, docs)
    pages = await _scroll_all(store, name, limit=3)
    got = [d for page in pages for d in page]
    assert sorted(d.id for d in got) == sorted(ids), "scroll must return every document exactly once"
    assert len(pages) <= 4, f"7 documents in pages of 3 took {len(pages)} pages"
    tolerance = suite.capability("embedding_tolerance")
    by_id = {d.id: d for d in docs}
    for read in got:
        sent = by_id[read.id]
        assert (read.content, read.metadata, read.content_hash) == (sent.content, sent.metadata, sent.content_hash)
        assert read.created_at == sent.created_at
        assert read.score is None
        _expect_close(read.embedding, sent.embedding or [], tolerance)
    again = [d.id for page in await _scroll_all(store, name, limit=3) for d in page]
    assert again == [d.id for d in got], "two scrolls of an unchanged collection must give the same order"
    whole = await _scroll_all(store, name, limit=1000)
    assert sorted(d.id for page in whole for d in page) == sorted(ids)


@CHECKS
async def test_embeddings_read_back_as_written_in_every_distance(suite: ContractTests, store: Store) -> None:
    """Embeddings that are not unit length read back as written, also in cosine collections.

    get and scroll must return the vector that was inserted, so a copy or an export moves it
    unchanged (cosine scores do not depend on the length, but other tools reading it do).

    Troubleshooting: engines that normalise cosine vectors on write (Qdrant, Redis vector sets)
    must keep the norm (in the payload, say) and scale the vector back on read.
    """
    tolerance = suite.capability("embedding_tolerance")
    for distance in sorted(suite.capability("distances")):
        name = await _collection(store, distance=distance)
        vectors = {"long": _unit(3.0, -4.0, 12.0), "short": _unit(0.01, 0.02), "neg": _unit(-2.5, 0.0, 0.5, 7.25)}
        await store.insert(name, [KnowledgeDocument(id=k, content=k, embedding=v) for k, v in vectors.items()])
        for doc in await store.get(name, sorted(vectors)):
            _expect_close(doc.embedding, vectors[doc.id], tolerance * 20)
        for doc in [d for page in await _scroll_all(store, name, limit=2) for d in page]:
            _expect_close(doc.embedding, vectors[doc.id], tolerance * 20)


@CHECKS
async def test_scroll_sees_writes_and_validates(suite: ContractTests, store: Store) -> None:
    """scroll reflects upserts and deletes made before it; empty and missing collections; bad limits.

    Troubleshooting: a missing collection raises CollectionNotFoundError (not an empty page);
    limit must be a positive int (ValueError otherwise, before any engine call).
    """
    name = await _collection(store)
    assert [d for page in await _scroll_all(store, name, limit=2) for d in page] == []
    await store.insert(name, [KnowledgeDocument(id=f"k{i}", content=f"v{i}", embedding=make_vector(i, DIM))
                              for i in range(5)])
    await store.upsert(name, [KnowledgeDocument(id="k1", content="replaced", embedding=make_vector(9, DIM))])
    await store.delete(name, ids=["k3"])
    got = {d.id: d for page in await _scroll_all(store, name, limit=2) for d in page}
    assert sorted(got) == ["k0", "k1", "k2", "k4"]
    assert got["k1"].content == "replaced"
    _expect_close(got["k1"].embedding, make_vector(9, DIM), suite.capability("embedding_tolerance"))
    for bad in (0, -1, True, "3", 2.5):
        with pytest.raises(ValueError):
            await store.scroll(name, limit=bad)  # type: ignore[arg-type]
    with pytest.raises(CollectionNotFoundError):
        await store.scroll(unique_name("missing"), limit=2)


@CHECKS
async def test_describe_collection(suite: ContractTests, store: Store) -> None:
    """describe_collection reports the name, dimension and (canonical) distance given at creation.

    Troubleshooting: read them from the engine's schema or the store's own collection record;
    report distances by their canonical names ("cosine", "euclidean", "dot").
    """
    for n, distance in enumerate(sorted(suite.capability("distances"))):
        name = unique_name("c")
        dimension = DIM + n + 1
        await store.create_collection(name, dimension, distance=distance)
        info = await store.describe_collection(name)
        assert (info.name, info.dimension, info.distance) == (name, dimension, distance)
        assert isinstance(info.metadata, dict)
    with pytest.raises(CollectionNotFoundError):
        await store.describe_collection(unique_name("missing"))


@CHECKS
async def test_store_still_empty(suite: ContractTests, store: Store) -> None:
    """Canary 2/2: after test_store_is_empty created a collection, this test's store is empty again.

    Troubleshooting: the fixture must give every test a fresh namespace (not one per class or
    session) and drop it afterwards.
    """
    assert await store.list_collections() == []
    name = await _collection(store)
    assert await store.list_collections() == [name]


@contract_class("knowledge", CHECKS, is_async=False)
class KnowledgeStoreTests(ContractTests):
    """Conformance suite for a sync :class:`~praisonai_persist.KnowledgeStore`.

    Subclass it in a test module (name it ``Test...``), define a ``store`` fixture yielding an
    empty store isolated for each test, and declare ``capabilities`` where the engine does less.
    """


@contract_class("knowledge", CHECKS, is_async=True)
class AsyncKnowledgeStoreTests(ContractTests):
    """Conformance suite for an :class:`~praisonai_persist.AsyncKnowledgeStore` (pytest-asyncio)."""
