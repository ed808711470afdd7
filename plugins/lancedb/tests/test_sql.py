"""The LanceDB filter renderer: the literal quoter on its own, then hostile values on the real engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from praisonai_persist import KnowledgeDocument
from praisonai_persist.errors import UnsupportedFilterError
from praisonai_persist_lancedb import LancedbKnowledgeStore
from praisonai_persist_lancedb.sql import filter_sql, quote_string, sql_literal

HOSTILE = [
    "it's",
    "''",
    "a' OR '1'='1",
    "back\\slash\\",
    "\\'",
    'double "quotes"',
    "new\nline\ttab\r",
    "émoji 😀 مرحبا",
    "%_like_wildcards%",
    "json_extract(metadata, '$.x')",
    ") OR true --",
    "".join(chr(c) for c in range(1, 0x250)) + "\u2028\u2029\ufeff\U0001f600",
    "\x7f/<>&",
]


def test_quote_string_doubles_quotes_and_keeps_everything_else() -> None:
    assert quote_string("it's") == "'it''s'"
    assert quote_string("") == "''"
    assert quote_string("a\\b") == "'a\\b'"
    for value in HOSTILE:
        quoted = quote_string(value)
        assert quoted[0] == quoted[-1] == "'"
        assert quoted[1:-1].replace("''", "").count("'") == 0


@pytest.mark.parametrize("bad", ["nul\x00char", "lone \ud800 surrogate"])
def test_quote_string_rejects_what_it_cannot_represent(bad: str) -> None:
    with pytest.raises(UnsupportedFilterError):
        quote_string(bad)


def test_sql_literal_numbers_and_booleans() -> None:
    assert sql_literal(True) == "true"
    assert sql_literal(False) == "false"
    assert sql_literal(-42) == "-42"
    assert sql_literal(0.25) == "0.25"
    assert sql_literal(1e20) == "1e+20"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf"), 2**63, -(2**63) - 1, None, [1], {"a": 1}])
def test_sql_literal_rejects_what_it_cannot_represent(bad: object) -> None:
    with pytest.raises(UnsupportedFilterError):
        sql_literal(bad)


@pytest.mark.parametrize("key", ["a'b", "a b", "x;DROP", "a.b", "a-b", "ключ", "a" * 200])
def test_filter_keys_must_be_identifiers(key: str) -> None:
    with pytest.raises(UnsupportedFilterError):
        filter_sql({key: 1})


def test_filter_sql_is_none_without_filter() -> None:
    assert filter_sql(None) is None
    assert filter_sql({}) is None


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LancedbKnowledgeStore]:
    store = LancedbKnowledgeStore(path=str(tmp_path / "db"))
    try:
        yield store
    finally:
        store.close()


def test_hostile_values_match_exactly_themselves_on_the_engine(store: LancedbKnowledgeStore) -> None:
    store.create_collection("c", 2)
    docs = [
        KnowledgeDocument(id=f"d{i}", content=v, embedding=[1.0, float(i)], metadata={"v": v})
        for i, v in enumerate(HOSTILE)
    ]
    store.insert("c", docs)
    for doc in docs:
        assert doc.metadata is not None
        value = doc.metadata["v"]
        hits = store.search("c", [1.0, 0.0], limit=100, filters={"v": value})
        assert [h.id for h in hits] == [doc.id], value
        others = store.search("c", [1.0, 0.0], limit=100, filters={"v": {"$ne": value}})
        assert doc.id not in {h.id for h in others} and len(others) == len(docs) - 1
    assert store.count("c") == len(docs)


def test_extreme_numbers_compare_on_the_engine(store: LancedbKnowledgeStore) -> None:
    store.create_collection("c", 2)
    values = [-1e20, -3, 0, 0.5, 7, 1e20]
    store.insert(
        "c", [KnowledgeDocument(id=f"n{i}", embedding=[1.0, 0.0], metadata={"x": v}) for i, v in enumerate(values)]
    )
    hits = store.search("c", [1.0, 0.0], limit=100, filters={"x": {"$gt": -1e19, "$lt": 1e19}})
    assert sorted(h.id for h in hits) == ["n1", "n2", "n3", "n4"]
    assert [h.id for h in store.search("c", [1.0, 0.0], limit=100, filters={"x": 1e20})] == ["n5"]
    assert [h.id for h in store.search("c", [1.0, 0.0], limit=100, filters={"x": 7.0})] == ["n4"]
