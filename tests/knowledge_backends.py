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


@contextmanager
def emptied(store: Any) -> Iterator[Any]:
    """Yield ``store``; afterwards delete every collection it holds and close it."""
    try:
        yield store
    finally:
        for name in store.list_collections():
            store.delete_collection(name)
        store.close()


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
@backend("lancedb", module="praisonai_persist_lancedb")
def _lancedb(tmp: Path) -> AbstractContextManager[Any]:
    """Embedded LanceDB on a directory; exact: no vector index, so every search is a flat scan."""
    from praisonai_persist_lancedb import LancedbKnowledgeStore

    store = LancedbKnowledgeStore(path=str(tmp / "lancedb"))
    return emptied(store)


# --- chroma ----------------------------------------------------------------------------------------
# Chroma searches with HNSW only (no exact mode), so it is registered as approximate.
@backend("chroma", exact=False, module="praisonai_persist_chroma")
def _chroma(tmp: Path) -> AbstractContextManager[Any]:
    """Embedded Chroma (PersistentClient on a directory); approximate: HNSW."""
    from praisonai_persist_chroma import ChromaKnowledgeStore

    store = ChromaKnowledgeStore(path=str(tmp / "chroma"))
    return emptied(store)


# --- qdrant ----------------------------------------------------------------------------------------
@backend("qdrant", module="praisonai_persist_qdrant")
def _qdrant(tmp: Path) -> AbstractContextManager[Any]:
    """qdrant-client local mode on a directory; exact: local mode scores every point."""
    from praisonai_persist_qdrant import QdrantKnowledgeStore

    store = QdrantKnowledgeStore(path=str(tmp / "qdrant"))
    return emptied(store)


# --- milvus ----------------------------------------------------------------------------------------
@backend("milvus", module="praisonai_persist_milvus")
def _milvus(tmp: Path) -> AbstractContextManager[Any]:
    """Milvus Lite 2.5 (the Milvus core) on a file; exact: the store's default FLAT index is brute force."""
    from praisonai_persist_milvus import MilvusKnowledgeStore

    store = MilvusKnowledgeStore(str(tmp / "milvus.db"))
    return emptied(store)


# --- pgvector --------------------------------------------------------------------------------------
@backend("pgvector", engine="pgvector", module="praisonai_persist_pgvector")
@contextmanager
def _pgvector(tmp: Path) -> Iterator[Any]:
    """PostgreSQL 16 + pgvector (tools/engines.sh up pgvector) in a schema of its own; exact: no index."""
    from praisonai_persist_pgvector import PgvectorKnowledgeStore
    from praisonai_persist_testkit.engines import engine_port
    from praisonai_persist_testkit.servers import postgres_schema

    url = f"postgresql://postgres@127.0.0.1:{engine_port('pgvector')}/postgres"
    with postgres_schema(url, "x") as schema:
        store = PgvectorKnowledgeStore(url, schema=schema)
        try:
            yield store
        finally:
            store.close()


# --- clickhouse ------------------------------------------------------------------------------------
@backend("clickhouse", module="praisonai_persist_clickhouse")
def _clickhouse(tmp: Path) -> AbstractContextManager[Any]:
    """chDB (ClickHouse in-process) on a directory; exact: cosineDistance over every row."""
    from praisonai_persist_clickhouse import ClickhouseKnowledgeStore

    store = ClickhouseKnowledgeStore(f"chdb://{tmp / 'chdb'}", database="cross_backend")
    return emptied(store)


# --- surrealdb -------------------------------------------------------------------------------------
@backend("surrealdb_vector", module="praisonai_persist_surrealdb")
def _surrealdb_vector(tmp: Path) -> AbstractContextManager[Any]:
    """Embedded SurrealDB (surrealkv file); exact: brute force with vector::similarity::cosine."""
    from praisonai_persist_surrealdb import SurrealKnowledgeStore

    store = SurrealKnowledgeStore(f"surrealkv://{tmp / 'surreal'}")
    return emptied(store)


# --- langchain -------------------------------------------------------------------------------------
@backend("langchain", module="praisonai_persist_langchain")
def _langchain(tmp: Path) -> AbstractContextManager[Any]:
    """langchain-core InMemoryVectorStore; exact: it scores every document (cosine)."""
    from praisonai_persist_langchain import LangchainKnowledgeStore

    store = LangchainKnowledgeStore()
    return emptied(store)


# --- llamaindex ------------------------------------------------------------------------------------
@backend("llamaindex", module="praisonai_persist_llamaindex")
def _llamaindex(tmp: Path) -> AbstractContextManager[Any]:
    """llama-index-core SimpleVectorStore; exact: it scores every node (cosine)."""
    from praisonai_persist_llamaindex import LlamaindexKnowledgeStore

    store = LlamaindexKnowledgeStore()
    return emptied(store)


# --- lightrag --------------------------------------------------------------------------------------
@backend("lightrag", module="praisonai_persist_lightrag")
def _lightrag(tmp: Path) -> AbstractContextManager[Any]:
    """LightRAG's default storages (NanoVectorDB, brute-force cosine), built offline; exact."""
    import uuid

    from lightrag.utils import EmbeddingFunc, Tokenizer

    from praisonai_persist_lightrag import LightragKnowledgeStore

    class _Chars:
        def encode(self, content: str) -> list[int]:
            return [ord(c) for c in content]

        def decode(self, tokens: list[int]) -> str:
            return "".join(chr(t) for t in tokens)

    async def _unused(texts: list[str], **kwargs: Any) -> Any:
        raise RuntimeError("documents come embedded")

    async def _no_llm(prompt: str, *args: Any, **kwargs: Any) -> str:
        return ""

    store = LightragKnowledgeStore(
        path=str(tmp / "lightrag"),
        workspace=f"xb_{uuid.uuid4().hex[:12]}",
        embedding_func=EmbeddingFunc(embedding_dim=64, func=_unused),
        llm_model_func=_no_llm,
        tokenizer=Tokenizer("chars", _Chars()),
    )
    return emptied(store)


# --- redis -----------------------------------------------------------------------------------------
def _redis_knowledge(engine: str) -> Factory:
    """Redis 8 (tools/engines.d/redis8.sh) on one engine; exact settings: VSIM TRUTH, FT FLAT index."""

    @contextmanager
    def factory(tmp: Path) -> Iterator[Any]:
        import uuid

        from praisonai_persist_redis import RedisKnowledgeStore
        from praisonai_persist_testkit.engines import engine_port

        url = f"redis://127.0.0.1:{engine_port('redis8')}/0"
        store = RedisKnowledgeStore(url, engine=engine, exact=True, key_prefix=f"xb_{uuid.uuid4().hex[:12]}:")
        try:
            yield store
        finally:
            store.drop_all()
            store.close()

    return factory


backend("redis", engine="redis8", module="praisonai_persist_redis")(_redis_knowledge("vectorset"))
backend("redis_query_engine", engine="redis8", module="praisonai_persist_redis")(_redis_knowledge("query_engine"))
