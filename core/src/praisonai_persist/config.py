"""``PersistenceConfig``: which backend and URL each store kind uses, from arguments, environment or dict.

Environment names are PraisonAI's (``PRAISONAI_CONVERSATION_STORE``, ``PRAISONAI_CONVERSATION_URL``,
… ``PRAISONAI_SESSION_ID``, ``PRAISONAI_USER_ID``), plus the ``PRAISON_*_URL`` names its CLI used.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from .errors import ConfigError

__all__ = ["ENV_VARS", "PersistenceConfig"]

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

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name.endswith("_options"):
                if not isinstance(value, Mapping):
                    raise ConfigError(f"{f.name} must be a mapping of option names to values, got {value!r}.")
                setattr(self, f.name, dict(value))
            elif f.name in ("auto_create_tables", "lazy_init"):
                if not isinstance(value, bool):
                    raise ConfigError(f"{f.name} must be true or false, got {value!r}.")
            elif value is not None and not isinstance(value, str):
                raise ConfigError(f"{f.name} must be a string, got {type(value).__name__}.")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> PersistenceConfig:
        """Config from environment variables (``overrides`` win over the environment)."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, candidates in ENV_VARS.items():
            for var in candidates:
                if env.get(var):
                    values[name] = env[var]
                    break
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.from_dict(values)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PersistenceConfig:
        """Config from a dict; a nested ``{"persistence": {...}}`` is accepted; unknown keys are errors."""
        if not isinstance(data, Mapping):
            raise ConfigError(f"Persistence config must be a mapping, got {type(data).__name__}.")
        if "persistence" in data and isinstance(data["persistence"], Mapping):
            data = data["persistence"]
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
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
