"""Session records of the JSON session stores, shaped as PraisonAI's ``praisonaiagents.session``.

``SessionData`` and ``SessionMessage`` keep PraisonAI's field names and dict shapes (ISO
``created_at``/``updated_at`` strings, float message ``timestamp``), so code reading them keeps
working. ``ExtendedSessionData`` adds the hierarchy fields of the hierarchical store.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from typing import Any

__all__ = [
    "ExtendedSessionData",
    "SessionData",
    "SessionMessage",
    "SessionSnapshot",
    "iso_now",
]


def iso_now() -> str:
    """The current UTC time as an ISO-8601 string (PraisonAI's session time format)."""
    return datetime.now(timezone.utc).isoformat()


@dataclass
class SessionMessage:
    """One message of a session; tool fields only appear in the dict when set."""

    role: str
    content: str
    timestamp: float = field(default_factory=time.time)
    metadata: dict[str, Any] = field(default_factory=dict)
    tool_calls: list[dict[str, Any]] | None = None
    tool_call_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "role": self.role,
            "content": self.content,
            "timestamp": self.timestamp,
            "metadata": self.metadata,
        }
        if self.tool_calls:
            data["tool_calls"] = self.tool_calls
        if self.tool_call_id is not None:
            data["tool_call_id"] = self.tool_call_id
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionMessage:
        return cls(
            role=data.get("role", "user"),
            content=data.get("content", ""),
            timestamp=data.get("timestamp", 0.0),
            metadata=data.get("metadata") or {},
            tool_calls=data.get("tool_calls"),
            tool_call_id=data.get("tool_call_id"),
        )

    def to_llm_message(self) -> dict[str, Any]:
        """``{"role", "content"}`` plus the tool fields when present, as an LLM expects."""
        msg: dict[str, Any] = {"role": self.role, "content": self.content}
        if self.tool_calls:
            msg["tool_calls"] = self.tool_calls
        if self.tool_call_id is not None:
            msg["tool_call_id"] = self.tool_call_id
        return msg


@dataclass
class SessionData:
    """A session and its messages, as returned by ``DefaultSessionStore.get_session``."""

    session_id: str
    messages: list[SessionMessage] = field(default_factory=list)
    created_at: str = field(default_factory=iso_now)
    updated_at: str = field(default_factory=iso_now)
    agent_name: str | None = None
    user_id: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    gateway_session_id: str | None = None
    agent_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "messages"}
        data["messages"] = [m.to_dict() for m in self.messages]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionData:
        return cls(**_known(SessionData, data))

    def get_chat_history(self, max_messages: int | None = None) -> list[dict[str, Any]]:
        """LLM messages; with ``max_messages`` the most recent ones, never starting on a tool result."""
        messages = self.messages
        if max_messages and len(messages) > max_messages:
            start = len(messages) - max_messages
            # A tool result whose assistant tool call was cut off is rejected by LLM providers.
            while start < len(messages) and messages[start].role == "tool":
                start += 1
            messages = messages[start:]
        return [m.to_llm_message() for m in messages]


@dataclass
class SessionSnapshot:
    """A named restore point of a session's messages (``HierarchicalSessionStore.create_snapshot``)."""

    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    session_id: str = ""
    message_index: int = -1  # index of the last message in the snapshot, -1 when it was empty
    created_at: float = field(default_factory=time.time)
    label: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionSnapshot:
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


@dataclass
class ExtendedSessionData(SessionData):
    """A session with its place in a tree (parent, children), fork point, snapshots and title."""

    parent_id: str | None = None
    forked_from_message_id: str | None = None
    children_ids: list[str] = field(default_factory=list)
    snapshots: list[SessionSnapshot] = field(default_factory=list)
    is_shared: bool = False
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["snapshots"] = [s.to_dict() for s in self.snapshots]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExtendedSessionData:
        values = _known(ExtendedSessionData, data)
        values["snapshots"] = [SessionSnapshot.from_dict(s) for s in data.get("snapshots") or []]
        values["children_ids"] = list(data.get("children_ids") or [])
        return cls(**values)


def _known(cls: type[SessionData], data: dict[str, Any]) -> dict[str, Any]:
    """The constructor arguments of ``cls`` found in ``data`` (unknown keys are ignored)."""
    values = {f.name: data[f.name] for f in fields(cls) if f.name in data and data[f.name] is not None}
    values["messages"] = [SessionMessage.from_dict(m) for m in data.get("messages") or []]
    values["metadata"] = dict(data.get("metadata") or {})
    return values
