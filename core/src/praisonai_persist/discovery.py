"""Plugin discovery: entry points loaded one at a time, failures recorded, never fatal by default.

Runs once per process, lazily, on first registry use; thread-safe. Environment switches:

* ``PRAISONAI_PERSIST_STRICT_PLUGINS=1``: a plugin that fails to load raises :class:`PluginLoadError`
  (for plugin authors and CI).
* ``PRAISONAI_PERSIST_PLUGINS=name,name``: load only these plugins (entry-point names or
  distribution names; ``core`` is the built-in backends). Unset: load every plugin.

What the plugins registered is cached per environment (as stevedore does), keyed on the
interpreter, ``sys.path`` and the modification times of its directories, so a process start
reads one small file instead of importing ``importlib.metadata``, pluggy and every hook module.
Installing or removing any distribution changes a ``sys.path`` directory and so the key.
``PRAISONAI_PERSIST_DISCOVERY_CACHE=0`` turns the cache off; ``PRAISONAI_PERSIST_CACHE_DIR``
moves it (default ``$XDG_CACHE_HOME/praisonai-persist``).
"""

from __future__ import annotations

import os
import sys
import threading

from .errors import PluginLoadError
from .registry import default_registries, registering_distribution

TYPE_CHECKING = False
if TYPE_CHECKING:
    from importlib.metadata import EntryPoint
    from typing import Any

    import pluggy

    from .registry import StoreRegistry

__all__ = [
    "ENTRY_POINT_GROUP",
    "ENV_CACHE",
    "ENV_CACHE_DIR",
    "ENV_ONLY",
    "ENV_STRICT",
    "LEGACY_GROUPS",
    "DiscoveryReport",
    "PluginFailure",
    "PluginInfo",
    "PluginLoadWarning",
    "discovery_report",
    "ensure_discovered",
    "plugin_manager",
    "reset_discovery",
]

ENTRY_POINT_GROUP = "praisonai_persist.plugins"
LEGACY_GROUPS = {
    "praisonai.conversation_stores": "conversation",
    "praisonai.knowledge_stores": "knowledge",
    "praisonai.state_stores": "state",
}
ENV_STRICT = "PRAISONAI_PERSIST_STRICT_PLUGINS"
ENV_ONLY = "PRAISONAI_PERSIST_PLUGINS"
ENV_CACHE = "PRAISONAI_PERSIST_DISCOVERY_CACHE"
ENV_CACHE_DIR = "PRAISONAI_PERSIST_CACHE_DIR"
_CACHE_FORMAT = 2


class PluginLoadWarning(RuntimeWarning):
    """A plugin failed to load and was skipped (see ``praisonai-persist doctor``)."""


class PluginInfo:
    """A plugin entry point: its name, group, value and providing distribution."""

    __slots__ = ("distribution", "group", "name", "value", "version")

    def __init__(self, name: str, group: str, distribution: str, version: str, value: str) -> None:
        self.name = name
        self.group = group
        self.distribution = distribution
        self.version = version
        self.value = value

    def as_tuple(self) -> tuple[str, str, str, str, str]:
        return (self.name, self.group, self.distribution, self.version, self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PluginInfo) and self.as_tuple() == other.as_tuple()

    def __hash__(self) -> int:
        return hash(self.as_tuple())

    def __repr__(self) -> str:
        return f"PluginInfo({self.distribution} {self.version}: {self.name} = {self.value} [{self.group}])"


class PluginFailure(PluginInfo):
    """A plugin entry point that could not be loaded, with the reason."""

    __slots__ = ("error", "traceback")

    def __init__(self, info: PluginInfo, error: str, traceback: str = "") -> None:
        super().__init__(*info.as_tuple())
        self.error = error
        self.traceback = traceback

    def describe(self) -> str:
        return f"{self.distribution} {self.version} (entry point {self.name!r} = {self.value}): {self.error}"


