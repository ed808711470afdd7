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

from typing import Any

from harness import StoreSide, sides_main

from praisonai_persist.models import KnowledgeDocument

DIM = 384
CHUNK = 1000


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


def store_side() -> StoreSide:
    """praisonai-persist's store doing the same."""
    from praisonai_persist_surrealdb import SurrealKnowledgeStore

    return StoreSide(SurrealKnowledgeStore("mem://", namespace="bench", database="store"), DIM)


def raw_ids(result: list[Any]) -> list[str]:
    return [r["doc_id"] for r in result]


def main() -> None:
    sides_main("surrealdb_vector (embedded mem://)", store_side, Raw, raw_ids, __doc__.splitlines()[0], DIM)


if __name__ == "__main__":
    main()
