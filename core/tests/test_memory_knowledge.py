"""MemoryKnowledgeStore: scores per distance against hand-computed values, ties, copies, errors."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from praisonai_persist import create_knowledge_store
from praisonai_persist.backends.memory_knowledge import MemoryKnowledgeStore
from praisonai_persist.errors import (
    CollectionNotFoundError,
    DimensionMismatchError,
    DocumentExistsError,
    InvalidIdentifierError,
    UnsupportedFilterError,
)
from praisonai_persist.models import KnowledgeDocument

QUERY = [1.0, 2.0, 2.0]  # norm 3
VECTORS = {
    "a": [2, 0, 0],  # norm 2, dot 2, L2 distance 3
    "b": [0, 3, 4],  # norm 5, dot 14, L2 distance sqrt(6)
    "c": [1, 2, 2],  # the query itself
    "d": [-1, -2, -2],  # opposite, L2 distance 6
}
# Worked out by hand from the comments above.
EXPECTED = {
    "cosine": [("c", 1.0), ("b", 14 / 15), ("a", 1 / 3), ("d", -1.0)],
    "dot": [("b", 14.0), ("c", 9.0), ("a", 2.0), ("d", -9.0)],
    "euclidean": [("c", 1.0), ("b", 1 / (1 + math.sqrt(6))), ("a", 0.25), ("d", 1 / 7)],
}


def _store_with(distance: str) -> MemoryKnowledgeStore:
    store = MemoryKnowledgeStore()
    store.create_collection("docs", 3, distance=distance)
    store.insert(
        "docs",
        [KnowledgeDocument(id=k, content=f"doc {k}", embedding=v, metadata={"k": k}) for k, v in VECTORS.items()],
    )
    return store


@pytest.mark.parametrize("distance", sorted(EXPECTED))
def test_scores_match_hand_computed_values(distance: str) -> None:
    store = _store_with(distance)
    hits = store.search("docs", QUERY, limit=10)
    assert [h.id for h in hits] == [k for k, _ in EXPECTED[distance]]
    for hit, (_, score) in zip(hits, EXPECTED[distance], strict=True):
        assert hit.score == pytest.approx(score, abs=1e-12)
    assert [h.id for h in store.search("docs", QUERY, limit=2)] == [k for k, _ in EXPECTED[distance][:2]]


@pytest.mark.parametrize(("alias", "canonical"), [("l2", "euclidean"), ("ip", "dot"), ("COS", "cosine")])
def test_distance_aliases(alias: str, canonical: str) -> None:
    hits = _store_with(alias).search("docs", QUERY, limit=1)
    assert (hits[0].id, hits[0].score) == (EXPECTED[canonical][0][0], pytest.approx(EXPECTED[canonical][0][1]))


def test_threshold_filters_and_ties() -> None:
    store = _store_with("cosine")
    assert [h.id for h in store.search("docs", QUERY, limit=10, score_threshold=0.5)] == ["c", "b"]
    assert [h.id for h in store.search("docs", QUERY, limit=10, filters={"k": {"$in": ["a", "d"]}})] == ["a", "d"]
    assert store.search("docs", QUERY, limit=0) == []
    # Equal scores come back in id order, whatever the insertion order.
    store.insert("docs", [KnowledgeDocument(id=i, content=i, embedding=[0, 0, 1]) for i in ("z2", "z1", "z3")])
    tied = [h.id for h in store.search("docs", [0, 0, 1], limit=10) if h.id.startswith("z")]
    assert tied == ["z1", "z2", "z3"]
    with pytest.raises(UnsupportedFilterError):
        store.search("docs", QUERY, filters={"k": {"$regex": "a"}})


def test_insert_existing_id_raises_and_upsert_replaces() -> None:
    store = _store_with("cosine")
    with pytest.raises(DocumentExistsError) as raised:
        store.insert(
            "docs",
            [
                KnowledgeDocument(id="new", content="x", embedding=[1, 0, 0]),
                KnowledgeDocument(id="a", content="dup", embedding=[1, 0, 0]),
            ],
        )
    assert raised.value.ids == ["a"]
    assert store.count("docs") == 4  # all or nothing: "new" was not inserted either
    with pytest.raises(DocumentExistsError):
        store.insert(
            "docs",
            [KnowledgeDocument(id="twice", embedding=[1, 0, 0]), KnowledgeDocument(id="twice", embedding=[0, 1, 0])],
        )
    assert store.upsert("docs", [KnowledgeDocument(id="a", content="replaced", embedding=[0, 1, 0])]) == ["a"]
    got = store.get("docs", ["a"])
    assert [(d.content, d.embedding) for d in got] == [("replaced", [0.0, 1.0, 0.0])]
    assert store.count("docs") == 4


def test_get_order_and_copies() -> None:
    store = _store_with("cosine")
    got = store.get("docs", ["d", "missing", "a", "c"])
    assert [d.id for d in got] == ["d", "a", "c"]
    assert all(isinstance(x, float) for d in got for x in d.embedding or [])
    got[0].metadata["k"] = "changed"  # type: ignore[index]
    got[0].embedding[0] = 42.0  # type: ignore[index]
    again = store.get("docs", ["d"])[0]
    assert again.metadata == {"k": "d"} and again.embedding == [-1.0, -2.0, -2.0]
    source = KnowledgeDocument(id="e", content="e", embedding=[1.0, 1.0, 1.0], metadata={"tags": ["x"]})
    store.insert("docs", [source])
    source.metadata["tags"].append("y")  # type: ignore[index]
    source.embedding[0] = 9.0  # type: ignore[index]
    stored = store.get("docs", ["e"])[0]
    assert stored.metadata == {"tags": ["x"]} and stored.embedding == [1.0, 1.0, 1.0]
    hit = store.search("docs", QUERY, limit=1)[0]
    hit.metadata["k"] = "changed"  # type: ignore[index]
    assert store.get("docs", [hit.id])[0].metadata == {"k": hit.id}
    assert store.get("docs", [hit.id])[0].score is None


def test_dimension_rules() -> None:
    store = _store_with("cosine")
    store.create_collection("docs", 3)  # same dimension: no-op, documents kept
    assert store.count("docs") == 4
    with pytest.raises(DimensionMismatchError):
        store.create_collection("docs", 4)
    for call in (
        lambda: store.insert("docs", [KnowledgeDocument(id="x", embedding=[1.0, 2.0])]),
        lambda: store.upsert("docs", [KnowledgeDocument(id="x", embedding=[1.0, 2.0, 3.0, 4.0])]),
        lambda: store.search("docs", [1.0]),
    ):
        with pytest.raises(DimensionMismatchError) as raised:
            call()
        assert raised.value.expected == 3
    with pytest.raises(ValueError):
        store.insert("docs", [KnowledgeDocument(id="x", content="no embedding")])
    with pytest.raises(ValueError):
        store.create_collection("other", 0)


def test_collections_and_errors() -> None:
    store = MemoryKnowledgeStore()
    with pytest.raises(CollectionNotFoundError):
        store.search("nope", [1.0])
    with pytest.raises(InvalidIdentifierError):
        store.create_collection("a-b", 2)
    with pytest.raises(InvalidIdentifierError):
        store.count("x; drop")
    store.create_collection("b", 2)
    store.create_collection("a", 2, distance="dot", metadata={"owner": "me"})
    assert store.list_collections() == ["a", "b"]
    store.insert("a", [KnowledgeDocument(id=str(i), embedding=[i, 1], metadata={"n": i}) for i in range(5)])
    with pytest.raises(ValueError):
        store.delete("a")
    assert store.delete("a", filters={"n": {"$gte": 3}}) == 2
    assert store.delete("a", ids=["0", "1", "4"], filters={"n": {"$lt": 1}}) == 1
    assert sorted(d.id for d in store.get("a", ["0", "1", "2", "3", "4"])) == ["1", "2"]
    assert store.delete_collection("a") is True and store.delete_collection("a") is False
    assert store.collection_exists("a") is False


def test_a_path_is_refused_not_silently_ignored(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="this process only"):
        MemoryKnowledgeStore(path=str(tmp_path / "kb.json"))
    assert create_knowledge_store("memory://").backend_name == "memory"
    assert MemoryKnowledgeStore(":memory:").count  # constructible
