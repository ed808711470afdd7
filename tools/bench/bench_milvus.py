#!/usr/bin/env python3
"""MilvusKnowledgeStore against hand-written pymilvus code doing the same work, in one run.

Both sides use one Milvus Lite file (the real Milvus core), collections of the same schema with a
FLAT (exact) COSINE index, insert the same documents in batches of 1,000 rows and run the same
top-10 searches returning every field. The store also checks that inserted ids are new (Milvus
does not enforce unique primary keys); that query is part of its time. Targets: insert ≤ 1.2×,
search ≤ 1.15× raw. ``--url`` points both sides at a Milvus server instead.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import uuid
import warnings
from pathlib import Path
from typing import Any

warnings.filterwarnings("ignore", category=UserWarning)  # milvus-lite's pkg_resources notice
logging.getLogger("pymilvus").setLevel(logging.CRITICAL)

from harness import Row, add_size_args, normal_data, paired, print_rows, sizes, time_once  # noqa: E402
from pymilvus import DataType, MilvusClient  # noqa: E402

from praisonai_persist.models import KnowledgeDocument  # noqa: E402
from praisonai_persist_milvus import MilvusKnowledgeStore  # noqa: E402

BATCH = 1000
FIELDS = ["id", "content", "embedding", "metadata", "content_hash", "created_at", "has_metadata"]


def raw_collection(client: MilvusClient, name: str, dim: int) -> None:
    schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("id", DataType.VARCHAR, is_primary=True, max_length=512)
    schema.add_field("embedding", DataType.FLOAT_VECTOR, dim=dim)
    schema.add_field("content", DataType.VARCHAR, max_length=65535)
    schema.add_field("metadata", DataType.JSON)
    schema.add_field("has_metadata", DataType.BOOL)
    schema.add_field("content_hash", DataType.VARCHAR, max_length=128)
    schema.add_field("created_at", DataType.DOUBLE)
    index = client.prepare_index_params()
    index.add_index(field_name="embedding", index_type="FLAT", metric_type="COSINE")
    client.create_collection(name, schema=schema, index_params=index, consistency_level="Strong")


def raw_insert(client: MilvusClient, name: str, docs: list[KnowledgeDocument]) -> None:
    rows = [
        {
            "id": d.id,
            "embedding": d.embedding,
            "content": d.content,
            "metadata": d.metadata,
            "has_metadata": True,
            "content_hash": d.content_hash,
            "created_at": d.created_at,
        }
        for d in docs
    ]
    for start in range(0, len(rows), BATCH):
        client.insert(name, rows[start : start + BATCH])


def raw_search(client: MilvusClient, name: str, query: list[float]) -> list[Any]:
    result = client.search(name, data=[query], limit=10, output_fields=FIELDS, search_params={"metric_type": "COSINE"})
    return [(hit["id"], hit["distance"]) for hit in result[0]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_size_args(parser)
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--url", default=None, help="a Milvus server URI (default: a Milvus Lite file)")
    args = parser.parse_args()
    n_docs, n_queries = sizes(args)
    docs, queries = normal_data(n_docs, n_queries, args.dim)
    with tempfile.TemporaryDirectory(prefix="bench-milvus-") as tmp:
        uri = args.url or str(Path(tmp) / "bench.db")
        prefix = f"b{uuid.uuid4().hex[:8]}_"
        store = MilvusKnowledgeStore(uri, collection_prefix=prefix)
        client = MilvusClient(uri.replace("milvus://", "http://", 1))
        raw_name = f"{prefix}raw"
        try:
            store.create_collection("docs", args.dim)
            raw_collection(client, raw_name, args.dim)
            raw_ins = time_once(lambda: raw_insert(client, raw_name, docs))
            store_ins = time_once(lambda: store.insert("docs", docs))
            store_times, raw_times = paired(
                lambda q: store.search("docs", q, limit=10),
                lambda q: raw_search(client, raw_name, q),
                queries,
                raw_first=True,
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
            print(
                f"milvus benchmark: {n_docs:,} docs, {n_queries} queries, dim {args.dim} ({'server' if args.url else 'Milvus Lite'}, FLAT)"
            )
            print_rows(rows, width=36, raw_first=True, unit=" s", digits=4)
        finally:
            store.delete_collection("docs")
            client.drop_collection(raw_name)
            store.close()
            client.close()


if __name__ == "__main__":
    main()
