"""``SessionConfig``: how the orchestrator treats sessions (history size, runtime state mirroring).

Runtime state mirroring is opt-in (``mirror_runtime_state=False`` by default) and bounded:
a turn record larger than ``max_turn_state_bytes`` is refused, and a runtime keeps only its
newest turns within ``max_runtime_turns`` and ``max_runtime_state_bytes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from .errors import ConfigError

__all__ = ["SessionConfig"]

_INT_FIELDS = ("max_turn_state_bytes", "max_runtime_turns", "max_runtime_state_bytes")
_BOOL_FIELDS = ("mirror_runtime_state", "auto_create_session")


@dataclass(frozen=True)
class SessionConfig:
    """Session behaviour of :class:`~praisonai_persist.orchestrator.PersistenceOrchestrator`.

    * ``mirror_runtime_state``: store a per-turn runtime record with the session (off: every
      runtime state call is a no-op that touches no store).
    * ``max_turn_state_bytes``: largest JSON-encoded turn record; a bigger one raises
      :class:`~praisonai_persist.errors.RuntimeStateTooLargeError` and stores nothing.
    * ``max_runtime_turns`` / ``max_runtime_state_bytes``: per runtime, the oldest turns are
      dropped once either bound is passed (the newest turn is always kept).
    * ``history_limit``: messages ``on_agent_start`` returns on resume (``None``: all of them).
    * ``auto_create_session``: ``on_message`` on a session nobody started creates it instead of
      raising :class:`~praisonai_persist.errors.SessionNotFoundError`.
    """

    mirror_runtime_state: bool = False
    max_turn_state_bytes: int = 16 * 1024
    max_runtime_turns: int = 100
    max_runtime_state_bytes: int = 256 * 1024
    history_limit: int | None = None
    auto_create_session: bool = True

    def __post_init__(self) -> None:
        for name in _BOOL_FIELDS:
            value = getattr(self, name)
            if not isinstance(value, bool):
                raise ConfigError(f"SessionConfig.{name} must be true or false, got {value!r}.")
        for name in _INT_FIELDS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"SessionConfig.{name} must be a positive integer, got {value!r}.")
        limit = self.history_limit
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
            raise ConfigError(f"SessionConfig.history_limit must be a positive integer or None, got {limit!r}.")
        if self.max_turn_state_bytes > self.max_runtime_state_bytes:
            raise ConfigError(
                "SessionConfig.max_turn_state_bytes must not exceed max_runtime_state_bytes "
                f"({self.max_turn_state_bytes} > {self.max_runtime_state_bytes})."
            )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SessionConfig:
        """Build from a mapping; unknown keys are a :class:`ConfigError` naming them."""
        if not isinstance(data, Mapping):
            raise ConfigError(f"Session config must be a mapping, got {type(data).__name__}.")
        known = {f.name for f in fields(cls)}
        unknown = sorted(str(k) for k in set(data) - known)
        if unknown:
            raise ConfigError(
                f"Unknown session config field(s): {', '.join(unknown)}. Known fields: {', '.join(sorted(known))}."
            )
        return cls(**dict(data))

    def to_dict(self) -> dict[str, Any]:
        """The config as a plain dict (``from_dict`` round-trips it)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}
