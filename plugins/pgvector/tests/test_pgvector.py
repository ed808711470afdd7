"""pgvector specifics beyond the contract: HNSW option, batching, URLs, registry, masked secrets."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from praisonai_persist import KnowledgeDocument, create_knowledge_store
from praisonai_persist.errors import InvalidIdentifierError, StoreConnectionError
from praisonai_persist_pgvector import AsyncPgvectorKnowledgeStore, PgvectorKnowledgeStore
from praisonai_persist_pgvector.sql import Statements, translate_filter
from praisonai_persist_testkit import make_vector
from praisonai_persist_testkit.engines import engine_port, engine_skip_reason

SKIP_REASON = engine_skip_reason("pgvector", "PostgreSQL 16 with pgvector")
needs_engine = pytest.mark.skipif(SKIP_REASON is not None, reason=SKIP_REASON or "")


@pytest.fixture
def url() -> str:
    return f"postgresql://postgres@127.0.0.1:{engine_port('pgvector')}/postgres"


@pytest.fixture
def schema(url: str) -> Iterator[str]:
    name = f"u_{uuid.uuid4().hex[:16]}"
    try:
        yield name
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def test_filter_values_and_keys_are_parameters() -> None:
    where = translate_filter({"tag') OR 1=1 --": "a' OR '1'='1", "n": {"$gt": 1}})
    assert where is not None
    text = where[0].as_string(None) if hasattr(where[0], "as_string") else str(where[0])
    assert "OR 1=1" not in text and "'1'='1" not in text
    assert "tag') OR 1=1 --" in where[1]


def test_long_table_names_are_refused() -> None:
    with pytest.raises(InvalidIdentifierError):
        Statements("public", "p" * 40).table_name("c" * 30)


def test_bad_server_is_a_connection_error_without_the_password() -> None:
    with pytest.raises(StoreConnectionError) as raised:
        PgvectorKnowledgeStore("postgresql://u:s3cr3tpw@127.0.0.1:1/db", connect_timeout=1)
    assert "s3cr3tpw" not in str(raised.value)


@needs_engine
def test_hnsw_index_and_batches(url: str, schema: str) -> None:
    with PgvectorKnowledgeStore(url, schema=schema, index="hnsw", batch_size=100) as store:
        store.create_collection("docs", 8, distance="euclidean")
        store.insert(
            "docs",
            [KnowledgeDocument(id=f"d{i}", content=f"{i}", embedding=make_vector(i, 8)) for i in range(450)],
        )
        assert store.count("docs") == 450
        assert store.search("docs", make_vector(7, 8), limit=1)[0].id == "d7"
    with psycopg.connect(url) as conn:
        indexes = conn.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = %s", (schema,)).fetchall()
    assert any("hnsw" in row[0] and "vector_l2_ops" in row[0] for row in indexes)


@needs_engine
def test_scroll_pages_by_the_primary_key_and_describe_keeps_metadata(url: str, schema: str) -> None:
    from praisonai_persist.knowledge import iter_documents

    ids = ["a' OR '1'='1", "back\\slash", "%s", "ä", "Z", "z", "😀", *(f"d{i:03d}" for i in range(40))]
    with PgvectorKnowledgeStore(url, schema=schema) as store:
        store.create_collection("docs", 4, distance="dot", metadata={"owner": "x", "n": 1})
        store.insert(
            "docs", [KnowledgeDocument(id=i, content="x", embedding=make_vector(n, 4)) for n, i in enumerate(ids)]
        )
        pages = [
            [d.id for d in page] for size in (1, 5, 500) for page in iter_documents(store, "docs", batch_size=size)
        ]
        whole = [i for page in pages for i in page]
        assert sorted(whole) == sorted(ids * 3) and whole[: len(ids)] == whole[len(ids) : 2 * len(ids)]
        info = store.describe_collection("docs")
        assert (info.dimension, info.distance, info.metadata) == (4, "dot", {"owner": "x", "n": 1})
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET enable_seqscan = off")
        statement = Statements(schema, "praison_vec_").scroll("docs", 3, after=True)
        plan = " ".join(row[0] for row in conn.execute(sql.SQL("EXPLAIN ") + statement, ("d010",)).fetchall())
    assert "Index Scan" in plan and "Sort" not in plan, plan  # the page is read from the primary-key index


@needs_engine
def test_registry_resolves_urls_and_modes(url: str, schema: str) -> None:
    store = create_knowledge_store(url, schema=schema)  # a postgresql:// URL alone picks pgvector
    try:
        assert isinstance(store, PgvectorKnowledgeStore)
    finally:
        store.close()
    assert isinstance(create_knowledge_store("pgvector", url, mode="async", schema=schema), AsyncPgvectorKnowledgeStore)
