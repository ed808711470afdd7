"""``as_async`` / ``as_sync``: adapt a store of any kind to the other calling convention.

A sync store used from async code runs in ``asyncio.to_thread`` (the loop never blocks);
an async store used from sync code runs on the bridge loop (:mod:`praisonai_persist.bridge`).
Wrappers delegate every protocol method, so a backend's own batch ``add_messages`` is kept.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from typing import Any, TypeVar, overload

from .bridge import run_sync
from .conversation import AsyncConversationStore, ConversationStore
from .knowledge import AsyncKnowledgeStore, KnowledgeStore
from .state import AsyncStateStore, StateStore

__all__ = ["as_async", "as_sync", "is_async_store", "store_kind"]

_S = TypeVar("_S")

_PAIRS: dict[str, tuple[type, type]] = {
    "conversation": (ConversationStore, AsyncConversationStore),
    "knowledge": (KnowledgeStore, AsyncKnowledgeStore),
    "state": (StateStore, AsyncStateStore),
}
#: A method that identifies each kind when a store does not subclass our ABCs.
_MARKERS = {"conversation": "add_message", "knowledge": "search", "state": "hgetall"}


def _public_methods(cls: type) -> list[str]:
    return sorted(
        name
        for name, member in inspect.getmembers(cls)
        if not name.startswith("_") and callable(member) and name != "backend_name"
    )


def store_kind(store: object) -> str:
    """``"conversation"``, ``"knowledge"`` or ``"state"`` for a store (ABC or duck-typed)."""
    for kind, (sync_cls, async_cls) in _PAIRS.items():
        if isinstance(store, (sync_cls, async_cls)):
            return kind
    for kind, marker in _MARKERS.items():
        if callable(getattr(store, marker, None)):
            return kind
    raise TypeError(f"{type(store).__name__} is not a conversation, knowledge or state store.")


def is_async_store(store: object) -> bool:
    """True if the store's methods are coroutines."""
    if isinstance(store, (AsyncConversationStore, AsyncKnowledgeStore, AsyncStateStore)):
        return True
    if isinstance(store, (ConversationStore, KnowledgeStore, StateStore)):
        return False
    return inspect.iscoroutinefunction(getattr(store, "close", None)) or inspect.iscoroutinefunction(
        getattr(store, _MARKERS[store_kind(store)], None)
    )


def _offloaded(name: str) -> Any:
    async def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(getattr(self.wrapped, name), *args, **kwargs)

    method.__name__ = name
    return method


def _bridged(name: str) -> Any:
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return run_sync(getattr(self.wrapped, name)(*args, **kwargs))

    method.__name__ = name
    return method


class _Wrapper:
    def __init__(self, wrapped: Any) -> None:
        self.wrapped = wrapped
        self.backend_name = getattr(wrapped, "backend_name", "")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.wrapped!r})"

    def __getattr__(self, name: str) -> Any:  # backend-specific extras stay reachable
        return getattr(self.wrapped, name)


@functools.cache
def _adapter_class(kind: str, to_async: bool) -> type:
    sync_cls, async_cls = _PAIRS[kind]
    target, source = (async_cls, sync_cls) if to_async else (sync_cls, async_cls)
    make = _offloaded if to_async else _bridged
    namespace = {name: make(name) for name in _public_methods(source)}
    prefix = "Async" if to_async else "Sync"
    return type(f"{prefix}{kind.title()}Adapter", (_Wrapper, target), namespace)


@overload
def as_async(store: ConversationStore | AsyncConversationStore) -> AsyncConversationStore: ...
@overload
def as_async(store: KnowledgeStore | AsyncKnowledgeStore) -> AsyncKnowledgeStore: ...
@overload
def as_async(store: StateStore | AsyncStateStore) -> AsyncStateStore: ...
@overload
def as_async(store: _S) -> Any: ...
def as_async(store: Any) -> Any:
    """The async form of ``store`` (returned unchanged if it is already async)."""
    if is_async_store(store):
        return store
    if isinstance(store, _Wrapper) and is_async_store(store.wrapped):
        return store.wrapped
    return _adapter_class(store_kind(store), True)(store)


@overload
def as_sync(store: ConversationStore | AsyncConversationStore) -> ConversationStore: ...
@overload
def as_sync(store: KnowledgeStore | AsyncKnowledgeStore) -> KnowledgeStore: ...
@overload
def as_sync(store: StateStore | AsyncStateStore) -> StateStore: ...
@overload
def as_sync(store: _S) -> Any: ...
def as_sync(store: Any) -> Any:
    """The sync form of ``store`` (returned unchanged if it is already sync).

    The async store is driven on the bridge loop from then on; use it only through the wrapper.
    """
    if not is_async_store(store):
        return store
    if isinstance(store, _Wrapper) and not is_async_store(store.wrapped):
        return store.wrapped
    return _adapter_class(store_kind(store), False)(store)
