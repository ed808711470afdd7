"""Registry: names, every alias of DESIGN §3.3, URL schemes, lazy factories and the three lookup errors."""

from __future__ import annotations

from pathlib import Path

import pytest

import praisonai_persist as p
from praisonai_persist import (
    BackendNotInstalledError,
    StoreRegistry,
    UnknownBackendError,
    create_conversation_store,
    create_state_store,
    get_default_registry,
)
from praisonai_persist.catalog import CATALOG

ALIASES = {
    "conversation": {
        "neon": "postgres", "cockroachdb": "postgres", "crdb": "postgres", "cockroach": "postgres", "xata": "postgres",
        "asyncpg": "async_postgres", "postgres_async": "async_postgres", "aiomysql": "async_mysql",
        "mysql_async": "async_mysql", "sqlite_sync": "sync_sqlite", "aiosqlite": "async_sqlite",
        "sqlite_async": "async_sqlite", "libsql": "turso",
    },
    "knowledge": {
        "chromadb": "chroma", "mongodb_atlas": "mongodb_vector", "mongo_vector": "mongodb_vector",
        "cosmos": "cosmosdb", "azure_cosmos": "cosmosdb", "cosmosdb_vector": "cosmosdb",
        "llama_index": "llamaindex", "llamaindex_adapter": "llamaindex", "langchain_adapter": "langchain",
    },
    "state": {"motor": "async_mongodb", "mongodb_async": "async_mongodb"},
}


@pytest.mark.parametrize(
    ("kind", "alias", "name"), [(k, a, n) for k, m in ALIASES.items() for a, n in m.items()]
)
def test_every_praisonai_alias_resolves_or_names_its_plugin(kind: str, alias: str, name: str) -> None:
    registry = get_default_registry(kind)
    try:
        assert registry.canonical_name(alias) == name
    except BackendNotInstalledError as exc:
        dist = next(c.distribution for c in CATALOG if c.kind == kind and c.name == name)
        assert exc.backend == name
        assert exc.install_line == f"pip install {dist}"
        assert f"pip install {dist}" in str(exc)
        assert isinstance(exc, ImportError)


def test_builtins_are_registered_through_core_entry_point() -> None:
    conv = get_default_registry("conversation")
    assert {"sqlite", "sync_sqlite", "async_sqlite", "json"} <= set(conv.list_names())
    assert conv.entry("sqlite").distribution == "praisonai-persist"
    assert "memory" in get_default_registry("state").list_names()
    assert "memory" in get_default_registry("knowledge").list_names()


def test_unknown_name_gives_close_matches_and_is_a_value_error() -> None:
    with pytest.raises(UnknownBackendError) as info:
        create_conversation_store("sqlit")
    assert isinstance(info.value, ValueError)
    assert "'sqlite'" in str(info.value) and "Did you mean" in str(info.value)
    assert "sqlite" in info.value.matches


def test_known_but_not_installed_gives_the_pip_line() -> None:
    """pinecone is catalogued, and no plugin of this repository provides it, so it is never installed here."""
    assert "pinecone" not in get_default_registry("knowledge")
    with pytest.raises(BackendNotInstalledError) as info:
        p.create_knowledge_store("pinecone")
    assert info.value.install_line == "pip install praisonai-persist-pinecone"
    assert info.value.missing_module is None


def test_url_scheme_selects_backend_and_unknown_scheme_is_explained(tmp_path: Path) -> None:
    store = create_conversation_store(f"sqlite:///{tmp_path}/x.db")
    try:
        assert store.backend_name == "sqlite"
    finally:
        store.close()
    with pytest.raises(UnknownBackendError) as info:
        create_state_store("nosuchscheme://host")
    assert "nosuchscheme://" in str(info.value)


