"""The langchain knowledge store: KnowledgeStore on top of `langchain_core`.

TODO: implement every method; the testkit's conformance suite (tests/) says what each must do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from praisonai_persist import BackendNotInstalledError, KnowledgeDocument, KnowledgeStore

__all__ = ["LangchainKnowledgeStore"]

DISTRIBUTION = "praisonai-persist-langchain"


def _client() -> Any:
    """Import the client library on first use; a missing one is reported with the install line."""
    try:
        import langchain_core as client
    except ImportError as exc:
        raise BackendNotInstalledError(
            "knowledge",
            "langchain",
            DISTRIBUTION,
            missing_module="langchain_core",
            detail=str(exc),
        ) from exc
    return client


class LangchainKnowledgeStore(KnowledgeStore):
    """KnowledgeStore backed by Langchain.

    The registry creates it as ``LangchainKnowledgeStore(url=..., **options)``; the plugin's README lists
    the options.
    """

    backend_name = "langchain"

    def __init__(self, url: str | None = None, *, path: str | None = None, **options: Any) -> None:
        self.url = url if url is not None else path
        self.options = options
        self._client = _client()

    def create_collection(
        self, name: str, dimension: int, distance: str = "cosine", metadata: dict[str, Any] | None = None
    ) -> None:
        raise NotImplementedError("LangchainKnowledgeStore.create_collection")

    def delete_collection(self, name: str) -> bool:
        raise NotImplementedError("LangchainKnowledgeStore.delete_collection")

    def collection_exists(self, name: str) -> bool:
        raise NotImplementedError("LangchainKnowledgeStore.collection_exists")

    def list_collections(self) -> list[str]:
        raise NotImplementedError("LangchainKnowledgeStore.list_collections")

    def insert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        raise NotImplementedError("LangchainKnowledgeStore.insert")

    def upsert(self, collection: str, documents: Sequence[KnowledgeDocument]) -> list[str]:
        raise NotImplementedError("LangchainKnowledgeStore.upsert")

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
        raise NotImplementedError("LangchainKnowledgeStore.search")

    def get(self, collection: str, ids: Sequence[str]) -> list[KnowledgeDocument]:
        raise NotImplementedError("LangchainKnowledgeStore.get")

    def delete(self, collection: str, ids: Sequence[str] | None = None, filters: dict[str, Any] | None = None) -> int:
        raise NotImplementedError("LangchainKnowledgeStore.delete")

    def count(self, collection: str) -> int:
        raise NotImplementedError("LangchainKnowledgeStore.count")

    def close(self) -> None:
        """Release connections and files (TODO); the fixture calls it after every test."""