class DiscoveryReport:
    """What discovery loaded, skipped and failed to load, and whether it came from the cache."""

    def __init__(self) -> None:
        self.loaded: list[PluginInfo] = []
        self.failures: list[PluginFailure] = []
        self.duplicates: list[PluginInfo] = []
        self.skipped: list[PluginInfo] = []
        self.from_cache = False

    def conflicts(self) -> list[str]:
        """Backend names claimed by more than one distribution, described."""
        out = []
        for kind, registry in default_registries().items():
            for entry in list(registry._entries.values()):
                if entry.conflicts:
                    out.append(f"{kind} backend {entry.name!r}: {', '.join([entry.provider, *entry.conflicts])}")
        return out


_lock = threading.RLock()
_done = False
_running = False
_report = DiscoveryReport()
_pm: pluggy.PluginManager | None = None


def ensure_discovered() -> None:
    """Run discovery once; later calls return at once. Re-entrant calls from hooks are no-ops."""
    global _done, _running
    if _done:
        return
    with _lock:
        if _done or _running:
            return
        _running = True
        try:
            _discover(default_registries())
            _done = True
        finally:
            _running = False


def discovery_report() -> DiscoveryReport:
    """The report of this process's discovery run."""
    ensure_discovered()
    return _report


def plugin_manager() -> pluggy.PluginManager:
    """The pluggy manager holding every loaded plugin module (imports them if the cache was used)."""
    global _pm
    ensure_discovered()
    with _lock:
        if _pm is None:
            _pm = _new_plugin_manager()
        for info in _report.loaded:
            if info.group == ENTRY_POINT_GROUP and not _pm.has_plugin(_plugin_name(info)):
                _pm.register(_import_module(info.value), name=_plugin_name(info))
        return _pm


def reset_discovery() -> None:
    """Forget discovery and every default registration (tests and long-lived tools)."""
    global _done, _report, _pm
    from . import registry as registry_module

    with _lock:
        with registry_module._default_lock:
            registry_module._defaults.clear()
        _done = False
        _report = DiscoveryReport()
        _pm = None


# -- environment ----------------------------------------------------------------------------
def _normalize(name: str) -> str:
    out = name.lower()
    for ch in "_.":
        out = out.replace(ch, "-")
    while "--" in out:
        out = out.replace("--", "-")
    return out


def _flag(var: str, default: bool = False) -> bool:
    raw = os.environ.get(var, "").strip().lower()
    if not raw:
        return default
    return raw in ("1", "true", "yes", "on")


def _wanted() -> frozenset[str] | None:
    raw = os.environ.get(ENV_ONLY, "").strip()
    if not raw:
        return None
    return frozenset(_normalize(p.strip()) for p in raw.split(",") if p.strip())


# -- discovery ------------------------------------------------------------------------------
def _discover(registries: dict[str, StoreRegistry]) -> None:
    cache = _DiscoveryCache() if _flag(ENV_CACHE, default=True) else None
    if cache is not None and cache.replay(registries):
        return
    records = _full_discovery(registries)
    if cache is not None and not _report.failures:
        cache.store(records)


