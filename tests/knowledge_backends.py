"""How the cross-backend knowledge test builds each knowledge backend on its engine here.

One entry per backend, registered with ``@backend(name, exact=...)``: a function taking a scratch
directory and returning a context manager that yields an empty *sync* knowledge store (wrap an
async one with ``praisonai_persist.as_sync``) and cleans up on exit. ``exact=False`` marks an
engine that can only search approximately; the test then bounds recall instead of comparing
scores. A backend whose plugin is not installed, or whose engine is not running, is reported as
skipped (and fails with CI=true when the engine runs on this machine).

Each plugin's owner fills in its own entry below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["BACKENDS", "KnowledgeBackend", "backend"]

Factory = Callable[[Path], AbstractContextManager[Any]]


@dataclass(frozen=True)
class KnowledgeBackend:
    name: str
    factory: Factory
    #: True when the engine searches exactly (brute force or exact-search settings).
    exact: bool = True
    #: Engine name in tools/engines.d whose absence makes this backend skip (fail under CI=true).
    engine: str | None = None
    #: Python module whose absence means the plugin is not installed.
    module: str | None = None


BACKENDS: dict[str, KnowledgeBackend] = {}


def backend(
    name: str, *, exact: bool = True, engine: str | None = None, module: str | None = None
) -> Callable[[Factory], Factory]:
    """Register ``factory`` as the way to build backend ``name`` for the cross-backend test."""

    def register(factory: Factory) -> Factory:
        BACKENDS[name] = KnowledgeBackend(name, factory, exact, engine, module)
        return factory

    return register


@backend("memory", module="praisonai_persist")
@contextmanager
def _memory(tmp: Path) -> Iterator[Any]:
    from praisonai_persist import create_knowledge_store

    store = create_knowledge_store("memory")
    try:
        yield store
    finally:
        store.close()


# --- lancedb ---------------------------------------------------------------------------------------
# --- chroma ----------------------------------------------------------------------------------------
# --- qdrant ----------------------------------------------------------------------------------------
# --- milvus ----------------------------------------------------------------------------------------
# --- pgvector --------------------------------------------------------------------------------------
# --- clickhouse ------------------------------------------------------------------------------------
# --- surrealdb -------------------------------------------------------------------------------------
# --- langchain -------------------------------------------------------------------------------------
# --- llamaindex ------------------------------------------------------------------------------------
# --- lightrag --------------------------------------------------------------------------------------
# --- redis -----------------------------------------------------------------------------------------
