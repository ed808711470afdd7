"""``PersistenceConfig``: which backend, URL and options each store kind uses.

Built from arguments, the environment, a dict or a YAML / TOML / JSON file. Environment names
are PraisonAI's (``PRAISONAI_CONVERSATION_STORE``, ``PRAISONAI_CONVERSATION_URL``, …
``PRAISONAI_SESSION_ID``, ``PRAISONAI_USER_ID``), plus the ``PRAISON_*_URL`` names its CLI used.
Every validation error names the bad field; reprs mask passwords and tokens.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .session_config import SessionConfig
from .urls import mask_url

__all__ = [
    "BOOL_ENV_VARS",
    "ENV_VARS",
    "OPTIONS_ENV_VARS",
    "PersistenceConfig",
    "get_env_var",
    "list_available_backends",
]

KINDS = ("conversation", "knowledge", "state")

ENV_VARS: dict[str, tuple[str, ...]] = {
    "conversation_store": ("PRAISONAI_CONVERSATION_STORE",),
    "conversation_url": ("PRAISONAI_CONVERSATION_URL", "PRAISON_CONVERSATION_URL"),
    "knowledge_store": ("PRAISONAI_KNOWLEDGE_STORE",),
    "knowledge_url": ("PRAISONAI_KNOWLEDGE_URL", "PRAISON_KNOWLEDGE_URL"),
    "state_store": ("PRAISONAI_STATE_STORE",),
    "state_url": ("PRAISONAI_STATE_URL", "PRAISON_STATE_URL"),
    "session_id": ("PRAISONAI_SESSION_ID",),
    "user_id": ("PRAISONAI_USER_ID",),
}
#: JSON objects of store options, one per kind (e.g. ``{"table_prefix": "app_"}``).
OPTIONS_ENV_VARS: dict[str, str] = {
    "conversation_options": "PRAISONAI_CONVERSATION_OPTIONS",
    "knowledge_options": "PRAISONAI_KNOWLEDGE_OPTIONS",
    "state_options": "PRAISONAI_STATE_OPTIONS",
}
#: Boolean switches: ``1/true/yes/on`` or ``0/false/no/off``.
BOOL_ENV_VARS: dict[str, str] = {
    "auto_create_tables": "PRAISONAI_AUTO_CREATE_TABLES",
    "lazy_init": "PRAISONAI_LAZY_INIT",
    "mirror_runtime_state": "PRAISONAI_MIRROR_RUNTIME_STATE",
}
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")
_SECRET_WORDS = ("password", "passwd", "secret", "token", "api_key", "apikey", "credential", "private_key")
_YAML_SUFFIXES = (".yaml", ".yml")


def _env_bool(var: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{var} must be one of {', '.join(_TRUE + _FALSE)}, got {raw!r}.")


def _secret_key(key: str) -> bool:
    lowered = key.lower()
    return any(word in lowered for word in _SECRET_WORDS)


def _masked_options(options: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in options.items():
        if _secret_key(key):
            out[key] = "***"
        elif isinstance(value, str) and "://" in value:
            out[key] = mask_url(value)
        else:
            out[key] = value
    return out


@dataclass
class PersistenceConfig:
    """Backends, URLs and options for the three store kinds (field names as in PraisonAI)."""

    conversation_store: str | None = None
    conversation_url: str | None = None
    conversation_options: dict[str, Any] = field(default_factory=dict)
    knowledge_store: str | None = None
    knowledge_url: str | None = None
    knowledge_options: dict[str, Any] = field(default_factory=dict)
    state_store: str | None = None
    state_url: str | None = None
    state_options: dict[str, Any] = field(default_factory=dict)
    session_id: str | None = None
    user_id: str | None = None
    auto_create_tables: bool = True
    lazy_init: bool = True
    #: :class:`SessionConfig` fields for the orchestrator, e.g. ``{"mirror_runtime_state": True}``.
    session: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name.endswith("_options") or f.name == "session":
                if isinstance(value, SessionConfig) and f.name == "session":
                    value = value.to_dict()
                if not isinstance(value, Mapping):
                    raise ConfigError(f"{f.name} must be a mapping of option names to values, got {type(value).__name__}.")
                bad = [k for k in value if not isinstance(k, str) or not k]
                if bad:
                    raise ConfigError(f"{f.name} keys must be non-empty strings, got {bad[0]!r}.")
                setattr(self, f.name, dict(value))
            elif f.name in ("auto_create_tables", "lazy_init"):
                if not isinstance(value, bool):
                    raise ConfigError(f"{f.name} must be true or false, got {value!r}.")
            elif value is not None and not isinstance(value, str):
                raise ConfigError(f"{f.name} must be a string, got {type(value).__name__}.")
            elif value == "":
                setattr(self, f.name, None)  # an empty name or URL means "not set", as an unset env var
        for kind in KINDS:
            if getattr(self, f"{kind}_url") is not None and ("url" in getattr(self, f"{kind}_options")):
                raise ConfigError(f"{kind}_options has a 'url' and {kind}_url is set too; keep only {kind}_url.")
        try:
            SessionConfig.from_dict(self.session)
        except ConfigError as exc:
            raise ConfigError(f"session: {exc}") from exc

    def __repr__(self) -> str:
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name.endswith("_url") and value:
                value = mask_url(value)
            elif f.name.endswith("_options"):
                value = _masked_options(value)
            parts.append(f"{f.name}={value!r}")
        return f"PersistenceConfig({', '.join(parts)})"

    def session_config(self) -> SessionConfig:
        """The orchestrator's :class:`SessionConfig` from the ``session`` field."""
        return SessionConfig.from_dict(self.session)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> PersistenceConfig:
        """Config from environment variables (``overrides`` win over the environment).

        ``PRAISONAI_<KIND>_OPTIONS`` hold JSON objects of store options; ``PRAISONAI_AUTO_CREATE_TABLES``,
        ``PRAISONAI_LAZY_INIT`` and ``PRAISONAI_MIRROR_RUNTIME_STATE`` are booleans.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, candidates in ENV_VARS.items():
            for var in candidates:
                if env.get(var):
                    values[name] = env[var]
                    break
        for name, var in OPTIONS_ENV_VARS.items():
            raw = env.get(var)
            if raw:
                try:
                    parsed = json.loads(raw)
                except ValueError as exc:
                    raise ConfigError(f"{var} must be a JSON object of {name}: {exc.args[0]}.") from None
                if not isinstance(parsed, dict):
                    raise ConfigError(f"{var} must be a JSON object of {name}, got {type(parsed).__name__}.")
                values[name] = parsed
        for name, var in BOOL_ENV_VARS.items():
            raw = env.get(var)
            if raw:
                if name == "mirror_runtime_state":
                    values["session"] = {name: _env_bool(var, raw)}
                else:
                    values[name] = _env_bool(var, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.from_dict(values)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> PersistenceConfig:
        """Config from a ``.toml``, ``.yaml`` / ``.yml`` or ``.json`` file.

        The settings sit at the top level or under a ``persistence`` key (``[persistence]`` in
        TOML). YAML needs PyYAML: ``pip install 'praisonai-persist[yaml]'``.
        """
        file = Path(path)
        suffix = file.suffix.lower()
        if suffix not in (".toml", ".json", *_YAML_SUFFIXES):
            raise ConfigError(f"Config file {str(file)!r} must end in .toml, .yaml, .yml or .json, got {suffix or 'no suffix'!r}.")
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"Cannot read config file {str(file)!r}: {exc.strerror or exc}.") from None
        if suffix == ".toml":
            data = _parse_toml(text, file)
        elif suffix == ".json":
            try:
                data = json.loads(text) if text.strip() else {}
            except ValueError as exc:
                raise ConfigError(f"Config file {str(file)!r} is not valid JSON: {exc}.") from None
        else:
            data = _parse_yaml(text, file)
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise ConfigError(f"Config file {str(file)!r} must hold a mapping of settings, got {type(data).__name__}.")
        try:
            return cls.from_dict(data)
        except ConfigError as exc:
            raise ConfigError(f"{file}: {exc}") from None

    @classmethod
    def from_yaml(cls, path: str | os.PathLike[str]) -> PersistenceConfig:
        """Config from a YAML file (PraisonAI's name; see :meth:`from_file`)."""
        return cls.from_file(path)

    @classmethod
    def from_toml(cls, path: str | os.PathLike[str]) -> PersistenceConfig:
        """Config from a TOML file (see :meth:`from_file`)."""
        return cls.from_file(path)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PersistenceConfig:
        """Config from a dict; a nested ``{"persistence": {...}}`` is accepted; unknown keys are errors."""
        if not isinstance(data, Mapping):
            raise ConfigError(f"Persistence config must be a mapping, got {type(data).__name__}.")
        if "persistence" in data and isinstance(data["persistence"], Mapping):
            data = data["persistence"]
        known = {f.name for f in fields(cls)}
        unknown = sorted(str(k) for k in set(data) - known)
        if unknown:
            raise ConfigError(
                f"Unknown persistence config field(s): {', '.join(unknown)}. Known fields: {', '.join(sorted(known))}."
            )
        return cls(**dict(data))

    def to_dict(self) -> dict[str, Any]:
        """The config as a plain dict (``from_dict`` round-trips it)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def store_spec(self, kind: str) -> tuple[str | None, str | None, dict[str, Any]]:
        """``(backend, url, options)`` for one kind."""
        if kind not in KINDS:
            raise ConfigError(f"Unknown store kind {kind!r}; expected one of {', '.join(KINDS)}.")
        options = dict(getattr(self, f"{kind}_options"))
        if kind == "conversation" and not self.auto_create_tables:
            options.setdefault("auto_create_tables", False)
        return getattr(self, f"{kind}_store"), getattr(self, f"{kind}_url"), options

    def validate(self) -> bool:
        """Raise :class:`ConfigError` naming the field whose backend does not resolve; ``True`` otherwise."""
        from .registry import get_default_registry

        for kind in KINDS:
            backend, url, _ = self.store_spec(kind)
            target = backend or url
            if target is None:
                continue
            try:
                get_default_registry(kind).entry(target)
            except Exception as exc:
                field_name = f"{kind}_store" if backend else f"{kind}_url"
                raise ConfigError(f"{field_name}: {exc}") from exc
        return True


def _parse_toml(text: str, file: Path) -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10 only
        try:
            import tomli as tomllib
        except ImportError:
            raise ConfigError(
                f"Reading {str(file)!r} needs a TOML parser on Python 3.10: pip install 'praisonai-persist[toml]'"
            ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Config file {str(file)!r} is not valid TOML: {exc}.") from None


def _parse_yaml(text: str, file: Path) -> Any:
    try:
        import yaml
    except ImportError:
        raise ConfigError(
            f"Reading the YAML config {str(file)!r} needs PyYAML, which is not installed. "
            "Install it with: pip install 'praisonai-persist[yaml]'"
        ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        # Only the position and the problem: PyYAML's own message quotes the line, which may hold a password.
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise ConfigError(f"Config file {str(file)!r} is not valid YAML{where}: {problem}.") from None


def get_env_var(key: str, default: str | None = None, environ: Mapping[str, str] | None = None) -> str | None:
    """The environment value of a config field (``"conversation_url"`` → ``PRAISONAI_CONVERSATION_URL`` …)."""
    env = os.environ if environ is None else environ
    for var in ENV_VARS.get(key, (key.upper(),)):
        if env.get(var):
            return env[var]
    return default


def list_available_backends() -> dict[str, list[str]]:
    """Every registered backend name and alias, per store kind (PraisonAI's helper)."""
    from .registry import get_default_registry

    return {kind: sorted(get_default_registry(kind).list_all_names()) for kind in KINDS}