def _full_discovery(registries: dict[str, StoreRegistry]) -> dict[str, Any]:
    """Load every entry point; return what each registered, for the cache."""
    import importlib.metadata as metadata

    global _pm
    from . import registry as registry_module

    pm = _new_plugin_manager()
    _pm = pm
    wanted = _wanted()
    seen: set[tuple[str, str, str]] = set()
    registrations: list[tuple[Any, ...]] = []
    uncacheable: set[str] = set()
    must_load: list[tuple[str, str, str, str, str]] = []

    def record(kind: str, name: str, factory: Any, *rest: Any) -> None:
        origin = registry_module._registering.get()
        dist, version = origin if origin else ("", "")
        if isinstance(factory, str):
            registrations.append((kind, name, factory, *rest, dist, version))
        else:
            uncacheable.add(dist)

    registry_module._recorder = record
    try:
        for group in (ENTRY_POINT_GROUP, *LEGACY_GROUPS):
            for ep in metadata.entry_points(group=group):
                info = _info(ep, group)
                key = (_normalize(info.distribution), info.name, group)
                if key in seen:
                    _report.duplicates.append(info)
                    continue
                seen.add(key)
                if wanted is not None and not ({_normalize(info.name), _normalize(info.distribution)} & wanted):
                    _report.skipped.append(info)
                    continue
                try:
                    if group == ENTRY_POINT_GROUP:
                        _load_plugin(pm, ep, info, registries)
                    else:
                        _register_legacy(ep, info, registries[LEGACY_GROUPS[group]])
                except Exception as exc:  # one broken plugin must never break the others
                    _record_failure(info, exc)
                else:
                    _report.loaded.append(info)
    finally:
        registry_module._recorder = None
    for info in _report.loaded:
        if info.distribution in uncacheable:
            must_load.append(info.as_tuple())
    return {
        "registrations": [r for r in registrations if r[-2] not in uncacheable],
        "sources": _source_stamps(_report.loaded),
        "must_load": must_load,
        "loaded": [i.as_tuple() for i in _report.loaded],
        "duplicates": [i.as_tuple() for i in _report.duplicates],
        "skipped": [i.as_tuple() for i in _report.skipped],
    }


def _record_failure(info: PluginInfo, exc: BaseException) -> None:
    import traceback
    import warnings

    failure = PluginFailure(info, f"{type(exc).__name__}: {exc}", traceback.format_exc())
    _report.failures.append(failure)
    if _flag(ENV_STRICT):
        raise PluginLoadError(f"Plugin {failure.describe()} ({ENV_STRICT} is set, so this is an error).") from exc
    warnings.warn(
        f"praisonai-persist skipped plugin {failure.describe()}. Run `praisonai-persist doctor` for details.",
        PluginLoadWarning,
        stacklevel=4,
    )


def _info(ep: EntryPoint, group: str) -> PluginInfo:
    dist = getattr(ep, "dist", None)
    name = (dist.metadata["Name"] if dist is not None else None) or "unknown"
    version = (dist.version if dist is not None else None) or "?"
    return PluginInfo(ep.name, group, name, version, ep.value)


def _plugin_name(info: PluginInfo) -> str:
    return f"{info.distribution}:{info.name}"


def _new_plugin_manager() -> pluggy.PluginManager:
    import pluggy

    from . import hookspecs

    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    return pm


def _import_module(value: str) -> Any:
    import importlib

    module_name, _, attr = value.partition(":")
    obj: Any = importlib.import_module(module_name.strip())
    for part in filter(None, attr.strip().split(".")):
        obj = getattr(obj, part)
    return obj


def _load_plugin(pm: pluggy.PluginManager, ep: Any, info: PluginInfo, registries: dict[str, StoreRegistry]) -> None:
    module = ep.load() if hasattr(ep, "load") else _import_module(info.value)
    _check_api_version(module, info)
    name = _plugin_name(info)
    if pm.has_plugin(name):
        return
    pm.register(module, name=name)
    try:
        impls = [i for i in pm.hook.persist_register_stores.get_hookimpls() if i.plugin is module]
        with registering_distribution(info.distribution, info.version):
            for impl in impls:
                impl.function(registries=registries)
    except Exception:
        pm.unregister(module)
        raise


def _check_api_version(module: Any, info: PluginInfo) -> None:
    from . import __version__, hookspecs

    declared = getattr(module, "PERSIST_API_VERSION", None)
    if declared is None:
        return
    try:
        major = int(str(declared).split(".")[0])
    except ValueError:
        major = -1
    if major != hookspecs.API_VERSION:
        raise PluginLoadError(
            f"{info.distribution} {info.version} was built for plugin API {declared}, but "
            f"praisonai-persist {__version__} provides plugin API {hookspecs.API_VERSION}. Install a "
            f"version of {info.distribution} made for this core, or upgrade praisonai-persist."
        )


