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

from typing import Any

import numpy as np
from harness import StoreSide, sides_main

from praisonai_persist.models import KnowledgeDocument

DIM = 384


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


def store_side() -> StoreSide:
    """praisonai-persist's store doing the same (sync form, the async store on the bridge loop)."""
    import tempfile
    import uuid

    from praisonai_persist_lightrag import LightragKnowledgeStore

    tmp = tempfile.TemporaryDirectory()
    options = _offline(tmp.name, f"store_{uuid.uuid4().hex[:8]}")
    return StoreSide(LightragKnowledgeStore(path=options.pop("working_dir"), **options), DIM, tmp.cleanup)


def main() -> None:
    sides_main("lightrag (NanoVectorDB + JSON KV, offline)", store_side, Raw, raw_ids, __doc__.splitlines()[0], DIM)


if __name__ == "__main__":
    main()
