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
import tempfile
from typing import Any

import chromadb
from chromadb.config import Settings
from harness import add_size_args, insert_rounds, knowledge_report, paired, sizes, uniform_data

from praisonai_persist import KnowledgeDocument
from praisonai_persist_chroma import ChromaKnowledgeStore

DIM = 384


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_args(parser)
    args = parser.parse_args()
    n_docs, n_queries = sizes(args)
    docs, queries = uniform_data(n_docs, n_queries, DIM)

    with tempfile.TemporaryDirectory() as tmp:
        store = ChromaKnowledgeStore(path=f"{tmp}/store")
        client = chromadb.PersistentClient(path=f"{tmp}/raw", settings=Settings(anonymized_telemetry=False))

        def cleanup(r: int) -> None:  # only round 0's collections are searched: free the others
            store.delete_collection(f"store{r}")
            client.delete_collection(f"raw{r}")

        inserts = insert_rounds(
            lambda r: store.create_collection(f"store{r}", DIM),
            lambda r: store.insert(f"store{r}", docs),
            lambda r: raw_insert(client, f"raw{r}", docs),
            cleanup,
        )
        table = client.get_collection("raw0", embedding_function=None)
        searches = paired(lambda q: store.search("store0", q, limit=10), lambda q: raw_search(table, q, 10), queries)
        same = len(
            {h.id for h in store.search("store0", queries[0], limit=10)}
            & {h.id for h in raw_search(table, queries[0], 10)}
        )
        store.close()
        client.close()

    knowledge_report("chroma", n_docs, n_queries, DIM, inserts, searches, same)


if __name__ == "__main__":
    main()
