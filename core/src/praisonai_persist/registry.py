"""Registries of store factories, one per kind, with aliases, URL schemes and lazy factories.

``get_default_registry(kind)`` returns the process-wide registry that installed plugins fill
through discovery (run once, on first use, never at import). A factory is a callable or a lazy
``"module:attr"`` string, so registering a backend imports no database client.
"""

from __future__ import annotations

import contextvars
import importlib
import threading

from .errors import BackendNotInstalledError, PersistError, UnknownBackendError
from .urls import scheme_of

# Kept off the import path on purpose (typing, dataclasses and difflib cost milliseconds each):
# the registry is built on every process start.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from .catalog import CatalogEntry

    Factory = Callable[..., Any] | str

__all__ = [
    "KINDS",
    "BackendConflictError",
    "BackendEntry",
    "Factory",
    "StoreRegistry",
    "get_default_registry",
    "registering_distribution",
]

KINDS = ("conversation", "knowledge", "state")

#: (distribution, version) of the plugin whose hook is running; ``None`` for code registrations.
_registering: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar(
    "praisonai_persist_registering", default=None
)


class registering_distribution:  # noqa: N801 - used like a function: ``with registering_distribution(...)``
    """Attribute registrations made inside the block to ``distribution`` (used by discovery)."""

    def __init__(self, distribution: str, version: str) -> None:
        self._value = (distribution, version)
        self._token: contextvars.Token[tuple[str, str] | None] | None = None

    def __enter__(self) -> None:
        self._token = _registering.set(self._value)

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _registering.reset(self._token)


class BackendConflictError(PersistError):
    """Two different distributions registered the same backend name; neither is picked silently."""


class BackendEntry:
    """One registered backend: its factory, names, schemes and the distribution that provides it."""

    __slots__ = (
        "aliases", "async_variant", "conflicts", "distribution", "factory", "kind", "name", "schemes",
        "sync_variant", "version",
    )

    def __init__(
        self,
        kind: str,
        name: str,
        factory: Factory,
        aliases: tuple[str, ...] = (),
        schemes: tuple[str, ...] = (),
        distribution: str | None = None,
        version: str | None = None,
        sync_variant: str | None = None,
        async_variant: str | None = None,
    ) -> None:
        self.kind = kind
        self.name = name
        self.factory = factory
        self.aliases = aliases
        self.schemes = schemes
        self.distribution = distribution
        self.version = version
        self.sync_variant = sync_variant
        self.async_variant = async_variant
        self.conflicts: list[str] = []

    def __repr__(self) -> str:
        return f"BackendEntry({self.kind!r}, {self.name!r}, {self.factory!r}, provider={self.provider!r})"

    @property
    def provider(self) -> str:
        """Who registered it: ``"dist 1.2"``, or ``"code"`` for a registration made at run time."""
        if self.distribution is None:
            return "code"
        return f"{self.distribution} {self.version or ''}".strip()


def _norm(name: str) -> str:
    return name.strip().lower().replace("-", "_")


