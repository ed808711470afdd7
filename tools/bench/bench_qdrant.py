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
import tempfile
import uuid
from typing import Any

from harness import add_size_args, insert_rounds, knowledge_report, paired, sizes, uniform_data
from qdrant_client import QdrantClient, models

from praisonai_persist import KnowledgeDocument
from praisonai_persist_qdrant import QdrantKnowledgeStore

DIM = 384


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_args(parser)
    parser.add_argument("--on-disk", action="store_true", help="local mode on disk instead of in memory")
    args = parser.parse_args()
    n_docs, n_queries = sizes(args)
    docs, queries = uniform_data(n_docs, n_queries, DIM)

    with tempfile.TemporaryDirectory() as tmp:
        store = QdrantKnowledgeStore(path=f"{tmp}/store" if args.on_disk else ":memory:")
        client = QdrantClient(path=f"{tmp}/raw") if args.on_disk else QdrantClient(location=":memory:")

        def cleanup(r: int) -> None:  # only round 0's collections are searched: free the others
            store.delete_collection(f"s{r}")
            client.delete_collection(f"r{r}")

        inserts = insert_rounds(
            lambda r: store.create_collection(f"s{r}", DIM),
            lambda r: store.insert(f"s{r}", docs),
            lambda r: raw_insert(client, f"r{r}", docs),
            cleanup,
        )
        searches = paired(lambda q: store.search("s0", q, limit=10), lambda q: raw_search(client, "r0", q, 10), queries)
        same = len(
            {h.id for h in store.search("s0", queries[0], limit=10)}
            & {h.id for h in raw_search(client, "r0", queries[0], 10)}
        )
        store.close()
        client.close()

    knowledge_report("qdrant", n_docs, n_queries, DIM, inserts, searches, same)


if __name__ == "__main__":
    main()
