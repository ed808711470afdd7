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
    "UnsupportedOperationError": "errors",
    "CollectionInfo": "models",
    "WrongTypeError": "errors",
    "SchemaVersionError": "errors",
    "StoreConnectionError": "errors",
    "SessionNotFoundError": "errors",
    "PluginLoadError": "errors",
    "ConfigError": "errors",
    "SessionExistsError": "errors",
    "CollectionNotFoundError": "errors",
    "DocumentExistsError": "errors",
    "CorruptDataError": "errors",
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
    "PersistenceOrchestrator": "orchestrator",
    "SessionConfig": "session_config",
    "DefaultSessionStore": "sessions",
    "HierarchicalSessionStore": "sessions",
    "RuntimeStateTooLargeError": "errors",
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
    from .adapters import as_async as as_async
    from .adapters import as_sync as as_sync
    from .bridge import run_sync as run_sync
    from .config import PersistenceConfig as PersistenceConfig
    from .conversation import AsyncConversationStore as AsyncConversationStore
    from .conversation import ConversationStore as ConversationStore
    from .discovery import discovery_report as discovery_report
    from .errors import (
        BackendNotInstalledError as BackendNotInstalledError,
    )
    from .errors import (
        CollectionNotFoundError as CollectionNotFoundError,
    )
    from .errors import (
        ConfigError as ConfigError,
    )
    from .errors import (
        CorruptDataError as CorruptDataError,
    )
    from .errors import (
        DimensionMismatchError as DimensionMismatchError,
    )
    from .errors import (
        DocumentExistsError as DocumentExistsError,
    )
    from .errors import (
        InvalidIdentifierError as InvalidIdentifierError,
    )
    from .errors import (
        PersistError as PersistError,
    )
    from .errors import (
        PluginLoadError as PluginLoadError,
    )
    from .errors import (
        RuntimeStateTooLargeError as RuntimeStateTooLargeError,
    )
    from .errors import (
        SchemaVersionError as SchemaVersionError,
    )
    from .errors import (
        SessionExistsError as SessionExistsError,
    )
    from .errors import (
        SessionNotFoundError as SessionNotFoundError,
    )
    from .errors import (
        StoreConnectionError as StoreConnectionError,
    )
    from .errors import (
        UnknownBackendError as UnknownBackendError,
    )
    from .errors import (
        UnsupportedFilterError as UnsupportedFilterError,
    )
    from .errors import (
        UnsupportedOperationError as UnsupportedOperationError,
    )
    from .errors import (
        WrongTypeError as WrongTypeError,
    )
    from .factory import (
        create_conversation_store as create_conversation_store,
    )
    from .factory import (
        create_knowledge_store as create_knowledge_store,
    )
    from .factory import (
        create_state_store as create_state_store,
    )
    from .factory import (
        create_stores_from_config as create_stores_from_config,
    )
    from .hookspecs import hookimpl as hookimpl
    from .identifiers import validate_identifier as validate_identifier
    from .knowledge import AsyncKnowledgeStore as AsyncKnowledgeStore
    from .knowledge import KnowledgeStore as KnowledgeStore
    from .models import CollectionInfo as CollectionInfo
    from .models import ConversationMessage as ConversationMessage
    from .models import ConversationSession as ConversationSession
    from .models import KnowledgeDocument as KnowledgeDocument
    from .orchestrator import PersistenceOrchestrator as PersistenceOrchestrator
    from .registry import BackendConflictError as BackendConflictError
    from .registry import StoreRegistry as StoreRegistry
    from .registry import get_default_registry as get_default_registry
    from .session_config import SessionConfig as SessionConfig
    from .sessions import DefaultSessionStore as DefaultSessionStore
    from .sessions import HierarchicalSessionStore as HierarchicalSessionStore
    from .sql import SQLConversationStoreBase as SQLConversationStoreBase
    from .state import AsyncStateStore as AsyncStateStore
    from .state import StateStore as StateStore