class StoreRegistry:
    """Factories of one store kind, by canonical name, alias and URL scheme."""

    def __init__(
        self,
        kind: str,
        entry_point_group: str | None = None,
        *,
        discover: Callable[[], None] | None = None,
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"Unknown store kind {kind!r}; expected one of {', '.join(KINDS)}.")
        self.kind = kind
        self.entry_point_group = entry_point_group
        self._discover = discover
        self._lock = threading.RLock()
        self._entries: dict[str, BackendEntry] = {}
        self._aliases: dict[str, str] = {}
        self._schemes: dict[str, str] = {}
        self._loaded: dict[str, Callable[..., Any]] = {}

    # -- registration -------------------------------------------------------------------
    def register_store(
        self,
        name: str,
        factory: Factory,
        *,
        aliases: tuple[str, ...] | list[str] = (),
        schemes: tuple[str, ...] | list[str] = (),
        sync_variant: str | None = None,
        async_variant: str | None = None,
        replace: bool = False,
    ) -> None:
        """Register ``factory`` under ``name`` (canonical API).

        ``schemes`` are URL schemes that select this backend (``"postgresql"``);
        ``sync_variant``/``async_variant`` name the backend that ``mode="sync"``/``"async"``
        should return instead of adapting. A second distribution registering a taken name is
        recorded as a conflict (reported by ``doctor``, raised on use) unless ``replace``.
        """
        if _recorder is not None:
            _recorder(self.kind, name, factory, tuple(aliases), tuple(schemes), sync_variant, async_variant, replace)
        if not isinstance(name, str) or not name.strip():
            raise ValueError("Backend name must be a non-empty string.")
        if not (callable(factory) or (isinstance(factory, str) and ":" in factory)):
            raise TypeError(f"Factory for {name!r} must be a callable or a 'module:attr' string, got {factory!r}.")
        origin = _registering.get()
        dist, version = origin if origin else (None, None)
        key = _norm(name)
        with self._lock:
            existing = self._entries.get(key)
            if existing is not None and not replace and existing.distribution != dist and dist is not None:
                if existing.distribution is None:
                    return  # a run-time registration from code outranks any plugin
                claim = f"{dist} {version or ''}".strip()
                if claim not in existing.conflicts:
                    existing.conflicts.append(claim)
                return
            entry = BackendEntry(
                kind=self.kind,
                name=key,
                factory=factory,
                aliases=tuple(_norm(a) for a in aliases),
                schemes=tuple(s.lower() for s in schemes),
                distribution=dist,
                version=version,
                sync_variant=_norm(sync_variant) if sync_variant else None,
                async_variant=_norm(async_variant) if async_variant else None,
            )
            if existing is not None:
                self._drop_links(existing)
            self._entries[key] = entry
            self._loaded.pop(key, None)
            for alias in entry.aliases:
                if alias != key:
                    self._aliases[alias] = key
            for scheme in entry.schemes:
                self._schemes.setdefault(scheme, key)

    def register(self, name: str, factory: Factory, *, aliases: tuple[str, ...] | list[str] = (), **kwargs: Any) -> None:
        """Backward-compatible alias of :meth:`register_store` (PraisonAI's name)."""
        self.register_store(name, factory, aliases=aliases, **kwargs)

    def unregister(self, name: str) -> bool:
        """Remove a backend and its aliases and schemes; ``True`` if it was registered."""
        with self._lock:
            entry = self._entries.pop(_norm(name), None)
            if entry is None:
                return False
            self._drop_links(entry)
            self._loaded.pop(entry.name, None)
            return True

    def _drop_links(self, entry: BackendEntry) -> None:
        for alias, target in list(self._aliases.items()):
            if target == entry.name:
                del self._aliases[alias]
        for scheme, target in list(self._schemes.items()):
            if target == entry.name:
                del self._schemes[scheme]

    # -- lookup -------------------------------------------------------------------------
    def _ensure(self) -> None:
        if self._discover is not None:
            self._discover()

    def entries(self) -> list[BackendEntry]:
        """Registered backends, sorted by name."""
        self._ensure()
        with self._lock:
            return [self._entries[k] for k in sorted(self._entries)]

    def list_names(self) -> list[str]:
        """Canonical names of the registered backends."""
        return [e.name for e in self.entries()]

    def list_all_names(self) -> list[str]:
        """Canonical names and aliases."""
        self._ensure()
        with self._lock:
            return sorted(set(self._entries) | set(self._aliases))

    def list_registered(self) -> list[str]:
        """PraisonAI's name for :meth:`list_names`."""
        return self.list_names()

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        self._ensure()
        key = _norm(name)
        with self._lock:
            return key in self._entries or key in self._aliases

    def name_for_url(self, url: str) -> str | None:
        """Backend selected by the scheme of ``url``, or ``None``."""
        scheme = scheme_of(url)
        if scheme is None:
            return None
        self._ensure()
        with self._lock:
            return self._schemes.get(scheme)

    def entry(self, name_or_url: str) -> BackendEntry:
        """The entry for a name, alias or URL; raises the error that fits the cause."""
        self._ensure()
        if not isinstance(name_or_url, str) or not name_or_url.strip():
            raise UnknownBackendError(self.kind, repr(name_or_url), (), self.list_names())
        is_url = scheme_of(name_or_url) is not None
        with self._lock:
            if is_url:
                key = self._schemes.get(scheme_of(name_or_url) or "", "")
            else:
                key = _norm(name_or_url)
                key = self._aliases.get(key, key)
            entry = self._entries.get(key)
        if entry is None:
            raise self._missing(name_or_url, is_url)
        if entry.conflicts:
            raise BackendConflictError(
                f"The {self.kind} backend {entry.name!r} is registered by several distributions: "
                f"{', '.join([entry.provider, *entry.conflicts])}. Uninstall all but one, or choose one with "
                f"PRAISONAI_PERSIST_PLUGINS."
            )
        return entry

    def canonical_name(self, name_or_url: str) -> str:
        """Canonical backend name for a name, alias or URL."""
        return self.entry(name_or_url).name

    def _missing(self, name: str, is_url: bool) -> PersistError:
        import difflib

        from .catalog import catalog_for

        catalog = catalog_for(self.kind)
        if is_url:
            scheme = scheme_of(name) or ""
            hit: CatalogEntry | None = next((c for c in catalog if scheme in c.schemes), None)
            if hit is not None:
                return BackendNotInstalledError(self.kind, hit.name, hit.distribution)
            schemes = sorted(set(self._schemes) | {s for c in catalog for s in c.schemes})
            matches = difflib.get_close_matches(scheme, schemes, n=3, cutoff=0.6)
            return UnknownBackendError(self.kind, f"{scheme}://", [f"{m}://" for m in matches], self.list_names())
        key = _norm(name)
        hit = next((c for c in catalog if key == c.name or key in c.aliases), None)
        if hit is not None:
            return BackendNotInstalledError(self.kind, hit.name, hit.distribution)
        with self._lock:
            names = set(self._entries)
            candidates = names | set(self._aliases)
        names |= {c.name for c in catalog}
        candidates |= names | {a for c in catalog for a in c.aliases}
        matches = difflib.get_close_matches(key, sorted(candidates), n=3, cutoff=0.6)
        return UnknownBackendError(self.kind, name, matches, sorted(names))

    def resolve(self, name_or_url: str) -> Callable[..., Any]:
        """The factory callable for a name, alias or URL (a lazy factory is imported now)."""
        entry = self.entry(name_or_url)
        with self._lock:
            loaded = self._loaded.get(entry.name)
        if loaded is not None:
            return loaded
        factory = entry.factory
        if isinstance(factory, str):
            factory = self._import_factory(entry, factory)
        with self._lock:
            self._loaded[entry.name] = factory
        return factory

    def _install_target(self, entry: BackendEntry) -> str:
        if entry.distribution:
            return entry.distribution
        from .catalog import catalog_for

        hit = next((c for c in catalog_for(self.kind) if c.name == entry.name), None)
        return hit.distribution if hit else f"the plugin providing {entry.name!r}"

    def _import_factory(self, entry: BackendEntry, spec: str) -> Callable[..., Any]:
        module_name, _, attr = spec.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            missing = getattr(exc, "name", None) or module_name
            raise BackendNotInstalledError(
                self.kind, entry.name, self._install_target(entry), missing_module=missing, detail=str(exc)
            ) from exc
        obj: Any = module
        for part in attr.split("."):
            try:
                obj = getattr(obj, part)
            except AttributeError as exc:
                raise BackendNotInstalledError(
                    self.kind,
                    entry.name,
                    self._install_target(entry),
                    missing_module=spec,
                    detail=f"{module_name} has no attribute {part!r}",
                ) from exc
        if not callable(obj):
            raise TypeError(f"Factory {spec!r} of backend {entry.name!r} is not callable.")
        return obj  # type: ignore[no-any-return]

    def create(self, name_or_url: str, **kwargs: Any) -> Any:
        """Build a store: ``factory(**kwargs)``; a URL in place of the name is passed as ``url``."""
        entry = self.entry(name_or_url)
        if scheme_of(name_or_url) is not None and kwargs.get("url") is None:
            kwargs["url"] = name_or_url
        factory = self.resolve(entry.name)
        try:
            store = factory(**kwargs)
        except ModuleNotFoundError as exc:
            raise BackendNotInstalledError(
                self.kind, entry.name, self._install_target(entry), missing_module=exc.name, detail=str(exc)
            ) from exc
        try:
            store.backend_name = entry.name
        except (AttributeError, TypeError):
            pass  # a store with slots or a read-only property keeps its own name
        return store


#: Set by discovery while it runs hooks, to learn what each plugin registers (for its cache).
_recorder: Callable[..., None] | None = None

_default_lock = threading.Lock()
_defaults: dict[str, StoreRegistry] = {}

_LEGACY_GROUPS = {
    "conversation": "praisonai.conversation_stores",
    "knowledge": "praisonai.knowledge_stores",
    "state": "praisonai.state_stores",
}


def _discover_all() -> None:
    from .discovery import ensure_discovered

    ensure_discovered()


def get_default_registry(kind: str) -> StoreRegistry:
    """The process-wide registry of ``kind``, filled by plugin discovery on first use."""
    if kind not in KINDS:
        raise ValueError(f"Unknown store kind {kind!r}; expected one of {', '.join(KINDS)}.")
    registry = _defaults.get(kind)
    if registry is None:
        with _default_lock:
            if not _defaults:
                for k in KINDS:
                    _defaults[k] = StoreRegistry(k, _LEGACY_GROUPS[k], discover=_discover_all)
            registry = _defaults[kind]
    return registry


def default_registries() -> dict[str, StoreRegistry]:
    """All three default registries, by kind."""
    return {k: get_default_registry(k) for k in KINDS}
