"""Catalog of first-party backends: data only, nothing imported.

It lets the registry tell apart an unknown name (close matches), a known backend whose plugin
is not installed (the exact ``pip install`` line) and an installed plugin whose client is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CATALOG", "CatalogEntry", "catalog_for"]


@dataclass(frozen=True)
class CatalogEntry:
    """A backend name as published by a first-party distribution."""

    kind: str
    name: str
    distribution: str
    aliases: tuple[str, ...] = ()
    schemes: tuple[str, ...] = ()


def _e(kind: str, name: str, plugin: str, aliases: tuple[str, ...] = (), schemes: tuple[str, ...] = ()) -> CatalogEntry:
    dist = "praisonai-persist" if plugin == "core" else f"praisonai-persist-{plugin}"
    return CatalogEntry(kind, name, dist, aliases, schemes)


CATALOG: tuple[CatalogEntry, ...] = (
    # core
    _e("conversation", "sqlite", "core", (), ("sqlite",)),
    _e("conversation", "sync_sqlite", "core", ("sqlite_sync",)),
    _e("conversation", "async_sqlite", "core", ("aiosqlite", "sqlite_async")),
    _e("conversation", "json", "core", (), ("json",)),
    _e("state", "memory", "core", (), ("memory",)),
    _e("knowledge", "memory", "core", (), ("memory",)),
    # SQL conversation plugins
    _e("conversation", "postgres", "postgres", ("neon", "cockroachdb", "crdb", "cockroach", "xata"),
       ("postgres", "postgresql")),
    _e("conversation", "async_postgres", "postgres", ("asyncpg", "postgres_async")),
    _e("conversation", "mysql", "mysql", ("mariadb", "planetscale"), ("mysql", "mariadb")),
    _e("conversation", "async_mysql", "mysql", ("aiomysql", "mysql_async")),
    _e("conversation", "singlestore", "singlestore", (), ("singlestore",)),
    _e("conversation", "supabase", "supabase"),
    _e("conversation", "async_supabase", "supabase"),
    _e("conversation", "turso", "turso", ("libsql",), ("libsql",)),
    _e("conversation", "surrealdb", "surrealdb", (), ("surrealdb",)),
    _e("conversation", "async_surrealdb", "surrealdb", ("surrealdb_async",)),
    # knowledge plugins
    _e("knowledge", "singlestore_vector", "singlestore", ("singlestore_v",)),
    _e("knowledge", "surrealdb_vector", "surrealdb", ("surrealdb_v",), ("mem", "surrealkv")),
    _e("knowledge", "async_surrealdb_vector", "surrealdb", ("surrealdb_vector_async",)),
    _e("knowledge", "pgvector", "pgvector", (), ("postgres", "postgresql")),
    _e("knowledge", "async_pgvector", "pgvector", ("pgvector_async",)),
    _e("knowledge", "qdrant", "qdrant", (), ("qdrant",)),
    _e("knowledge", "async_qdrant", "qdrant", ("qdrant_async",)),
    _e("knowledge", "chroma", "chroma", ("chromadb",), ("chroma",)),
    _e("knowledge", "async_chroma", "chroma", ("chroma_async",)),
    _e("knowledge", "lancedb", "lancedb", (), ("lancedb",)),
    _e("knowledge", "async_lancedb", "lancedb", ("lancedb_async",)),
    _e("knowledge", "milvus", "milvus", (), ("milvus",)),
    _e("knowledge", "clickhouse", "clickhouse", (), ("clickhouse", "chdb")),
    _e("knowledge", "redis", "redis", (), ("redis", "rediss")),
    _e("knowledge", "async_redis", "redis", ("redis_async",)),
    _e("knowledge", "mongodb_vector", "mongodb", ("mongodb_atlas", "mongo_vector"), ("mongodb+srv",)),
    _e("knowledge", "upstash_vector", "upstash", ("upstash_v",)),
    _e("knowledge", "async_upstash_vector", "upstash"),
    _e("knowledge", "pinecone", "pinecone", (), ("pinecone",)),
    _e("knowledge", "weaviate", "weaviate", (), ("weaviate",)),
    _e("knowledge", "cassandra", "cassandra", (), ("cassandra",)),
    _e("knowledge", "couchbase", "couchbase", (), ("couchbase", "couchbases")),
    _e("knowledge", "cosmosdb", "cosmosdb", ("cosmos", "azure_cosmos", "cosmosdb_vector")),
    _e("knowledge", "langchain", "langchain", ("langchain_adapter",)),
    _e("knowledge", "llamaindex", "llamaindex", ("llama_index", "llamaindex_adapter")),
    _e("knowledge", "lightrag", "lightrag"),
    _e("knowledge", "async_lightrag", "lightrag", ("lightrag_async",)),
    # state plugins
    _e("state", "redis", "redis", ("valkey",), ("redis", "rediss", "valkey", "valkeys", "unix")),
    _e("state", "async_redis", "redis", ("redis_async", "async_valkey")),
    _e("state", "mongodb", "mongodb", (), ("mongodb", "mongodb+srv")),
    _e("state", "async_mongodb", "mongodb", ("motor", "mongodb_async")),
    _e("state", "dynamodb", "dynamodb", (), ("dynamodb",)),
    _e("state", "gcs", "gcs", (), ("gs", "gcs")),
    _e("state", "firestore", "firestore", (), ("firestore",)),
    _e("state", "upstash", "upstash"),
    _e("state", "async_upstash", "upstash", ("upstash_async",)),
)


def catalog_for(kind: str) -> list[CatalogEntry]:
    """Catalog entries of one store kind."""
    return [e for e in CATALOG if e.kind == kind]
