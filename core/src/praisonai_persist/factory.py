"""``create_*_store`` functions: a backend name, alias or URL in, a store of the wanted form out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .adapters import as_async, as_sync, is_async_store
from .registry import StoreRegistry, get_default_registry
from .urls import scheme_of

if TYPE_CHECKING:
    from .config import PersistenceConfig

__all__ = [
    "DEFAULT_BACKENDS",
    "create_conversation_store",
    "create_knowledge_store",
    "create_state_store",
    "create_store",
    "create_stores_from_config",
]

#: Backend used when neither a name nor a URL is given: embedded, no server.
DEFAULT_BACKENDS = {"conversation": "sqlite", "knowledge": "memory", "state": "memory"}
_MODES = ("auto", "sync", "async")


def create_store(
    kind: str,
    backend: str | None = None,
    url: str | None = None,
    mode: str = "auto",
    *,
    registry: StoreRegistry | None = None,
    **options: Any,
) -> Any:
    """Create a store of ``kind`` from a backend name, alias or URL.

    ``mode="auto"`` returns the backend's native form; ``"sync"``/``"async"`` return that form,
    choosing the backend's registered sync/async variant when it has one and adapting otherwise.
    """
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {', '.join(_MODES)}, got {mode!r}.")
    registry = registry or get_default_registry(kind)
    if backend is None:
        backend = url if url is not None and scheme_of(url) else DEFAULT_BACKENDS[kind]
    elif scheme_of(backend) is not None and url is None:
        url = backend
    entry = registry.entry(backend)
    variant = entry.sync_variant if mode == "sync" else entry.async_variant if mode == "async" else None
    name = variant or entry.name
    if url is not None:
        options["url"] = url
    store = registry.create(name, **options)
    if mode == "sync" and is_async_store(store):
        return as_sync(store)
    if mode == "async" and not is_async_store(store):
        return as_async(store)
    return store


def create_conversation_store(backend: str | None = None, url: str | None = None, mode: str = "auto", **options: Any) -> Any:
    """A conversation store, e.g. ``create_conversation_store("postgresql://…")`` or ``("sqlite", "chat.db")``."""
    return create_store("conversation", backend, url, mode, **options)


def create_knowledge_store(backend: str | None = None, url: str | None = None, mode: str = "auto", **options: Any) -> Any:
    """A knowledge (vector) store, e.g. ``create_knowledge_store("memory")``."""
    return create_store("knowledge", backend, url, mode, **options)


def create_state_store(backend: str | None = None, url: str | None = None, mode: str = "auto", **options: Any) -> Any:
    """A state store, e.g. ``create_state_store("redis://localhost:6379/0")``."""
    return create_store("state", backend, url, mode, **options)


def create_stores_from_config(config: PersistenceConfig | dict[str, Any]) -> dict[str, Any]:
    """The stores a config names: ``{"conversation": …, "knowledge": …, "state": …}`` (``None`` when unset)."""
    from .config import PersistenceConfig

    cfg = PersistenceConfig.from_dict(config) if isinstance(config, dict) else config
    stores: dict[str, Any] = {}
    for kind in ("conversation", "knowledge", "state"):
        backend, url, options = cfg.store_spec(kind)
        if backend is None and url is None:
            stores[kind] = None
            continue
        stores[kind] = create_store(kind, backend, url, **options)
    return stores
