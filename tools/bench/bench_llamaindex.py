#!/usr/bin/env python3
"""LlamaindexKnowledgeStore against llama-index-core's SimpleVectorStore used directly, in one run.

The raw side is what a LlamaIndex user writes with precomputed vectors: ``TextNode``s with
``embedding=`` added in one ``add`` call, and ``query(VectorStoreQuery(query_embedding=q,
similarity_top_k=10))``. SimpleVectorStore keeps no text, so the raw side stores the text in the
node metadata as a user who needs it back must; its search returns ids and scores, the adapter's
builds documents. Insert is timed once per side per repetition; search
latency is the median over the queries. Full size: 50,000 × 384-dim documents, 1,000 searches;
``--quick``: 5,000 / 200.
"""

from __future__ import annotations

from typing import Any

from harness import StoreSide, sides_main

from praisonai_persist.models import KnowledgeDocument

DIM = 384


class Raw:
    """SimpleVectorStore driven directly."""

    def __init__(self) -> None:
        from llama_index.core.vector_stores import SimpleVectorStore

        self.vs = SimpleVectorStore()

    def insert(self, docs: list[KnowledgeDocument]) -> None:
        from llama_index.core.schema import TextNode

        # SimpleVectorStore keeps no text: a user who needs it back stores it in the metadata too.
        self.vs.add(
            [
                TextNode(
                    id_=d.id, text=d.content, embedding=d.embedding, metadata={**(d.metadata or {}), "text": d.content}
                )
                for d in docs
            ]
        )

    def search(self, query: list[float]) -> Any:
        from llama_index.core.vector_stores.types import VectorStoreQuery

        return self.vs.query(VectorStoreQuery(query_embedding=query, similarity_top_k=10))

    def close(self) -> None:
        """Nothing to release."""


def raw_ids(result: Any) -> list[str]:
    return list(result.ids)


def store_side() -> StoreSide:
    """praisonai-persist's adapter doing the same."""
    from praisonai_persist_llamaindex import LlamaindexKnowledgeStore

    return StoreSide(LlamaindexKnowledgeStore(), DIM)


def main() -> None:
    sides_main("llamaindex (SimpleVectorStore)", store_side, Raw, raw_ids, __doc__.splitlines()[0], DIM)


if __name__ == "__main__":
    main()
