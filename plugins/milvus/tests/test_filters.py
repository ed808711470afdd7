"""The Milvus filter translation: templates hold no user value, literals are quoted safely.

The quoting is checked twice: as text (unit tests) and against Milvus Lite, where a hostile value
must match exactly the document that holds it.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from praisonai_persist import KnowledgeDocument
from praisonai_persist.errors import UnsupportedFilterError
from praisonai_persist_milvus import MilvusKnowledgeStore
from praisonai_persist_milvus.filters import quote_literal, render, translate_filter
from praisonai_persist_testkit import make_vector

HOSTILE = [
    'a" or 1 == 1 or "',
    "a' or '1'='1",
    "back\\slash\\",
    'quote"in"side',
    "emoji 😀 مرحبا",
    "{p0}",
    "",
]


def test_quote_literal_escapes_strings() -> None:
    assert quote_literal('say "hi"\\') == '"say \\"hi\\"\\\\"'
    assert quote_literal("ünï 😀") == '"ünï 😀"'


def test_quote_literal_scalars_and_lists() -> None:
    assert quote_literal(True) == "true"
    assert quote_literal(False) == "false"
    assert quote_literal(-7) == "-7"
    assert quote_literal(2.5) == "2.5"
    assert quote_literal(["a", 1, 2.5]) == '["a", 1, 2.5]'


@pytest.mark.parametrize(
    "bad", ["bell\x07", "nul\x00", "new\nline", "tab\t", "cr\r", float("nan"), float("inf"), 2**64, {"a": 1}, None]
)
def test_quote_literal_refuses_what_it_cannot_represent(bad: object) -> None:
    with pytest.raises(UnsupportedFilterError):
        quote_literal(bad)


def test_template_holds_no_user_value() -> None:
    expression = translate_filter({"tag": HOSTILE[0], "n": {"$in": [1, "x", 2.5, True]}})
    assert expression is not None
    assert HOSTILE[0] not in expression.template
    assert '"x"' not in expression.template
    assert set(expression.params) == {"p0", "p1", "p2", "p3"}
    # A mixed list is split by JSON kind; ints become floats next to a float (Milvus Lite needs one kind).
    assert [1.0, 2.5] in expression.params.values()
    assert " or " in expression.template


def test_render_uses_quote_literal() -> None:
    expression = translate_filter({"tag": 'x"y', "n": {"$gte": 2}})
    assert expression is not None
    assert render(expression) == '(metadata["tag"] == "x\\"y" and metadata["n"] >= 2)'


@pytest.mark.parametrize("key", ["tag') or (1", "$.tag", 'a"b', "1abc", "a b", ""])
def test_invalid_keys_raise(key: str) -> None:
    with pytest.raises(UnsupportedFilterError):
        translate_filter({key: "a"})


def test_null_comparison_raises() -> None:
    with pytest.raises(UnsupportedFilterError):
        translate_filter({"tag": None})
    with pytest.raises(UnsupportedFilterError):
        translate_filter({"tag": {"$in": ["a", None]}})


@pytest.fixture(scope="module")
def lite_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MilvusKnowledgeStore]:
    path: Path = tmp_path_factory.mktemp("milvus_filters") / "lite.db"
    store = MilvusKnowledgeStore(str(path), collection_prefix=f"f{uuid.uuid4().hex[:8]}_")
    try:
        yield store
    finally:
        for name in store.list_collections():
            store.delete_collection(name)
        store.close()


def test_hostile_values_match_exactly_on_milvus_lite(lite_store: MilvusKnowledgeStore) -> None:
    lite_store.create_collection("hostile", 4)
    docs = [
        KnowledgeDocument(id=f"h{i}", content=value or "empty", embedding=make_vector(i, 4), metadata={"tag": value})
        for i, value in enumerate(HOSTILE)
    ]
    lite_store.insert("hostile", docs)
    for i, value in enumerate(HOSTILE):
        hits = lite_store.search("hostile", make_vector(0, 4), limit=50, filters={"tag": value})
        assert [h.id for h in hits] == [f"h{i}"], value
        hits = lite_store.search("hostile", make_vector(0, 4), limit=50, filters={"tag": {"$in": [value]}})
        assert [h.id for h in hits] == [f"h{i}"], value
    assert lite_store.delete("hostile", filters={"tag": HOSTILE[0]}) == 1
    assert lite_store.count("hostile") == len(HOSTILE) - 1


def test_delete_by_filter_pages_through_matches(lite_store: MilvusKnowledgeStore) -> None:
    lite_store.create_collection("paged", 4)
    lite_store.insert(
        "paged",
        [
            KnowledgeDocument(id=f"d{i}", content="x", embedding=make_vector(i, 4), metadata={"even": i % 2 == 0})
            for i in range(300)
        ],
    )
    assert lite_store.delete("paged", filters={"even": True}) == 150
    assert lite_store.count("paged") == 150


def test_scroll_cursor_is_quoted_and_pages_in_id_order(lite_store: MilvusKnowledgeStore) -> None:
    """Hostile ids as cursors page exactly; pages over many inserts (segments) follow id order."""
    from praisonai_persist.knowledge import iter_documents

    lite_store.create_collection("scrolled", 4)
    hostile = [v for v in HOSTILE if v and "'" not in v]  # Lite refuses single-quote ids (see README)
    ids = hostile + [f"d{i:04d}" for i in range(0, 1200, 7)] + ["~", "Z", "ä"]
    for start in range(0, len(ids), 40):  # many small inserts: many segments
        chunk = ids[start : start + 40]
        lite_store.insert(
            "scrolled", [KnowledgeDocument(id=i, content="x", embedding=make_vector(n, 4)) for n, i in enumerate(chunk)]
        )
    lite_store.upsert("scrolled", [KnowledgeDocument(id="d0007", content="new", embedding=make_vector(1, 4))])
    lite_store.delete("scrolled", ids=["d0014"])
    expected = sorted(set(ids) - {"d0014"})
    for size in (1, 3, 64, 5000):
        got = [d.id for page in iter_documents(lite_store, "scrolled", batch_size=size) for d in page]
        assert got == expected, size
    info = lite_store.describe_collection("scrolled")
    assert (info.dimension, info.distance, info.metadata) == (4, "cosine", {})


def test_paths_and_urls(tmp_path: Path) -> None:
    from praisonai_persist_milvus.store import _target

    assert _target(str(tmp_path / "dir")) == (str(tmp_path / "dir" / "milvus.db"), True)
    assert _target(str(tmp_path / "x.db")) == (str(tmp_path / "x.db"), True)
    assert _target("milvus://localhost:19530") == ("http://localhost:19530", False)
    assert _target("https://host:443") == ("https://host:443", False)


def test_registry_creates_the_store_from_a_path(lite_store: MilvusKnowledgeStore) -> None:
    from praisonai_persist import create_knowledge_store
    from praisonai_persist.knowledge import AsyncKnowledgeStore

    store = create_knowledge_store("milvus", path=lite_store.url, collection_prefix="reg_")
    try:
        assert isinstance(store, MilvusKnowledgeStore)
        assert store.list_collections() == []
    finally:
        store.close()
    async_store = create_knowledge_store("milvus", path=lite_store.url, mode="async", collection_prefix="reg_")
    try:
        assert isinstance(async_store, AsyncKnowledgeStore)
    finally:
        asyncio.run(async_store.close())
