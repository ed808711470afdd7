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
import tempfile
from typing import Any

import lancedb
import pyarrow as pa
from harness import add_size_args, insert_rounds, knowledge_report, paired, sizes, uniform_data

from praisonai_persist import KnowledgeDocument
from praisonai_persist_lancedb import LancedbKnowledgeStore

DIM = 384


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_args(parser)
    args = parser.parse_args()
    n_docs, n_queries = sizes(args)
    docs, queries = uniform_data(n_docs, n_queries, DIM)

    with tempfile.TemporaryDirectory() as tmp:
        store = LancedbKnowledgeStore(path=f"{tmp}/store")
        db = lancedb.connect(f"{tmp}/raw")

        def cleanup(r: int) -> None:  # only round 0's collections are searched: free the others
            store.delete_collection(f"s{r}")
            db.drop_table(f"r{r}")

        inserts = insert_rounds(
            lambda r: store.create_collection(f"s{r}", DIM),
            lambda r: store.insert(f"s{r}", docs),
            lambda r: raw_insert(db, f"r{r}", docs),
            cleanup,
        )
        table = db.open_table("r0")
        searches = paired(lambda q: store.search("s0", q, limit=10), lambda q: raw_search(table, q, 10), queries)
        same = len(
            {h.id for h in store.search("s0", queries[0], limit=10)} & {h.id for h in raw_search(table, queries[0], 10)}
        )
        store.close()

    knowledge_report("lancedb", n_docs, n_queries, DIM, inserts, searches, same)


if __name__ == "__main__":
    main()
