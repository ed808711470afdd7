#!/usr/bin/env python3
"""SurrealKnowledgeStore against the raw surrealdb SDK doing the same work, in one run.

Both sides use the embedded engine (``mem://``, one engine each) and the same table layout. The
raw side is what a careful SDK user writes: ``INSERT INTO t $rows RETURN NONE`` in chunks of
1,000 rows (id, content, embedding, metadata) and an exact top-10 search
``SELECT ..., vector::similarity::cosine(embedding, $q) AS score ... ORDER BY score DESC LIMIT 10``.
Insert is timed once per side per repetition; search latency is the median over the queries.
Full size: 50,000 × 384-dim documents, 1,000 searches; ``--quick``: 5,000 / 200.
"""

# ruff: noqa: S608  -- the only interpolated names are the fixed table names of this script

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from praisonai_persist.models import KnowledgeDocument

DIM = 384
CHUNK = 1000
TARGETS = {"insert": 1.2, "search": 1.15}


def make_data(n_docs: int, n_queries: int) -> tuple[list[KnowledgeDocument], list[list[float]]]:
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((n_docs + n_queries, DIM))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    docs = [
        KnowledgeDocument(
            id=f"d{i}", content=f"document {i}", embedding=vectors[i].tolist(), metadata={"group": i % 7, "rank": i}
        )
        for i in range(n_docs)
    ]
    return docs, [v.tolist() for v in vectors[n_docs:]]


class Raw:
    """The hand-written SDK client."""

    def __init__(self) -> None:
        from surrealdb import Surreal

        self.db: Any = Surreal("mem://")
        self.db.use("bench", "raw")
        self.db.query("DEFINE TABLE docs SCHEMALESS")

    def insert(self, docs: list[KnowledgeDocument]) -> None:
        rows = [{"id": d.id, "content": d.content, "embedding": d.embedding, "metadata": d.metadata} for d in docs]
        for start in range(0, len(rows), CHUNK):
            self.db.query("INSERT INTO docs $rows RETURN NONE", {"rows": rows[start : start + CHUNK]})

    def search(self, query: list[float]) -> list[Any]:
        return self.db.query(  # type: ignore[no-any-return]
            "SELECT record::id(id) AS doc_id, content, embedding, metadata, "
            "vector::similarity::cosine(embedding, $q) AS score FROM docs ORDER BY score DESC, doc_id ASC LIMIT 10",
            {"q": query},
        )

    def close(self) -> None:
        self.db.close()


class Store:
    """praisonai-persist's store doing the same."""

    def __init__(self) -> None:
        from praisonai_persist_surrealdb import SurrealKnowledgeStore

        self.store = SurrealKnowledgeStore("mem://", namespace="bench", database="store")
        self.store.create_collection("docs", DIM)

    def insert(self, docs: list[KnowledgeDocument]) -> None:
        self.store.insert("docs", docs)

    def search(self, query: list[float]) -> list[Any]:
        return self.store.search("docs", query, limit=10)

    def close(self) -> None:
        self.store.close()


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(n_docs: int, n_queries: int, repeat: int) -> list[dict[str, Any]]:
    docs, queries = make_data(n_docs, n_queries)
    inserts: dict[str, list[float]] = {"store": [], "raw": []}
    searches: dict[str, list[float]] = {"store": [], "raw": []}
    for round_ in range(repeat):
        sides: dict[str, Any] = {"store": Store(), "raw": Raw()}
        order = list(sides) if round_ % 2 == 0 else list(sides)[::-1]  # alternate who goes first
        for name in order:
            gc.collect()
            inserts[name].append(timed(partial(sides[name].insert, docs)))
        for query in queries:  # alternate per query so load spikes hit both sides alike
            for name, side in sides.items():
                searches[name].append(timed(partial(side.search, query)))
        check = [h.id for h in sides["store"].search(queries[0])]
        assert check == [r["doc_id"] for r in sides["raw"].search(queries[0])], "store and raw disagree"
        for side in sides.values():
            side.close()
    rows = []
    for what, data, unit in (("insert", inserts, f"s per {n_docs} docs"), ("search", searches, "ms per top-10")):
        scale = 1000.0 if what == "search" else 1.0
        store, raw = statistics.median(data["store"]) * scale, statistics.median(data["raw"]) * scale
        ratio = store / raw
        rows.append(
            {
                "measure": what,
                "unit": unit,
                "store": store,
                "raw": raw,
                "ratio": ratio,
                "target": TARGETS[what],
                "verdict": "PASS" if ratio <= TARGETS[what] else "FAIL",
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 documents and 200 searches")
    parser.add_argument("--docs", type=int, default=None)
    parser.add_argument("--queries", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=None, help="repetitions (default 5 quick, 1 full)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    n_docs = args.docs or (5_000 if args.quick else 50_000)
    n_queries = args.queries or (200 if args.quick else 1_000)
    rows = run(n_docs, n_queries, args.repeat or (5 if args.quick else 1))
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"surrealdb_vector (embedded mem://), {n_docs} x {DIM}-dim docs, {n_queries} searches")
    print(f"{'measure':<8} {'unit':<24} {'store':>10} {'raw':>10} {'ratio':>7} {'target':>7}  verdict")
    for r in rows:
        print(
            f"{r['measure']:<8} {r['unit']:<24} {r['store']:>10.3f} {r['raw']:>10.3f} {r['ratio']:>7.3f} "
            f"{r['target']:>7.2f}  {r['verdict']}"
        )


if __name__ == "__main__":
    main()
