#!/usr/bin/env python3
"""ChromaKnowledgeStore against the raw ``chromadb`` client doing the same work, in one run.

The embedded engine (PersistentClient in a temporary directory), telemetry off, no embedding
function. Insert: N documents of 384 dimensions (content, metadata, hash, time) into an empty
cosine collection; the raw side calls ``collection.add`` in chunks of the client's maximum batch
size with the metadata flat plus hash and time, as a hand-written client would. Search: top-10
queries with documents, metadatas, embeddings and distances, decoded into the same
``KnowledgeDocument``. Store and raw runs alternate; medians.
Targets: search <= 1.15 x raw, insert <= 1.2 x raw.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

import chromadb
from chromadb.config import Settings

from praisonai_persist import KnowledgeDocument
from praisonai_persist_chroma import ChromaKnowledgeStore

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


def raw_insert(client: Any, name: str, docs: list[KnowledgeDocument]) -> None:
    coll = client.create_collection(name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None)
    batch = client.get_max_batch_size()
    for start in range(0, len(docs), batch):
        part = docs[start : start + batch]
        coll.add(
            ids=[d.id for d in part],
            embeddings=[d.embedding or [] for d in part],
            documents=[d.content for d in part],
            metadatas=[
                {**(d.metadata or {}), "content_hash": d.content_hash or "", "created_at": d.created_at} for d in part
            ],
        )


def raw_search(coll: Any, query: list[float], k: int) -> list[KnowledgeDocument]:
    r = coll.query(query_embeddings=[query], n_results=k, include=["embeddings", "documents", "metadatas", "distances"])
    out = []
    for i, doc_id in enumerate(r["ids"][0]):
        meta = dict(r["metadatas"][0][i])
        out.append(
            KnowledgeDocument(
                id=doc_id,
                content=r["documents"][0][i],
                embedding=[float(x) for x in r["embeddings"][0][i]],
                content_hash=meta.pop("content_hash"),
                created_at=meta.pop("created_at"),
                metadata=meta,
                score=1.0 - r["distances"][0][i],
            )
        )
    return out


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
        store = ChromaKnowledgeStore(path=f"{tmp}/store")
        client = chromadb.PersistentClient(path=f"{tmp}/raw", settings=Settings(anonymized_telemetry=False))
        store_ins: list[float] = []
        raw_ins: list[float] = []
        for r in range(rounds):
            store.create_collection(f"store{r}", DIM)
            if r % 2:
                raw_ins.append(timed(lambda r=r: raw_insert(client, f"raw{r}", docs)))
                store_ins.append(timed(lambda r=r: store.insert(f"store{r}", docs)))
            else:
                store_ins.append(timed(lambda r=r: store.insert(f"store{r}", docs)))
                raw_ins.append(timed(lambda r=r: raw_insert(client, f"raw{r}", docs)))
            if r:  # only round 0's collections are searched: free the others
                store.delete_collection(f"store{r}")
                client.delete_collection(f"raw{r}")
        table = client.get_collection("raw0", embedding_function=None)
        store_q: list[float] = []
        raw_q: list[float] = []
        for q in queries:
            store_q.append(timed(lambda q=q: store.search("store0", q, limit=10)))
            raw_q.append(timed(lambda q=q: raw_search(table, q, 10)))
        same = len(
            {h.id for h in store.search("store0", queries[0], limit=10)}
            & {h.id for h in raw_search(table, queries[0], 10)}
        )
        store.close()
        client.close()

    report("chroma", n_docs, n_queries, store_ins, raw_ins, store_q, raw_q, same)


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