def _register_legacy(ep: Any, info: PluginInfo, registry: StoreRegistry) -> None:
    """PraisonAI's per-kind groups map a backend name to a factory; registered lazily."""
    value = ep.value.split("[", 1)[0].strip()
    if ":" not in value:
        raise ValueError(f"entry point value {ep.value!r} must name a factory as 'module:attr'")
    with registering_distribution(info.distribution, info.version):
        registry.register_store(info.name, value)


# -- cache ----------------------------------------------------------------------------------
def _source_stamps(loaded: list[PluginInfo]) -> list[tuple[str, int]]:
    """``(file, mtime)`` of each loaded plugin module, so that editing one (an editable install
    changes no sys.path directory) invalidates the cache."""
    stamps = []
    for info in loaded:
        module = sys.modules.get(info.value.split(":", 1)[0].split("[", 1)[0].strip())
        path = getattr(module, "__file__", None)
        if path:
            try:
                stamps.append((path, os.stat(path).st_mtime_ns))
            except OSError:
                pass
    return stamps


def _sources_unchanged(stamps: Any) -> bool:
    try:
        return all(os.stat(path).st_mtime_ns == mtime for path, mtime in stamps)
    except (OSError, TypeError, ValueError):
        return False


class _DiscoveryCache:
    """One small marshal file per environment holding what the plugins registered."""

    def __init__(self) -> None:
        from . import __version__

        stamps = []
        for entry in sys.path:
            if not entry:
                continue  # the working directory: its contents change all the time and hold no plugins
            try:
                stamps.append((entry, os.stat(entry).st_mtime_ns))
            except OSError:
                stamps.append((entry, -1))
        self.key = (
            _CACHE_FORMAT, __version__, sys.version, sys.executable, tuple(stamps),
            os.environ.get(ENV_ONLY, ""),
        )
        base = os.environ.get(ENV_CACHE_DIR) or os.path.join(
            os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "praisonai-persist"
        )
        import zlib

        digest = zlib.crc32(repr((sys.executable, sys.path)).encode("utf-8", "surrogatepass"))
        self.path = os.path.join(base, f"discovery-{digest:08x}.bin")

    def replay(self, registries: dict[str, StoreRegistry]) -> bool:
        """Register what the cache holds; ``False`` (nothing done) on a miss."""
        import marshal

        try:
            with open(self.path, "rb") as fh:
                data = marshal.load(fh)
        except (OSError, EOFError, ValueError, TypeError):
            return False
        if not isinstance(data, dict) or data.get("key") != self.key:
            return False
        if not _sources_unchanged(data.get("sources", ())):
            return False
        for kind, name, factory, aliases, schemes, sync_v, async_v, replace, dist, version in data["registrations"]:
            with registering_distribution(dist, version):
                registries[kind].register_store(
                    name, factory, aliases=aliases, schemes=schemes, sync_variant=sync_v, async_variant=async_v,
                    replace=replace,
                )
        if data["must_load"]:
            global _pm
            if _pm is None:
                _pm = _new_plugin_manager()
            pm = _pm
            for item in data["must_load"]:
                info = PluginInfo(*item)
                try:
                    _load_plugin(pm, None, info, registries)
                except Exception as exc:
                    _record_failure(info, exc)
        _report.loaded = [PluginInfo(*i) for i in data["loaded"]]
        _report.duplicates = [PluginInfo(*i) for i in data["duplicates"]]
        _report.skipped = [PluginInfo(*i) for i in data["skipped"]]
        _report.from_cache = True
        return True

    def store(self, records: dict[str, Any]) -> None:
        import marshal

        data = dict(records, key=self.key)
        tmp = f"{self.path}.{os.getpid()}.{threading.get_ident()}.tmp"
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            with open(tmp, "wb") as fh:
                marshal.dump(data, fh)
            os.replace(tmp, self.path)
        except (OSError, ValueError):
            try:
                os.unlink(tmp)
            except OSError:
                pass
