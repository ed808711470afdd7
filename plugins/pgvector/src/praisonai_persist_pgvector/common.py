"""What the sync and async pgvector stores share: options, imports, validation of inputs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from praisonai_persist.errors import BackendNotInstalledError, DimensionMismatchError, DocumentExistsError
from praisonai_persist.identifiers import validate_dimension, validate_identifier
from praisonai_persist.models import KnowledgeDocument
from praisonai_persist.urls import redact

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_TABLE_PREFIX",
    "DISTRIBUTION",
    "check_index",
    "chunks",
    "client_modules",
    "duplicate_ids",
    "prepared",
    "safe_message",
]

DISTRIBUTION = "praisonai-persist-pgvector"
DEFAULT_TABLE_PREFIX = "praison_vec_"
DEFAULT_BATCH_SIZE = 1000
_INDEXES = (None, "none", "hnsw")


def client_modules() -> tuple[Any, Any, Any]:
    """``(psycopg, pgvector.psycopg, numpy)``, imported on first use with the install line when missing."""
    try:
        import numpy
        import pgvector.psycopg
        import psycopg
    except ImportError as exc:
        raise BackendNotInstalledError(
            "knowledge", "pgvector", DISTRIBUTION, missing_module=exc.name or "psycopg", detail=str(exc)
        ) from exc
    return psycopg, pgvector.psycopg, numpy


def check_index(index: str | None) -> str | None:
    if index not in _INDEXES:
        raise ValueError(f"index must be None (exact search) or 'hnsw', got {index!r}.")
    return None if index in (None, "none") else index


def prepared(
    collection: str, dimension: int, documents: Sequence[KnowledgeDocument], numpy: Any
) -> list[tuple[KnowledgeDocument, Any]]:
    """Each document with its embedding as a float32 array; every one is checked before any is written."""
    out = []
    for doc in documents:
        if doc.embedding is None:
            raise ValueError(f"Document {doc.id!r} has no embedding; embed it before adding it to {collection!r}.")
        if len(doc.embedding) != dimension:
            raise DimensionMismatchError(collection, dimension, len(doc.embedding))
        out.append((doc, numpy.asarray(doc.embedding, dtype=numpy.float32)))
    return out


def duplicate_ids(collection: str, docs: Sequence[tuple[KnowledgeDocument, Any]]) -> None:
    """Refuse an insert batch that repeats an id (the database would report only the first)."""
    seen: set[str] = set()
    repeated = [d.id for d, _ in docs if d.id in seen or seen.add(d.id)]  # type: ignore[func-returns-value]
    if repeated:
        raise DocumentExistsError(collection, list(dict.fromkeys(repeated)))


def chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def check_collection(name: str, dimension: int) -> int:
    validate_identifier(name, "collection name")
    return validate_dimension(dimension)


def safe_message(exc: BaseException, url: str | None) -> str:
    """The error text with the URL's secrets removed."""
    return redact(str(exc), url)
