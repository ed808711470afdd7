#!/usr/bin/env python3
"""LangchainKnowledgeStore against langchain-core's InMemoryVectorStore used directly, in one run.

The raw side is what a LangChain user writes with precomputed vectors: an ``Embeddings`` that
returns the given vectors, ``add_documents(docs, ids=...)`` in one call, and
``similarity_search_with_score_by_vector(q, k=10)``. The store does the same through the adapter
(existence check for insert, dimension checks, metadata copies). Insert is timed once per side
per repetition; search latency is the median over the queries. Full size: 50,000 × 384-dim
documents, 1,000 searches; ``--quick``: 5,000 / 200.
"""

from __future__ import annotations

from typing import Any

from harness import StoreSide, sides_main

from praisonai_persist.models import KnowledgeDocument

DIM = 384


class _Given:
    """An Embeddings returning the vectors it was handed (what a user with precomputed vectors writes)."""

    def __init__(self) -> None:
        from langchain_core.embeddings import Embeddings

        class Given(Embeddings):
            vectors: list[list[float]] = []

            def embed_documents(self, texts: list[str]) -> list[list[float]]:
                return self.vectors

            def embed_query(self, text: str) -> list[float]:
                raise NotImplementedError

        self.embeddings = Given()


class Raw:
    """InMemoryVectorStore driven directly."""

    def __init__(self) -> None:
        from langchain_core.vectorstores import InMemoryVectorStore

        self.given = _Given().embeddings
        self.vs = InMemoryVectorStore(self.given)

    def insert(self, docs: list[KnowledgeDocument]) -> None:
        from langchain_core.documents import Document

        self.given.vectors = [d.embedding or [] for d in docs]
        self.vs.add_documents(
            [Document(id=d.id, page_content=d.content, metadata=d.metadata) for d in docs], ids=[d.id for d in docs]
        )

    def search(self, query: list[float]) -> list[Any]:
        return self.vs.similarity_search_with_score_by_vector(query, k=10)

    def close(self) -> None:
        """Nothing to release."""


def raw_ids(result: list[Any]) -> list[str]:
    return [doc.id for doc, _ in result]


def store_side() -> StoreSide:
    """praisonai-persist's adapter doing the same."""
    from praisonai_persist_langchain import LangchainKnowledgeStore

    return StoreSide(LangchainKnowledgeStore(), DIM)


def main() -> None:
    sides_main("langchain (InMemoryVectorStore)", store_side, Raw, raw_ids, __doc__.splitlines()[0], DIM)


if __name__ == "__main__":
    main()
