#!/usr/bin/env python3
"""AsyncLightragKnowledgeStore against LightRAG's NanoVectorDBStorage used directly, in one run.

Both sides build an offline LightRAG instance (character tokenizer, stub LLM) in a temporary
working directory. The raw side is what a LightRAG user writes with precomputed vectors: a vector
storage whose embedding function returns the given vectors, one ``upsert`` of every document
(content kept as a meta field) plus ``index_done_callback()``, and ``query("", top_k=10,
query_embedding=q)``. The store also keeps hash, timestamp and the exact float64 embedding as
meta fields, records the ids, and builds documents (with embeddings) for the hits. Insert is timed once per side
per repetition; search latency is the median over the queries. Full size: 50,000 × 384-dim
documents, 1,000 searches; ``--quick``: 5,000 / 200.
"""

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


def _offline(workdir: str, workspace: str) -> dict[str, Any]:
    from lightrag.utils import EmbeddingFunc, Tokenizer

    class Chars:
        def encode(self, content: str) -> list[int]:
            return [ord(c) for c in content]

        def decode(self, tokens: list[int]) -> str:
            return "".join(chr(t) for t in tokens)

    async def unused(texts: list[str], **kwargs: Any) -> Any:
        raise RuntimeError("documents come embedded")

    async def no_llm(prompt: str, *args: Any, **kwargs: Any) -> str:
        return ""

    return {
        "working_dir": workdir,
        "workspace": workspace,
        "embedding_func": EmbeddingFunc(embedding_dim=DIM, func=unused),
        "llm_model_func": no_llm,
        "tokenizer": Tokenizer("chars", Chars()),
    }


class Raw:
    """NanoVectorDBStorage driven directly (on the bridge loop, like the sync store)."""

    def __init__(self) -> None:
        import tempfile
        import uuid

        from lightrag import LightRAG
        from lightrag.utils import EmbeddingFunc

        from praisonai_persist.bridge import run_sync

        self.run = run_sync
        self.tmp = tempfile.TemporaryDirectory()
        self.rag = LightRAG(**_offline(self.tmp.name, f"raw_{uuid.uuid4().hex[:8]}"))
        self.vectors: dict[str, list[float]] = {}

        async def given(texts: list[str], **kwargs: Any) -> Any:
            return np.array([self.vectors.pop(t) for t in texts])

        async def setup() -> Any:
            await self.rag.initialize_storages()
            vs = self.rag.vector_db_storage_cls(
                namespace="raw_docs",
                workspace=self.rag.workspace,
                embedding_func=EmbeddingFunc(embedding_dim=DIM, func=given),
                meta_fields={"content", "text", "metadata"},
            )
            await vs.initialize()
            vs.cosine_better_than_threshold = -2.0
            return vs

        self.vs = self.run(setup())

    def insert(self, docs: list[KnowledgeDocument]) -> None:
        async def work() -> None:
            for d in docs:
                self.vectors[d.id] = d.embedding or []
            await self.vs.upsert({d.id: {"content": d.id, "text": d.content, "metadata": d.metadata} for d in docs})
            await self.vs.index_done_callback()

        self.run(work())

    def search(self, query: list[float]) -> list[Any]:
        found: list[Any] = self.run(self.vs.query("", top_k=10, query_embedding=query))
        return found

    def close(self) -> None:
        self.run(self.rag.finalize_storages())
        self.tmp.cleanup()


def raw_ids(result: list[Any]) -> list[str]:
    return [r["id"] for r in sorted(result, key=lambda r: (-float(r["distance"]), r["id"]))]


class Store:
    """praisonai-persist's store doing the same (sync form, the async store on the bridge loop)."""

    def __init__(self) -> None:
        import tempfile
        import uuid

        from praisonai_persist_lightrag import LightragKnowledgeStore

        self.tmp = tempfile.TemporaryDirectory()
        options = _offline(self.tmp.name, f"store_{uuid.uuid4().hex[:8]}")
        self.store = LightragKnowledgeStore(path=options.pop("working_dir"), **options)
        self.store.create_collection("docs", DIM)

    def insert(self, docs: list[KnowledgeDocument]) -> None:
        self.store.insert("docs", docs)

    def search(self, query: list[float]) -> list[Any]:
        return self.store.search("docs", query, limit=10)

    def close(self) -> None:
        self.store.close()
        self.tmp.cleanup()


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
        assert check == raw_ids(sides["raw"].search(queries[0])), "store and raw disagree"
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
    print(f"lightrag (NanoVectorDB + JSON KV, offline), {n_docs} x {DIM}-dim docs, {n_queries} searches")
    print(f"{'measure':<8} {'unit':<24} {'store':>10} {'raw':>10} {'ratio':>7} {'target':>7}  verdict")
    for r in rows:
        print(
            f"{r['measure']:<8} {r['unit']:<24} {r['store']:>10.3f} {r['raw']:>10.3f} {r['ratio']:>7.3f} "
            f"{r['target']:>7.2f}  {r['verdict']}"
        )


if __name__ == "__main__":
    main()
