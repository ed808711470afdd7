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
from typing import Any

import chdb
from harness import Row, add_size_args, normal_data, paired, print_rows, sizes, time_once

from praisonai_persist.models import KnowledgeDocument
from praisonai_persist_clickhouse import ClickhouseKnowledgeStore

BATCH = 5000
COLUMNS = ("id", "content", "embedding", "metadata", "content_hash", "created_at")


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
    add_size_args(parser)
    parser.add_argument("--dim", type=int, default=384)
    args = parser.parse_args()
    n_docs, n_queries = sizes(args)
    docs, queries = normal_data(n_docs, n_queries, args.dim)
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
            raw_ins = time_once(lambda: raw_insert(conn, docs))
            store_ins = time_once(lambda: store.insert("docs", docs))
            store_times, raw_times = paired(
                lambda q: store.search("docs", q, limit=10), lambda q: raw_search(conn, q), queries, raw_first=True
            )
            rows: list[Row] = [
                (f"insert {n_docs:,} x {args.dim}", store_ins, raw_ins, 1.2),
                (
                    f"search top-10 (median of {n_queries})",
                    statistics.median(raw_times),
                    statistics.median(store_times),
                    1.15,
                ),
            ]
            print(f"clickhouse benchmark: {n_docs:,} docs, {n_queries} queries, dim {args.dim} (chDB, exact)")
            print_rows(rows, width=36, raw_first=True, unit=" s", digits=4)
        finally:
            store.close()
            conn.close()


if __name__ == "__main__":
    main()
