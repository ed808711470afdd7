"""The lancedb knowledge store: KnowledgeStore on top of `lancedb`.

TODO: implement every method; the testkit's conformance suite (tests/) says what each must do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from praisonai_persist import BackendNotInstalledError, KnowledgeDocument, KnowledgeStore

__all__ = ["LancedbKnowledgeStore"]

DISTRIBUTION = "praisonai-persist-lancedb"


def _client() -> Any:
    """Import the client library on first use; a missing one is reported with the install line."""
    try:
        import lancedb as client
    except ImportError as exc:
        raise BackendNotInstalledError(
            "knowledge",
            "lancedb",
            DISTRIBUTION,
            missing_module="lancedb",
            detail=str(exc),
        ) from exc
    return client


class LancedbKnowledgeStore(KnowledgeStore):
    """KnowledgeStore backed by Lancedb.

    The registry creates it as ``LancedbKnowledgeStore(url=..., **options)``; the plugin's README lists
    the options.
    """

    backend_name = "lancedb"

    def __init__(self, url: str | None = None, *, path: str | None = None, **options: Any) -> None:
        self.url = url if url is not None else path
        self.options = options
        self._client = _client()

    def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        raise NotImplementedError("LancedbKnowledgeStore.create_collection")

    def delete_collection(self, name: str) -> bool:
        raise NotImplementedError("LancedbKnowledgeStore.delete_collection")

    def collection_exists(self, name: str) -> bool:
        raise NotImplementedError("LancedbKnowledgeStore.collection_exists")

    def list_collections(self) -> list[str]:
        raise NotImplementedError("LancedbKnowledgeStore.list_collections")

    def insert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        raise NotImplementedError("LancedbKnowledgeStore.insert")

    def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        raise NotImplementedError("LancedbKnowledgeStore.upsert")

    def search(
        self,
        collection: str,
        query_embedding: Sequence[float],
        limit: int = 5,
        filters: dict[str, Any] | None = None,
        score_threshold: float | None = None,
    ) -> list[KnowledgeDocument]:
        # Translate filters with praisonai_persist.filters.parse_filter; raise
        # UnsupportedFilterError for what the engine cannot express, never drop a filter.
        raise NotImplementedError("LancedbKnowledgeStore.search")

    def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        raise NotImplementedError("LancedbKnowledgeStore.get")

    def delete(self, collection: str, ids: Sequence[str] | None = None, filters: dict[str, Any] | None = None) -> int:
        raise NotImplementedError("LancedbKnowledgeStore.delete")

    def count(self, collection: str) -> int:
        raise NotImplementedError("LancedbKnowledgeStore.count")

    def close(self) -> None:
        """Release connections and files (TODO); the fixture calls it after every test."""
