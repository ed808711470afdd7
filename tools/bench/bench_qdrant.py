#!/usr/bin/env python3
"""QdrantKnowledgeStore against the raw ``qdrant-client`` doing the same work, in one run.

Qdrant's local mode in memory (``--on-disk``: in a temporary directory, as in the tests; its
per-point SQLite persistence is slow, so that run takes minutes). Insert: N documents of
384 dimensions (content, metadata, hash, time) into an empty cosine collection; the raw side
builds the same points (UUIDv5 ids, same payload) and upserts them in batches of 512, as the
store does. Search: top-10 queries with payload and vectors, each hit decoded into the same
``KnowledgeDocument``. Store and raw runs alternate; medians.
Targets: search <= 1.15 x raw, insert <= 1.2 x raw.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from typing import Any

from qdrant_client import QdrantClient, models

from praisonai_persist import KnowledgeDocument
from praisonai_persist_qdrant import QdrantKnowledgeStore

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


def raw_points(docs: list[KnowledgeDocument]) -> list[Any]:
    ns = uuid.UUID("6f1c1b9e-4d1a-5b7e-9a57-70726169736f")
    return [
        models.PointStruct(
            id=str(uuid.uuid5(ns, d.id)),
            vector=d.embedding or [],
            payload={
                "doc_id": d.id,
                "content": d.content,
                "metadata": d.metadata,
                "content_hash": d.content_hash,
                "created_at": d.created_at,
            },
        )
        for d in docs
    ]


def raw_insert(client: Any, name: str, docs: list[KnowledgeDocument]) -> None:
    client.create_collection(name, vectors_config=models.VectorParams(size=DIM, distance=models.Distance.COSINE))
    points = raw_points(docs)
    for start in range(0, len(points), 512):
        client.upsert(name, points=points[start : start + 512], wait=True)


def raw_search(client: Any, name: str, query: list[float], k: int) -> list[KnowledgeDocument]:
    answer = client.query_points(name, query=query, limit=k, with_payload=True, with_vectors=True)
    return [
        KnowledgeDocument(
            id=p.payload["doc_id"],
            content=p.payload["content"],
            embedding=[float(x) for x in p.vector],
            metadata=p.payload["metadata"],
            content_hash=p.payload["content_hash"],
            created_at=p.payload["created_at"],
            score=p.score,
        )
        for p in answer.points
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
    parser.add_argument("--on-disk", action="store_true", help="local mode on disk instead of in memory")
    args = parser.parse_args()
    n_docs = args.docs or (5_000 if args.quick else 50_000)
    n_queries = args.queries or (200 if args.quick else 1_000)
    rounds = 3  # insert rounds; the side that goes first alternates
    docs = make_docs(n_docs)
    queries = [d.embedding or [] for d in make_docs(n_queries, seed=11)]

    with tempfile.TemporaryDirectory() as tmp:
        store = QdrantKnowledgeStore(path=f"{tmp}/store" if args.on_disk else ":memory:")
        client = QdrantClient(path=f"{tmp}/raw") if args.on_disk else QdrantClient(location=":memory:")
        store_ins: list[float] = []
        raw_ins: list[float] = []
        for r in range(rounds):
            store.create_collection(f"s{r}", DIM)
            if r % 2:
                raw_ins.append(timed(lambda r=r: raw_insert(client, f"r{r}", docs)))
                store_ins.append(timed(lambda r=r: store.insert(f"s{r}", docs)))
            else:
                store_ins.append(timed(lambda r=r: store.insert(f"s{r}", docs)))
                raw_ins.append(timed(lambda r=r: raw_insert(client, f"r{r}", docs)))
            if r:  # only round 0's collections are searched: free the others
                store.delete_collection(f"s{r}")
                client.delete_collection(f"r{r}")
        store_q: list[float] = []
        raw_q: list[float] = []
        for q in queries:
            store_q.append(timed(lambda q=q: store.search("s0", q, limit=10)))
            raw_q.append(timed(lambda q=q: raw_search(client, "r0", q, 10)))
        same = len(
            {h.id for h in store.search("s0", queries[0], limit=10)}
            & {h.id for h in raw_search(client, "r0", queries[0], 10)}
        )
        store.close()
        client.close()

    report("qdrant", n_docs, n_queries, store_ins, raw_ins, store_q, raw_q, same)


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
