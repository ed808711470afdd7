"""praisonai-persist: durable memory for AI agents.

Conversation, knowledge (vector) and state store protocols, a registry of backends that
plugins fill through entry points, and the built-in SQLite, JSON and memory backends.
Names are loaded on first access, so ``import praisonai_persist`` stays cheap.
"""

from __future__ import annotations

import importlib
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "ConversationMessage": "models",
    "ConversationSession": "models",
    "KnowledgeDocument": "models",
    "ConversationStore": "conversation",
    "AsyncConversationStore": "conversation",
    "KnowledgeStore": "knowledge",
    "AsyncKnowledgeStore": "knowledge",
    "StateStore": "state",
    "AsyncStateStore": "state",
    "PersistError": "errors",
    "UnknownBackendError": "errors",
    "BackendNotInstalledError": "errors",
    "InvalidIdentifierError": "errors",
    "DimensionMismatchError": "errors",
    "UnsupportedFilterError": "errors",
    "SchemaVersionError": "errors",
    "StoreConnectionError": "errors",
    "SessionNotFoundError": "errors",
    "PluginLoadError": "errors",
    "ConfigError": "errors",
    "BackendConflictError": "registry",
    "StoreRegistry": "registry",
    "get_default_registry": "registry",
    "as_async": "adapters",
    "as_sync": "adapters",
    "run_sync": "bridge",
    "create_conversation_store": "factory",
    "create_knowledge_store": "factory",
    "create_state_store": "factory",
    "create_stores_from_config": "factory",
    "PersistenceConfig": "config",
    "hookimpl": "hookspecs",
    "validate_identifier": "identifiers",
    "SQLConversationStoreBase": "sql",
    "discovery_report": "discovery",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'praisonai_persist' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:
    from .adapters import as_async as as_async, as_sync as as_sync
    from .bridge import run_sync as run_sync
    from .config import PersistenceConfig as PersistenceConfig
    from .conversation import AsyncConversationStore as AsyncConversationStore, ConversationStore as ConversationStore
    from .discovery import discovery_report as discovery_report
    from .errors import (
        BackendNotInstalledError as BackendNotInstalledError,
        ConfigError as ConfigError,
        DimensionMismatchError as DimensionMismatchError,
        InvalidIdentifierError as InvalidIdentifierError,
        PersistError as PersistError,
        PluginLoadError as PluginLoadError,
        SchemaVersionError as SchemaVersionError,
        SessionNotFoundError as SessionNotFoundError,
        StoreConnectionError as StoreConnectionError,
        UnknownBackendError as UnknownBackendError,
        UnsupportedFilterError as UnsupportedFilterError,
    )
    from .factory import (
        create_conversation_store as create_conversation_store,
        create_knowledge_store as create_knowledge_store,
        create_state_store as create_state_store,
        create_stores_from_config as create_stores_from_config,
    )
    from .hookspecs import hookimpl as hookimpl
    from .identifiers import validate_identifier as validate_identifier
    from .knowledge import AsyncKnowledgeStore as AsyncKnowledgeStore, KnowledgeStore as KnowledgeStore
    from .models import ConversationMessage as ConversationMessage, ConversationSession as ConversationSession, KnowledgeDocument as KnowledgeDocument
    from .registry import BackendConflictError as BackendConflictError, StoreRegistry as StoreRegistry, get_default_registry as get_default_registry
    from .sql import SQLConversationStoreBase as SQLConversationStoreBase
    from .state import AsyncStateStore as AsyncStateStore, StateStore as StateStore