def test_missing_client_library_names_the_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "needs_client.py"
    pkg.write_text("import definitely_not_installed_client  # noqa\nclass Store: ...\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = StoreRegistry("state")
    registry.register_store("fancy", "needs_client:Store")
    with pytest.raises(BackendNotInstalledError) as info:
        registry.create("fancy")
    assert info.value.missing_module == "definitely_not_installed_client"
    assert "definitely_not_installed_client" in str(info.value)


def test_factory_raising_module_not_found_at_create_is_reported(tmp_path: Path) -> None:
    def factory(url: str | None = None) -> object:
        import not_a_real_driver_module  # type: ignore[import-not-found]  # noqa: F401

        return object()

    registry = StoreRegistry("knowledge")
    registry.register_store("lazydriver", factory)
    with pytest.raises(BackendNotInstalledError) as info:
        registry.create("lazydriver")
    assert info.value.missing_module == "not_a_real_driver_module"


def test_register_is_a_backward_compatible_alias_and_lazy() -> None:
    registry = StoreRegistry("state")
    registry.register("lazy", "praisonai_persist.backends.memory_state:MemoryStateStore", aliases=("lz",))
    assert registry.list_names() == ["lazy"]
    assert registry.list_all_names() == ["lazy", "lz"]
    assert "lz" in registry and "LZ" in registry
    store = registry.create("lz")
    store.set("a", 1)
    assert store.get("a") == 1 and store.backend_name == "lazy"
    assert registry.unregister("lazy") and "lz" not in registry


def test_code_registration_outranks_plugins_and_replaces() -> None:
    registry = StoreRegistry("state")
    registry.register_store("x", lambda url=None: "first")
    registry.register_store("x", lambda url=None: "second")
    assert registry.resolve("x")() == "second"


def test_bad_factories_are_rejected() -> None:
    registry = StoreRegistry("state")
    with pytest.raises(TypeError):
        registry.register_store("x", "no_colon_here")
    with pytest.raises(ValueError):
        registry.register_store("", lambda: None)
    with pytest.raises(ValueError):
        StoreRegistry("documents")
    with pytest.raises(ValueError):
        get_default_registry("documents")


def test_mode_returns_the_requested_form(tmp_path: Path) -> None:
    from praisonai_persist import AsyncConversationStore, ConversationStore

    sync_store = create_conversation_store("sqlite", str(tmp_path / "a.db"), mode="sync")
    async_store = create_conversation_store("sqlite", str(tmp_path / "b.db"), mode="async")
    auto_async = create_conversation_store("async_sqlite", str(tmp_path / "c.db"))
    as_sync_store = create_conversation_store("aiosqlite", str(tmp_path / "d.db"), mode="sync")
    try:
        assert isinstance(sync_store, ConversationStore)
        assert isinstance(async_store, AsyncConversationStore) and async_store.backend_name == "async_sqlite"
        assert isinstance(auto_async, AsyncConversationStore)
        assert isinstance(as_sync_store, ConversationStore) and as_sync_store.backend_name == "sqlite"
        mem = create_state_store("memory", mode="async")
        assert isinstance(mem, p.AsyncStateStore)
    finally:
        sync_store.close()
        as_sync_store.close()
        p.run_sync(async_store.close())
        p.run_sync(auto_async.close())
    with pytest.raises(ValueError, match="mode"):
        create_state_store("memory", mode="both")


def test_create_stores_from_config(tmp_path: Path) -> None:
    cfg = p.PersistenceConfig(conversation_url=f"sqlite:///{tmp_path}/c.db", state_store="memory")
    stores = p.create_stores_from_config(cfg)
    try:
        assert stores["knowledge"] is None
        assert stores["conversation"].backend_name == "sqlite"
        assert stores["state"].backend_name == "memory"
    finally:
        stores["conversation"].close()
    stores = p.create_stores_from_config({"persistence": {"knowledge_store": "memory"}})
    assert stores["knowledge"].backend_name == "memory" and stores["conversation"] is None


def test_config_from_env_and_dict_and_validation() -> None:
    env = {
        "PRAISONAI_CONVERSATION_STORE": "sqlite",
        "PRAISON_CONVERSATION_URL": "sqlite:///x.db",
        "PRAISONAI_STATE_URL": "redis://:pw@host/0",
        "PRAISONAI_SESSION_ID": "s1",
    }
    cfg = p.PersistenceConfig.from_env(env, user_id="u1")
    assert (cfg.conversation_store, cfg.conversation_url, cfg.state_url, cfg.session_id, cfg.user_id) == (
        "sqlite", "sqlite:///x.db", "redis://:pw@host/0", "s1", "u1")
    assert p.PersistenceConfig.from_dict(cfg.to_dict()) == cfg
    with pytest.raises(p.ConfigError, match="conversation_stor"):
        p.PersistenceConfig.from_dict({"conversation_stor": "sqlite"})
    with pytest.raises(p.ConfigError, match="state_options"):
        p.PersistenceConfig(state_options=["x"])  # type: ignore[arg-type]
    with pytest.raises(p.ConfigError, match="knowledge_store"):
        p.PersistenceConfig(knowledge_store="qdrnt").validate()
    assert p.PersistenceConfig(conversation_store="sqlite").validate()


def test_resolved_factories_are_cached_and_names_case_insensitive() -> None:
    registry = get_default_registry("conversation")
    assert registry.resolve("sqlite") is registry.resolve("SQLite")
