#!/usr/bin/env python3
"""ClickhouseKnowledgeStore against hand-written chDB code doing the same work, in one run.

Both sides use one chDB data directory (ClickHouse in-process), MergeTree tables of the same
shape, insert the same documents as JSONEachRow batches of 5,000 rows and run the same exact
top-10 ``cosineDistance`` searches with bound parameters, reading every column (JSONCompact).
The store also checks that inserted ids are new; that query is part of its time.
Targets: insert ≤ 1.2×, search ≤ 1.15× raw.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from typing import Any

import chdb
import numpy as np

from praisonai_persist.models import KnowledgeDocument
from praisonai_persist_clickhouse import ClickhouseKnowledgeStore

BATCH = 5000
COLUMNS = ("id", "content", "embedding", "metadata", "content_hash", "created_at")


def documents(n: int, dim: int, rng: np.random.Generator) -> list[KnowledgeDocument]:
    vectors = rng.standard_normal((n, dim)).astype(np.float32)
    return [
        KnowledgeDocument(
            id=f"doc-{i}", content=f"document {i}", embedding=vectors[i].tolist(), metadata={"n": i, "g": i % 4}
        )
        for i in range(n)
    ]


def raw_insert(conn: Any, docs: list[KnowledgeDocument]) -> None:
    for start in range(0, len(docs), BATCH):
        body = "\n".join(
            json.dumps(
                {
                    "id": d.id,
                    "content": d.content,
                    "embedding": d.embedding,
                    "metadata": json.dumps(d.metadata),
                    "content_hash": d.content_hash,
                    "created_at": d.created_at,
                }
            )
            for d in docs[start : start + BATCH]
        )
        conn.query(f"INSERT INTO raw.docs ({', '.join(COLUMNS)}) FORMAT JSONEachRow\n{body}", "CSV")


def raw_search(conn: Any, query: list[float]) -> list[Any]:
    sql = (
        f"SELECT {', '.join(COLUMNS)}, cosineDistance(embedding, {{q:Array(Float32)}}) AS d "  # noqa: S608
        "FROM raw.docs ORDER BY d ASC LIMIT 10"
    )
    text = conn.query(sql, "JSONCompact", params={"q": "[" + ",".join(repr(x) for x in query) + "]"}).data()
    return [(row[0], 1.0 - row[6]) for row in json.loads(text)["data"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="5,000 documents and 200 searches")
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--dim", type=int, default=384)
    args = parser.parse_args()
    n_docs, n_queries = (5_000, 200) if args.quick else (args.docs, args.queries)
    rng = np.random.default_rng(7)
    docs = documents(n_docs, args.dim, rng)
    queries = rng.standard_normal((n_queries, args.dim)).astype(np.float32).tolist()
    with tempfile.TemporaryDirectory(prefix="bench-chdb-") as tmp:
        store = ClickhouseKnowledgeStore(f"chdb://{tmp}", database="bench")
        conn = chdb.connect(tmp)
        try:
            store.create_collection("docs", args.dim)
            conn.query("CREATE DATABASE IF NOT EXISTS raw")
            conn.query(
                "CREATE TABLE raw.docs (id String, content String, embedding Array(Float32), metadata String, "
                "content_hash String, created_at Float64) ENGINE = MergeTree ORDER BY id"
            )
            t = time.perf_counter()
            raw_insert(conn, docs)
            raw_ins = time.perf_counter() - t
            t = time.perf_counter()
            store.insert("docs", docs)
            store_ins = time.perf_counter() - t
            raw_times, store_times = [], []
            for q in queries:
                t = time.perf_counter()
                raw_search(conn, q)
                raw_times.append(time.perf_counter() - t)
                t = time.perf_counter()
                store.search("docs", q, limit=10)
                store_times.append(time.perf_counter() - t)
            rows = [
                (f"insert {n_docs:,} x {args.dim}", raw_ins, store_ins, 1.2),
                (
                    f"search top-10 (median of {n_queries})",
                    statistics.median(raw_times),
                    statistics.median(store_times),
                    1.15,
                ),
            ]
            print(f"clickhouse benchmark: {n_docs:,} docs, {n_queries} queries, dim {args.dim} (chDB, exact)")
            print(f"{'measure':<36} {'raw s':>10} {'store s':>10} {'ratio':>7} {'target':>7}  verdict")
            for name, raw, ours, target in rows:
                ratio = ours / raw
                verdict = "PASS" if ratio <= target else "FAIL"
                print(f"{name:<36} {raw:>10.4f} {ours:>10.4f} {ratio:>7.2f} {target:>7.2f}  {verdict}")
        finally:
            store.close()
            conn.close()


if __name__ == "__main__":
    main()
