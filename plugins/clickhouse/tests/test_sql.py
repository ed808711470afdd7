"""ClickHouse SQL and parameter formatting: values only ever travel as bound parameters.

The text format of chDB's parameters is checked against the engine itself: a hostile string bound
as a parameter comes back unchanged and matches exactly the document that holds it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from praisonai_persist import KnowledgeDocument
from praisonai_persist.errors import StoreConnectionError, UnsupportedFilterError
from praisonai_persist_clickhouse import ClickhouseKnowledgeStore
from praisonai_persist_clickhouse.engine import ChdbExecutor, format_param
from praisonai_persist_clickhouse.sql import Statements, translate_filter
from praisonai_persist_testkit import make_vector

HOSTILE = [
    "a' OR '1'='1",
    "back\\slash\\",
    "tab\tnew\nline\rcr",
    "nul\x00byte",
    "{f0:String}",
    "emoji 😀 مرحبا",
    "",
]


def test_format_param_escapes() -> None:
    assert format_param("a\\b\tc\nd") == "a\\\\b\\tc\\nd"
    assert format_param(["x'y", "z"]) == "['x\\'y','z']"
    assert format_param([1.0, 2.5]) == "[1.0,2.5]"
    assert format_param(True) == "true"
    assert format_param(7) == "7"
    with pytest.raises(TypeError):
        format_param({"a": 1})


def test_filter_sql_holds_no_user_value() -> None:
    where = translate_filter({"tag') OR 1=1 --": HOSTILE[0], "n": {"$in": [1, "x", True]}})
    assert where is not None
    assert HOSTILE[0] not in where.sql and "OR 1=1" not in where.sql and "'x'" not in where.sql
    assert HOSTILE[0] in where.params.values() and "tag') OR 1=1 --" in where.params.values()


def test_scroll_binds_the_cursor() -> None:
    query = Statements("db", "p_").scroll("c", 4, HOSTILE[0])
    assert HOSTILE[0] not in query.sql and "{cursor:String}" in query.sql
    assert query.params == {"lim": 4, "cursor": HOSTILE[0]}
    assert "WHERE" not in Statements("db", "p_").scroll("c", 4, None).sql


def test_unsupported_operator_raises() -> None:
    with pytest.raises(UnsupportedFilterError):
        translate_filter({"tag": {"$regex": "a"}})


def test_identifiers_are_validated() -> None:
    from praisonai_persist.errors import InvalidIdentifierError

    with pytest.raises(InvalidIdentifierError):
        Statements("db`; DROP", "p_")
    with pytest.raises(InvalidIdentifierError):
        Statements("db", "p_").table("a`b")


@pytest.fixture(scope="module")
def chdb_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("chdb_sql")
    keeper = ChdbExecutor(str(path))
    try:
        yield path
    finally:
        keeper.close()


@pytest.fixture
def store(chdb_dir: Path) -> Iterator[ClickhouseKnowledgeStore]:
    database = f"s_{uuid.uuid4().hex[:12]}"
    store = ClickhouseKnowledgeStore(f"chdb://{chdb_dir}", database=database)
    try:
        yield store
    finally:
        store.close()
        executor = ChdbExecutor(str(chdb_dir))
        executor.command(f"DROP DATABASE IF EXISTS `{database}`")
        executor.close()


@pytest.mark.parametrize("value", HOSTILE)
def test_parameters_round_trip_through_chdb(chdb_dir: Path, value: str) -> None:
    executor = ChdbExecutor(str(chdb_dir))
    try:
        rows = executor.query("SELECT {v:String}, {a:Array(String)}", {"v": value, "a": [value, "x"]})
    finally:
        executor.close()
    assert rows == [[value, [value, "x"]]]


def test_hostile_values_match_exactly(store: ClickhouseKnowledgeStore) -> None:
    store.create_collection("hostile", 4)
    store.insert(
        "hostile",
        [
            KnowledgeDocument(id=f"h{i}", content=v, embedding=make_vector(i, 4), metadata={"tag": v})
            for i, v in enumerate(HOSTILE)
        ],
    )
    for i, value in enumerate(HOSTILE):
        for flt in ({"tag": value}, {"tag": {"$in": [value]}}):
            assert [h.id for h in store.search("hostile", make_vector(0, 4), limit=50, filters=flt)] == [f"h{i}"]
    assert store.delete("hostile", filters={"tag": HOSTILE[0]}) == 1
    assert store.count("hostile") == len(HOSTILE) - 1


def test_scroll_pages_hostile_ids_in_byte_order(store: ClickhouseKnowledgeStore) -> None:
    from praisonai_persist.knowledge import iter_documents

    store.create_collection("scrolled", 4, distance="dot")
    ids = HOSTILE + [f"d{i:03d}" for i in range(50)] + ["ä", "Z"]
    store.insert(
        "scrolled", [KnowledgeDocument(id=i, content="x", embedding=make_vector(n, 4)) for n, i in enumerate(ids)]
    )
    expected = sorted(ids, key=lambda i: i.encode("utf-8"))
    for size in (1, 7, 1000):
        assert [d.id for page in iter_documents(store, "scrolled", batch_size=size) for d in page] == expected
    info = store.describe_collection("scrolled")
    assert (info.name, info.dimension, info.distance, info.metadata) == ("scrolled", 4, "dot", {})


def test_batches_and_upsert(store: ClickhouseKnowledgeStore) -> None:
    store.create_collection("many", 4)
    docs = [KnowledgeDocument(id=f"d{i}", content="x", embedding=make_vector(i, 4)) for i in range(12_000)]
    store.insert("many", docs)
    assert store.count("many") == 12_000
    store.upsert("many", [KnowledgeDocument(id="d5", content="new", embedding=make_vector(1, 4))])
    assert store.count("many") == 12_000
    assert [d.content for d in store.get("many", ["d5"])] == ["new"]


def test_second_chdb_path_is_a_clear_error(chdb_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(StoreConnectionError, match="one embedded ClickHouse per process"):
        ClickhouseKnowledgeStore(f"chdb://{tmp_path / 'other'}")


def test_registry_resolves_chdb_urls(chdb_dir: Path) -> None:
    from praisonai_persist import create_knowledge_store

    store = create_knowledge_store(f"chdb://{chdb_dir}", database=f"r_{uuid.uuid4().hex[:8]}")
    try:
        assert isinstance(store, ClickhouseKnowledgeStore)
    finally:
        store.close()
