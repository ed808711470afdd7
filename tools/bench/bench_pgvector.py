#!/usr/bin/env python3
"""PgvectorKnowledgeStore against hand-written psycopg + pgvector code doing the same work, in one run.

Both sides write the same documents (384-dim, metadata) into their own table of the same shape
in one transaction (raw: batched ``executemany`` of 1,000 rows, the usual hand-written path; the
store streams a binary COPY, so a third row compares it with a raw binary COPY as well) and run the
same top-10 cosine searches
(exact, no index), reading id, content, embedding, metadata, hash and time. The engine is the one
``tools/engines.sh up pgvector`` started (or ``--url``). Targets: insert ≤ 1.2×, search ≤ 1.15× raw.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import uuid
from typing import Any

import numpy as np
import psycopg
from harness import Row, add_size_args, normal_data, paired, print_rows, sizes, time_once
from pgvector.psycopg import register_vector
from psycopg.types.json import Jsonb

from praisonai_persist.models import KnowledgeDocument
from praisonai_persist_pgvector import PgvectorKnowledgeStore
from praisonai_persist_testkit.engines import engine_port

BATCH = 1000


def raw_insert(conn: psycopg.Connection[Any], table: str, docs: list[KnowledgeDocument]) -> None:
    sql = f"INSERT INTO {table} (id, content, embedding, metadata, content_hash, created_at) VALUES (%s, %s, %s, %s, %s, %s)"  # noqa: S608
    with conn.transaction(), conn.cursor() as cur:
        for start in range(0, len(docs), BATCH):
            cur.executemany(
                sql,
                [
                    (
                        d.id,
                        d.content,
                        np.asarray(d.embedding, dtype=np.float32),
                        Jsonb(d.metadata),
                        d.content_hash,
                        d.created_at,
                    )
                    for d in docs[start : start + BATCH]
                ],
            )


def raw_copy(conn: psycopg.Connection[Any], table: str, docs: list[KnowledgeDocument]) -> None:
    """The fastest raw path (binary COPY), which the store's insert also uses: a reference row."""
    sql = f"COPY {table} (id, content, embedding, metadata, content_hash, created_at) FROM STDIN (FORMAT BINARY)"
    with conn.transaction(), conn.cursor() as cur, cur.copy(sql) as copy:
        copy.set_types(["text", "text", "vector", "jsonb", "text", "float8"])
        for d in docs:
            vector = np.asarray(d.embedding, dtype=np.float32)
            copy.write_row((d.id, d.content, vector, Jsonb(d.metadata), d.content_hash, d.created_at))


def raw_search(conn: psycopg.Connection[Any], table: str, query: list[float]) -> list[tuple[Any, ...]]:
    sql = (
        "SELECT id, content, embedding, metadata, content_hash, created_at, embedding <=> %s AS d "  # noqa: S608
        f"FROM {table} ORDER BY d LIMIT 10"
    )
    rows = conn.execute(sql, (np.asarray(query, dtype=np.float32),)).fetchall()
    return [(r[0], 1.0 - r[6], r[2].to_list()) for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_size_args(parser)
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--url", default=None, help="PostgreSQL URL (default: the pgvector engine of tools/)")
    args = parser.parse_args()
    n_docs, n_queries = sizes(args)
    port = engine_port("pgvector")
    url = args.url or (f"postgresql://postgres@127.0.0.1:{port}/postgres" if port else None)
    if not url:
        sys.exit("pgvector engine not running: tools/engines.sh up pgvector (or pass --url)")
    docs, queries = normal_data(n_docs, n_queries, args.dim)
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    store = PgvectorKnowledgeStore(url, schema=schema)
    conn = psycopg.connect(url, autocommit=True)
    register_vector(conn)
    raw_table = f'"{schema}"."raw_docs"'
    copy_table = f'"{schema}"."raw_copy"'
    try:
        store.create_collection("docs", args.dim)
        conn.execute(
            f"CREATE TABLE {raw_table} (id TEXT PRIMARY KEY, content TEXT NOT NULL, embedding vector({args.dim}) NOT NULL, "
            "metadata JSONB, content_hash TEXT, created_at DOUBLE PRECISION NOT NULL)"
        )
        raw_ins = time_once(lambda: raw_insert(conn, raw_table, docs))
        store_ins = time_once(lambda: store.insert("docs", docs))
        conn.execute(f"CREATE TABLE {copy_table} (LIKE {raw_table} INCLUDING ALL)")
        copy_ins = time_once(lambda: raw_copy(conn, copy_table, docs))
        store_times, raw_times = paired(
            lambda q: store.search("docs", q, limit=10),
            lambda q: raw_search(conn, raw_table, q),
            queries,
            raw_first=True,
        )
        rows: list[Row] = [
            (f"insert {n_docs:,} x {args.dim}", store_ins, raw_ins, 1.2),
            (
                f"search top-10 (median of {n_queries})",
                statistics.median(store_times),
                statistics.median(raw_times),
                1.15,
            ),
            (f"insert {n_docs:,} vs raw binary COPY", store_ins, copy_ins, None),
        ]
        print(
            f"pgvector benchmark: {n_docs:,} docs, {n_queries} queries, dim {args.dim} (PostgreSQL + pgvector, exact)"
        )
        print_rows(rows, width=36, raw_first=True, unit=" s", digits=4)
    finally:
        store.close()
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.close()


if __name__ == "__main__":
    main()
