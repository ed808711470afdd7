"""Errors raised by praisonai-persist; every one is a :class:`PersistError`.

Each message says what happened, what was expected and what to do next.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = [
    "BackendNotInstalledError",
    "CollectionNotFoundError",
    "ConfigError",
    "CorruptDataError",
    "DimensionMismatchError",
    "DocumentExistsError",
    "InvalidIdentifierError",
    "PersistError",
    "PluginLoadError",
    "RuntimeStateTooLargeError",
    "SchemaVersionError",
    "SessionExistsError",
    "SessionNotFoundError",
    "StoreConnectionError",
    "UnknownBackendError",
    "UnsupportedFilterError",
    "UnsupportedOperationError",
    "WrongTypeError",
]


class PersistError(Exception):
    """Base class of every error raised by praisonai-persist."""


class UnknownBackendError(PersistError, ValueError):
    """No plugin registered or catalogued a backend of that name, alias or URL scheme."""

    def __init__(self, kind: str, name: str, matches: Sequence[str] = (), known: Iterable[str] = ()) -> None:
        self.kind = kind
        self.name = name
        self.matches = list(matches)
        known_list = sorted(known)
        msg = f"Unknown {kind} backend {name!r}."
        if self.matches:
            msg += " Did you mean " + " or ".join(repr(m) for m in self.matches) + "?"
        if known_list:
            msg += f" Known {kind} backends: {', '.join(known_list)}."
        msg += " Run `praisonai-persist backends` to see what is installed."
        super().__init__(msg)


class BackendNotInstalledError(PersistError, ImportError):
    """The backend is known but its plugin, or the client library it needs, is not installed."""

    def __init__(
        self,
        kind: str,
        backend: str,
        distribution: str,
        missing_module: str | None = None,
        detail: str | None = None,
    ) -> None:
        self.kind = kind
        self.backend = backend
        self.distribution = distribution
        self.missing_module = missing_module
        self.install_line = f"pip install {distribution}"
        if missing_module:
            msg = (
                f"The {kind} backend {backend!r} is installed but the module {missing_module!r} it needs "
                f"(its client library or the plugin itself) cannot be imported"
            )
            msg += f" ({detail})." if detail else "."
            msg += f" Reinstall the plugin with its dependencies: {self.install_line}"
        else:
            msg = (
                f"The {kind} backend {backend!r} is provided by {distribution}, which is not "
                f"installed. Install it with: {self.install_line}"
            )
        super().__init__(msg, name=missing_module)


class InvalidIdentifierError(PersistError, ValueError):
    """An identifier that would be interpolated into a query is not safe."""


class DimensionMismatchError(PersistError, ValueError):
    """An embedding's length differs from its collection's dimension."""

    def __init__(self, collection: str, expected: int, got: int) -> None:
        self.collection = collection
        self.expected = expected
        self.got = got
        super().__init__(
            f"Collection {collection!r} holds {expected}-dimensional embeddings but got one with "
            f"{got} values. Embed with the model the collection was created for, or create a new "
            f"collection with dimension={got}."
        )


class UnsupportedFilterError(PersistError):
    """A filter uses an operator the backend cannot express (filters are never dropped)."""


class SchemaVersionError(PersistError):
    """The database was written by a newer, incompatible schema version; it was not touched."""


class StoreConnectionError(PersistError, ConnectionError):
    """The store cannot reach its database (messages never contain passwords)."""


class SessionNotFoundError(PersistError, LookupError):
    """A message was added to, or read from, a session that does not exist."""

    def __init__(self, session_id: str) -> None:
        self.session_id = session_id
        super().__init__(
            f"Session {session_id!r} does not exist. Create it first with "
            f"create_session(ConversationSession(session_id={session_id!r}))."
        )

    def __str__(self) -> str:  # LookupError subclasses would otherwise quote the message
        return str(self.args[0])


class PluginLoadError(PersistError):
    """A plugin failed to load while PRAISONAI_PERSIST_STRICT_PLUGINS is set."""


class ConfigError(PersistError, ValueError):
    """A configuration value is missing or invalid; the message names the field."""


class SessionExistsError(PersistError, ValueError):
    """``create_session`` was given the id of a session that already exists."""

    def __init__(self, session_id: str) -> None:
        self.session_id = session_id
        super().__init__(
            f"Session {session_id!r} already exists. Use update_session() or upsert_session() to change it, "
            "or create the session with another id."
        )


class CollectionNotFoundError(PersistError, LookupError):
    """A knowledge collection was used before ``create_collection``."""

    def __init__(self, collection: str) -> None:
        self.collection = collection
        super().__init__(
            f"Collection {collection!r} does not exist. Create it first with "
            f"create_collection({collection!r}, dimension=...)."
        )

    def __str__(self) -> str:
        return str(self.args[0])


class DocumentExistsError(PersistError, ValueError):
    """``insert`` was given ids that already exist in the collection (``upsert`` replaces)."""

    def __init__(self, collection: str, ids: Sequence[str]) -> None:
        self.collection = collection
        self.ids = list(ids)
        shown = ", ".join(repr(i) for i in self.ids[:5]) + (" ..." if len(self.ids) > 5 else "")
        super().__init__(
            f"Collection {collection!r} already holds documents with ids {shown}; nothing was inserted. "
            "Use upsert() to replace them."
        )


class CorruptDataError(PersistError):
    """A stored file or record cannot be decoded; it was left as it is for inspection."""


class RuntimeStateTooLargeError(PersistError, ValueError):
    """A runtime state turn record is over ``SessionConfig.max_turn_state_bytes``; nothing was stored."""

    def __init__(self, runtime_id: str, turn_id: str, size: int, limit: int) -> None:
        self.runtime_id = runtime_id
        self.turn_id = turn_id
        self.size = size
        self.limit = limit
        super().__init__(
            f"Runtime state of runtime {runtime_id!r} turn {turn_id!r} is {size} bytes as JSON, over the "
            f"limit of {limit} bytes (SessionConfig.max_turn_state_bytes); nothing was stored. Keep turn "
            "records small (tool call ids and short results, not full outputs) or raise the limit."
        )


class WrongTypeError(PersistError, TypeError):
    """A state key holds a plain value where a hash was needed, or a hash where a value was needed."""

    def __init__(self, key: str, holds: str) -> None:
        self.key = key
        self.holds = holds
        wanted = "a plain value" if holds == "hash" else "a hash"
        super().__init__(
            f"State key {key!r} holds {'a hash' if holds == 'hash' else 'a plain value'}, not {wanted}; nothing "
            f"was changed. Use {'hget/hgetall' if holds == 'hash' else 'get'} for it, or delete it (or set() it) "
            "first to reuse the name."
        )


class UnsupportedOperationError(PersistError, NotImplementedError):
    """The backend does not implement an optional protocol method (``scroll``, ``restore_session`` ...)."""

    def __init__(self, backend: str, operation: str, hint: str = "") -> None:
        self.backend = backend
        self.operation = operation
        super().__init__(
            f"Backend {backend or '(unnamed)'!r} does not implement {operation}()"
            + (f"; {hint}" if hint else ".")
        )

    def __str__(self) -> str:
        return str(self.args[0])
