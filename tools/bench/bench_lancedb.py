#!/usr/bin/env python3
"""LancedbKnowledgeStore against the raw ``lancedb`` client doing the same work, in one run.

Insert: N documents of 384 dimensions (content, JSON metadata, hash, time) into an empty table;
the raw side builds the same Arrow table by hand and calls ``table.add``. Search: top-10 queries
on the filled tables; the raw side runs the same vector query and decodes each row into the same
``KnowledgeDocument`` (with the same score conversion). Store and raw runs alternate; medians.
Targets: search <= 1.15 x raw, insert <= 1.2 x raw.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

import lancedb
import pyarrow as pa

from praisonai_persist import KnowledgeDocument
from praisonai_persist_lancedb import LancedbKnowledgeStore

DIM = 384


def make_docs(n: int, seed: int = 7) -> list[KnowledgeDocument]:
    rng = random.Random(seed)
    return [
        KnowledgeDocument(
            id=f"doc-{i}",
            content=f"document number {i} about topic {i % 97}",
            embedding=[rng.uniform(-1.0, 1.0) for _ in range(DIM)],
            metadata={"group": f"g{i % 10}", "rank": i},
            created_at=1_700_000_000.0 + i,
        )
        for i in range(n)
    ]


def raw_schema() -> pa.Schema:
    return pa.schema(
        [
            pa.field("id", pa.string(), nullable=False),
            pa.field("content", pa.string()),
            pa.field("vector", pa.list_(pa.float32(), DIM)),
            pa.field("metadata", pa.json_()),
            pa.field("content_hash", pa.string()),
            pa.field("created_at", pa.float64()),
        ]
    )


def raw_insert(db: Any, name: str, docs: list[KnowledgeDocument]) -> None:
    schema = raw_schema()
    table = db.create_table(name, schema=schema)
    flat = pa.array([x for d in docs for x in d.embedding or []], type=pa.float32())
    data = pa.Table.from_arrays(
        [
            pa.array([d.id for d in docs]),
            pa.array([d.content for d in docs]),
            pa.FixedSizeListArray.from_arrays(flat, DIM),
            pa.array([json.dumps(d.metadata) for d in docs], type=pa.json_()),
            pa.array([d.content_hash for d in docs]),
            pa.array([d.created_at for d in docs], type=pa.float64()),
        ],
        schema=schema,
    )
    table.add(data)


def raw_search(table: Any, query: list[float], k: int) -> list[KnowledgeDocument]:
    cols = (
        table.search(query)
        .distance_type("cosine")
        .select(["id", "content", "vector", "metadata", "content_hash", "created_at", "_distance"])
        .limit(k)
        .to_arrow()
        .to_pydict()
    )
    return [
        KnowledgeDocument(
            id=cols["id"][i],
            content=cols["content"][i],
            embedding=[float(x) for x in cols["vector"][i]],
            metadata=json.loads(cols["metadata"][i]),
            content_hash=cols["content_hash"][i],
            created_at=cols["created_at"][i],
            score=1.0 - cols["_distance"][i],
        )
        for i in range(len(cols["id"]))
    ]


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 documents, 200 searches")
    parser.add_argument("--docs", type=int, default=None)
    parser.add_argument("--queries", type=int, default=None)
    args = parser.parse_args()
    n_docs = args.docs or (5_000 if args.quick else 50_000)
    n_queries = args.queries or (200 if args.quick else 1_000)
    rounds = 3  # insert rounds; the side that goes first alternates
    docs = make_docs(n_docs)
    queries = [d.embedding or [] for d in make_docs(n_queries, seed=11)]

    with tempfile.TemporaryDirectory() as tmp:
        store = LancedbKnowledgeStore(path=f"{tmp}/store")
        db = lancedb.connect(f"{tmp}/raw")
        store_ins: list[float] = []
        raw_ins: list[float] = []
        for r in range(rounds):
            store.create_collection(f"s{r}", DIM)
            if r % 2:
                raw_ins.append(timed(lambda r=r: raw_insert(db, f"r{r}", docs)))
                store_ins.append(timed(lambda r=r: store.insert(f"s{r}", docs)))
            else:
                store_ins.append(timed(lambda r=r: store.insert(f"s{r}", docs)))
                raw_ins.append(timed(lambda r=r: raw_insert(db, f"r{r}", docs)))
            if r:  # only round 0's collections are searched: free the others
                store.delete_collection(f"s{r}")
                db.drop_table(f"r{r}")
        table = db.open_table("r0")
        store_q: list[float] = []
        raw_q: list[float] = []
        for q in queries:
            store_q.append(timed(lambda q=q: store.search("s0", q, limit=10)))
            raw_q.append(timed(lambda q=q: raw_search(table, q, 10)))
        same = len(
            {h.id for h in store.search("s0", queries[0], limit=10)} & {h.id for h in raw_search(table, queries[0], 10)}
        )
        store.close()

    report("lancedb", n_docs, n_queries, store_ins, raw_ins, store_q, raw_q, same)


def report(
    name: str,
    n_docs: int,
    n_queries: int,
    store_ins: list[float],
    raw_ins: list[float],
    store_q: list[float],
    raw_q: list[float],
    overlap: int,
) -> None:
    rows = [
        (f"insert {n_docs:,} x {DIM}-dim (s)", statistics.median(store_ins), statistics.median(raw_ins), 1.2),
        (
            f"search top-10, {n_queries:,} queries (ms/query)",
            statistics.median(store_q) * 1e3,
            statistics.median(raw_q) * 1e3,
            1.15,
        ),
    ]
    print(f"{name}: store vs raw client, medians (first query: {overlap}/10 top-10 ids in common)")
    print(f"{'measure':46} {'store':>10} {'raw':>10} {'ratio':>7} {'target':>7}  verdict")
    for label, s, r, target in rows:
        ratio = s / r if r else float("inf")
        verdict = "PASS" if ratio <= target else "FAIL"
        print(f"{label:46} {s:10.3f} {r:10.3f} {ratio:7.2f} {target:7.2f}  {verdict}")


if __name__ == "__main__":
    main()
